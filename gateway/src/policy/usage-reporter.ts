import { ErrorCode, type Logger, type UsageReport } from '@concord/common';
import { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER, clientHeader } from '../http/client-headers';
import { GatewayRequestError } from '../http/request-error';
import type { OperationStep } from '../pipeline/pipeline.types';
import { BatchShipper } from '../shipping/batch-shipper';
import { FIELD_POLICY_STEP, type FieldPolicyState } from './field-policy.step';

export const USAGE_REPORTER_STEP = 'usage-reporter';

export interface UsageSink {
  record(usage: {
    clientName: string;
    clientVersion: string;
    operationHash: string;
    operationName: string | null;
    coordinates: readonly string[];
  }): void;
}

export interface UsageReporterOptions {
  /** refuse operations without `apollographql-client-name` (400) */
  requireClientName?: boolean;
}

/**
 * Client usage for the schema registry (issue 5): which client name and version ran which operation over which field
 * coordinates (the field policy step's plan knows them, cached per document). Identified by the
 * `apollographql-client-name` / `-version` headers; `unknown` when absent, or a 400 when the deployment requires them.
 */
export function createUsageReporterStep(sink: UsageSink, options: UsageReporterOptions = {}): OperationStep {
  return {
    name: USAGE_REPORTER_STEP,
    run({ context }) {
      const clientName = clientHeader(context.headers[CLIENT_NAME_HEADER]);
      if (!clientName && options.requireClientName) {
        throw GatewayRequestError.refused(
          ErrorCode.BAD_USER_INPUT,
          `send the ${CLIENT_NAME_HEADER} header (and ${CLIENT_VERSION_HEADER}): this gateway requires clients to identify`,
          {},
          400,
        );
      }
      const policy = context.state[FIELD_POLICY_STEP] as FieldPolicyState | undefined;
      if (!policy?.coordinates.length) {
        return undefined;
      }
      const clientVersion = clientHeader(context.headers[CLIENT_VERSION_HEADER]) ?? 'unknown';
      return {
        // the operation hash is final only once every step ran
        observeResult: () =>
          sink.record({
            clientName: clientName ?? 'unknown',
            clientVersion,
            operationHash: context.operationHash ?? 'unknown',
            operationName: context.operationName,
            coordinates: policy.coordinates,
          }),
      };
    },
  };
}

/** Aggregates usage per client version and operation and ships it to governance's registry every few seconds. */
export class UsageShipper implements UsageSink {
  private pending = new Map<string, UsageReport>();
  private readonly shipper: BatchShipper<UsageReport>;

  constructor(options: { url: string; headers?: Record<string, string>; flushIntervalMs?: number; logger: Logger }) {
    this.shipper = new BatchShipper(
      {
        url: options.url,
        field: 'reports',
        headers: options.headers,
        flushIntervalMs: options.flushIntervalMs ?? 10_000,
        maxBuffered: 20_000,
        what: 'client usage reports',
        logger: options.logger,
      },
      () => {
        const reports = [...this.pending.values()];
        this.pending = new Map();
        return reports;
      },
    );
  }

  record(usage: Parameters<UsageSink['record']>[0]): void {
    const key = `${usage.clientName}\u0000${usage.clientVersion}\u0000${usage.operationHash}`;
    const now = new Date().toISOString();
    const entry = this.pending.get(key);
    if (entry) {
      entry.count++;
      entry.lastSeen = now;
      return;
    }
    this.pending.set(key, { ...usage, coordinates: [...usage.coordinates], count: 1, firstSeen: now, lastSeen: now });
  }

  flush(): Promise<void> {
    return this.shipper.flush();
  }

  close(): Promise<void> {
    return this.shipper.close();
  }
}
