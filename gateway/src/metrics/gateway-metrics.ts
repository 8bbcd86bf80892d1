import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode } from '@concord/common';
import { GatewayErrorCode } from '../http/request-error';

export type OperationOutcome = 'ok' | 'partial' | 'error' | 'rejected';
export type SubgraphOutcome = 'ok' | 'error' | 'timeout';

/** Label values that stand for many operations, so a client cannot grow the metric series without bound. */
export const ANONYMOUS_OPERATION = '__anonymous';
export const OTHER_OPERATION = '__other';
export const INVALID_OPERATION = '__invalid';
const OTHER_CODE = 'OTHER';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...Object.values(GatewayErrorCode)]);

interface Observer {
  observe(value: number): void;
}
interface Incrementer {
  inc(value?: number): void;
}

export interface GatewayMetricsOptions {
  /** distinct operation names that get their own label before the rest collapse into `__other` */
  maxOperationNames?: number;
  /** also export Node process metrics (event loop lag, heap, …) */
  processMetrics?: boolean;
}

/**
 * Prometheus metrics of one gateway (its own registry, so several gateways can live in one process):
 * operation latency by name/type/outcome, subgraph fetch latency by subgraph/outcome, errors by code.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationDuration: Histogram<'operation' | 'type' | 'outcome'>;
  private readonly subgraphDuration: Histogram<'subgraph' | 'outcome'>;
  private readonly errors: Counter<'code'>;
  private readonly operationNames = new Set<string>();
  private readonly maxOperationNames: number;
  // prom-client hashes label objects on every call; children cached by a flat key avoid that on the hot path.
  private readonly operationChildren = new Map<string, Observer>();
  private readonly subgraphChildren = new Map<string, Observer>();
  private readonly errorChildren = new Map<string, Incrementer>();

  constructor(options: GatewayMetricsOptions = {}) {
    this.maxOperationNames = options.maxOperationNames ?? 200;
    this.operationDuration = new Histogram({
      name: 'concord_gateway_operation_duration_seconds',
      help: 'GraphQL operations through the gateway, by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.subgraphDuration = new Histogram({
      name: 'concord_gateway_subgraph_fetch_duration_seconds',
      help: 'Fetches from the gateway to each subgraph, by outcome (ok, error, timeout)',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'concord_gateway_errors_total',
      help: 'GraphQL errors returned by the gateway, by extensions.code',
      labelNames: ['code'],
      registers: [this.registry],
    });
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'concord_gateway_' });
    }
  }

  /** The label for an operation name: its own while under the cap, else collapsed. */
  operationLabel(name: string | null | undefined): string {
    if (!name) {
      return ANONYMOUS_OPERATION;
    }
    if (this.operationNames.has(name)) {
      return name;
    }
    if (this.operationNames.size >= this.maxOperationNames) {
      return OTHER_OPERATION;
    }
    this.operationNames.add(name);
    return name;
  }

  observeOperation(operationLabel: string, type: string, outcome: OperationOutcome, seconds: number): void {
    const key = `${operationLabel}\u0000${type}\u0000${outcome}`;
    let child = this.operationChildren.get(key);
    if (!child) {
      child = this.operationDuration.labels(operationLabel, type, outcome);
      this.operationChildren.set(key, child);
    }
    child.observe(seconds);
  }

  observeSubgraphFetch(subgraph: string, outcome: SubgraphOutcome, seconds: number): void {
    const key = `${subgraph}\u0000${outcome}`;
    let child = this.subgraphChildren.get(key);
    if (!child) {
      child = this.subgraphDuration.labels(subgraph, outcome);
      this.subgraphChildren.set(key, child);
    }
    child.observe(seconds);
  }

  countError(code: unknown): void {
    const label = typeof code === 'string' && KNOWN_CODES.has(code) ? code : OTHER_CODE;
    let child = this.errorChildren.get(label);
    if (!child) {
      child = this.errors.labels(label);
      this.errorChildren.set(label, child);
    }
    child.inc();
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
