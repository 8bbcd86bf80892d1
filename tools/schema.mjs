// `npm run schema:check -- --subgraph <name> [--file schema.graphql]` and `npm run schema:publish -- …`: send a
// subgraph's SDL (its committed schema.graphql unless --file) to governance's schema registry. check runs the
// registry's checks (composition, breaking changes, ownership, deprecation) without publishing; publish stores a new
// version when they pass. Prints the report; exits 1 when the check fails, 2 on bad usage or an unreachable registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { devSecret } from './lib/dev-identity.mjs';
import { loadDotEnv, root } from './lib/runtime.mjs';

const USAGE = `usage: npm run schema:check   -- --subgraph <crm|erp|psa|governance|…> [--file schema.graphql]
       npm run schema:publish -- --subgraph <name> [--file schema.graphql] [--author <name>]

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
    console.log(`  ${change.criticality.toLowerCase().padEnd(11)}  ${change.path ?? ''}  ${change.message}`);
  }
  for (const violation of report.ownership ?? []) {
    console.log(`  ownership    ${violation.coordinate}: its system of record is ${violation.owner}`);
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
    options: { subgraph: { type: 'string' }, file: { type: 'string' }, author: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`);
}
if (values.help || !['check', 'publish'].includes(command) || !values.subgraph) {
  fail(USAGE, values.help ? 0 : 2);
}
const subgraph = values.subgraph;
const file = values.file ?? join(root, subgraph === 'governance' ? 'governance' : join('subgraphs', subgraph), 'schema.graphql');
let sdl;
try {
  sdl = readFileSync(file, 'utf8');
} catch (error) {
  fail(`cannot read ${file}: ${error.message}`);
}
const governance = (process.env.GOVERNANCE_URL ?? 'http://127.0.0.1:4010').replace(/\/$/, '');
const token = process.env.GOVERNANCE_TOKEN ?? devSecret('governance.token');
const body = command === 'check' ? { subgraph, sdl } : { subgraph, sdl, author: values.author ?? process.env.USER ?? userInfo().username };
let response;
try {
  response = await fetch(`${governance}/registry/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
} catch (error) {
  fail(`cannot reach the schema registry at ${governance}: ${error.cause?.message ?? error.message}`);
}
const answer = await response.json().catch(() => ({}));
if (response.status === 401) {
  fail("governance refused the request (401): set GOVERNANCE_TOKEN to the services' shared secret");
}
const report = answer.report ?? answer.error?.report ?? answer;
if (!report || typeof report.ok !== 'boolean') {
  fail(`the registry answered ${response.status}: ${answer.error?.message ?? JSON.stringify(answer).slice(0, 300)}`);
}
print(report);
if (command === 'publish' && report.ok) {
  const version = answer.version ?? answer.published?.version;
  console.log(answer.unchanged ? `  unchanged: version ${version} is already this SDL` : `  published as version ${version}`);
}
process.exit(report.ok ? 0 : 1);
