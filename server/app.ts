import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatabaseConnection } from '../db/client.ts';
import type { AppConfig } from './config.ts';
import { ServiceUnavailable } from './errors.ts';
import { loggerOptions, requestLogController, type LogStream } from './logging.ts';
import type { Mailer } from './mail/mailer.ts';
import authPlugin from './plugins/auth.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin, { answerFrameworkError } from './plugins/errors.ts';
import inputPlugin from './plugins/input.ts';
import jobsPlugin from './plugins/jobs.ts';
import mailPlugin from './plugins/mail.ts';
import openapiPlugin from './plugins/openapi.ts';
import planContextPlugin from './plugins/plan-context.ts';
import sameOriginPlugin from './plugins/same-origin.ts';
import securityPlugin from './plugins/security.ts';
import throttlePlugin from './plugins/throttle.ts';
import webPlugin from './plugins/web.ts';
import accountRoutes from './routes/accounts.ts';
import authRoutes from './routes/auth.ts';
import exportRoutes from './routes/exports.ts';
import fhirRoutes from './routes/fhir.ts';
import figureRoutes from './routes/figures.ts';
import grantRoutes from './routes/grants.ts';
import healthRoutes, { type HealthOptions } from './routes/health.ts';
import meRoutes from './routes/me.ts';
import notificationRoutes from './routes/notifications.ts';
import userRoutes from './routes/users.ts';
import memberRoutes from './routes/members.ts';
import organizationRoutes from './routes/organizations.ts';
import outboxRoutes from './routes/outbox.ts';
import planAccessRoutes from './routes/plan-access.ts';
import planLifecycleRoutes from './routes/plan-lifecycle.ts';
import planRoutes from './routes/plans.ts';
import roleTemplateRoutes from './routes/role-templates.ts';
import sectionRoutes from './routes/sections.ts';

export interface BuildAppOptions {
  config: AppConfig;
  connection: DatabaseConnection;
  logger?: boolean;
  /** Where log lines go as JSON instead of the console (tests read them); implies `logger`. */
  logStream?: LogStream;
  /** A mailer instead of the configuration's (tests); the caller closes it. */
  mailer?: Mailer;
  /** The embedded PostgreSQL's state (running, restarting), reported by /api/health. */
  databaseState?: HealthOptions['databaseState'];
  /** The clock of the sign-in throttles and the background jobs (tests move it instead of sleeping). */
  now?: () => Date;
}

/** Builds the Liaison app: external plugins, app plugins, then the routes under /api. */
export async function buildApp({
  config,
  connection,
  logger = true,
  logStream,
  mailer,
  now,
  databaseState,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger || logStream ? loggerOptions(config, logStream) : false,
    logController: requestLogController(),
    trustProxy: config.TRUST_PROXY,
    // A request must arrive, headers and body, within REQUEST_TIMEOUT_MS (408 otherwise). Node
    // gives unfinished headers 60 s unless told, and looks for late requests only every
    // `connectionsCheckingInterval` (30 s by default): with requestTimeout alone, a stalled body
    // was answered after 90 s and unfinished headers after 60 s.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(config.REQUEST_TIMEOUT_MS / 4)),
    },
    bodyLimit: 1024 * 1024,
    // Our own 503 while closing (below): Fastify's is plain JSON, not problem+json.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  // Shutting down (SIGTERM): requests still arriving are told to come back, as problem+json.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new ServiceUnavailable('Liaison is restarting. Try again in a moment.');
  });
  await app.register(inputPlugin);
  await app.register(securityPlugin);
  // Before authentication: a cross-site write is refused without looking its session up.
  await app.register(sameOriginPlugin);
  await app.register(dbPlugin, { connection });
  await app.register(mailPlugin, { config, mailer });
  await app.register(authPlugin, { config });
  await app.register(throttlePlugin, { config, now });
  await app.register(planContextPlugin);
  await app.register(openapiPlugin);
  await app.register(jobsPlugin, { config, connection, now });

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { databaseState });
      await api.register(authRoutes, { config });
      await api.register(accountRoutes, { config });
      await api.register(meRoutes);
      await api.register(userRoutes);
      await api.register(planRoutes);
      await api.register(planLifecycleRoutes);
      await api.register(memberRoutes, { config });
      await api.register(sectionRoutes);
      await api.register(grantRoutes);
      await api.register(planAccessRoutes, { config });
      await api.register(organizationRoutes);
      await api.register(roleTemplateRoutes);
      await api.register(outboxRoutes);
      await api.register(exportRoutes);
      await api.register(fhirRoutes);
      await api.register(figureRoutes);
      await api.register(notificationRoutes);
    },
    { prefix: '/api' },
  );

  await app.register(webPlugin);
  return app;
}
