import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatabaseConnection } from '../db/client.ts';
import type { AppConfig } from './config.ts';
import type { Mailer } from './mail/mailer.ts';
import authPlugin from './plugins/auth.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import mailPlugin from './plugins/mail.ts';
import openapiPlugin from './plugins/openapi.ts';
import planContextPlugin from './plugins/plan-context.ts';
import securityPlugin from './plugins/security.ts';
import webPlugin from './plugins/web.ts';
import accountRoutes from './routes/accounts.ts';
import authRoutes from './routes/auth.ts';
import grantRoutes from './routes/grants.ts';
import healthRoutes from './routes/health.ts';
import meRoutes from './routes/me.ts';
import userRoutes from './routes/users.ts';
import memberRoutes from './routes/members.ts';
import organizationRoutes from './routes/organizations.ts';
import outboxRoutes from './routes/outbox.ts';
import planAccessRoutes from './routes/plan-access.ts';
import planLifecycleRoutes from './routes/plan-lifecycle.ts';
import planRoutes from './routes/plans.ts';
import sectionRoutes from './routes/sections.ts';

export interface BuildAppOptions {
  config: AppConfig;
  connection: DatabaseConnection;
  logger?: boolean;
  /** A mailer instead of the configuration's (tests); the caller closes it. */
  mailer?: Mailer;
}

/** Builds the Liaison app: external plugins, app plugins, then the routes under /api. */
export async function buildApp({
  config,
  connection,
  logger = true,
  mailer,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.LOG_LEVEL } : false,
    trustProxy: config.TRUST_PROXY,
    requestTimeout: 30_000,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(dbPlugin, { connection });
  await app.register(mailPlugin, { config, mailer });
  await app.register(authPlugin, { config });
  await app.register(planContextPlugin);
  await app.register(openapiPlugin);

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authRoutes, { config });
      await api.register(accountRoutes, { config });
      await api.register(meRoutes);
      await api.register(userRoutes);
      await api.register(planRoutes);
      await api.register(planLifecycleRoutes);
      await api.register(memberRoutes);
      await api.register(sectionRoutes);
      await api.register(grantRoutes);
      await api.register(planAccessRoutes, { config });
      await api.register(organizationRoutes);
      await api.register(outboxRoutes);
    },
    { prefix: '/api' },
  );

  await app.register(webPlugin);
  return app;
}
