import { loadConfig, z } from '@concord/common';

/** Thresholds of Client.health (DOMAIN.md §2, proposal): overdue receivables in days, margin in percent. */
export interface ClientHealthOptions {
  /** AMBER when the oldest overdue receivable is more than this many days past due */
  overdueAmberDays: number;
  /** RED when it is more than this many days past due */
  overdueRedDays: number;
  /** RED when the client's margin % is below this floor */
  marginFloorPct: string;
  /** AMBER when the client's margin % is below this target */
  marginTargetPct: string;
}

export const CLIENT_HEALTH_OPTIONS = Symbol('CLIENT_HEALTH_OPTIONS');

export const DEFAULT_CLIENT_HEALTH_OPTIONS: Readonly<ClientHealthOptions> = Object.freeze({
  overdueAmberDays: 30,
  overdueRedDays: 60,
  marginFloorPct: '10',
  marginTargetPct: '25',
});

const percent = (fallback: string) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,2})?$/, { message: 'must be a percentage with at most 2 decimals, e.g. 25 or 12.5' })
    .default(fallback);
const days = (fallback: number) => z.coerce.number().int().min(0).max(3650).default(fallback);

const environment = z
  .object({
    CLIENT_HEALTH_OVERDUE_AMBER_DAYS: days(DEFAULT_CLIENT_HEALTH_OPTIONS.overdueAmberDays),
    CLIENT_HEALTH_OVERDUE_RED_DAYS: days(DEFAULT_CLIENT_HEALTH_OPTIONS.overdueRedDays),
    CLIENT_HEALTH_MARGIN_FLOOR_PCT: percent(DEFAULT_CLIENT_HEALTH_OPTIONS.marginFloorPct),
    CLIENT_HEALTH_MARGIN_TARGET_PCT: percent(DEFAULT_CLIENT_HEALTH_OPTIONS.marginTargetPct),
  })
  .refine((config) => config.CLIENT_HEALTH_OVERDUE_AMBER_DAYS <= config.CLIENT_HEALTH_OVERDUE_RED_DAYS, {
    message: 'must be at most CLIENT_HEALTH_OVERDUE_RED_DAYS',
    path: ['CLIENT_HEALTH_OVERDUE_AMBER_DAYS'],
  })
  .refine((config) => Number(config.CLIENT_HEALTH_MARGIN_FLOOR_PCT) <= Number(config.CLIENT_HEALTH_MARGIN_TARGET_PCT), {
    message: 'must be at most CLIENT_HEALTH_MARGIN_TARGET_PCT',
    path: ['CLIENT_HEALTH_MARGIN_FLOOR_PCT'],
  });

/** Reads and validates the CLIENT_HEALTH_* variables (failing fast, naming the bad one). */
export function clientHealthConfig(env: NodeJS.ProcessEnv = process.env): ClientHealthOptions {
  const config = loadConfig(environment, env);
  return {
    overdueAmberDays: config.CLIENT_HEALTH_OVERDUE_AMBER_DAYS,
    overdueRedDays: config.CLIENT_HEALTH_OVERDUE_RED_DAYS,
    marginFloorPct: config.CLIENT_HEALTH_MARGIN_FLOOR_PCT,
    marginTargetPct: config.CLIENT_HEALTH_MARGIN_TARGET_PCT,
  };
}
