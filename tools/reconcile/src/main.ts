import { join } from 'node:path';
import { Client } from 'pg';
import { GraphError } from './graph';
import { committedSchemas, reconcile } from './reconcile';
import { formatReport } from './report';

export const HELP = `Usage: DATABASE_URL=postgres://… npm run reconcile [-- --gateway http://localhost:4000/graphql]

Reconciles the money in the CRM, ERP and PSA schemas of DATABASE_URL to the cent, in exact decimals:
invoices against their lines and the time entries and expenses they bill (at the rates snapshotted on them),
amounts due against allocations, payments, contract consumption, base amounts against the FX rate of their
date, the revenue ledger; no real/double precision money column, no Float money field in the committed
schemas. With --gateway it also reads every project's revenueRecognized, costToDate and margin through the
gateway and checks them, and their sums per client and legal entity, against the ledger, and each legal
entity's revenueRecognized and margin and each client's margin in the graph against those sums. Prints one line per
check; exit 1 on any mismatch, 2 on bad usage.

Options:
  --gateway URL   the gateway's /graphql; the caller is CONCORD_TOKEN (a JWT of a role that may read margin,
                  e.g. \`npm run --silent token -- --role finance --sub reconcile\`)
  -h, --help      this help`;

/** The repository root from tools/reconcile/dist (or src). */
const ROOT = join(__dirname, '..', '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  let gateway: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    if (flag === '-h' || flag === '--help') {
      console.log(HELP);
      return 0;
    }
    if (flag === '--gateway') {
      gateway = inline ?? argv[++i];
      if (!gateway || gateway.startsWith('--')) {
        console.error(`reconcile: --gateway needs a URL\n\n${HELP}`);
        return 2;
      }
      continue;
    }
    console.error(`reconcile: unknown option ${argv[i]}\n\n${HELP}`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      'reconcile: DATABASE_URL is not set: point it at the Concord database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord',
    );
    return 2;
  }
  const token = process.env.CONCORD_TOKEN;
  if (gateway && !token) {
    console.error(
      'reconcile: --gateway needs CONCORD_TOKEN, a caller JWT of a role that may read margin (npm run --silent token -- --role finance --sub reconcile)',
    );
    return 2;
  }
  const client = new Client({ connectionString: databaseUrl, application_name: 'concord-reconcile' });
  await client.connect();
  try {
    const report = await reconcile(client, {
      schemas: committedSchemas(ROOT),
      graph: gateway ? { url: gateway, headers: { authorization: `Bearer ${token}` } } : undefined,
    });
    console.log(formatReport(report));
    return report.failures.length ? 1 : 0;
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `reconcile: ${error instanceof GraphError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
