// `npm start` (after the prestart build): the whole of Concord on one machine.
// PostgreSQL (embedded under .data/postgres, or DATABASE_URL) → crm, erp, psa, governance (each migrates its
// own schema) → demo seed on an empty database → gateway → URLs and a sample query. Ctrl-C stops it all.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertPortsFree,
  closeLog,
  databaseAdmin,
  fail,
  loadDotEnv,
  openLog,
  pgClient,
  readSettings,
  redact,
  rel,
  root,
  startEmbeddedDatabase,
  tail,
  waitForHealth,
} from './lib/runtime.mjs';
import { devCallerToken, serviceIdentity } from './lib/dev-identity.mjs';

const started = Date.now();
loadDotEnv();
const settings = readSettings();
const { connectHost, host, ports } = settings;
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (line) => console.log(`• ${line}`);
const done = (line) => console.log(`  ✓ ${line} (${seconds()})`);

const SUBGRAPHS = ['crm', 'erp', 'psa'];
const ENTRY_POINTS = {
  crm: 'subgraphs/crm/dist/main.js',
  erp: 'subgraphs/erp/dist/main.js',
  psa: 'subgraphs/psa/dist/main.js',
  governance: 'governance/dist/main.js',
  gateway: 'gateway/dist/main.js',
};
const graphqlUrl = (name) => `http://${connectHost}:${ports[name]}/graphql`;
const healthUrl = (name) => `http://${connectHost}:${ports[name]}/health`;

// ── what is running, and how it all stops ────────────────────────────────────────────────────────────────
const children = []; // in start order; stopped in reverse
let database = null; // the embedded PostgreSQL helper, stopped last
let stopping = null;

/** Stops every child (newest first), then the embedded database, then exits with code. Idempotent. */
function shutdown(code, reason) {
  stopping ??= (async () => {
    if (reason) {
      console.log(`\n• ${reason}: stopping…`);
    }
    for (const child of [...children].reverse()) {
      await stopChild(child);
    }
    if (database) {
      await database.stop();
      console.log('  ✓ embedded PostgreSQL stopped');
    }
    process.exit(code);
  })();
  return stopping;
}

async function stopChild(child) {
  if (child.exited) {
    return;
  }
  child.process.kill('SIGTERM');
  const forced = setTimeout(() => {
    console.log(`  ! ${child.name} did not stop within 10 s: killing it`);
    child.process.kill('SIGKILL');
  }, 10_000);
  await child.done;
  clearTimeout(forced);
  if (child.long) {
    console.log(`  ✓ ${child.name} stopped`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void shutdown(0, `${signal === 'SIGINT' ? 'Ctrl-C' : signal} received`));
}
// A bug or an unexpected failure here must not leave services running in their own process groups.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    console.error(`\n✗ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void shutdown(1);
  });
}

/** Never settles: used after a shutdown has begun, so the start sequence goes no further. */
const halt = () => new Promise(() => undefined);

/**
 * Spawns `node <entry>` with its output to .data/logs/<name>.log, in its own process group (a terminal
 * Ctrl-C reaches only this script, which stops services in order). A long-running service that exits on its
 * own stops everything.
 */
async function spawnService(name, env, { long = true, args = [], entry = ENTRY_POINTS[name] } = {}) {
  const log = await openLog(settings.logDir, name);
  const child = { name, long, log: log.file, exited: false, exitCode: null };
  child.process = spawn(process.execPath, [join(root, entry), ...args], {
    cwd: root,
    // graphql-js and others skip development-only checks in production mode (graphql's instanceOf check alone
    // costs a few per cent of every request); NODE_ENV set by the caller wins.
    env: { NODE_ENV: 'production', ...process.env, ...env },
    detached: true,
    stdio: ['ignore', log.fd, long ? log.fd : 'pipe'],
  });
  closeLog(log);
  children.push(child);
  child.done = new Promise((resolveDone) => {
    // 'close': after the exit and after its piped output was read to the end
    child.process.once('close', (code, signal) => {
      child.exited = true;
      child.exitCode = code ?? (signal ? 128 : 1);
      if (long && !stopping) {
        console.error(`\n✗ ${name} exited unexpectedly (${signal ?? `code ${code}`}); last lines of ${rel(log.file)}:\n${tail(log.file)}`);
        void shutdown(1);
      }
      resolveDone(child.exitCode);
    });
  });
  return child;
}

async function awaitHealthy(child, url) {
  const result = await waitForHealth(url, { timeoutMs: settings.startupTimeoutMs, isGone: () => child.exited || stopping !== null });
  if (result === 'healthy') {
    done(`${child.name} healthy at ${url}`);
    return;
  }
  if (result === 'timeout' && !stopping) {
    console.error(
      `\n✗ ${child.name} did not become healthy within ${settings.startupTimeoutMs / 1000} s (${url}); last lines of ${rel(child.log)}:\n${tail(child.log)}`,
    );
    console.error(`  (a slow machine? raise STARTUP_TIMEOUT_MS)`);
    void shutdown(1);
  }
  await halt(); // exited (its exit handler reports it) or a shutdown is under way
}

// ── 1. preflight: built entry points, free ports ─────────────────────────────────────────────────────────
const missing = Object.values(ENTRY_POINTS).filter((entry) => !existsSync(join(root, entry)));
if (missing.length) {
  fail(
    `not built: ${missing.join(', ')}\n  run \`npm start\` (it builds first) or \`npm run build\`; ` +
      `a missing dist/main.js after a build means that project has no src/main.ts yet`,
  );
}
await assertPortsFree(host, [
  ['GATEWAY_PORT', ports.gateway],
  ['CRM_PORT', ports.crm],
  ['ERP_PORT', ports.erp],
  ['PSA_PORT', ports.psa],
  ['GOVERNANCE_PORT', ports.governance],
  ...(settings.databaseUrl ? [] : [['EMBEDDED_PG_PORT', settings.embeddedPort]]),
]);
console.log(`Concord: starting (service logs in ${rel(settings.logDir)}/<service>.log)`);

// ── keys: caller JWTs and the gateway's context tokens (dev keys for whatever the environment leaves out) ──
let identity;
try {
  identity = serviceIdentity(settings.dataDir);
} catch (error) {
  fail(error.message);
}
if (Object.keys(identity.gateway).length) {
  step(`dev keys in ${rel(identity.dir)} (${Object.keys(identity.gateway).join(', ')} not set)`);
}

// ── 2. the database ──────────────────────────────────────────────────────────────────────────────────────
const { ensureDatabase, withDatabase } = databaseAdmin();
let databaseUrl = settings.databaseUrl;
let databaseLabel;
if (databaseUrl) {
  step(`using DATABASE_URL ${redact(databaseUrl)}`);
  databaseLabel = `${redact(databaseUrl)} (DATABASE_URL)`;
} else {
  const fresh = !existsSync(join(settings.postgresDir, 'PG_VERSION'));
  step(
    `starting embedded PostgreSQL on 127.0.0.1:${settings.embeddedPort}, data in ${rel(settings.postgresDir)}${fresh ? ' (first run: initialising the cluster)' : ''}`,
  );
  try {
    database = await startEmbeddedDatabase({ dataDir: settings.postgresDir, port: settings.embeddedPort, logDir: settings.logDir });
  } catch (error) {
    fail(error.message);
  }
  void database.exited.then(() => {
    if (!stopping) {
      console.error(`\n✗ embedded PostgreSQL stopped unexpectedly; last lines of ${rel(database.logFile)}:\n${tail(database.logFile)}`);
      void shutdown(1);
    }
  });
  databaseUrl = withDatabase(database.url, 'concord');
  databaseLabel = `${redact(databaseUrl)} (embedded, data in ${rel(settings.postgresDir)})`;
  done('embedded PostgreSQL ready');
}
try {
  await ensureDatabase(databaseUrl);
} catch (error) {
  console.error(`\n✗ cannot reach or create the database ${redact(databaseUrl)}: ${error.message}`);
  await shutdown(1);
}

// ── 3. subgraphs and governance (each migrates its own schema at start) ────────────────────────────────────
step('starting crm, erp, psa and governance');
const shared = { DATABASE_URL: databaseUrl, HOST: host };
const backends = await Promise.all([
  ...SUBGRAPHS.map((name) =>
    spawnService(name, {
      ...shared,
      [`${name.toUpperCase()}_PORT`]: String(ports[name]),
      // each subgraph's outbox relay ships audit events to governance's ledger
      AUDIT_INGEST_URL: `http://${connectHost}:${ports.governance}/audit/events`,
      // and take the policy bundle from it (polled; the last good one kept under .data/policy)
      GOVERNANCE_URL: `http://${connectHost}:${ports.governance}`,
      ...identity.subgraph,
    }),
  ),
  spawnService('governance', {
    ...shared,
    GOVERNANCE_PORT: String(ports.governance),
    CRM_URL: graphqlUrl('crm'),
    ERP_URL: graphqlUrl('erp'),
    PSA_URL: graphqlUrl('psa'),
    // the cross-system workflows write through the gateway as the integration identity
    WORKFLOW_GATEWAY_URL: process.env.WORKFLOW_GATEWAY_URL || `http://${connectHost}:${ports.gateway}/graphql`,
    // the console (served at /console) talks to the gateway from the browser
    CONSOLE_GATEWAY_URL: process.env.CONSOLE_GATEWAY_URL || `http://${connectHost}:${ports.gateway}/graphql`,
    ...identity.governance,
  }),
]);
await Promise.all(backends.map((child) => awaitHealthy(child, healthUrl(child.name))));

// ── 4. demo data on an empty database ──────────────────────────────────────────────────────────────────
async function isEmpty() {
  const client = pgClient(databaseUrl);
  await client.connect();
  try {
    const { rows } = await client.query('SELECT EXISTS (SELECT 1 FROM crm.client) AS seeded');
    return !rows[0].seeded;
  } finally {
    await client.end();
  }
}

let seeded = 'kept the existing data';
if (!(await isEmpty())) {
  step('database already has data: not seeding (npm run db:reset starts over)');
} else if (settings.seedScale === 0) {
  step('database is empty; SEED_SCALE=0: not seeding');
  seeded = 'empty database (SEED_SCALE=0)';
} else if (!existsSync(join(root, 'tools/seed.mjs'))) {
  console.error(`\n✗ the database is empty and tools/seed.mjs does not exist, so there is no demo data to load.`);
  console.error(`  set SEED_SCALE=0 to start with an empty database.`);
  await shutdown(1);
} else {
  step(`database is empty: seeding the demo dataset (SEED_SCALE=${settings.seedScale}, log in ${rel(join(settings.logDir, 'seed.log'))})`);
  const seed = await spawnService(
    'seed',
    { DATABASE_URL: databaseUrl },
    { long: false, entry: 'tools/seed.mjs', args: ['--scale', String(settings.seedScale), '--if-empty'] },
  );
  // progress comes on stderr: show it here, and keep it in the log with the rest
  const seedLog = createWriteStream(seed.log, { flags: 'a' });
  seed.process.stderr.setEncoding('utf8');
  seed.process.stderr.pipe(seedLog, { end: false });
  let pending = '';
  seed.process.stderr.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (line.trim()) {
        console.log(`  seed │ ${line.replace(/^seed: /, '')}`);
      }
    }
  });
  const code = await seed.done;
  await new Promise((resolveFlush) => seedLog.end(resolveFlush));
  if (pending.trim()) {
    console.log(`  seed │ ${pending.replace(/^seed: /, '')}`);
  }
  if (stopping) {
    await halt();
  }
  if (code !== 0) {
    console.error(`\n✗ seeding failed (exit code ${code}); last lines of ${rel(seed.log)}:\n${tail(seed.log)}`);
    await shutdown(1);
  }
  children.splice(children.indexOf(seed), 1);
  done('demo data loaded');
  seeded = `demo data, SEED_SCALE=${settings.seedScale}`;
}

// ── 5. the gateway ─────────────────────────────────────────────────────────────────────────────────────
step('starting the gateway');
const gateway = await spawnService('gateway', {
  HOST: host,
  PORT: String(ports.gateway),
  CRM_URL: graphqlUrl('crm'),
  ERP_URL: graphqlUrl('erp'),
  PSA_URL: graphqlUrl('psa'),
  GOVERNANCE_URL: `http://${connectHost}:${ports.governance}`,
  // the console's pages come from governance's origin (by IP or by name) and call the gateway from there
  CORS_ORIGINS:
    process.env.CORS_ORIGINS ||
    [...new Set([connectHost, '127.0.0.1', 'localhost'])].map((name) => `http://${name}:${ports.governance}`).join(','),
  ...identity.gateway,
});
await awaitHealthy(gateway, healthUrl('gateway'));

// ── 6. how to use it ───────────────────────────────────────────────────────────────────────────────────
const gatewayBase = `http://${connectHost}:${ports.gateway}`;
// a ready dev token when callers are verified with the dev key (not with the JWKS or keys of an identity provider)
const devToken = identity.callerKey
  ? await devCallerToken({ sub: 'demo-user', roles: ['executive'], ttlSeconds: 8 * 3_600, dir: identity.dir })
  : null;
const sampleQuery = await sampleQueryFor(`${gatewayBase}/graphql`, devToken);
const pad = (label) => label.padEnd(20);
console.log(`
Concord is up in ${seconds()}.

  ${pad('GraphQL (gateway)')}${gatewayBase}/graphql
  ${pad('gateway health')}${gatewayBase}/health
  ${pad('gateway metrics')}${gatewayBase}/metrics
${SUBGRAPHS.map((name) => `  ${pad(`${name} subgraph`)}${graphqlUrl(name)}   health: ${healthUrl(name)}`).join('\n')}
  ${pad('console')}http://${connectHost}:${ports.governance}/console${identity.callerKey ? '   (dev sign-in: pick a role)' : ''}
  ${pad('governance')}${healthUrl('governance')}
  ${pad('database')}${databaseLabel}, ${seeded}
  ${pad('logs')}${rel(settings.logDir)}/{${[...(database ? ['postgres'] : []), ...SUBGRAPHS, 'governance', 'gateway'].join(',')}}.log

${
  devToken
    ? `A dev token (role executive, sub demo-user, valid 8 h); \`npm run --silent token -- --role finance --sub u1\` prints others:

  export TOKEN=${devToken}`
    : `Callers need a token from the identity provider configured in ${[process.env.JWT_JWKS_URL && 'JWT_JWKS_URL', process.env.JWT_PUBLIC_KEY && 'JWT_PUBLIC_KEY'].filter(Boolean).join(' / ')}:

  export TOKEN=<a JWT with iss ${identity.issuer}, aud ${identity.audience}, sub and roles>`
}

One query across CRM, ERP and PSA:

  curl -s ${gatewayBase}/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    --data '${JSON.stringify({ query: sampleQuery })}'

Ctrl-C stops everything.`);

/**
 * The sample asks for one client with everything the three systems know of it; the client is one that has a
 * project (found through the gateway itself), so the answer is not empty on the demo data.
 */
async function sampleQueryFor(graphqlEndpoint, token) {
  const fields =
    'id name opportunities(first: 3) { name stage } ' +
    'contracts(first: 3) { number status totalValue { amount currency } } ' +
    'invoices(first: 3) { number status total { amount currency } } arBalance { amount currency } ' +
    'projects(first: 3) { code name status costToDate { amount currency } margin { amount currency } marginPct }';
  try {
    const response = await fetch(graphqlEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: '{ projects(first: 1) { edges { node { client { id } } } } }' }),
    });
    const clientId = (await response.json()).data?.projects.edges[0]?.node.client?.id;
    if (clientId) {
      return `{ client(id: "${clientId}") { ${fields} } }`;
    }
  } catch {
    // fall through to a query that needs no id
  }
  return `{ clients(first: 1) { edges { node { ${fields} } } } }`;
}
