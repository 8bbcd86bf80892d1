/** Escapes LIKE wildcards so user text matches literally (used with `ESCAPE '\'`, Postgres' default). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}
