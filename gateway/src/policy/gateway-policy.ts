import type { Logger } from '@concord/common';
import { PolicyEngine, PolicyStore, unclassifiedCoordinates } from '@concord/policy';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import type { HealthCheck, OperationStep } from '../pipeline/pipeline.types';
import { AccessEventShipper, createAccessRecorderStep } from './access-recorder';
import { createFieldPolicyStep, type FieldPolicyMode } from './field-policy.step';
import { SafelistStore } from './safelist-store';
import { createSafelistStep, type SafelistMode } from './safelist.step';
import { createUsageReporterStep, UsageShipper } from './usage-reporter';

/**
 * Where the gateway's policy comes from (ARCHITECTURE.md §2, §10): governance (polled, last good bundle cached on
 * disk), a bundle file (`POLICY_PATH`, the gateway alone), or nowhere — only with an explicit `GOVERNANCE=off`.
 */
export interface GatewayPolicySettings {
  /** false only with GOVERNANCE=off: no field policy at all */
  enabled: boolean;
  governanceUrl?: string;
  policyPath?: string;
  cacheFile?: string;
  pollMs?: number;
  mode: FieldPolicyMode;
  /** where access events (reads of classified fields) go; default governance's /audit/events when following governance */
  accessIngestUrl?: string;
  /** GOVERNANCE_TOKEN: the services' shared secret for governance's policy bundle and ledger ingest */
  governanceToken?: string;
  /** report client usage (operations, coordinates per client name and version) to governance's registry */
  usageReporting?: boolean;
  /** USAGE_REPORT_MS: how often the usage gathered since the last report is sent (default 10000) */
  usageReportMs?: number;
  /** refuse operations without an apollographql-client-name header */
  requireClientName?: boolean;
  /** SAFELIST: run only operations the client version registered (`on`), only log and count them (`report`), or any (`off`) */
  safelist?: SafelistMode;
  /** SAFELIST_POLL_MS: how often governance's safelist is asked for (default 5000) */
  safelistPollMs?: number;
}

export interface GatewayPolicy {
  operationSteps: OperationStep[];
  healthChecks: HealthCheck[];
  /** loads the first bundle (or the cached one); never throws: without a bundle data requests get 503 */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** logs the coordinates of the served schema the bundle does not classify (treated as the strictest class) */
  reportUnclassified(supergraphSdl: string): void;
  /** the operation safelist followed from governance (SAFELIST=on|report) */
  safelist?: SafelistStore;
  /** client usage reporting to governance's registry, when on; `flush()` sends what was gathered now */
  usage?: Pick<UsageShipper, 'flush'>;
  summary: Record<string, unknown>;
}

export function createGatewayPolicy(settings: GatewayPolicySettings, logger: Logger): GatewayPolicy {
  const safelistMode = settings.safelist ?? 'off';
  if (!settings.enabled) {
    if (safelistMode !== 'off') {
      throw new Error(`SAFELIST=${safelistMode} needs governance's registry: it cannot run with GOVERNANCE=off`);
    }
    return disabledPolicy(logger);
  }
  let engine: PolicyEngine | undefined;
  const store = new PolicyStore({
    governanceUrl: settings.policyPath ? undefined : settings.governanceUrl,
    policyPath: settings.policyPath,
    cacheFile: settings.policyPath ? undefined : settings.cacheFile,
    pollMs: settings.pollMs,
    fetchHeaders: governanceHeaders(settings),
    logger,
  });
  store.onChange((bundle, previous) => {
    engine = new PolicyEngine(bundle);
    logger.info({ version: bundle.version, previous: previous?.version }, 'policy bundle in force');
  });
  const health: HealthCheck = {
    name: 'policy',
    check: () => {
      const status = store.status();
      return { ready: status.ready, degraded: status.degraded, details: { enforcement: 'on', mode: settings.mode, ...status } };
    },
  };
  const ingestUrl =
    settings.accessIngestUrl ??
    (settings.policyPath || !settings.governanceUrl ? undefined : `${settings.governanceUrl.replace(/\/$/, '')}/audit/events`);
  const shipper = ingestUrl ? new AccessEventShipper({ ingestUrl, headers: governanceHeaders(settings), logger }) : undefined;
  const usageUrl =
    settings.usageReporting !== false && settings.governanceUrl && !settings.policyPath
      ? `${settings.governanceUrl.replace(/\/$/, '')}/registry/usage`
      : undefined;
  const usage = usageUrl
    ? new UsageShipper({ url: usageUrl, headers: governanceHeaders(settings), flushIntervalMs: settings.usageReportMs, logger })
    : undefined;
  const safelist = safelistMode === 'off' ? undefined : createSafelist(safelistMode, settings, logger);
  return {
    operationSteps: [
      // first: it identifies the document the client sent, before any step rewrites it
      ...(safelist ? [safelist.step] : []),
      createFieldPolicyStep({ policy: () => engine, mode: settings.mode, logger }),
      ...(shipper ? [createAccessRecorderStep(shipper)] : []),
      ...(usage || settings.requireClientName
        ? [createUsageReporterStep(usage ?? { record: () => undefined }, { requireClientName: settings.requireClientName })]
        : []),
    ],
    healthChecks: [health, ...(safelist ? [safelist.health] : [])],
    safelist: safelist?.store,
    usage,
    start: async () => {
      await Promise.all([store.start(), safelist?.store.start()]);
    },
    stop: async () => {
      await Promise.all([store.stop(), shipper?.close(), usage?.close(), safelist?.store.stop()]);
    },
    reportUnclassified(supergraphSdl) {
      const bundle = store.current();
      const missing = bundle ? unclassifiedCoordinates(bundle, apiSchemaOf(supergraphSdl)) : [];
      if (missing.length) {
        logger.warn(
          { count: missing.length, coordinates: missing.slice(0, 50) },
          'schema coordinates without a classification in the policy bundle: treated as the strictest class until a steward classifies them',
        );
      }
    },
    summary: {
      source: settings.policyPath ? `file ${settings.policyPath}` : `governance ${settings.governanceUrl}`,
      mode: settings.mode,
      accessEvents: ingestUrl ?? 'not recorded (no ledger to send them to)',
      clientUsage: usageUrl ?? 'not reported',
      safelist: safelist ? `${safelistMode} (${safelist.url})` : 'off',
    },
  };
}

/** The safelist's store (following governance's `GET /registry/safelist`), its step and its health check. */
function createSafelist(mode: Exclude<SafelistMode, 'off'>, settings: GatewayPolicySettings, logger: Logger) {
  if (!settings.governanceUrl || settings.policyPath) {
    throw new Error(`SAFELIST=${mode} needs governance's registry: set GOVERNANCE_URL, without POLICY_PATH or GOVERNANCE=off`);
  }
  const url = `${settings.governanceUrl.replace(/\/$/, '')}/registry/safelist`;
  const store = new SafelistStore({ url, pollMs: settings.safelistPollMs, headers: governanceHeaders(settings), logger });
  const step = createSafelistStep({ mode, store, logger });
  const health: HealthCheck = {
    name: 'safelist',
    check: () => {
      const status = store.status();
      return {
        // on: nothing runs before the first list; report: nothing is refused, so the gateway is ready without one
        ready: mode === 'report' || status.loaded,
        degraded: status.degraded || !status.loaded,
        details: { mode, ...status, ...step.counts() },
      };
    },
  };
  return { url, store, step, health };
}

function governanceHeaders(settings: GatewayPolicySettings): Record<string, string> | undefined {
  return settings.governanceToken ? { authorization: `Bearer ${settings.governanceToken}` } : undefined;
}

/** The client-facing schema of a supergraph (federation machinery and @inaccessible elements removed). */
function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

function disabledPolicy(logger: Logger): GatewayPolicy {
  const warning = 'POLICY ENFORCEMENT IS OFF (GOVERNANCE=off): every caller reads every field; never run this way with real data';
  return {
    operationSteps: [],
    healthChecks: [{ name: 'policy', check: () => ({ ready: true, degraded: true, details: { enforcement: 'off', warning } }) }],
    start: async () => {
      for (let line = 0; line < 3; line++) {
        logger.warn(warning);
      }
    },
    stop: async () => undefined,
    reportUnclassified: () => undefined,
    summary: { enforcement: 'off' },
  };
}
