import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { NotificationStatus } from './sla-notification.entity';

export const WEBHOOK_EVENT_ID_HEADER = 'x-concord-event-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-concord-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-concord-signature';
/** the longest wait between two attempts, however many failed */
const MAX_BACKOFF_MS = 3_600_000;
/** rounds of one delivery run: each round sends at most the oldest pending notification of each incident */
const MAX_ROUNDS = 50;
const MAX_ERROR_CHARS = 500;

export interface DeliveryOutcome {
  delivered: number;
  /** failed attempts that will be retried */
  retried: number;
  /** notifications given up after the last attempt */
  failed: number;
}

interface PendingRow {
  id: string;
  incident_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  next_attempt_at: Date;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): what a receiver recomputes to trust a notification. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The wait after the n-th failed attempt (n ≥ 1): backoff, 2×, 4×, … at most an hour. */
export function backoffAfter(failedAttempts: number, backoffMs: number): number {
  return Math.min(backoffMs * 2 ** (failedAttempts - 1), MAX_BACKOFF_MS);
}

/**
 * Delivers the notification outbox (`governance.sla_notification`) to SLA_WEBHOOK_URL: a POST of the JSON payload
 * with `x-concord-event-id` (the notification's id, the same on every attempt: the receiver's idempotency key),
 * `x-concord-timestamp` (unix seconds of the attempt) and `x-concord-signature` (see webhookSignature; left out
 * without SLA_WEBHOOK_SECRET). A 2xx marks it DELIVERED and it is never sent again; anything else is retried with
 * exponential backoff until SLA_WEBHOOK_MAX_ATTEMPTS, then marked FAILED and logged. An incident's notifications go
 * out in order: the next waits until the one before is delivered or given up. Runs on the SLA leader only.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Sends every notification due at `now` (retries included), incident by incident in order. */
  async deliverDue(now: Date = this.options.now()): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = { delivered: 0, retried: 0, failed: 0 };
    const url = this.options.webhookUrl;
    if (!url) {
      return outcome;
    }
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const heads: PendingRow[] = await this.dataSource.query(
        `SELECT DISTINCT ON (incident_id) id, incident_id, payload, attempts, next_attempt_at
         FROM governance.sla_notification WHERE status = 'PENDING' ORDER BY incident_id, seq`,
      );
      const due = heads.filter((head) => head.next_attempt_at.getTime() <= now.getTime());
      if (due.length === 0) {
        break;
      }
      const results = await Promise.all(due.map((notification) => this.attempt(url, notification, now)));
      for (const result of results) {
        outcome[result] += 1;
      }
      // another round only when an incident's head moved on (its next notification may be due now)
      if (!results.some((result) => result !== 'retried')) {
        break;
      }
    }
    return outcome;
  }

  private async attempt(url: string, notification: PendingRow, now: Date): Promise<keyof DeliveryOutcome> {
    const body = JSON.stringify(notification.payload);
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [WEBHOOK_EVENT_ID_HEADER]: notification.id,
      [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    };
    if (this.options.webhookSecret) {
      headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(this.options.webhookSecret, timestamp, body);
    }
    const attempts = notification.attempts + 1;
    let error: string;
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.webhookTimeoutMs) });
      // the body is not needed; reading it frees the connection
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        await this.dataSource.query(
          `UPDATE governance.sla_notification SET status = $2, attempts = $3, delivered_at = $4, last_error = NULL
           WHERE id = $1 AND status = 'PENDING'`,
          [notification.id, NotificationStatus.DELIVERED, attempts, now],
        );
        return 'delivered';
      }
      error = `HTTP ${response.status}`;
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    }
    error = error.slice(0, MAX_ERROR_CHARS);
    if (attempts >= this.options.webhookMaxAttempts) {
      await this.dataSource.query(
        `UPDATE governance.sla_notification SET status = $2, attempts = $3, last_error = $4 WHERE id = $1 AND status = 'PENDING'`,
        [notification.id, NotificationStatus.FAILED, attempts, error],
      );
      this.logger.error(
        { notification: notification.id, incident: notification.incident_id, attempts, error },
        'SLA webhook notification given up: every attempt failed',
      );
      return 'failed';
    }
    const next = new Date(now.getTime() + backoffAfter(attempts, this.options.webhookBackoffMs));
    await this.dataSource.query(
      `UPDATE governance.sla_notification SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1 AND status = 'PENDING'`,
      [notification.id, attempts, error, next],
    );
    this.logger.warn({ notification: notification.id, attempts, error, nextAttemptAt: next.toISOString() }, 'SLA webhook attempt failed');
    return 'retried';
  }
}
