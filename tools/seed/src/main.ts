import { HELP, parseArgs, UsageError } from './args';
import { formatViolations, InvariantError, SeedError, seedDatabase, verifyDatabase } from './seed';

/** `npm run seed -- --scale N [--seed S]`: progress on stderr, the summary on stdout, exit 1 on any failure. */
async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`seed: ${error.message}\n\n${HELP}`);
      return 2;
    }
    throw error;
  }
  if (options.mode === 'help') {
    console.log(HELP);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      'seed: DATABASE_URL is not set: point it at the Concord database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord npm run seed',
    );
    return 2;
  }
  const log = options.quiet ? () => undefined : (line: string) => console.error(`seed: ${line}`);

  if (options.mode === 'verify') {
    const violations = await verifyDatabase(databaseUrl, (check, count) =>
      log(`${count === 0 ? '✓' : '✗'} ${check}${count ? `: ${count} row(s)` : ''}`),
    );
    if (violations.length) {
      console.error(`seed: ${violations.length} invariant(s) violated:\n${formatViolations(violations)}`);
      return 1;
    }
    console.log('seed: every cross-system invariant holds');
    return 0;
  }

  const result = await seedDatabase({
    databaseUrl,
    scale: options.scale,
    seed: options.seed,
    ifEmpty: options.ifEmpty,
    reset: options.reset,
    chunkSize: options.chunkSize,
    log,
  });
  if (result.skipped) {
    return 0;
  }
  const width = Math.max(...result.tables.map((table) => table.table.length));
  const lines = result.tables.map(
    (table) => `  ${table.table.padEnd(width)}  ${String(table.rows).padStart(9)} rows  ${(table.ms / 1000).toFixed(2).padStart(7)} s`,
  );
  console.log(
    `seed: scale ${options.scale}, seed ${options.seed}: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)} s ` +
      `(${result.plan.clients} clients, ${result.plan.projects} projects); every cross-system invariant holds\n${lines.join('\n')}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof InvariantError || error instanceof SeedError) {
      console.error(`seed: ${error.message}`);
    } else {
      console.error(`seed: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    process.exit(1);
  },
);
