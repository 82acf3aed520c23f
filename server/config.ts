import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /**
   * With DATABASE_URL: the owner's connection, for migrations at start; DATABASE_URL is then the
   * application role, which owns no table (README, "Running it for real").
   */
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(604800).default(28800),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFromEnv.default(false),
  /** Failed sign-ins of one account from one address before each next attempt waits (1 s, 2 s, 4 s…). */
  LOGIN_FAILURES_BEFORE_DELAY: z.coerce.number().int().min(1).default(5),
  /** Failed sign-ins of one account from all addresses in an hour before attempts wait. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
  /** Failed sign-ins (and activation codes) from one address in 15 minutes before attempts wait. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(300),
  /** The longest wait a growing delay reaches. */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a request may take to arrive, headers and body (ms): a slower one is answered 408. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** E-mail goes out over this server; unset: each message is written to DATA_DIR/outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Background jobs (daily notices, the e-mail digest) on pg-boss; `false` runs none (tests). */
  BACKGROUND_JOBS: booleanFromEnv.default(true),
  MAIL_FROM: z.string().trim().min(3).default('Liaison <no-reply@liaison.localhost>'),
  /** The base of links in e-mails (as people reach Liaison); unset: http://HOST:PORT. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
/** What the app needs once the secret is known (it may be generated and kept in DATA_DIR). */
export type AppConfig = Omit<Config, 'JWT_SECRET'> & { JWT_SECRET: string };

/** Parses the environment once at boot and fails with a message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
