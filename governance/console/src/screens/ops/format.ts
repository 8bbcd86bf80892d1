/** Formatting shared by the operators' screens (figures are counts and ratios, never money). */

export function windowLabel(minutes: number): string {
  if (minutes % 1_440 === 0) {
    return `${minutes / 1_440} d`;
  }
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

export function burnLabel(rate: number): string {
  return `${Number(rate.toFixed(rate >= 100 ? 0 : 2))}×`;
}

export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)} %`;
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value >= 1_000 ? `${(value / 1_000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function durationLabel(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) {
    return 'not burning';
  }
  if (minutes === 0) {
    return 'spent';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  if (minutes < 1_440) {
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  return `${Math.floor(minutes / 1_440)} d ${Math.floor((minutes % 1_440) / 60)} h`;
}

export function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

export type HealthTone = 'green' | 'amber' | 'red' | 'grey';

/** A tile's colour: by budget left; grey without data; red when an alert fires or the budget is spent. */
export function toneOf(status: { health: string; budgetRemaining: number | null }): HealthTone {
  if (status.health === 'NO_DATA' || status.budgetRemaining === null) {
    return 'grey';
  }
  if (status.health === 'FIRING' || status.budgetRemaining <= 0) {
    return 'red';
  }
  return status.budgetRemaining < 0.5 ? 'amber' : 'green';
}
