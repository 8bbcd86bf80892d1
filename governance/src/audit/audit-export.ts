import type { AuditEventOutput } from './dtos/audit-event.output';

export type AuditExportFormat = 'ndjson' | 'csv';

export const EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** The CSV columns, in order; structured values (roles, snapshots, changed fields) are JSON text. */
export const CSV_COLUMNS = [
  'position',
  'eventId',
  'occurredAt',
  'service',
  'actorSub',
  'actorRoles',
  'action',
  'entity',
  'entityId',
  'before',
  'after',
  'changedFields',
  'reason',
  'correlationId',
  'policyVersion',
  'hash',
  'prevHash',
] as const;

const CRLF = '\r\n';

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, a comma, a line break or leading/trailing space, quotes
 * doubled. null is an empty field and an empty string a quoted one, so the two stay apart.
 */
export function csvField(value: string | null): string {
  if (value === null) {
    return '';
  }
  return value === '' || /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

function csvValues(event: AuditEventOutput): (string | null)[] {
  return [
    event.position,
    event.eventId,
    event.occurredAt.toISOString(),
    event.service,
    event.actor?.sub ?? null,
    json(event.actor?.roles),
    event.action,
    event.entity,
    event.entityId,
    json(event.before),
    json(event.after),
    json(event.changedFields),
    event.reason,
    event.correlationId,
    event.policyVersion,
    event.hash,
    event.prevHash,
  ];
}

/** The header line of a CSV export. */
export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + CRLF;
}

/** A batch of events as text in the format: one JSON object per line, or CSV records (CRLF-terminated). */
export function formatBatch(format: AuditExportFormat, events: AuditEventOutput[]): string {
  switch (format) {
    case 'ndjson':
      return events.map((event) => `${JSON.stringify(event)}\n`).join('');
    case 'csv':
      return events.map((event) => csvValues(event).map(csvField).join(',') + CRLF).join('');
  }
}
