// `npm run db:reset`: drops the Concord database and creates it empty; the next `npm start` migrates every
// schema and seeds the demo data again. Embedded PostgreSQL by default, or the database in DATABASE_URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortsFree, databaseAdmin, fail, loadDotEnv, readSettings, redact, rel, startEmbeddedDatabase } from './lib/runtime.mjs';

loadDotEnv();
const settings = readSettings();
const { createDatabase, databaseName, dropDatabase, withDatabase } = databaseAdmin();

let embedded = null;
let url = settings.databaseUrl;
if (!url) {
  if (!existsSync(join(settings.postgresDir, 'PG_VERSION'))) {
    console.log(`No embedded database in ${rel(settings.postgresDir)} yet: nothing to reset (npm start creates it).`);
    process.exit(0);
  }
  // A running `npm start` holds this port: resetting under live services would only make them fail.
  await assertPortsFree('127.0.0.1', [['EMBEDDED_PG_PORT', settings.embeddedPort]]);
  console.log(`• starting embedded PostgreSQL (${rel(settings.postgresDir)}) on 127.0.0.1:${settings.embeddedPort}`);
  try {
    embedded = await startEmbeddedDatabase({ dataDir: settings.postgresDir, port: settings.embeddedPort, logDir: settings.logDir });
  } catch (error) {
    fail(error.message);
  }
  url = withDatabase(embedded.url, 'concord');
}

const name = databaseName(url);
let code = 0;
try {
  if (name === 'postgres' || name.startsWith('template')) {
    throw new Error(`refusing to drop the "${name}" database: point DATABASE_URL at Concord's own database (e.g. …/concord)`);
  }
  console.log(
    `• dropping database "${name}" on ${redact(withDatabase(url, 'postgres')).replace(/\/postgres$/, '')} — every schema (crm, erp, psa, governance) and all its data`,
  );
  await dropDatabase(url, name);
  await createDatabase(url, name);
  console.log(`  ✓ "${name}" recreated empty: the next \`npm start\` migrates it and seeds the demo data`);
} catch (error) {
  console.error(`✗ reset failed: ${error.message}`);
  code = 1;
} finally {
  await embedded?.stop();
}
process.exit(code);
