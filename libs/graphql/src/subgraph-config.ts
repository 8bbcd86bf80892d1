import { loadConfig, optionalUrl, port, z } from '@concord/common';
import type { PublishAtStart } from './bootstrap';
import type { SubgraphOptions } from './subgraph-core.module';

const CONTEXT_VERIFY_KEY_REQUIRED = "required: the gateway's context-token public key (PEM text or path)";

/** The environment every business subgraph reads (its port variable aside). */
const subgraphEnvironment = {
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** governance's audit ingest (POST /audit/events); unset: the outbox relay is off */
  AUDIT_INGEST_URL: optionalUrl(),
  /** the gateway's context token public key (PEM text or path; several separated by commas while rotating) */
  CONTEXT_VERIFY_KEY: z.string({ message: CONTEXT_VERIFY_KEY_REQUIRED }).min(1, { message: CONTEXT_VERIFY_KEY_REQUIRED }),
  /** governance, which serves the policy bundle (GET /policy/bundle) */
  GOVERNANCE_URL: z.string().url().default('http://127.0.0.1:4010'),
  /** a policy bundle file instead of governance */
  POLICY_PATH: z.string().optional(),
  /** where the last good bundle is kept for a start while governance is down (default .data/policy/<service>-bundle.json) */
  POLICY_CACHE_FILE: z.string().optional(),
  POLICY_POLL_MS: z.coerce.number().int().min(100).default(2_000),
  /** the services' shared secret for governance's ledger ingest and policy bundle */
  GOVERNANCE_TOKEN: z.string().min(1).optional(),
  /** publish the SDL to governance's schema registry at start (default: on unless POLICY_PATH) */
  SCHEMA_PUBLISH: z.enum(['on', 'off']).optional(),
  /** where gateways reach this subgraph (default: http://<HOST>:<port>/graphql) */
  ROUTING_URL: optionalUrl(),
  /** who publishes at start (default service:<name>@<hostname>) */
  SCHEMA_PUBLISH_AUTHOR: z.string().min(1).optional(),
};

export interface SubgraphConfig {
  port: number;
  options: Omit<SubgraphOptions, 'entities' | 'migrations'>;
  host: string;
  /** undefined: SCHEMA_PUBLISH=off (or a bundle file instead of governance) */
  publish: PublishAtStart | undefined;
}

/** The registry publish at start of a service that follows governance (crm, erp, psa and governance itself). */
export function publishAtStartOf(
  subgraph: string,
  env: {
    SCHEMA_PUBLISH?: 'on' | 'off';
    POLICY_PATH?: string;
    GOVERNANCE_URL: string;
    GOVERNANCE_TOKEN?: string;
    ROUTING_URL?: string;
    SCHEMA_PUBLISH_AUTHOR?: string;
  },
): PublishAtStart | undefined {
  if ((env.SCHEMA_PUBLISH ?? (env.POLICY_PATH ? 'off' : 'on')) === 'off') {
    return undefined;
  }
  return {
    subgraph,
    governanceUrl: env.GOVERNANCE_URL,
    token: env.GOVERNANCE_TOKEN,
    routingUrl: env.ROUTING_URL,
    author: env.SCHEMA_PUBLISH_AUTHOR,
  };
}

/** Reads and validates a subgraph's environment (failing fast, naming each bad variable) into its module options. */
export function subgraphConfig(name: 'crm' | 'erp' | 'psa', defaultPort: number, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const portVariable = `${name.toUpperCase()}_PORT`;
  const config = loadConfig(z.object({ ...subgraphEnvironment, [portVariable]: port(defaultPort) }), env) as z.infer<
    z.ZodObject<typeof subgraphEnvironment>
  > &
    Record<string, number>;
  return {
    port: config[portVariable]!,
    host: config.HOST,
    publish: publishAtStartOf(name, config),
    options: {
      name,
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      auditIngestUrl: config.AUDIT_INGEST_URL,
      contextTokenPublicKey: config.CONTEXT_VERIFY_KEY,
      governanceToken: config.GOVERNANCE_TOKEN,
      policy: {
        governanceUrl: config.POLICY_PATH ? undefined : config.GOVERNANCE_URL,
        policyPath: config.POLICY_PATH,
        cacheFile: config.POLICY_PATH ? undefined : (config.POLICY_CACHE_FILE ?? `.data/policy/${name}-bundle.json`),
        pollMs: config.POLICY_POLL_MS,
      },
    },
  };
}
