// `npm run operations:register -- --client <name> --client-version <v> [--author a] <file or dir> …`: register a
// client version's GraphQL operations (each .graphql / .gql file one document; directories searched recursively) with
// governance's operation safelist. Gateways with SAFELIST=on run only registered operations for that client version.
// All or nothing: when one document does not parse or validate against the published supergraph, nothing is stored.
// Exits 0 when registered (documents already registered are counted, not an error), 1 when the registry refused
// documents, 2 on bad usage or an unreachable/refusing registry.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { devSecret } from './lib/dev-identity.mjs';
import { loadDotEnv } from './lib/runtime.mjs';

const USAGE = `usage: npm run operations:register -- --client <name> --client-version <version> [--author <name>] <file or directory> …

  --client           the apollographql-client-name the client sends
  --client-version   the apollographql-client-version the client sends
  --author           who registers (default: $USER)
  files              .graphql or .gql files, one document each; directories are searched recursively

  GOVERNANCE_URL     governance (default http://127.0.0.1:4010)
  GOVERNANCE_TOKEN   the services' shared secret (default: the dev one npm start made in .data/keys)`;

const EXTENSIONS = new Set(['.graphql', '.gql']);

function fail(message, code = 2) {
  console.error(message);
  process.exit(code);
}

/** Every .graphql/.gql file under the paths, in a stable order. */
function documentFiles(paths) {
  const files = [];
  const visit = (path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      fail(`cannot read ${path}: ${error.message}`);
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const child = join(path, entry);
        if (statSync(child).isDirectory() || EXTENSIONS.has(extname(entry))) {
          visit(child);
        }
      }
    } else {
      files.push(path);
    }
  };
  paths.forEach(visit);
  return files;
}

loadDotEnv();
const command = process.argv[2];
let values;
let positionals;
try {
  ({ values, positionals } = parseArgs({
    args: process.argv.slice(3),
    allowPositionals: true,
    options: {
      client: { type: 'string' },
      'client-version': { type: 'string' },
      author: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`);
}
if (values.help || command !== 'register' || !values.client?.trim() || !values['client-version']?.trim() || positionals.length === 0) {
  fail(USAGE, values.help ? 0 : 2);
}
const files = documentFiles(positionals);
if (files.length === 0) {
  fail(`no .graphql or .gql files in ${positionals.join(', ')}`);
}
const operations = files.map((file) => ({ document: readFileSync(file, 'utf8') }));
const label = (index) => relative(process.cwd(), files[index]) || files[index];

const governance = (process.env.GOVERNANCE_URL ?? 'http://127.0.0.1:4010').replace(/\/$/, '');
const token = process.env.GOVERNANCE_TOKEN ?? devSecret('governance.token');
const body = {
  clientName: values.client.trim(),
  clientVersion: values['client-version'].trim(),
  author: values.author ?? process.env.USER ?? userInfo().username,
  operations,
};
let response;
try {
  response = await fetch(`${governance}/registry/operations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
} catch (error) {
  fail(`cannot reach the schema registry at ${governance}: ${error.cause?.message ?? error.message}`);
}
const answer = await response.json().catch(() => ({}));
const client = `${body.clientName}@${body.clientVersion}`;
if (response.status === 401) {
  fail("governance refused the request (401): set GOVERNANCE_TOKEN to the services' shared secret");
}
if (answer.error?.reason === 'INVALID_OPERATIONS') {
  console.error(`✗ ${client}: nothing registered, ${answer.error.problems.length} problem(s):`);
  for (const problem of answer.error.problems) {
    // operations[N] is the N-th file
    console.error(`  ${problem.replace(/^operations\[(\d+)\]/, (_match, index) => label(Number(index)))}`);
  }
  process.exit(1);
}
if (response.status !== 200 || !Array.isArray(answer.operations)) {
  const problems = answer.error?.problems?.length ? `\n  ${answer.error.problems.join('\n  ')}` : '';
  fail(`the registry answered ${response.status}: ${answer.error?.message ?? JSON.stringify(answer).slice(0, 300)}${problems}`);
}
console.log(
  `✓ ${client}: ${answer.registered} registered, ${answer.unchanged} already registered` +
    (answer.validatedAgainst
      ? ` (validated against supergraph ${answer.validatedAgainst.slice(0, 12)})`
      : ' (no supergraph published: parsed only)'),
);
answer.operations.forEach((operation, index) => {
  const status = operation.status === 'REGISTERED' ? 'registered' : 'unchanged ';
  console.log(`  ${status}  ${operation.operationId.slice(0, 12)}  ${operation.operationName ?? 'anonymous'}  ${label(index)}`);
});
