// Classifies every coordinate of the composed API schema (subgraphs/{crm,erp,psa}/schema.graphql and
// governance/schema.graphql) for the default policy bundle: object and interface fields `Type.field`, input fields
// `Input.field`, enum values `Enum.VALUE`.
//
//   node tools/policy-classify.mjs           prints `coordinate CLASS` lines and a count per class
//   node tools/policy-classify.mjs --write   (re)writes libs/policy/src/default-bundle/classifications.ts
//   node tools/policy-classify.mjs --check   exits 1 when that file lacks a coordinate or has a stale one
//   node tools/policy-classify.mjs --help    prints this
//
// The committed file is the reviewed truth: --write keeps its entries, classifies only new coordinates by the
// heuristics below and drops coordinates the schema no longer has. --reset ignores the file (heuristics only).
import { composeServices } from '@apollo/composition';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Source, isEnumType, isInputObjectType, isInterfaceType, isObjectType, parse } from 'graphql';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'libs/policy/src/default-bundle/classifications.ts');
/** The subgraphs composed into the API schema, with their committed schema files. */
const SUBGRAPHS = [
  ['crm', 'subgraphs/crm/schema.graphql'],
  ['erp', 'subgraphs/erp/schema.graphql'],
  ['psa', 'subgraphs/psa/schema.graphql'],
  ['governance', 'governance/schema.graphql'],
];

/** Cost and margin: only finance, executives, auditors (and a delivery manager on own projects). */
const MARGIN_FIELDS = new Set(['margin', 'marginPct', 'costToDate', 'costRate', 'costAmount']);
/** The audit ledger's snapshots hold any field of any record, margin included: the strictest class. */
const MARGIN_COORDINATES = new Set(['AuditEvent.before', 'AuditEvent.after']);
/** Money a customer owes, is billed or pays, prices and rates, revenue. */
const FINANCIAL_FIELDS = new Set([
  'allocatedAmount',
  'amount',
  'amountDue',
  'arBalance',
  'arr',
  'baseAmount',
  'baseTotal',
  'billAmount',
  'billRate',
  'billedToDate',
  'budget',
  'consumedAmount',
  'creditLimit',
  'cumulativeRecognized',
  'deferred',
  'delta',
  'discountPct',
  'markupPct',
  'rate',
  'recognizedAmount',
  'recognizedFunctional',
  'remainingAmount',
  'revenueRecognized',
  'subtotal',
  'tax',
  'taxRate',
  'total',
  'totalValue',
  'unallocatedAmount',
  'unbilled',
  'unitRate',
]);
/** A share of a billed amount is as telling as the amount. */
const FINANCIAL_COORDINATES = new Set(['BillingScheduleLine.pct', 'Milestone.percentage']);
/** Exchange rates are market data, not a customer's money; SLA figures (a day's `total`) count requests. */
const NOT_FINANCIAL_TYPES = new Set(['FxRate', 'ExchangeRate', 'SlaDay', 'SloBudget', 'SlaReport']);
/**
 * People: contacts' names and channels, resources' names and person ids, who made each audited change (the actor,
 * and filtering the ledger by it, which would tell the same).
 */
const PII_COORDINATES = new Set([
  'Contact.name',
  'Contact.email',
  'Contact.phone',
  'Resource.name',
  'AuditEvent.actor',
  'AuditActor.sub',
  'AuditActor.roles',
  'AuditEventFilter.actorSub',
  'OwnershipImpactSample.actorSub',
  // the ledger actor of a change shown on an incident's timeline: the same fact as AuditEvent.actor
  'IncidentChange.actor',
]);
const PII_FIELDS = new Set(['personId']);
/** Plumbing without business data: pagination, the Money wrapper (its class is the field returning it). */
const PUBLIC_TYPES = new Set(['PageInfo', 'Money', 'SortDirection']);

/** The class of `type.field` from the names alone. */
function classifyByName(type, field) {
  const coordinate = `${type}.${field}`;
  if (field === 'id' || PUBLIC_TYPES.has(type) || /(Edge|Connection)$/.test(type)) {
    return 'PUBLIC';
  }
  if (MARGIN_FIELDS.has(field) || MARGIN_COORDINATES.has(coordinate)) {
    return 'MARGIN';
  }
  if (PII_COORDINATES.has(coordinate) || PII_FIELDS.has(field)) {
    return 'PII';
  }
  if (FINANCIAL_COORDINATES.has(coordinate) || (FINANCIAL_FIELDS.has(field) && !NOT_FINANCIAL_TYPES.has(type))) {
    return 'FINANCIAL';
  }
  return 'INTERNAL';
}

/** `UpdateQuoteLineInput` → `QuoteLine`, `ProjectFilter` → `Project`, `InvoiceSortField` → `Invoice`. */
function baseTypeOf(name) {
  return name.replace(/^(Create|Update|Record)(?=[A-Z])/, '').replace(/(Filter|Order|Input|SortField)$/, '');
}

/** `nameContains` → `name`, `statusIn` → `status`, `closeDateFrom` → `closeDate`; `from` stays `from`. */
function filteredFieldOf(field) {
  const stripped = field.replace(/(Contains|In|From|To|On)$/, '');
  return stripped === '' ? field : stripped;
}

/** `CLOSE_DATE` → `closeDate`. */
function camelOf(value) {
  return value.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter) => letter.toUpperCase());
}

export function composeApiSchema() {
  const services = SUBGRAPHS.map(([name, file]) => {
    const path = join(root, file);
    return { name, url: `http://${name}`, typeDefs: parse(new Source(readFileSync(path, 'utf8'), path)) };
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

/** Every coordinate of the schema with its heuristic class. */
export function classify(schema) {
  const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));
  const classes = new Map();
  // Object and interface fields first: input fields and sort values inherit the class of the field they filter or sort by.
  for (const type of types.filter((candidate) => isObjectType(candidate) || isInterfaceType(candidate))) {
    for (const field of Object.keys(type.getFields())) {
      classes.set(`${type.name}.${field}`, classifyByName(type.name, field));
    }
  }
  const inherited = (base, field) => classes.get(`${base}.${field}`);
  for (const type of types.filter(isInputObjectType)) {
    const base = baseTypeOf(type.name);
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      const plumbing = /Order$/.test(type.name) && (field === 'field' || field === 'direction');
      // a class named for the input field itself wins over the one it would inherit
      const named = PII_COORDINATES.has(coordinate) || MARGIN_COORDINATES.has(coordinate) ? classifyByName(type.name, field) : undefined;
      classes.set(
        coordinate,
        plumbing ? 'PUBLIC' : (named ?? inherited(base, field) ?? inherited(base, filteredFieldOf(field)) ?? classifyByName(base, field)),
      );
    }
  }
  for (const type of types.filter(isEnumType)) {
    const sortField = /SortField$/.test(type.name);
    for (const { name } of type.getValues()) {
      const byField = sortField ? inherited(baseTypeOf(type.name), camelOf(name)) : undefined;
      classes.set(`${type.name}.${name}`, byField ?? (PUBLIC_TYPES.has(type.name) ? 'PUBLIC' : 'INTERNAL'));
    }
  }
  return classes;
}

/** The coordinates → class of the committed file (a generated object literal: one `'coordinate': 'CLASS',` a line). */
function readCommitted() {
  if (!existsSync(target)) {
    return new Map();
  }
  const entries = [...readFileSync(target, 'utf8').matchAll(/^\s*'([^']+)': '([A-Z]+)',$/gm)];
  return new Map(entries.map(([, coordinate, classification]) => [coordinate, classification]));
}

function render(classes) {
  const lines = [...classes].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return [
    '// Generated by tools/policy-classify.mjs from the composed API schema (subgraphs/{crm,erp,psa}/schema.graphql and',
    '// governance/schema.graphql) and reviewed by hand. After a schema change run `node tools/policy-classify.mjs --write`:',
    '// entries here are kept, new coordinates get the heuristic class, removed ones are dropped. Correct a class by',
    '// editing its line.',
    "import type { Classification } from '../bundle';",
    '',
    'export const DEFAULT_CLASSIFICATIONS: Readonly<Record<string, Classification>> = {',
    ...lines.map(([coordinate, classification]) => `  '${coordinate}': '${classification}',`),
    '};',
    '',
  ].join('\n');
}

function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8').match(/^(\/\/.*\n)+/)[0];
    console.log(usage.replace(/^\/\/ ?/gm, '').trimEnd());
    return;
  }
  const heuristic = classify(composeApiSchema());
  const committed = args.includes('--reset') ? new Map() : readCommitted();
  const merged = new Map([...heuristic].map(([coordinate, classification]) => [coordinate, committed.get(coordinate) ?? classification]));
  if (args.includes('--check')) {
    const missing = [...heuristic.keys()].filter((coordinate) => !committed.has(coordinate));
    const stale = [...committed.keys()].filter((coordinate) => !heuristic.has(coordinate));
    for (const coordinate of missing) {
      console.error(`unclassified: ${coordinate} (heuristic: ${heuristic.get(coordinate)})`);
    }
    for (const coordinate of stale) {
      console.error(`not in the schema: ${coordinate}`);
    }
    process.exitCode = missing.length || stale.length ? 1 : 0;
    return;
  }
  if (args.includes('--write')) {
    writeFileSync(target, render(merged));
    const added = [...heuristic.keys()].filter((coordinate) => !committed.has(coordinate)).length;
    const dropped = [...committed.keys()].filter((coordinate) => !heuristic.has(coordinate)).length;
    console.log(`wrote ${merged.size} coordinates to ${target} (${added} new, ${dropped} dropped)`);
    return;
  }
  const counts = {};
  for (const [coordinate, classification] of [...merged].sort(([left], [right]) => (left < right ? -1 : 1))) {
    console.log(`${coordinate} ${classification}`);
    counts[classification] = (counts[classification] ?? 0) + 1;
  }
  console.log(`# ${merged.size} coordinates: ${JSON.stringify(counts)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
