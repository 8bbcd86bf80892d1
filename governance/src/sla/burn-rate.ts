/**
 * Multi-window, multi-burn-rate alerting (the SRE workbook, "Alerting on SLOs", ARCHITECTURE.md §8): an SLO with
 * objective 0.999 may fail 0.1 % of its events; burning that error budget 14.4 times as fast as allowed spends 2 % of
 * a 30-day budget in one hour. A pair fires when both its long window (significant) and its short window (still
 * happening) burn faster than its factor, so an alert starts fast and stops soon after the problem does.
 */

export enum IncidentSeverity {
  /** someone must act now */
  PAGE = 'PAGE',
  /** someone must act within days */
  TICKET = 'TICKET',
}

export interface BurnRatePair {
  severity: IncidentSeverity;
  factor: number;
  longMinutes: number;
  shortMinutes: number;
}

/** Most severe first: the first firing pair decides an incident's severity. */
export const BURN_RATE_PAIRS: readonly BurnRatePair[] = [
  { severity: IncidentSeverity.PAGE, factor: 14.4, longMinutes: 60, shortMinutes: 5 },
  { severity: IncidentSeverity.PAGE, factor: 6, longMinutes: 360, shortMinutes: 30 },
  { severity: IncidentSeverity.TICKET, factor: 1, longMinutes: 4_320, shortMinutes: 360 },
];

/** Every window a pair needs, in minutes, ascending (5 m, 30 m, 1 h, 6 h, 3 d). */
export const BURN_RATE_WINDOWS: readonly number[] = [
  ...new Set(BURN_RATE_PAIRS.flatMap((pair) => [pair.longMinutes, pair.shortMinutes])),
].sort((a, b) => a - b);

/** Events an SLI counted in a window, and the bad ones among them. */
export interface SliCount {
  events: number;
  bad: number;
}

export interface WindowBurn extends SliCount {
  minutes: number;
  errorRate: number;
  burnRate: number;
}

export interface PairAssessment extends BurnRatePair {
  long: WindowBurn;
  short: WindowBurn;
  /** both windows burn faster than the factor, with enough events in the long window */
  firing: boolean;
  /** fewer than the minimum events in the long window: never fires, whatever the rate */
  lowTraffic: boolean;
}

/** Share of bad events; 0 without events (nothing failed). */
export function errorRate(count: SliCount): number {
  return count.events > 0 ? count.bad / count.events : 0;
}

/**
 * The error budget as a fraction (1 − objective), rounded to 1e-9 so that 1 − 0.999 is 0.001 and not
 * 0.0010000000000000009 — an exact 14.4× burn must compare as 14.4.
 */
export function errorBudget(objective: number): number {
  return Math.round((1 - objective) * 1e9) / 1e9;
}

/** How many times faster than allowed the budget burns: errorRate / (1 − objective). */
export function burnRate(rate: number, objective: number): number {
  return rate / errorBudget(objective);
}

/**
 * Share of the error budget left after a window's events: 1 untouched, 0 spent, negative overspent. Without events
 * nothing was spent.
 */
export function budgetRemaining(count: SliCount, objective: number): number {
  return 1 - burnRate(errorRate(count), objective);
}

function windowBurn(minutes: number, count: SliCount | undefined, objective: number): WindowBurn {
  const events = count?.events ?? 0;
  const bad = count?.bad ?? 0;
  const rate = errorRate({ events, bad });
  return { minutes, events, bad, errorRate: rate, burnRate: burnRate(rate, objective) };
}

/** Each pair's burn rates and whether it fires, from the SLI's counts per window (minutes → count). */
export function assessPairs(counts: ReadonlyMap<number, SliCount>, objective: number, minEvents: number): PairAssessment[] {
  return BURN_RATE_PAIRS.map((pair) => {
    const long = windowBurn(pair.longMinutes, counts.get(pair.longMinutes), objective);
    const short = windowBurn(pair.shortMinutes, counts.get(pair.shortMinutes), objective);
    const lowTraffic = long.events < minEvents;
    return { ...pair, long, short, lowTraffic, firing: !lowTraffic && long.burnRate > pair.factor && short.burnRate > pair.factor };
  });
}

/** The most severe firing pair (it decides the incident's severity), or undefined when none fires. */
export function decidingPair(pairs: readonly PairAssessment[]): PairAssessment | undefined {
  return pairs.find((pair) => pair.firing);
}

/** `1 h` / `30 min` / `3 d` */
export function windowLabel(minutes: number): string {
  if (minutes % 1_440 === 0) {
    return `${minutes / 1_440} d`;
  }
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** `14.4×` with at most 2 decimals. */
export function formatBurn(rate: number): string {
  return `${Number(rate.toFixed(2))}×`;
}

/** One line on a pair: `burn 20× over 1 h and 31.5× over 5 min (page above 14.4×)`. */
export function describePair(pair: PairAssessment): string {
  return (
    `burn ${formatBurn(pair.long.burnRate)} over ${windowLabel(pair.longMinutes)} and ${formatBurn(pair.short.burnRate)} over ` +
    `${windowLabel(pair.shortMinutes)} (${pair.severity.toLowerCase()} above ${formatBurn(pair.factor)})`
  );
}
