import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { BURN_RATE_WINDOWS, assessPairs, decidingPair, windowLabel, type IncidentSeverity, type PairAssessment } from './burn-rate';
import { IncidentService, type IncidentChange } from './incident.service';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { SlaSampleService } from './sla-sample.service';
import { SloService, type Slo } from './slo.service';

const MINUTE_MS = 60_000;

export enum SloState {
  /** a burn-rate pair fires: an incident is open */
  FIRING = 'FIRING',
  /** within budget on every pair that has enough traffic */
  OK = 'OK',
  /** no pair fires, and some have fewer than SLA_MIN_EVENTS events in their long window to tell */
  LOW_TRAFFIC = 'LOW_TRAFFIC',
}

/** One SLO's evaluation. */
export interface SloAssessment {
  slo: Slo;
  /** the end (exclusive) of every window: the start of the evaluation's minute */
  windowEnd: Date;
  state: SloState;
  severity: IncidentSeverity | null;
  pairs: PairAssessment[];
  /** what the state means, e.g. which pairs lack traffic */
  message: string;
  /** what the evaluation did to the SLO's incident */
  incident: IncidentChange | null;
}

/** The start of the minute `at` is in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

function pairLabel(pair: PairAssessment): string {
  return `${windowLabel(pair.longMinutes)}/${windowLabel(pair.shortMinutes)}`;
}

/** State and message of an evaluation from its pairs. */
function stateOf(pairs: readonly PairAssessment[], minEvents: number): { state: SloState; message: string } {
  const deciding = decidingPair(pairs);
  if (deciding) {
    return {
      state: SloState.FIRING,
      message: `firing: ${pairs
        .filter((pair) => pair.firing)
        .map(pairLabel)
        .join(', ')}`,
    };
  }
  const quiet = pairs.filter((pair) => pair.lowTraffic);
  if (quiet.length) {
    return {
      state: SloState.LOW_TRAFFIC,
      message: `not enough traffic to alert on the ${quiet.map(pairLabel).join(', ')} pairs (fewer than ${minEvents} events in the long window)`,
    };
  }
  return { state: SloState.OK, message: 'within budget on every pair' };
}

/**
 * Evaluates every enabled SLO (ARCHITECTURE.md §8): per SLO the error rate over each window (bad ÷ events of the
 * minutes in the window, every gateway summed), the burn rate of each SRE-workbook pair, and the incident that
 * follows (IncidentService). The windows end at the start of the current minute, so they hold whole minutes. The
 * clock is injectable (SlaOptions.now); SlaCron runs it every minute on the leader only.
 */
@Injectable()
export class SloEvaluator {
  constructor(
    private readonly slos: SloService,
    private readonly samples: SlaSampleService,
    private readonly incidents: IncidentService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async evaluate(now: Date = this.options.now()): Promise<SloAssessment[]> {
    const windowEnd = minuteOf(now);
    const slos = await this.slos.list({ enabled: true });
    const assessments: SloAssessment[] = [];
    for (const slo of slos) {
      // one SLO failing (a database hiccup) does not keep the others from being evaluated
      try {
        assessments.push(await this.evaluateOne(slo, windowEnd, now));
      } catch (error) {
        this.logger.error({ err: error, slo: slo.name }, 'SLO evaluation failed');
      }
    }
    const resolved = await this.incidents.resolveUnevaluated(
      slos.map((slo) => slo.id),
      now,
    );
    for (const change of resolved) {
      this.logger.info({ incident: change.incidentId }, change.message);
    }
    return assessments;
  }

  private async evaluateOne(slo: Slo, windowEnd: Date, now: Date): Promise<SloAssessment> {
    const counts = await this.samples.windowCounts(slo, windowEnd, BURN_RATE_WINDOWS);
    const pairs = assessPairs(counts, slo.objective, this.options.minEvents);
    const deciding = decidingPair(pairs);
    const { state, message } = stateOf(pairs, this.options.minEvents);
    const quietReason = state === SloState.LOW_TRAFFIC ? message : 'no burn-rate pair fires any more';
    const incident = (await this.incidents.reconcile(slo, deciding, now, quietReason)) ?? null;
    if (incident) {
      this.logger.warn(
        { slo: slo.name, incident: incident.incidentId, change: incident.change, severity: incident.severity },
        incident.message,
      );
    }
    return { slo, windowEnd, state, severity: deciding?.severity ?? null, pairs, message, incident };
  }
}
