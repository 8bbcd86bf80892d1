import { loadConfig, z } from '@concord/common';

/** Subgraphs the gateway composes when no SUPERGRAPH_PATH is given. */
export interface SubgraphEndpoint {
  name: string;
  url: string;
}

// PORT wins over GATEWAY_PORT, so neither may default on its own.
const optionalPort = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? undefined : Number(value)))
    .pipe(z.number().int().min(0).max(65535).optional());
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const httpUrl = (fallback: string) => z.string().url().default(fallback);
const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value));

/** "erp=2000,psa=5000" → { erp: 2000, psa: 5000 } */
const timeoutOverrides = z
  .string()
  .optional()
  .transform((value, context) => {
    const result: Record<string, number> = {};
    for (const part of (value ?? '').split(',')) {
      const entry = part.trim();
      if (!entry) {
        continue;
      }
      const match = /^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(\d+)$/.exec(entry);
      if (!match || Number(match[2]) < 1) {
        context.addIssue({ code: 'custom', message: `expected name=milliseconds pairs separated by commas, got "${entry}"` });
        return z.NEVER;
      }
      result[match[1]] = Number(match[2]);
    }
    return result;
  });

const schema = z
  .object({
    PORT: optionalPort(),
    GATEWAY_PORT: optionalPort(),
    HOST: z.string().min(1).default('127.0.0.1'),
    CRM_URL: httpUrl('http://127.0.0.1:4001/graphql'),
    ERP_URL: httpUrl('http://127.0.0.1:4002/graphql'),
    PSA_URL: httpUrl('http://127.0.0.1:4003/graphql'),
    SUPERGRAPH_PATH: optionalString(),
    // where the supergraph comes from without SUPERGRAPH_PATH: governance's schema registry (followed live) or
    // composed from CRM_URL/ERP_URL/PSA_URL at start; default: the registry when governance is on
    SUPERGRAPH_SOURCE: z.enum(['registry', 'compose']).optional(),
    SUPERGRAPH_POLL_MS: positiveInt(2_000),
    SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
    SUBGRAPH_TIMEOUTS: timeoutOverrides,
    SUBGRAPH_MAX_SOCKETS: positiveInt(256),
    SUBGRAPH_DEDUPE: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((value) => value === 'true' || value === '1'),
    QUERY_DEDUPE: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((value) => value === 'true' || value === '1'),
    MAX_BODY_BYTES: positiveInt(1024 * 1024),
    MAX_QUERY_DEPTH: positiveInt(20),
    MAX_QUERY_TOKENS: positiveInt(5_000),
    COMPOSE_TIMEOUT_MS: positiveInt(60_000),
    HEALTH_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
    CORS_ORIGINS: optionalString(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // identity (ARCHITECTURE.md §4): required at start unless AUTH_DEV_KEYS_DIR provides dev keys
    JWT_JWKS_URL: optionalString().pipe(z.string().url().optional()),
    JWT_PUBLIC_KEY: optionalString(),
    JWT_ISSUER: z.string().min(1).default('concord-dev'),
    JWT_AUDIENCE: z.string().min(1).default('concord'),
    JWT_ALGORITHMS: optionalString(),
    CONTEXT_SIGNING_KEY: optionalString(),
    AUTH_DEV_KEYS_DIR: optionalString(),
    // policy (ARCHITECTURE.md §2, §5, §10)
    GOVERNANCE: z.enum(['on', 'off']).default('on'),
    GOVERNANCE_URL: httpUrl('http://127.0.0.1:4010'),
    GOVERNANCE_GRAPHQL_URL: optionalString().pipe(z.string().url().optional()),
    POLICY_PATH: optionalString(),
    POLICY_CACHE_FILE: z.string().min(1).default('.data/policy/gateway-bundle.json'),
    POLICY_POLL_MS: positiveInt(2_000),
    FIELD_POLICY_MODE: z.enum(['filter', 'reject', 'dry-run']).default('filter'),
    GOVERNANCE_TOKEN: optionalString(),
    USAGE_REPORTING: z.enum(['on', 'off']).default('on'),
    USAGE_REPORT_MS: positiveInt(10_000),
    // SLA samples to governance (ARCHITECTURE.md §8): on by default when the gateway follows governance
    SLA_REPORTING: z.enum(['on', 'off']).optional(),
    SLA_REPORT_MS: positiveInt(5_000),
    REQUIRE_CLIENT_NAME: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    SAFELIST: z.enum(['off', 'on', 'report']).default('off'),
    SAFELIST_POLL_MS: positiveInt(5_000),
  })
  .superRefine((env, context) => {
    if (env.SAFELIST !== 'off' && (env.GOVERNANCE === 'off' || env.POLICY_PATH)) {
      context.addIssue({
        code: 'custom',
        path: ['SAFELIST'],
        message: `SAFELIST=${env.SAFELIST} follows governance's registry: it cannot run with ${env.GOVERNANCE === 'off' ? 'GOVERNANCE=off' : 'POLICY_PATH'}`,
      });
    }
  })
  .transform((env) => ({
    port: env.PORT ?? env.GATEWAY_PORT ?? 4000,
    host: env.HOST,
    subgraphs: [
      { name: 'crm', url: env.CRM_URL },
      { name: 'erp', url: env.ERP_URL },
      { name: 'psa', url: env.PSA_URL },
      // governance serves the auditors' and data stewards' API as a subgraph of its own
      ...(env.GOVERNANCE === 'on' && !env.POLICY_PATH
        ? [{ name: 'governance', url: env.GOVERNANCE_GRAPHQL_URL ?? `${env.GOVERNANCE_URL.replace(/\/$/, '')}/graphql` }]
        : []),
    ] as SubgraphEndpoint[],
    supergraphPath: env.SUPERGRAPH_PATH,
    supergraphSource: env.SUPERGRAPH_PATH
      ? ('file' as const)
      : (env.SUPERGRAPH_SOURCE ?? (env.GOVERNANCE === 'on' && !env.POLICY_PATH ? 'registry' : 'compose')),
    supergraphPollMs: env.SUPERGRAPH_POLL_MS,
    subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    subgraphTimeouts: env.SUBGRAPH_TIMEOUTS,
    subgraphMaxSockets: env.SUBGRAPH_MAX_SOCKETS,
    dedupeSubgraphQueries: env.SUBGRAPH_DEDUPE,
    coalesceQueries: env.QUERY_DEDUPE,
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxQueryDepth: env.MAX_QUERY_DEPTH,
    maxQueryTokens: env.MAX_QUERY_TOKENS,
    composeTimeoutMs: env.COMPOSE_TIMEOUT_MS,
    healthCacheMs: env.HEALTH_CACHE_MS,
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(',')
          .map((origin) => origin.trim())
          .filter(Boolean)
      : [],
    logLevel: env.LOG_LEVEL,
    identity: {
      jwksUrl: env.JWT_JWKS_URL,
      jwtPublicKey: env.JWT_PUBLIC_KEY,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      algorithms: env.JWT_ALGORITHMS?.split(',')
        .map((algorithm) => algorithm.trim())
        .filter(Boolean),
      contextSigningKey: env.CONTEXT_SIGNING_KEY,
      devKeysDir: env.AUTH_DEV_KEYS_DIR,
    },
    policy: {
      enabled: env.GOVERNANCE === 'on',
      governanceUrl: env.GOVERNANCE_URL,
      policyPath: env.POLICY_PATH,
      cacheFile: env.POLICY_CACHE_FILE,
      pollMs: env.POLICY_POLL_MS,
      mode: env.FIELD_POLICY_MODE,
      governanceToken: env.GOVERNANCE_TOKEN,
      usageReporting: env.USAGE_REPORTING === 'on',
      usageReportMs: env.USAGE_REPORT_MS,
      requireClientName: env.REQUIRE_CLIENT_NAME,
      safelist: env.SAFELIST,
      safelistPollMs: env.SAFELIST_POLL_MS,
    },
    sla: {
      enabled: env.SLA_REPORTING ? env.SLA_REPORTING === 'on' : env.GOVERNANCE === 'on' && !env.POLICY_PATH,
      governanceUrl: env.GOVERNANCE_URL,
      governanceToken: env.GOVERNANCE_TOKEN,
      reportMs: env.SLA_REPORT_MS,
    },
  }));

export type GatewayConfig = z.infer<typeof schema>;

/** The gateway's validated environment; fails fast naming each bad variable (STYLE.md §12). */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(schema, env);
}

/**
 * @apollo/gateway reads one variable itself: without APOLLO_TELEMETRY_DISABLED it starts an exporter that ships
 * anonymous host metrics to Apollo. Concord never phones home, so it is switched off unless set explicitly.
 * (Kept here because this file is the gateway's only place that touches process.env.)
 */
export function disableVendorTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
