/** "2026-12-03 06:55": an instant as the ledger shows it (UTC). */
export function instant(value: string | null | undefined): string {
  return value ? `${value.replace('T', ' ').slice(0, 16)} UTC` : '—';
}
