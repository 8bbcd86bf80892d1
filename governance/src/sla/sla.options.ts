export const SLA_OPTIONS = Symbol('SLA_OPTIONS');

export interface SlaOptions {
  /** SLA_RETENTION_DAYS: samples older than this are deleted (longer than any SLO window) */
  retentionDays: number;
  /** SLA_MIN_EVENTS: a burn-rate pair whose long window counted fewer events does not alert */
  minEvents: number;
  /** SLA_WEBHOOK_URL: where incident notifications are POSTed; unset, they are recorded as SKIPPED */
  webhookUrl?: string;
  /** SLA_WEBHOOK_SECRET: the HMAC-SHA256 key of x-concord-signature; unset, notifications go unsigned */
  webhookSecret?: string;
  /** SLA_WEBHOOK_MAX_ATTEMPTS: attempts before a notification is marked FAILED */
  webhookMaxAttempts: number;
  /** SLA_WEBHOOK_BACKOFF_MS: the wait after the first failed attempt, doubled after each further one */
  webhookBackoffMs: number;
  /** SLA_WEBHOOK_TIMEOUT_MS: one attempt's time limit */
  webhookTimeoutMs: number;
  /** the current instant (a test clock in tests) */
  now: () => Date;
}

export const defaultSlaOptions: SlaOptions = {
  retentionDays: 35,
  minEvents: 10,
  webhookMaxAttempts: 8,
  webhookBackoffMs: 5_000,
  webhookTimeoutMs: 5_000,
  now: () => new Date(),
};
