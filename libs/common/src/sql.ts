/** Escapes LIKE wildcards so user text matches literally (used with `ESCAPE '\'`, Postgres' default). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** `%value%` with wildcards escaped, for a case-insensitive substring filter (`ILIKE :pattern`). */
export function containsPattern(value: string): string {
  return `%${escapeLike(value)}%`;
}
