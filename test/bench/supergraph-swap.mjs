// Supergraph swaps under load (issue 5: "a supergraph swap under load drops zero requests"), through the real path:
// governance's schema registry publishes a new version (POST /registry/publish) or rolls back (POST /registry/rollback),
// and a gateway following the registry (SUPERGRAPH_SOURCE=registry, polling every SUPERGRAPH_POLL_MS) swaps it in
// while 32 connections send a mix of queries. Every response is checked: a non-200, a GraphQL error or a socket
// error is a failure. Two variants, each with a phase without swaps right before for comparison:
//   description  crm's SDL with a changed description is published, then rolled back, alternating (a new schema and
//                new query plans, same subgraph connections);
//   route        crm is published with the URL of a second crm process, then rolled back, alternating (the gateway
//                opens connections to the other instance and retires the replaced ones once their fetches finish).
// Used by run.mjs (`--only swap`, and the full run); `bench` gives it run.mjs's process and measurement helpers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sleep } from '../../tools/lib/runtime.mjs';

const AUTHOR = 'bench';
/** the crm description a swap changes (subgraphs/crm/schema.graphql) */
const CLIENT_DESCRIPTION = /^"""A customer account, [^\n]*\n/m;

/** What the registry serves now: `{ version, subgraphs: [{ name, routingUrl }] }`. */
async function servedSupergraph(bench) {
  const response = await fetch(`${bench.governanceUrl}/registry/supergraph`, {
    headers: { authorization: `Bearer ${bench.governanceToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok ? response.json() : undefined;
}

const APPROVE = `mutation Approve($subgraph: String!, $version: Int!, $reason: String!) {
  approveSchemaVersion(subgraph: $subgraph, version: $version, reason: $reason) { version status } }`;

/**
 * A version this run's service published at start that the registry's checks rejected: approved by a data steward
 * (the registry's remedy, audited), so the run can go on, with the reasons logged. A benchmark database keeps the
 * ownership rules it stored first: one older than the default bundle's `stored` fields rejects PSA's schema.
 */
async function approveRejected(bench, name, routingUrl, approved) {
  const response = await fetch(`${bench.governanceUrl}/registry/subgraphs/${name}/versions`, {
    headers: { authorization: `Bearer ${bench.governanceToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  const [latest] = response.ok ? await response.json() : [];
  if (!latest || latest.status !== 'REJECTED' || latest.routingUrl !== routingUrl || approved.has(`${name}@${latest.version}`)) {
    return;
  }
  approved.add(`${name}@${latest.version}`);
  bench.log(
    `swap: the registry rejected ${name}'s schema at start (${latest.checkResult.reasons.join('; ')}): approving it as a data steward`,
  );
  const answer = await fetch(`${bench.governanceUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-concord-context': bench.stewardContextToken },
    body: JSON.stringify({
      query: APPROVE,
      variables: { subgraph: name, version: latest.version, reason: 'bench: the benchmark database predates this ownership rule' },
    }),
    signal: AbortSignal.timeout(30_000),
  }).then((reply) => reply.json());
  if (answer.errors) {
    throw new Error(`approving ${name}@${latest.version} failed: ${answer.errors.map((error) => error.message).join('; ')}`);
  }
}

/**
 * Waits until every service of this run published itself at start: the registry's supergraph routes each subgraph to
 * this run's port (the bench database keeps earlier runs' versions, with other ports). Returns that supergraph.
 */
async function waitForRegistry(bench, routes) {
  const deadline = Date.now() + 120_000;
  const approved = new Set();
  let served;
  while (Date.now() < deadline) {
    served = await servedSupergraph(bench).catch(() => undefined);
    const routed = (name) => served?.subgraphs.some((member) => member.name === name && member.routingUrl === routes[name]);
    if (served && Object.keys(routes).every(routed)) {
      return served;
    }
    for (const name of Object.keys(routes).filter((candidate) => !routed(candidate))) {
      await approveRejected(bench, name, routes[name], approved);
    }
    await sleep(500);
  }
  const members = served?.subgraphs.map((member) => `${member.name}=${member.routingUrl}`).join(' ') ?? 'nothing';
  throw new Error(`the registry did not route every subgraph to this run within 120 s (it serves ${members})`);
}

async function registryCall(bench, path, body) {
  const response = await fetch(`${bench.governanceUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.governanceToken}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`POST ${path} answered ${response.status}: ${answer.error?.message ?? JSON.stringify(answer).slice(0, 300)}`);
  }
  return answer;
}

/** The gateway's /health: the supergraph version it serves and where it sends each subgraph's fetches. */
async function gatewayState(healthUrl) {
  const response = await fetch(healthUrl, { signal: AbortSignal.timeout(5_000) });
  const health = await response.json();
  return {
    version: health.checks?.supergraph?.details?.version ?? null,
    routes: Object.fromEntries((health.subgraphs ?? []).map((subgraph) => [subgraph.name, subgraph.url])),
  };
}

/** Polls the gateway until it serves `version` (and routes crm to `crmUrl`); the time it took, or undefined. */
async function waitForGateway(healthUrl, version, crmUrl, timeoutMs = 15_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = await gatewayState(healthUrl).catch(() => undefined);
    if (state && state.version !== null && state.version >= version && (!crmUrl || state.routes.crm === crmUrl)) {
      return Date.now() - started;
    }
    await sleep(25);
  }
  return undefined;
}

/**
 * Load on the gateway: `connections` connections cycling through the queries for `seconds`; every answer is checked
 * (a non-200 status or a body with `errors` is a failure, like autocannon's socket errors and timeouts).
 */
function load(bench, seconds) {
  const failures = { status: {}, graphqlErrors: 0, examples: [] };
  const onResponse = (status, body) => {
    const bad = status !== 200 ? `HTTP ${status}` : !body.includes('"data"') || body.includes('"errors"') ? 'GraphQL errors' : undefined;
    if (!bad) {
      return;
    }
    if (status !== 200) {
      failures.status[status] = (failures.status[status] ?? 0) + 1;
    } else {
      failures.graphqlErrors++;
    }
    if (failures.examples.length < 5) {
      failures.examples.push(`${bad}: ${body.slice(0, 300)}`);
    }
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: bench.url,
        method: 'POST',
        connections: bench.connections,
        duration: seconds,
        headers: { 'content-type': 'application/json', ...bench.headers },
        requests: bench.bodies.map((body) => ({ method: 'POST', body, onResponse })),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const non200 = Object.values(failures.status).reduce((sum, count) => sum + count, 0);
        resolve({
          requests: result.requests.total,
          rps: Math.round(result.requests.average),
          p50: result.latency.p50,
          p99: result.latency.p99,
          socketErrors: result.errors,
          timeouts: result.timeouts,
          non200,
          graphqlErrors: failures.graphqlErrors,
          failures: result.errors + non200 + failures.graphqlErrors,
          failureExamples: failures.examples,
        });
      },
    );
  });
}

/**
 * One variant: load without swaps, then the same load while `swap(n)` changes the served supergraph every
 * `intervalMs` (odd n: `change`, a publish; even n: a rollback to the base version). Each swap counts once the
 * gateway serves its version (polled on /health); the last one ends a second before the load does.
 */
async function runVariant(bench, variant, base) {
  const { log } = bench;
  await load(bench, 2); // warm-up: JIT, plan caches, connection pools
  log(`swap/${variant.name}: ${bench.seconds} s of load without swaps`);
  const quiet = await load(bench, bench.seconds);
  log(`swap/${variant.name} without swaps: ${quiet.requests} requests, ${quiet.rps} rps, p99 ${quiet.p99} ms, failures ${quiet.failures}`);
  log(`swap/${variant.name}: ${bench.seconds} s of load, a swap every ${bench.intervalMs} ms (${variant.title})`);
  const swaps = { done: 0, publishes: 0, rollbacks: 0, registryMs: [], pickupMs: [], missed: [] };
  const loadDone = load(bench, bench.seconds);
  const swapping = (async () => {
    const stopAt = Date.now() + (bench.seconds - 1) * 1000;
    await sleep(500);
    for (let n = 1; Date.now() + bench.intervalMs < stopAt; n++) {
      const began = Date.now();
      const publish = n % 2 === 1;
      const version = publish
        ? (await registryCall(bench, '/registry/publish', { subgraph: 'crm', author: AUTHOR, ...variant.change(n) })).supergraphVersion
        : (
            await registryCall(bench, '/registry/rollback', {
              to: base.version,
              author: AUTHOR,
              reason: 'bench: supergraph swap under load',
            })
          ).version;
      swaps.registryMs.push(Date.now() - began);
      const crmUrl = publish ? variant.crmUrl : bench.routes.crm;
      const pickupMs = await waitForGateway(bench.healthUrl, version, variant.name === 'route' ? crmUrl : undefined);
      if (pickupMs === undefined) {
        swaps.missed.push(version);
        log(`swap/${variant.name}: the gateway did not serve version ${version} within 15 s`);
      } else {
        swaps.done++;
        swaps[publish ? 'publishes' : 'rollbacks']++;
        swaps.pickupMs.push(pickupMs);
      }
      if (n % 5 === 0) {
        log(`swap/${variant.name}: ${swaps.done} swaps, now version ${version}`);
      }
      await sleep(Math.max(0, began + bench.intervalMs - Date.now()));
    }
  })();
  const [during] = await Promise.all([loadDone, swapping]);
  // the next variant starts from the base supergraph again
  if (swaps.publishes > swaps.rollbacks) {
    const back = await registryCall(bench, '/registry/rollback', {
      to: base.version,
      author: AUTHOR,
      reason: 'bench: back to the base version',
    });
    await waitForGateway(bench.healthUrl, back.version, bench.routes.crm);
  }
  log(
    `swap/${variant.name} with swaps: ${swaps.done} swaps, ${during.requests} requests, ${during.rps} rps, p99 ${during.p99} ms, failures ${during.failures}`,
  );
  for (const example of during.failureExamples) {
    log(`  failed: ${example}`);
  }
  const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? null;
  return {
    variant: variant.name,
    swaps: swaps.done,
    publishes: swaps.publishes,
    rollbacks: swaps.rollbacks,
    missedVersions: swaps.missed,
    // the registry's answer to a publish (its checks included) or a rollback
    registryMsMedian: middle(swaps.registryMs),
    // from that answer to the gateway serving the version (its next poll, then loading the supergraph)
    pickupMsMedian: middle(swaps.pickupMs),
    pickupMsMax: swaps.pickupMs.length ? Math.max(...swaps.pickupMs) : null,
    quiet,
    during,
  };
}

/**
 * Starts a second crm process and a gateway following the registry, and runs both variants. `bench`: run.mjs's
 * helpers (start, waitFor, waitForGraphQL, freePort, log, cpuMicros, processes) and the run's settings.
 */
export async function measureSupergraphSwaps(bench) {
  const { log } = bench;
  const routes = {
    crm: `http://127.0.0.1:${bench.ports.crm}/graphql`,
    erp: `http://127.0.0.1:${bench.ports.erp}/graphql`,
    psa: `http://127.0.0.1:${bench.ports.psa}/graphql`,
    governance: `${bench.governanceUrl}/graphql`,
  };
  log('swap: waiting for every service to publish its SDL to the registry');
  const base = await waitForRegistry(bench, routes);

  // the other crm instance the route variant moves crm to: same database and keys, publishes nothing itself
  const crm2Port = await bench.freePort();
  bench.start('crm2', 'node', ['subgraphs/crm/dist/main.js'], {
    ...bench.subgraphEnv,
    CRM_PORT: String(crm2Port),
    SCHEMA_PUBLISH: 'off',
    POLICY_CACHE_FILE: join(bench.policyDir, 'crm2.json'),
  });
  await bench.waitFor(`http://127.0.0.1:${crm2Port}/health`, 'crm2');

  const gatewayPort = await bench.freePort();
  bench.start('live', 'node', ['gateway/dist/main.js'], {
    PORT: String(gatewayPort),
    SUPERGRAPH_SOURCE: 'registry',
    SUPERGRAPH_POLL_MS: String(bench.pollMs),
    // /health answers where crm's fetches go right after a swap (its probes are not reused)
    HEALTH_CACHE_MS: '0',
    SLA_REPORTING: 'on',
    USAGE_REPORTING: 'on',
    ...bench.gatewayEnv('live'),
  });
  const url = `http://127.0.0.1:${gatewayPort}/graphql`;
  const healthUrl = `http://127.0.0.1:${gatewayPort}/health`;
  await bench.waitForGraphQL(url, 'live', bench.headers);
  if ((await waitForGateway(healthUrl, base.version, routes.crm, 60_000)) === undefined) {
    throw new Error(`the registry-following gateway does not serve supergraph version ${base.version}`);
  }
  log(`swap: gateway follows the registry every ${bench.pollMs} ms, serving supergraph version ${base.version}`);

  const crmSdl = readFileSync(join(bench.root, 'subgraphs/crm/schema.graphql'), 'utf8');
  if (!CLIENT_DESCRIPTION.test(crmSdl)) {
    throw new Error('subgraphs/crm/schema.graphql no longer describes Client as "A customer account, …": update the swap bench');
  }
  const crm2Url = `http://127.0.0.1:${crm2Port}/graphql`;
  const variants = [
    {
      name: 'description',
      title: "crm published with Client's description changed, then rolled back",
      change: (n) => ({ sdl: crmSdl.replace(CLIENT_DESCRIPTION, `"""A customer account (bench swap ${n})."""\n`) }),
    },
    {
      name: 'route',
      title: `crm published routed to a second crm process (${crm2Url}), then rolled back`,
      crmUrl: crm2Url,
      change: () => ({ sdl: crmSdl, routingUrl: crm2Url }),
    },
  ];
  const context = { ...bench, url, healthUrl, routes };
  const results = [];
  for (const variant of variants) {
    const crm2Before = await bench.cpuMicros(bench.processes.crm2.pid);
    const result = await runVariant(context, variant, base);
    const crm2After = await bench.cpuMicros(bench.processes.crm2.pid);
    // proof that the second instance served crm's fetches while routed to (the description variant never routes there)
    result.crm2CpuSeconds = crm2Before !== undefined && crm2After !== undefined ? +((crm2After - crm2Before) / 1e6).toFixed(1) : null;
    results.push(result);
  }
  return { pollMs: bench.pollMs, intervalMs: bench.intervalMs, seconds: bench.seconds, baseVersion: base.version, variants: results };
}
