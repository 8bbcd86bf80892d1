export type Tone = 'green' | 'amber' | 'red' | 'grey' | 'blue';

const TONES: Record<string, Tone> = {
  GREEN: 'green',
  AMBER: 'amber',
  RED: 'red',
  ACTIVE: 'blue',
  SUCCEEDED: 'green',
  PAID: 'green',
  POSTED: 'blue',
  CLOSED_WON: 'green',
  CLOSED_LOST: 'grey',
  EXCEPTION: 'red',
  RETRYING: 'amber',
  RUNNING: 'blue',
  PENDING: 'grey',
  DISMISSED: 'grey',
  OVERDUE: 'red',
  PARTIALLY_PAID: 'amber',
  UNPAID: 'amber',
  DRAFT: 'grey',
  CANCELLED: 'grey',
  ON_HOLD: 'amber',
  SETUP: 'grey',
  COMPLETED: 'green',
  APPLIED: 'green',
  REJECTED: 'grey',
  NEW: 'red',
  REOPENED: 'red',
  ACKNOWLEDGED: 'amber',
  ASSIGNED: 'blue',
  RESOLVED: 'green',
};

/** A status as a coloured label; the text is always there, colour only adds to it. */
export function Badge({ value, tone }: { value: string | null | undefined; tone?: Tone }) {
  if (!value) {
    return <span className="muted">—</span>;
  }
  return <span className={`badge badge-${tone ?? TONES[value] ?? 'grey'}`}>{value.replace(/_/g, ' ')}</span>;
}
