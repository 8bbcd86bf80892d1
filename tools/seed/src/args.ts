export const MIN_SCALE = 0.02;
export const MAX_SCALE = 1000;
export const DEFAULT_SEED = 42;

export type SeedMode = 'seed' | 'verify' | 'help';

export interface CliOptions {
  mode: SeedMode;
  scale: number;
  seed: number;
  /** Skip (exit 0) when the database already holds data. */
  ifEmpty: boolean;
  /** Delete the CRM, ERP and PSA rows first (keeps schemas and migrations). */
  reset: boolean;
  quiet: boolean;
  /** Rows per INSERT statement. */
  chunkSize: number;
}

export const HELP = `Usage: npm run seed -- [--scale N] [--seed S] [--if-empty | --reset] [--quiet]
       npm run seed -- --verify

Generates a deterministic demo/benchmark dataset across the CRM, ERP and PSA schemas of DATABASE_URL
(required) and checks the cross-system invariants at the end. The schemas must exist: run \`npm start\`
(or start the subgraphs once) to migrate first.

Options:
  --scale N     size of the dataset, linear in N (default 1 ≈ 50 clients, 150 projects, 20k time entries;
                minimum ${MIN_SCALE}, fractions allowed)
  --seed S      integer seed of the generator (default ${DEFAULT_SEED}); the same scale and seed give the same
                rows, ids included
  --if-empty    do nothing (exit 0) when the database already has data
  --reset       delete every CRM, ERP and PSA row first (schemas and migrations are kept)
  --verify      only check the cross-system invariants of the data in the database; exit 1 on a violation
  --chunk N     rows per INSERT statement (default 5000)
  --quiet       no progress output
  -h, --help    this help

Without --if-empty or --reset, seeding a database that already has data fails (nothing is written).
The whole load is one transaction: on any failure, including a failed invariant, nothing is committed.
Progress goes to stderr, the summary to stdout.`;

export class UsageError extends Error {}

function numberArg(name: string, value: string | undefined): number {
  if (value === undefined || value.startsWith('--')) {
    throw new UsageError(`${name} needs a value`);
  }
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new UsageError(`${name} must be a number, got "${value}"`);
  }
  return parsed;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { mode: 'seed', scale: 1, seed: DEFAULT_SEED, ifEmpty: false, reset: false, quiet: false, chunkSize: 5000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--scale':
        options.scale = numberArg('--scale', value());
        break;
      case '--seed':
        options.seed = numberArg('--seed', value());
        break;
      case '--chunk':
        options.chunkSize = numberArg('--chunk', value());
        break;
      case '--if-empty':
        options.ifEmpty = true;
        break;
      case '--reset':
        options.reset = true;
        break;
      case '--verify':
        options.mode = 'verify';
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '-h':
      case '--help':
        options.mode = 'help';
        break;
      default:
        throw new UsageError(`unknown argument "${argv[i]}"`);
    }
  }
  if (options.scale < MIN_SCALE || options.scale > MAX_SCALE) {
    throw new UsageError(`--scale must be between ${MIN_SCALE} and ${MAX_SCALE}, got ${options.scale}`);
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new UsageError(`--seed must be an integer, got ${options.seed}`);
  }
  if (!Number.isSafeInteger(options.chunkSize) || options.chunkSize < 100 || options.chunkSize > 50_000) {
    throw new UsageError(`--chunk must be an integer between 100 and 50000, got ${options.chunkSize}`);
  }
  if (options.ifEmpty && options.reset) {
    throw new UsageError('--if-empty and --reset exclude each other');
  }
  return options;
}
