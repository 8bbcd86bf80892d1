import type { Logger, SlaSample } from '@concord/common';
import { BatchShipper } from '../shipping/batch-shipper';
import { SlaRecorder, type SlaRecorderOptions } from './sla-recorder';

/** Governance takes at most this many samples per request. */
export const SLA_SAMPLES_PER_REQUEST = 5_000;

export interface SlaShipperOptions {
  /** governance's `POST /sla/samples` */
  url: string;
  /** the GOVERNANCE_TOKEN bearer */
  headers?: Record<string, string>;
  /** how often samples are sent (SLA_REPORT_MS, default 5 s) */
  intervalMs?: number;
  logger: Logger;
}

/**
 * Ships a recorder's samples to governance every few seconds, in the background: each round sends the current minute's
 * running counts and the final counts of every finished minute not yet delivered (cumulative, so a resend or a retry
 * after a failure never counts twice). A finished minute is forgotten once governance accepted it; while governance is
 * unreachable the recorder keeps at most its `maxFinishedMinutes`, dropping the oldest (counted and logged here).
 */
export class SlaShipper {
  private readonly shipper: BatchShipper<SlaSample>;
  private droppedLogged = 0;

  constructor(
    private readonly recorder: SlaRecorder,
    private readonly options: SlaShipperOptions,
  ) {
    this.shipper = new BatchShipper<SlaSample>(
      {
        url: options.url,
        field: 'samples',
        headers: options.headers,
        flushIntervalMs: options.intervalMs ?? 5_000,
        maxBuffered: SLA_SAMPLES_PER_REQUEST,
        batchSize: SLA_SAMPLES_PER_REQUEST,
        snapshots: true,
        onDelivered: (batch) => recorder.acknowledge(batch),
        what: 'SLA samples',
        logger: options.logger,
      },
      () => this.drain(),
    );
  }

  /** Sends the samples now (also what the timer does); safe to call concurrently. */
  flush(): Promise<void> {
    return this.shipper.flush();
  }

  /** Stops the timer after a last delivery attempt. */
  close(): Promise<void> {
    return this.shipper.close();
  }

  private drain(): SlaSample[] {
    const dropped = this.recorder.droppedMinutes;
    if (dropped > this.droppedLogged) {
      this.options.logger.error(
        { droppedMinutes: dropped - this.droppedLogged, total: dropped },
        'SLA minutes dropped undelivered: governance unreachable for too long',
      );
      this.droppedLogged = dropped;
    }
    return this.recorder.snapshot();
  }
}

/** SLA reporting as configured (SLA_REPORTING, SLA_REPORT_MS): governance's URL and token, or off. */
export interface SlaReportingSettings {
  enabled: boolean;
  governanceUrl?: string;
  governanceToken?: string;
  reportMs?: number;
  /** recorder options (a fake clock, a fixed source) for tests */
  recorder?: SlaRecorderOptions;
}

export interface SlaReporting {
  /** give it to startGateway (`slaRecorder`); undefined when reporting is off: nothing is recorded */
  recorder: SlaRecorder | undefined;
  /** sends what is pending now */
  flush(): Promise<void>;
  /** a last delivery attempt, then the timer stops */
  stop(): Promise<void>;
  summary: Record<string, unknown>;
}

/** The gateway's SLA reporting to governance (ARCHITECTURE.md §8): a recorder on the request path and its shipper. */
export function createSlaReporting(settings: SlaReportingSettings, logger: Logger): SlaReporting {
  if (!settings.enabled || !settings.governanceUrl) {
    return { recorder: undefined, flush: async () => undefined, stop: async () => undefined, summary: { slaReporting: 'off' } };
  }
  const url = `${settings.governanceUrl.replace(/\/$/, '')}/sla/samples`;
  const recorder = new SlaRecorder(settings.recorder);
  const shipper = new SlaShipper(recorder, {
    url,
    headers: settings.governanceToken ? { authorization: `Bearer ${settings.governanceToken}` } : undefined,
    intervalMs: settings.reportMs,
    logger,
  });
  return {
    recorder,
    flush: () => shipper.flush(),
    stop: () => shipper.close(),
    summary: { slaReporting: url, source: recorder.source, everyMs: settings.reportMs ?? 5_000 },
  };
}
