import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OTHER_CODE, codeLabel } from './fault-codes';

export type OperationOutcome = 'ok' | 'partial' | 'error' | 'rejected';
export type SubgraphOutcome = 'ok' | 'error' | 'timeout';

/** Label values that stand for many operations, so a client cannot grow the metric series without bound. */
export const ANONYMOUS_OPERATION = '__anonymous';
export const OTHER_OPERATION = '__other';
export const INVALID_OPERATION = '__invalid';
/** The client label of requests without an `apollographql-client-name` header (as usage reports name them). */
export const UNKNOWN_CLIENT = 'unknown';
export const OTHER_CLIENT = '__other';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Observer {
  observe(value: number): void;
}
interface Incrementer {
  inc(value?: number): void;
}

export interface GatewayMetricsOptions {
  /** distinct operation names that get their own label before the rest collapse into `__other` */
  maxOperationNames?: number;
  /** distinct client names that get their own label before the rest collapse into `__other` */
  maxClientNames?: number;
  /** also export Node process metrics (event loop lag, heap, …) */
  processMetrics?: boolean;
}

/** Names a client sends become labels: the first `max` keep theirs, later ones share one. */
class BoundedLabels {
  private readonly names = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly overflow: string,
  ) {}

  of(name: string): string {
    if (this.names.has(name)) {
      return name;
    }
    if (this.names.size >= this.max) {
      return this.overflow;
    }
    this.names.add(name);
    return name;
  }
}

/** prom-client hashes label objects on every call; children cached by their label values avoid that on the hot path. */
class ChildCache<C> {
  private readonly children = new Map<string, Map<string, C>>();

  constructor(private readonly create: (first: string, second: string) => C) {}

  get(first: string, second: string): C {
    let inner = this.children.get(first);
    if (!inner) {
      inner = new Map();
      this.children.set(first, inner);
    }
    let child = inner.get(second);
    if (!child) {
      child = this.create(first, second);
      inner.set(second, child);
    }
    return child;
  }
}

/**
 * Prometheus metrics of one gateway (its own registry, so several gateways can live in one process): operation latency
 * by name/type/outcome and operations by client, subgraph fetch latency by subgraph/outcome and failed fetches by
 * subgraph and code, GraphQL errors answered by the gateway and by each subgraph, by code.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationDuration: Histogram<'operation' | 'type' | 'outcome'>;
  private readonly errors: Counter<'code'>;
  private readonly operationNames: BoundedLabels;
  private readonly clientNames: BoundedLabels;
  private readonly operationChildren = new Map<string, Observer>();
  private readonly errorChildren = new Map<string, Incrementer>();
  private readonly clientChildren: ChildCache<Incrementer>;
  private readonly subgraphChildren: ChildCache<Observer>;
  private readonly subgraphFetchErrorChildren: ChildCache<Incrementer>;
  private readonly subgraphGraphQLErrorChildren: ChildCache<Incrementer>;
  private readonly sharedFetchChildren: ChildCache<Incrementer>;

  constructor(options: GatewayMetricsOptions = {}) {
    this.operationNames = new BoundedLabels(options.maxOperationNames ?? 200, OTHER_OPERATION);
    this.clientNames = new BoundedLabels(options.maxClientNames ?? 100, OTHER_CLIENT);
    const registers = [this.registry];
    this.operationDuration = new Histogram({
      name: 'concord_gateway_operation_duration_seconds',
      help: 'GraphQL operations through the gateway, by operation name, type and outcome (ok, partial, error, rejected)',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const clientOperations = new Counter({
      name: 'concord_gateway_client_operations_total',
      help: 'GraphQL operations through the gateway, by apollographql-client-name and outcome',
      labelNames: ['client', 'outcome'],
      registers,
    });
    this.clientChildren = new ChildCache((client, outcome) => clientOperations.labels(client, outcome));
    const subgraphDuration = new Histogram({
      name: 'concord_gateway_subgraph_fetch_duration_seconds',
      help: 'Fetches from the gateway to each subgraph, by outcome (ok, error, timeout); shared in-flight fetches count once',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.subgraphChildren = new ChildCache((subgraph, outcome) => subgraphDuration.labels(subgraph, outcome));
    const subgraphFetchErrors = new Counter({
      name: 'concord_gateway_subgraph_fetch_errors_total',
      help: 'Failed fetches to each subgraph, by code: TIMEOUT, NETWORK, HTTP_5XX, HTTP_4XX, BAD_RESPONSE, or the GraphQL code of a service fault in the answer',
      labelNames: ['subgraph', 'code'],
      registers,
    });
    this.subgraphFetchErrorChildren = new ChildCache((subgraph, code) => subgraphFetchErrors.labels(subgraph, code));
    const subgraphGraphQLErrors = new Counter({
      name: 'concord_gateway_subgraph_graphql_errors_total',
      help: "GraphQL errors in subgraphs' answers, by subgraph and extensions.code (row rules' FORBIDDEN_FIELD included)",
      labelNames: ['subgraph', 'code'],
      registers,
    });
    this.subgraphGraphQLErrorChildren = new ChildCache((subgraph, code) => subgraphGraphQLErrors.labels(subgraph, code));
    const sharedFetches = new Counter({
      name: 'concord_gateway_subgraph_fetches_shared_total',
      help: 'Subgraph fetches that shared an identical in-flight fetch instead of reaching the subgraph (SUBGRAPH_DEDUPE)',
      labelNames: ['subgraph'],
      registers,
    });
    this.sharedFetchChildren = new ChildCache((subgraph) => sharedFetches.labels(subgraph));
    this.errors = new Counter({
      name: 'concord_gateway_errors_total',
      help: 'GraphQL errors returned by the gateway, by extensions.code',
      labelNames: ['code'],
      registers,
    });
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'concord_gateway_' });
    }
  }

  /** The label for an operation name: its own while under the cap, else collapsed. */
  operationLabel(name: string | null | undefined): string {
    return name ? this.operationNames.of(name) : ANONYMOUS_OPERATION;
  }

  /** The label for a client name (`apollographql-client-name`): its own while under the cap, else collapsed. */
  clientLabel(name: string | undefined): string {
    return name ? this.clientNames.of(name) : UNKNOWN_CLIENT;
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

  countClientOperation(clientLabel: string, outcome: OperationOutcome): void {
    this.clientChildren.get(clientLabel, outcome).inc();
  }

  /** One fetch that reached the subgraph; `errorCode` names why it failed (see fault-codes.ts). */
  observeSubgraphFetch(subgraph: string, outcome: SubgraphOutcome, seconds: number, errorCode?: string): void {
    this.subgraphChildren.get(subgraph, outcome).observe(seconds);
    if (errorCode !== undefined) {
      this.subgraphFetchErrorChildren.get(subgraph, errorCode).inc();
    }
  }

  /** A fetch answered by sharing an identical one already in flight. */
  countSharedSubgraphFetch(subgraph: string): void {
    this.sharedFetchChildren.get(subgraph, '').inc();
  }

  countSubgraphGraphQLErrors(subgraph: string, errors: readonly { readonly extensions?: { readonly [key: string]: unknown } }[]): void {
    for (const error of errors) {
      this.subgraphGraphQLErrorChildren.get(subgraph, codeLabel(error.extensions?.code)).inc();
    }
  }

  countError(code: unknown): void {
    const label = typeof code === 'string' ? codeLabel(code) : OTHER_CODE;
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
