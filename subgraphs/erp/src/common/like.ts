/** Escapes LIKE wildcards so a user's "50%" matches literally; use with ILIKE '%' || :value || '%'. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** `%value%` with wildcards escaped, for a case-insensitive substring filter. */
export function containsPattern(value: string): string {
  return `%${escapeLike(value)}%`;
}
