import { loadConfig, port, z } from '@concord/common';

const schema = z.object({
  PSA_PORT: port(4003),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type PsaConfig = z.infer<typeof schema>;

export function psaConfig(env: NodeJS.ProcessEnv = process.env): PsaConfig {
  return loadConfig(schema, env);
}
