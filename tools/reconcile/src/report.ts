/** The outcome of one reconciliation check: how many rows (or totals) disagree, and the first few of them. */
export interface CheckResult {
  name: string;
  count: number;
  /** up to five offenders, each with what was expected and what is there */
  examples: string[];
}

export interface ReconcileReport {
  checks: CheckResult[];
  /** the checks that found a mismatch */
  failures: CheckResult[];
}

export function reportOf(checks: CheckResult[]): ReconcileReport {
  return { checks, failures: checks.filter((check) => check.count > 0) };
}

/** One line per check (✓ or ✗ with the count), the examples of failing ones under it, then a summary line. */
export function formatReport(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${check.count === 0 ? '✓' : '✗'} ${check.name}${check.count ? `: ${check.count} mismatch(es)` : ''}`);
    for (const example of check.count ? check.examples : []) {
      lines.push(`    ${example}`);
    }
  }
  lines.push(
    report.failures.length
      ? `reconcile: ${report.failures.length} of ${report.checks.length} checks found mismatches`
      : `reconcile: all ${report.checks.length} checks reconcile, to the cent`,
  );
  return lines.join('\n');
}
