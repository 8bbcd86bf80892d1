import { loadConfig, port, z } from '@concord/common';

/** A subgraph's GraphQL URL (same variables and defaults as the gateway); set it empty to not probe that subgraph. */
const subgraphUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().url().optional());

const schema = z.object({
  GOVERNANCE_PORT: port(4010),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(5),
  CRM_URL: subgraphUrl('http://127.0.0.1:4001/graphql'),
  ERP_URL: subgraphUrl('http://127.0.0.1:4002/graphql'),
  PSA_URL: subgraphUrl('http://127.0.0.1:4003/graphql'),
  GOVERNANCE_JOBS: z.enum(['on', 'off'], { message: 'GOVERNANCE_JOBS must be "on" or "off"' }).default('on'),
  SUBGRAPH_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /** Ed25519 private key, PKCS8 PEM ("\\n" accepted for newlines); without it a dev key is kept in AUDIT_KEY_DIR */
  AUDIT_SIGNING_KEY: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  AUDIT_KEY_DIR: z.string().min(1).default('.data/keys'),
});

export type GovernanceConfig = z.infer<typeof schema>;

export function governanceConfig(env: NodeJS.ProcessEnv = process.env): GovernanceConfig {
  return loadConfig(schema, env);
}
