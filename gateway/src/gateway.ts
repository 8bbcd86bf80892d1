import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { createLogger, type Logger } from '@concord/common';
import type { GatewayConfig, SubgraphEndpoint } from './config';
import { HealthMonitor } from './health/health-monitor';
import { GraphQLHttpHandler } from './http/graphql-http-handler';
import { GatewayMetrics } from './metrics/gateway-metrics';
import type { SlaRecorder } from './metrics/sla-recorder';
import { OperationPipeline } from './pipeline/operation-pipeline';
import type { Authenticator, HealthCheck, OperationStep, SubgraphFetchHook } from './pipeline/pipeline.types';
import { SubgraphDataSource } from './subgraph/subgraph-data-source';
import { composeFromSubgraphs } from './supergraph/compose';
import { RegistrySupergraphSource, routeSubgraphs, type RegistrySourceOptions } from './supergraph/registry-source';
import { readSupergraphFile, supergraphOf, type LoadedSupergraph } from './supergraph/supergraph';

export interface StartGatewayOptions {
  /** 0 = an ephemeral port (tests); default 4000 */
  port?: number;
  host?: string;
  /**
   * Where the supergraph comes from, first match wins: `supergraphSdl` (already composed), `supergraphPath`
   * (a file, production mode: subgraph URLs from the file), `registry` (governance's schema registry, followed
   * live), else composed from `subgraphs` at start.
   */
  supergraphSdl?: string;
  supergraphPath?: string;
  /**
   * Follow governance's schema registry: wait for its supergraph (every `requiredSubgraphs` published), then load
   * each new version within `pollMs` without dropping in-flight requests. `subgraphs` then only supply the URLs of
   * subgraphs published without a routing URL.
   */
  registry?: Omit<RegistrySourceOptions, 'logger'>;
  subgraphs?: readonly SubgraphEndpoint[];
  /** how long to wait for every subgraph's SDL when composing (default 60 s) */
  composeTimeoutMs?: number;
  /** headers for the SDL fetches when composing (e.g. a context token) */
  composeHeaders?: Record<string, string>;
  /** per-fetch timeout to subgraphs (default 10 s), overridable per subgraph name */
  subgraphTimeoutMs?: number;
  subgraphTimeouts?: Record<string, number>;
  /** keep-alive sockets per subgraph (default 256) */
  subgraphMaxSockets?: number;
  /** share identical in-flight query fetches to a subgraph (default true) */
  dedupeSubgraphQueries?: boolean;
  /** run identical in-flight queries of the same caller once (default true) */
  coalesceQueries?: boolean;
  /** request body limit in bytes (default 1 MiB) → 413 */
  maxBodyBytes?: number;
  /** deepest field nesting accepted (default 20) */
  maxQueryDepth?: number;
  /** most GraphQL tokens accepted in a document (default 5000) */
  maxQueryTokens?: number;
  /** how long a /health subgraph probe result is reused (default 2 s) */
  healthCacheMs?: number;
  corsOrigins?: readonly string[];
  /** Extension points (see pipeline.types.ts) */
  authenticate?: Authenticator;
  operationSteps?: readonly OperationStep[];
  subgraphFetchHooks?: readonly SubgraphFetchHook[];
  healthChecks?: readonly HealthCheck[];
  /** records SLA samples of every operation and subgraph fetch (createSlaReporting ships them); none when absent */
  slaRecorder?: SlaRecorder;
  logger?: Logger;
  /**
   * Resolve as soon as the server listens (default: once the supergraph is loaded). Until then /health answers
   * 503 and /graphql 503; `ready` settles when loading ends.
   */
  waitForSupergraph?: boolean;
}

export interface RunningGateway {
  /** the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** scheme, host and port, for /health and /metrics */
  origin: string;
  server: Server;
  metrics: GatewayMetrics;
  /** settles when the first supergraph is loaded (rejects with the composition error) */
  ready: Promise<LoadedSupergraph>;
  /** the loaded supergraph, once ready */
  supergraph(): LoadedSupergraph | undefined;
  /**
   * Swaps in a new composed supergraph without a restart (what following the schema registry does): operations
   * already running finish on the supergraph they were planned with; rejects, changing nothing, on an invalid SDL.
   */
  updateSupergraph(sdl: string, meta?: { version?: number }): Promise<LoadedSupergraph>;
  close(): Promise<void>;
}

/** Maps the validated environment onto startGateway options. */
export function gatewayOptionsFromConfig(config: GatewayConfig): StartGatewayOptions {
  const token = config.policy.governanceToken;
  return {
    port: config.port,
    host: config.host,
    supergraphPath: config.supergraphPath,
    registry:
      config.supergraphSource === 'registry'
        ? {
            governanceUrl: config.policy.governanceUrl,
            headers: token ? { authorization: `Bearer ${token}` } : {},
            pollMs: config.supergraphPollMs,
            requiredSubgraphs: config.subgraphs.map((subgraph) => subgraph.name),
          }
        : undefined,
    subgraphs: config.subgraphs,
    composeTimeoutMs: config.composeTimeoutMs,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    subgraphTimeouts: config.subgraphTimeouts,
    subgraphMaxSockets: config.subgraphMaxSockets,
    dedupeSubgraphQueries: config.dedupeSubgraphQueries,
    coalesceQueries: config.coalesceQueries,
    maxBodyBytes: config.maxBodyBytes,
    maxQueryDepth: config.maxQueryDepth,
    maxQueryTokens: config.maxQueryTokens,
    healthCacheMs: config.healthCacheMs,
    corsOrigins: config.corsOrigins,
  };
}

async function loadSupergraph(
  options: StartGatewayOptions,
  logger: Logger,
  registry: RegistrySupergraphSource | undefined,
): Promise<LoadedSupergraph> {
  if (options.supergraphSdl !== undefined) {
    return supergraphOf(options.supergraphSdl, 'file');
  }
  if (options.supergraphPath) {
    return readSupergraphFile(options.supergraphPath);
  }
  if (registry) {
    const first = await registry.first(options.composeTimeoutMs ?? 60_000);
    return supergraphOf(first.supergraphSdl, 'registry', first.version);
  }
  const subgraphs = options.subgraphs ?? [];
  if (!subgraphs.length) {
    throw new Error('No supergraph: give SUPERGRAPH_PATH or at least one subgraph URL to compose');
  }
  const composed = await composeFromSubgraphs({
    subgraphs,
    timeoutMs: options.composeTimeoutMs,
    headers: options.composeHeaders,
    onRetry: (endpoint, attempt, reason) => {
      if (attempt === 1 || attempt % 5 === 0) {
        logger.info({ subgraph: endpoint.name, url: endpoint.url, attempt, reason }, 'waiting for subgraph');
      }
    },
  });
  return supergraphOf(composed.supergraphSdl, 'composed');
}

/**
 * Starts the Concord gateway: a node:http server doing GraphQL over HTTP in front of @apollo/gateway's planner and
 * executor, with the pipeline extension points, /health and /metrics. Used by main.ts and by tests (port 0).
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const metrics = new GatewayMetrics();
  const registry =
    options.supergraphSdl === undefined && !options.supergraphPath && options.registry
      ? new RegistrySupergraphSource({ ...options.registry, logger })
      : undefined;
  const health = new HealthMonitor({
    cacheMs: options.healthCacheMs ?? 2_000,
    probeTimeoutMs: Math.min(2_000, options.subgraphTimeoutMs ?? 10_000),
    checks: [
      ...(options.healthChecks ?? []),
      ...(registry
        ? [{ name: 'supergraph', check: () => ({ ready: true, details: { version: current?.version ?? null, ...registry.status() } }) }]
        : []),
    ],
  });
  const pipeline = new OperationPipeline({
    maxDepth: options.maxQueryDepth ?? 20,
    maxTokens: options.maxQueryTokens ?? 5_000,
    steps: options.operationSteps ?? [],
    logger,
    coalesceQueries: options.coalesceQueries ?? true,
  });
  const handler = new GraphQLHttpHandler({
    pipeline,
    metrics,
    sla: options.slaRecorder,
    health,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    authenticate: options.authenticate,
    corsOrigins: options.corsOrigins ?? [],
  });

  const server = createServer({ keepAlive: true }, handler.listener);
  // Clients and load balancers keep connections open for a while; do not close them under their feet.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  const dataSources = new Map<string, SubgraphDataSource>();
  let gateway: ApolloGateway | undefined;
  let update: SupergraphSdlUpdateFunction | undefined;
  let current: LoadedSupergraph | undefined;
  let closed = false;

  const activeDataSources = (supergraph: LoadedSupergraph) =>
    supergraph.subgraphs
      .map((subgraph) => dataSources.get(subgraph.name))
      .filter((source): source is SubgraphDataSource => source !== undefined);
  // operations planned before a supergraph update still finish through the sources it replaced
  const retireGraceMs = (options.subgraphTimeoutMs ?? 10_000) + 1_000;
  const routed = (supergraph: LoadedSupergraph): LoadedSupergraph => ({
    ...supergraph,
    subgraphs: routeSubgraphs(supergraph.subgraphs, options.subgraphs ?? []),
  });

  const ready = (async () => {
    const supergraph = routed(await loadSupergraph(options, logger, registry));
    if (closed) {
      throw new Error('gateway closed while loading');
    }
    const apolloLogger = {
      debug: (message: unknown) => logger.debug(String(message)),
      info: (message: unknown) => logger.debug(String(message)),
      warn: (message: unknown) => logger.warn(String(message)),
      error: (message: unknown) => logger.error(String(message)),
    };
    gateway = new ApolloGateway({
      logger: apolloLogger,
      supergraphSdl: async (hooks) => {
        update = hooks.update;
        return { supergraphSdl: supergraph.sdl };
      },
      buildService: (definition) => {
        const { name } = definition;
        const url = routeSubgraphs([{ name, url: definition.url ?? '' }], options.subgraphs ?? [])[0].url;
        const existing = dataSources.get(name);
        if (existing && existing.url === url) {
          return existing;
        }
        void existing?.retire(retireGraceMs);
        const dataSource = new SubgraphDataSource({
          name,
          url,
          timeoutMs: options.subgraphTimeouts?.[name] ?? options.subgraphTimeoutMs ?? 10_000,
          maxSockets: options.subgraphMaxSockets ?? 256,
          hooks: options.subgraphFetchHooks ?? [],
          metrics,
          sla: options.slaRecorder,
          logger,
          dedupe: options.dedupeSubgraphQueries ?? true,
        });
        dataSources.set(name, dataSource);
        return dataSource;
      },
    });
    const { executor } = await gateway.load();
    if (!executor || !gateway.schema) {
      throw new Error('The gateway loaded no executable schema');
    }
    pipeline.useSchema(gateway.schema, executor);
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => pipeline.useSchema(apiSchema, executor));
    current = supergraph;
    health.supergraphLoaded(supergraph, activeDataSources(supergraph));
    logger.info(
      {
        source: supergraph.source,
        version: supergraph.version,
        hash: supergraph.hash,
        subgraphs: supergraph.subgraphs.map((subgraph) => `${subgraph.name}=${subgraph.url}`),
      },
      'supergraph loaded',
    );
    registry?.start(async (next) => {
      await running.updateSupergraph(next.supergraphSdl, { version: next.version });
    });
    return supergraph;
  })();

  const close = async () => {
    if (closed) {
      return;
    }
    closed = true;
    await registry?.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Requests still running get a short grace period, then their connections are cut.
      setTimeout(() => server.closeAllConnections(), 5_000).unref();
    });
    await gateway?.stop().catch(() => undefined);
    for (const dataSource of dataSources.values()) {
      dataSource.close();
    }
  };

  const running: RunningGateway = {
    url: `${origin}/graphql`,
    origin,
    server,
    metrics,
    ready,
    supergraph: () => current,
    async updateSupergraph(sdl: string, meta: { version?: number } = {}) {
      await ready;
      const next = routed(supergraphOf(sdl, registry ? 'registry' : 'composed', meta.version));
      if (next.hash === current?.hash) {
        return current;
      }
      // throws (and changes nothing) when the SDL is not a valid supergraph
      await update!(sdl);
      const previous = current;
      current = next;
      health.supergraphLoaded(next, activeDataSources(next));
      for (const [name, dataSource] of dataSources) {
        if (!next.subgraphs.some((subgraph) => subgraph.name === name)) {
          dataSources.delete(name);
          void dataSource.retire(retireGraceMs);
        }
      }
      logger.info({ version: next.version, previousVersion: previous?.version, hash: next.hash }, 'supergraph updated');
      return next;
    },
    close,
  };

  if (options.waitForSupergraph === false) {
    ready.catch((error: unknown) => logger.error({ err: error }, 'supergraph failed to load'));
    return running;
  }
  try {
    await ready;
  } catch (error) {
    await close();
    throw error;
  }
  return running;
}
