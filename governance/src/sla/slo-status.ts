import { budgetRemaining, decidingPair, describePair, formatBurn, windowLabel, type PairAssessment, type SliCount } from './burn-rate';

const MINUTE_MS = 60_000;

/** Where an SLO stands now, for operators' SLO grid and detail. */
export enum SloHealth {
  /** a burn-rate pair fires */
  FIRING = 'FIRING',
  /** the budget is more than half spent, nothing fires */
  AT_RISK = 'AT_RISK',
  OK = 'OK',
  /** some pairs lack the events to alert, nothing fires */
  LOW_TRAFFIC = 'LOW_TRAFFIC',
  /** no event at all in the SLO's window */
  NO_DATA = 'NO_DATA',
}

export interface SloStatusFigures {
  health: SloHealth;
  /** events and bad events over the SLO's whole window */
  window: SliCount;
  /** share of the error budget left over the window; null without events */
  budgetRemaining: number | null;
  /** the 1 h burn rate: how fast the budget goes now */
  currentBurnRate: number;
  /** when the budget runs out at the current burn; null: not burning, or no data */
  exhaustsAt: Date | null;
  /** minutes until then (0 when already spent) */
  minutesToExhaustion: number | null;
  lowTraffic: boolean;
  /** one line on what the figures mean */
  explanation: string;
}

/** The burn of the shortest long window (1 h): the budget's current speed. */
function currentBurnOf(pairs: readonly PairAssessment[]): number {
  const shortest = [...pairs].sort((a, b) => a.longMinutes - b.longMinutes)[0];
  return shortest?.long.burnRate ?? 0;
}

/**
 * An SLO's status from its pairs (assessPairs) and its counts over the whole window: budget left, time to exhaustion
 * at the current (1 h) burn, and a one-line explanation. A budget of the window burns at rate b in window ÷ b, so what
 * is left (r of it) lasts r × window ÷ b.
 */
export function sloStatusOf(
  pairs: readonly PairAssessment[],
  window: SliCount,
  objective: number,
  windowDays: number,
  now: Date,
): SloStatusFigures {
  const windowMinutes = windowDays * 1_440;
  const lowTraffic = pairs.some((pair) => pair.lowTraffic);
  const currentBurnRate = currentBurnOf(pairs);
  if (window.events === 0) {
    return {
      health: SloHealth.NO_DATA,
      window,
      budgetRemaining: null,
      currentBurnRate,
      exhaustsAt: null,
      minutesToExhaustion: null,
      lowTraffic,
      explanation: `no events in the last ${windowLabel(windowMinutes)}: nothing to measure`,
    };
  }
  const remaining = budgetRemaining(window, objective);
  let minutesToExhaustion: number | null = null;
  if (remaining <= 0) {
    minutesToExhaustion = 0;
  } else if (currentBurnRate > 0) {
    minutesToExhaustion = Math.round((remaining * windowMinutes) / currentBurnRate);
  }
  const exhaustsAt = minutesToExhaustion === null ? null : new Date(now.getTime() + minutesToExhaustion * MINUTE_MS);
  const deciding = decidingPair(pairs);
  const left =
    remaining > 0
      ? `${Math.round(remaining * 100)} % of the ${windowLabel(windowMinutes)} budget left`
      : `the ${windowLabel(windowMinutes)} budget is spent`;
  let health: SloHealth;
  let explanation: string;
  if (deciding) {
    health = SloHealth.FIRING;
    explanation = `${deciding.severity === 'PAGE' ? 'Paging' : 'Ticket'}: ${describePair(deciding)}; ${left}`;
  } else if (remaining < 0.5) {
    health = SloHealth.AT_RISK;
    explanation = `No alert, but ${left}`;
  } else if (lowTraffic) {
    health = SloHealth.LOW_TRAFFIC;
    explanation = `Too little traffic to alert on ${pairs
      .filter((pair) => pair.lowTraffic)
      .map((pair) => `${windowLabel(pair.longMinutes)}/${windowLabel(pair.shortMinutes)}`)
      .join(', ')}; ${left}`;
  } else {
    health = SloHealth.OK;
    explanation = `Within budget: burning ${formatBurn(currentBurnRate)} over 1 h; ${left}`;
  }
  if (minutesToExhaustion !== null && minutesToExhaustion > 0) {
    explanation += `, spent in ${durationLabel(minutesToExhaustion)} at this burn`;
  }
  return { health, window, budgetRemaining: remaining, currentBurnRate, exhaustsAt, minutesToExhaustion, lowTraffic, explanation };
}

/** `45 min`, `3 h 20 min`, `12 d 4 h` */
export function durationLabel(minutes: number): string {
  if (minutes < 60) {
    return `${minutes} min`;
  }
  if (minutes < 1_440) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
  }
  const hours = Math.floor((minutes % 1_440) / 60);
  return `${Math.floor(minutes / 1_440)} d${hours ? ` ${hours} h` : ''}`;
}
