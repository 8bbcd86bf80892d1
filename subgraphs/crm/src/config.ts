import { loadConfig, optionalUrl, port, z } from '@concord/common';

const CONTEXT_VERIFY_KEY_REQUIRED = "required: the gateway's context-token public key (PEM text or path)";

const schema = z.object({
  CRM_PORT: port(4001),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** governance's audit ingest (POST /audit/events); unset: the outbox relay is off */
  AUDIT_INGEST_URL: optionalUrl(),
  /** the gateway's context token public key (PEM text or path; several separated by commas while rotating) */
  CONTEXT_VERIFY_KEY: z.string({ message: CONTEXT_VERIFY_KEY_REQUIRED }).min(1, { message: CONTEXT_VERIFY_KEY_REQUIRED }),
});

export type CrmConfig = z.infer<typeof schema>;

export function crmConfig(env: NodeJS.ProcessEnv = process.env): CrmConfig {
  return loadConfig(schema, env);
}
