// The schema registry from the command line (ARCHITECTURE.md §7), against governance:
//   npm run schema:check    -- --subgraph <name> [--file schema.graphql] [--exclude-client <name[@version]> …]
//       runs the registry's checks (composition, breaking changes and who uses them, ownership, deprecation); usage of
//       an excluded client does not hold a breaking change back (on top of governance's REGISTRY_EXCLUDED_CLIENTS)
//   npm run schema:publish  -- --subgraph <name> [--file …] [--author …] [--routing-url …]
//       stores a new version when they pass; gateways load the new supergraph within seconds
//   npm run schema:rollback -- --to <supergraph version> --reason "…" [--author …]
//       serves the subgraph versions of an earlier supergraph again (one new version; audited)
//   npm run schema:versions [-- --subgraph <name>]
//       lists supergraph versions (or a subgraph's versions)
// Prints the report; exits 1 when the check fails or the registry refuses, 2 on bad usage or an unreachable registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { devSecret } from './lib/dev-identity.mjs';
import { loadDotEnv, root } from './lib/runtime.mjs';

const USAGE = `usage: npm run schema:check    -- --subgraph <crm|erp|psa|governance|…> [--file schema.graphql] [--exclude-client <name[@version]>]…
       npm run schema:publish  -- --subgraph <name> [--file schema.graphql] [--author <name>] [--routing-url <url>]
       npm run schema:rollback -- --to <supergraph version> --reason "<why>" [--author <name>]
       npm run schema:versions [-- --subgraph <name>]

  GOVERNANCE_URL     governance (default http://127.0.0.1:4010)
  GOVERNANCE_TOKEN   the services' shared secret (default: the dev one npm start made in .data/keys)`;

function fail(message, code = 2) {
  console.error(message);
  process.exit(code);
}

function print(report) {
  const changes = report.changes ?? [];
  console.log(
    `${report.ok ? '✓' : '✗'} ${report.subgraph}: ${report.ok ? 'passes' : 'fails'} the registry's checks` +
      (report.baseVersion ? ` (against published version ${report.baseVersion})` : ' (first version)'),
  );
  if (!report.composition?.ok) {
    for (const error of report.composition?.errors ?? []) {
      console.log(`  composition  ${error.code}: ${error.message}`);
    }
  }
  for (const change of changes) {
    // a breaking change nobody used within the usage window is reported but does not fail the check
    const usage = change.used === undefined ? '' : change.used ? `  (used by ${change.clients.join(', ')})` : '  (unused: allowed)';
    console.log(`  ${change.criticality.toLowerCase().padEnd(11)}  ${change.path ?? ''}  ${change.message}${usage}`);
  }
  for (const violation of report.ownership ?? []) {
    console.log(`  ownership    ${violation.coordinate}: its system of record is ${violation.owner}`);
  }
  if (report.excludedClients?.length) {
    console.log(`  usage of ${report.excludedClients.join(', ')} left out`);
  }
  for (const reason of report.reasons ?? []) {
    console.log(`  → ${reason}`);
  }
}

loadDotEnv();
const command = process.argv[2];
let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      subgraph: { type: 'string' },
      file: { type: 'string' },
      author: { type: 'string' },
      'routing-url': { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      'exclude-client': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`);
}
const needs = { check: ['subgraph'], publish: ['subgraph'], rollback: ['to', 'reason'], versions: [] }[command];
if (values.help || !needs || needs.some((name) => !values[name])) {
  fail(USAGE, values.help ? 0 : 2);
}
const governance = (process.env.GOVERNANCE_URL ?? 'http://127.0.0.1:4010').replace(/\/$/, '');
const token = process.env.GOVERNANCE_TOKEN ?? devSecret('governance.token');
const author = values.author ?? process.env.USER ?? userInfo().username;

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(`${governance}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    fail(`cannot reach the schema registry at ${governance}: ${error.cause?.message ?? error.message}`);
  }
  if (response.status === 401) {
    fail("governance refused the request (401): set GOVERNANCE_TOKEN to the services' shared secret");
  }
  return { status: response.status, answer: await response.json().catch(() => ({})) };
}

function refused(status, answer) {
  fail(`✗ the registry answered ${status}: ${answer.error?.message ?? JSON.stringify(answer).slice(0, 300)}`, 1);
}

function printSupergraph(supergraph) {
  const members = supergraph.subgraphs.map((member) => `${member.name}@${member.version}`).join(' ');
  const why = supergraph.cause === 'rollback' ? `rollback to ${supergraph.rollbackOf}` : supergraph.cause;
  console.log(`  ${String(supergraph.version).padStart(4)}  ${supergraph.createdAt}  ${why.padEnd(14)}  ${supergraph.author}  ${members}`);
}

if (command === 'rollback') {
  const { status, answer } = await call('POST', '/registry/rollback', { to: Number(values.to), author, reason: values.reason });
  if (status !== 200) {
    refused(status, answer);
  }
  console.log(`✓ gateways now serve supergraph version ${answer.version} (the subgraphs of version ${answer.rollbackOf}):`);
  printSupergraph(answer);
  process.exit(0);
}

if (command === 'versions') {
  const path = values.subgraph ? `/registry/subgraphs/${encodeURIComponent(values.subgraph)}/versions` : '/registry/supergraphs';
  const { status, answer } = await call('GET', path);
  if (status !== 200) {
    refused(status, answer);
  }
  if (values.subgraph) {
    for (const version of answer) {
      const approval = version.approval ? `  approved by ${version.approval.approvedBy}: ${version.approval.reason}` : '';
      console.log(
        `  ${String(version.version).padStart(4)}  ${version.createdAt}  ${version.status.padEnd(9)}  ${version.author}${approval}`,
      );
    }
  } else {
    console.log('  supergraph versions, latest (served) first:');
    answer.forEach(printSupergraph);
  }
  process.exit(0);
}

const subgraph = values.subgraph;
const file = values.file ?? join(root, subgraph === 'governance' ? 'governance' : join('subgraphs', subgraph), 'schema.graphql');
let sdl;
try {
  sdl = readFileSync(file, 'utf8');
} catch (error) {
  fail(`cannot read ${file}: ${error.message}`);
}
if (values['exclude-client'] && command !== 'check') {
  fail(`--exclude-client is for schema:check (a publish follows governance's REGISTRY_EXCLUDED_CLIENTS)\n\n${USAGE}`);
}
const body =
  command === 'check'
    ? { subgraph, sdl, excludeClients: values['exclude-client'] }
    : { subgraph, sdl, author, routingUrl: values['routing-url'] };
const { status, answer } = await call('POST', `/registry/${command}`, body);
const report = answer.report ?? answer.error?.report ?? answer;
if (!report || typeof report.ok !== 'boolean') {
  refused(status, answer);
}
print(report);
if (command === 'publish' && report.ok) {
  console.log(
    answer.unchanged
      ? `  unchanged: version ${answer.version} is already this SDL (supergraph version ${answer.supergraphVersion})`
      : `  published as version ${answer.version}: supergraph version ${answer.supergraphVersion}`,
  );
}
if (command === 'publish' && !report.ok && answer.error?.version) {
  console.log(
    `  stored as rejected version ${answer.error.version}: a data steward other than ${author} may approve it (approveSchemaVersion)`,
  );
}
process.exit(report.ok ? 0 : 1);
