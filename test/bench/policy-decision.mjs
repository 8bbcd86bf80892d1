// Policy decision cost per operation (issue 4 target: p99 ≤ 0.2 ms): the gateway's field-policy step run on the real
// client graph (the three committed subgraph schemas, composed) with the default bundle, for every default role and
// the benchmark's queries plus a filtered one with variables (whose plans are per request, not cached).
// Prints p50/p99/max per case for the steady state (plan cache warm) and the first, uncached decision.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { composeServices } from '@apollo/composition';
import { getOperationAST, parse, Source, validate } from 'graphql';
import common from '@concord/common';
import policy from '@concord/policy';
import gateway from '@concord/gateway';

const { createLogger } = common;
const { defaultPolicyBundle, PolicyEngine } = policy;
const { createFieldPolicyStep } = gateway;

const ROOT = join(import.meta.dirname, '../..');
const ITERATIONS = Number(process.env.POLICY_BENCH_ITERATIONS ?? 20_000);

function apiSchema() {
  const services = ['crm', 'erp', 'psa'].map((name) => {
    const path = join(ROOT, 'subgraphs', name, 'schema.graphql');
    return { name, url: `http://${name}`, typeDefs: parse(new Source(readFileSync(path, 'utf8'), path)) };
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(result.errors.map((error) => error.message).join('\n'));
  }
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

const QUERIES = {
  'client by id': [`query ClientById($id: ID!) { client(id: $id) { id name industry tier arr { amount currency } } }`, { id: '0190a0a0-0000-7000-8000-000000000001' }],
  'client fan-out': [
    `query ClientsFanOut { clients(first: 20) { edges { node { id name legalCustomer { legalName creditLimit { amount currency } }
       contracts { number totalValue { amount currency } } invoices { number total { amount currency } amountDue { amount currency } }
       projects { code name status budget { amount currency } } } } } }`,
    {},
  ],
  'project margins': [
    `query ProjectMargins { projects(first: 20) { edges { node { id code name costToDate { amount currency }
       revenueRecognized { amount currency } billedToDate { amount currency } margin { amount currency } marginPct } } } }`,
    {},
  ],
  'filtered, variables': [
    `query Filtered($filter: ProjectFilter) { projects(first: 20, filter: $filter) { edges { node { id name managerId } } } }`,
    { filter: { statusIn: ['ACTIVE'] } },
  ],
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const schema = apiSchema();
const bundle = defaultPolicyBundle();
const roles = Object.keys(bundle.roles).filter((role) => role !== 'system');
const logger = createLogger('policy-bench', 'silent');

console.log(`policy decision per operation: ${roles.length} roles × ${Object.keys(QUERIES).length} queries, ${ITERATIONS} runs each (steady state)`);
console.log('case'.padEnd(44), 'first ms'.padStart(9), 'p50 µs'.padStart(8), 'p99 µs'.padStart(8), 'max µs'.padStart(8));
let worstP99 = 0;
for (const [name, [query, variables]] of Object.entries(QUERIES)) {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length) {
    throw new Error(`${name}: ${errors.map((error) => error.message).join('; ')}`);
  }
  const operation = getOperationAST(document);
  for (const role of roles) {
    // a fresh engine and step per case, so "first" includes building the role set's decisions
    const engine = new PolicyEngine(bundle);
    const step = createFieldPolicyStep({ policy: () => engine, mode: 'filter', logger });
    const input = () => ({
      schema,
      document,
      operation,
      variables,
      context: { correlationId: 'bench', headers: {}, caller: { sub: 'u1', roles: [role] }, operationName: null, operationType: 'query', operationHash: undefined, state: {} },
    });
    const firstStart = performance.now();
    step.run(input());
    const first = performance.now() - firstStart;
    const samples = new Float64Array(ITERATIONS);
    for (let index = 0; index < ITERATIONS; index++) {
      const request = input();
      const start = performance.now();
      step.run(request);
      samples[index] = performance.now() - start;
    }
    samples.sort();
    const p99 = percentile(samples, 99) * 1000;
    worstP99 = Math.max(worstP99, p99);
    console.log(
      `${name} / ${role}`.padEnd(44),
      first.toFixed(2).padStart(9),
      (percentile(samples, 50) * 1000).toFixed(1).padStart(8),
      p99.toFixed(1).padStart(8),
      (samples[samples.length - 1] * 1000).toFixed(1).padStart(8),
    );
  }
}
console.log(`worst p99 over all cases: ${worstP99.toFixed(1)} µs (target ≤ 200 µs)`);
