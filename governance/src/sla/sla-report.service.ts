import { Inject, Injectable } from '@nestjs/common';
import { addDays, isIsoDate, todayIso } from '@concord/common';
import { budgetRemaining, type SliCount } from './burn-rate';
import { IncidentService, type Incident } from './incident.service';
import { histogramQuantile } from './latency-histogram';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { invalidInput } from './sla.exception';
import { SlaSampleService } from './sla-sample.service';
import { SlaKind } from './slo.entity';
import { SloService, type Slo } from './slo.service';

/** The longest report: a quarter and a bit. */
const MAX_REPORT_DAYS = 92;
const MAX_TARGET_CHARS = 256;
const DAY_MS = 86_400_000;

export interface SloBudget {
  slo: Slo;
  /** events and bad events of the SLO's window ending with the day */
  events: number;
  bad: number;
  /** share of the error budget left over that window: 1 untouched, 0 spent, negative overspent */
  remaining: number;
}

export interface SlaDay {
  /** YYYY-MM-DD (UTC) */
  date: string;
  total: number;
  errors: number;
  /** (total − errors) ÷ total; null without traffic */
  availability: number | null;
  /** milliseconds, interpolated within the latency buckets; null without traffic */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** per SLO on this target, as of the day's end (or now, today) */
  budgets: SloBudget[];
  /** the incidents of those SLOs open at some time of the day */
  incidents: Incident[];
}

export interface SlaReport {
  kind: SlaKind;
  target: string;
  from: string;
  to: string;
  objectives: Slo[];
  days: SlaDay[];
}

export interface SlaReportQuery {
  kind: SlaKind;
  target: string;
  from: string;
  to: string;
}

function validQuery(query: SlaReportQuery): SlaReportQuery {
  const problems: string[] = [];
  const target = typeof query.target === 'string' ? query.target.trim() : '';
  if (!Object.values(SlaKind).includes(query.kind)) {
    problems.push(`kind is one of ${Object.values(SlaKind).join(', ')}`);
  }
  if (!target || target.length > MAX_TARGET_CHARS) {
    problems.push('target is a subgraph, operation or workflow name, or * for all of the kind');
  }
  if (!isIsoDate(query.from)) {
    problems.push('from is a date (YYYY-MM-DD)');
  }
  if (!isIsoDate(query.to)) {
    problems.push('to is a date (YYYY-MM-DD)');
  }
  if (isIsoDate(query.from) && isIsoDate(query.to)) {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
    if (days < 1) {
      problems.push('from is not after to');
    } else if (days > MAX_REPORT_DAYS) {
      problems.push(`a report covers at most ${MAX_REPORT_DAYS} days (asked ${days})`);
    }
  }
  if (problems.length) {
    throw invalidInput(problems, 'invalid SLA report query');
  }
  return { ...query, target };
}

/** Every date from `from` to `to`, both included. */
function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    dates.push(date);
  }
  return dates;
}

/** The sum of the counts of the `windowDays` days ending with `date`. */
function windowSum(counts: ReadonlyMap<string, SliCount>, date: string, windowDays: number): SliCount {
  const sum = { events: 0, bad: 0 };
  for (let offset = 0; offset < windowDays; offset += 1) {
    const count = counts.get(addDays(date, -offset));
    sum.events += count?.events ?? 0;
    sum.bad += count?.bad ?? 0;
  }
  return sum;
}

/**
 * SLA reports (issue 5: per subgraph and day the availability, p50/p95/p99, the error budget left and the
 * incidents): a target's samples of every gateway summed per UTC day, the percentiles from the day's latency
 * histogram, and for each SLO on exactly that kind and target the budget left over its window ending with the day.
 */
@Injectable()
export class SlaReportService {
  constructor(
    private readonly samples: SlaSampleService,
    private readonly slos: SloService,
    private readonly incidents: IncidentService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
  ) {}

  async report(query: SlaReportQuery): Promise<SlaReport> {
    const { kind, target, from, to } = validQuery(query);
    const today = todayIso(this.options.now());
    const objectives = await this.slos.forTarget(kind, target);
    const daily = await this.samples.daily(kind, target, from, to);
    const budgets = await Promise.all(
      objectives.map(async (slo) => ({
        slo,
        counts: await this.samples.dailyCounts(slo, addDays(from, -(slo.windowDays - 1)), to),
      })),
    );
    const incidents = await this.incidents.overlapping(
      objectives.map((slo) => slo.id),
      new Date(`${from}T00:00:00.000Z`),
      new Date(`${addDays(to, 1)}T00:00:00.000Z`),
    );
    const days = datesOf(from, to).map((date): SlaDay => {
      const samples = daily.get(date);
      const total = samples?.total ?? 0;
      const errors = samples?.errors ?? 0;
      const start = Date.parse(`${date}T00:00:00.000Z`);
      const end = start + DAY_MS;
      return {
        date,
        total,
        errors,
        availability: total > 0 ? (total - errors) / total : null,
        p50: samples ? histogramQuantile(samples.latency, 0.5) : null,
        p95: samples ? histogramQuantile(samples.latency, 0.95) : null,
        p99: samples ? histogramQuantile(samples.latency, 0.99) : null,
        // a day after today has spent nothing yet: its budget is not known
        budgets:
          date > today
            ? []
            : budgets.map(({ slo, counts }) => {
                const sum = windowSum(counts, date, slo.windowDays);
                return { slo, ...sum, remaining: budgetRemaining(sum, slo.objective) };
              }),
        incidents: incidents.filter(
          (incident) => incident.openedAt.getTime() < end && (incident.resolvedAt === null || incident.resolvedAt.getTime() >= start),
        ),
      };
    });
    return { kind, target, from, to, objectives, days };
  }
}
