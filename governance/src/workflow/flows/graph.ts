/** A Relay connection as the gateway returns it. */
export interface Edges<T> {
  edges: { node: T }[];
}

/** The nodes of a connection. */
export const nodes = <T>(connection: Edges<T>): T[] => connection.edges.map((edge) => edge.node);

/** A non-blank trimmed string, or null. */
export const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** A status in a ledger snapshot: entities whose write point moves `status` record it under that name. */
export function statusOf(snapshot: Record<string, unknown> | null): unknown {
  return snapshot?.status ?? snapshot?.stage;
}

/** The ledger event recorded `entity` of `service` entering `status` (not one already in it). */
export function entered(
  event: { service: string; entity: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null },
  service: string,
  entity: string,
  status: string,
): boolean {
  return event.service === service && event.entity === entity && statusOf(event.after) === status && statusOf(event.before) !== status;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
