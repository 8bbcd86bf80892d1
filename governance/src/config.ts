import { loadConfig, optionalUrl, port, z } from '@concord/common';
import type { ConsoleOptions } from './console/console.options';
import type { WorkflowOptions } from './workflow/workflow.options';

/** A subgraph's GraphQL URL (same variables and defaults as the gateway); set it empty to not probe that subgraph. */
const subgraphUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().url().optional());

const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const schema = z
  .object({
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
    /**
     * the gateway's context-token public key (PEM text or path; several separated by commas while rotating), as the
     * subgraphs have it. Without it governance's GraphQL API refuses every request (503) and the rest still runs.
     */
    CONTEXT_VERIFY_KEY: optionalString(),
    // callers' JWTs for GET /audit/export, verified like the gateway does (without a JWKS URL or key: 503)
    JWT_JWKS_URL: optionalUrl(),
    /** PEM text or path(s), comma separated */
    JWT_PUBLIC_KEY: optionalString(),
    JWT_ISSUER: z.string().min(1).default('concord-dev'),
    JWT_AUDIENCE: z.string().min(1).default('concord'),
    /** comma separated (default EdDSA, ES256, RS256) */
    JWT_ALGORITHMS: optionalString(),
    /** shared secret of Concord's services for POST /audit/events and GET /policy/bundle (open when unset: dev only) */
    GOVERNANCE_TOKEN: optionalString(),
    /** schema registry: how long a field must have been @deprecated before its removal passes the check */
    REGISTRY_DEPRECATION_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(14),
    /** schema registry: how far back client usage counts when a change is breaking */
    REGISTRY_USAGE_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    /** schema registry: days client usage is kept (at least REGISTRY_USAGE_WINDOW_DAYS); older rows are deleted hourly */
    REGISTRY_USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** schema registry: clients whose usage does not hold back a breaking change (`name` or `name@version`, comma list) */
    REGISTRY_EXCLUDED_CLIENTS: optionalString(),
    /** publish governance's own SDL (subgraph `governance`) to its registry at start */
    SCHEMA_PUBLISH: z.enum(['on', 'off']).default('on'),
    /** where gateways reach governance's GraphQL API (default: http://<HOST>:<GOVERNANCE_PORT>/graphql) */
    ROUTING_URL: optionalUrl(),
    SCHEMA_PUBLISH_AUTHOR: optionalString(),
    /** SLA monitoring: days the gateways' per-minute samples are kept (an SLO's window is at most this long) */
    SLA_RETENTION_DAYS: z.coerce.number().int().min(1).max(400).default(35),
    /** SLA monitoring: a burn-rate pair whose long window counted fewer events does not alert */
    SLA_MIN_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(10),
    /** SLA monitoring: where incident notifications are POSTed (unset: recorded, not sent) */
    SLA_WEBHOOK_URL: optionalUrl(),
    /** SLA monitoring: HMAC-SHA256 key of x-concord-signature (unset: notifications go unsigned) */
    SLA_WEBHOOK_SECRET: optionalString(),
    SLA_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** the wait after the first failed attempt, doubled after each further one (at most an hour) */
    SLA_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
    SLA_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /** workflow workers on this replica (runs are started from the ledger either way, and wait for a replica with workers) */
    WORKFLOWS: z.enum(['on', 'off'], { message: 'WORKFLOWS must be "on" or "off"' }).default('on'),
    /** the gateway the workflow steps write through (as the integration identity) */
    WORKFLOW_GATEWAY_URL: optionalUrl(),
    /** PEM text or path of the private key that signs the engine's JWTs; the gateway must trust its public key (JWT_PUBLIC_KEY) */
    WORKFLOW_SIGNING_KEY: optionalString(),
    /** the JWT subject of the engine, recorded as the actor of every step */
    WORKFLOW_SUBJECT: z.string().min(1).default('workflow-engine'),
    WORKFLOW_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WORKFLOW_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** the wait after the first failed attempt, doubled after each further one up to WORKFLOW_MAX_BACKOFF_MS */
    WORKFLOW_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(1_000),
    WORKFLOW_MAX_BACKOFF_MS: z.coerce.number().int().min(10).max(86_400_000).default(300_000),
    WORKFLOW_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    /** a run whose worker has not reported for this long is taken over by another */
    WORKFLOW_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    WORKFLOW_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** the console at /console (governance/console, built by `npm run build`) */
    CONSOLE: z.enum(['on', 'off'], { message: 'CONSOLE must be "on" or "off"' }).default('on'),
    /** the gateway's GraphQL URL as browsers reach it (the console talks to it alone; the gateway's CORS_ORIGINS must allow the console's origin) */
    CONSOLE_GATEWAY_URL: optionalUrl(),
    /** where the console's built files are (default: governance/console/dist) */
    CONSOLE_DIST_DIR: optionalString(),
    /** dev only: the caller signing key (PEM text or path) with which the console's role picker mints tokens; unset in production */
    CONSOLE_DEV_SIGN_IN_KEY: optionalString(),
    CONSOLE_DEV_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(28_800),
    /** the console's identity provider (OpenID Connect issuer URL; discovery at /.well-known/openid-configuration) */
    CONSOLE_OIDC_ISSUER: optionalUrl(),
    /** the console's client id at that provider (a public client: authorization code with PKCE, no secret) */
    CONSOLE_OIDC_CLIENT_ID: optionalString(),
    CONSOLE_OIDC_SCOPE: z.string().min(1).default('openid profile'),
    /** the audience parameter some providers need to issue a JWT access token for the gateway (e.g. JWT_AUDIENCE) */
    CONSOLE_OIDC_AUDIENCE: optionalString(),
    /** days finished (SUCCEEDED, DISMISSED) workflow runs are kept; the ledger keeps their audit events */
    WORKFLOW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  })
  .superRefine((env, context) => {
    if (Boolean(env.CONSOLE_OIDC_ISSUER) !== Boolean(env.CONSOLE_OIDC_CLIENT_ID)) {
      context.addIssue({
        code: 'custom',
        path: [env.CONSOLE_OIDC_ISSUER ? 'CONSOLE_OIDC_CLIENT_ID' : 'CONSOLE_OIDC_ISSUER'],
        message: 'CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID are set together, or neither',
      });
    }
    if (env.REGISTRY_USAGE_RETENTION_DAYS < env.REGISTRY_USAGE_WINDOW_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['REGISTRY_USAGE_RETENTION_DAYS'],
        message: `must be at least REGISTRY_USAGE_WINDOW_DAYS (${env.REGISTRY_USAGE_WINDOW_DAYS}): checks read usage that far back`,
      });
    }
  });

export type GovernanceConfig = z.infer<typeof schema>;

/** The console's options from the environment (undefined with CONSOLE=off). */
export function consoleOptionsOf(config: GovernanceConfig, defaultDistDir: string): ConsoleOptions | undefined {
  if (config.CONSOLE === 'off') {
    return undefined;
  }
  return {
    distDir: config.CONSOLE_DIST_DIR ?? defaultDistDir,
    gatewayUrl: config.CONSOLE_GATEWAY_URL ?? null,
    devSignIn: config.CONSOLE_DEV_SIGN_IN_KEY
      ? {
          privateKey: config.CONSOLE_DEV_SIGN_IN_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          ttlSeconds: config.CONSOLE_DEV_TOKEN_TTL_SECONDS,
        }
      : null,
    oidc:
      config.CONSOLE_OIDC_ISSUER && config.CONSOLE_OIDC_CLIENT_ID
        ? {
            issuer: config.CONSOLE_OIDC_ISSUER,
            clientId: config.CONSOLE_OIDC_CLIENT_ID,
            scope: config.CONSOLE_OIDC_SCOPE,
            audience: config.CONSOLE_OIDC_AUDIENCE ?? null,
          }
        : null,
  };
}

/** The workflow module's options from the environment: workers need the gateway URL and a signing key. */
export function workflowOptionsOf(config: GovernanceConfig): Partial<WorkflowOptions> {
  return {
    workers: config.WORKFLOWS === 'on',
    identity:
      config.WORKFLOW_GATEWAY_URL && config.WORKFLOW_SIGNING_KEY
        ? {
            gatewayUrl: config.WORKFLOW_GATEWAY_URL,
            signingKey: config.WORKFLOW_SIGNING_KEY,
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            subject: config.WORKFLOW_SUBJECT,
            requestTimeoutMs: config.WORKFLOW_REQUEST_TIMEOUT_MS,
          }
        : undefined,
    concurrency: config.WORKFLOW_CONCURRENCY,
    maxAttempts: config.WORKFLOW_MAX_ATTEMPTS,
    firstBackoffMs: config.WORKFLOW_BACKOFF_MS,
    maxBackoffMs: config.WORKFLOW_MAX_BACKOFF_MS,
    pollMs: config.WORKFLOW_POLL_MS,
    leaseMs: config.WORKFLOW_LEASE_MS,
    retentionDays: config.WORKFLOW_RETENTION_DAYS,
  };
}

export function governanceConfig(env: NodeJS.ProcessEnv = process.env): GovernanceConfig {
  return loadConfig(schema, env);
}
