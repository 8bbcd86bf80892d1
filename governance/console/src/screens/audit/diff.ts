export type DiffKind = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow {
  key: string;
  before: string | null;
  after: string | null;
  kind: DiffKind;
}

/** A value as the diff shows it: strings as they are, the rest as JSON (exact: no number formatting). */
export function shown(value: unknown): string | null {
  if (value === undefined) {
    return null;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Before/after of one ledger entry, key by key (nested objects flattened to `a.b`): added, removed, changed or the
 * same. Changed keys first, then the rest, each in name order.
 */
export function diffRecords(before: unknown, after: unknown): DiffRow[] {
  const left = flatten(isRecord(before) ? before : {});
  const right = flatten(isRecord(after) ? after : {});
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  const rows = keys.map((key): DiffRow => {
    const was = left.has(key) ? shown(left.get(key)) : null;
    const is = right.has(key) ? shown(right.get(key)) : null;
    const kind: DiffKind = !left.has(key) ? 'added' : !right.has(key) ? 'removed' : was === is ? 'same' : 'changed';
    return { key, before: was, after: is, kind };
  });
  const weight = (row: DiffRow) => (row.kind === 'same' ? 1 : 0);
  return rows.sort((a, b) => weight(a) - weight(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function flatten(record: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(value) && Object.keys(value).length > 0) {
      flatten(value, path, into);
    } else {
      into.set(path, value);
    }
  }
  return into;
}
