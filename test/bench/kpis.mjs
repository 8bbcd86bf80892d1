// The KPI reads at the benchmark's seed scale (issue 6: "KPI queries at scale 20 p95 < 500 ms"), through the Concord
// gateway as finance (who may read margin, so every margin and cost input is computed): each query
// BENCH_KPI_RUNS (30) times one after another after 3 warm-ups, p50/p95/max of the response time. The periods end
// before the seed's reference date (2026-11-01), where its time, invoices and revenue are. Used by run.mjs
// (`--only kpis`, and the full run).

const MONEY = 'amount currency';

export const KPI_QUERIES = {
  financeKpisMonth: {
    title: 'financeKpis, a month',
    query: `query FinanceKpis($from: String!, $to: String!) { financeKpis(from: $from, to: $to) { days
      dso { currency receivables { ${MONEY} } creditSales { ${MONEY} } days }
      arAgeing { currency current { ${MONEY} } overdue1To30 { ${MONEY} } overdueOver90 { ${MONEY} } total { ${MONEY} } }
      backlog { ${MONEY} } unbilled { ${MONEY} } revenueRecognized { ${MONEY} }
      invoiceCycleTime { invoices averageDays p90Days }
      invoiceAccuracy { currency invoices creditedInvoices creditedAmountPct }
      writeOffs { currency count amount { ${MONEY} } } } }`,
    variables: { from: '2026-09-01', to: '2026-09-30' },
  },
  financeKpisQuarter: {
    title: 'financeKpis, a quarter',
    sameAs: 'financeKpisMonth',
    variables: { from: '2026-07-01', to: '2026-09-30' },
  },
  deliveryKpisMonth: {
    title: 'deliveryKpis, a month',
    query: `query DeliveryKpis($from: String!, $to: String!) { deliveryKpis(from: $from, to: $to, asOf: "2026-10-31") {
      resources utilization { availableHours billableHours totalHours billableUtilPct totalUtilPct }
      realization { billableHours billedHours realizationPct }
      compliance { expectedDays daysWithTime dayCompliancePct expectedHours submittedHours hourCompliancePct }
      effectiveBillRates { currency billedAmount { ${MONEY} } hoursWorked rate { ${MONEY} } }
      leakage { currency timeEntries hours expenses amount { ${MONEY} } } } }`,
    variables: { from: '2026-09-01', to: '2026-09-30' },
  },
  deliveryKpisQuarter: { title: 'deliveryKpis, a quarter', sameAs: 'deliveryKpisMonth', variables: { from: '2026-07-01', to: '2026-09-30' } },
  deliveryKpisYear: { title: 'deliveryKpis, a year', sameAs: 'deliveryKpisMonth', variables: { from: '2025-10-01', to: '2026-09-30' } },
  deliveryAnomalies: {
    title: 'deliveryAnomalies, a month',
    query: `query DeliveryAnomalies($from: String!, $to: String!) { deliveryAnomalies(from: $from, to: $to) {
      kind severity projectId resourceId date measured threshold } }`,
    variables: { from: '2026-09-01', to: '2026-09-30' },
  },
  clientHealth: {
    title: 'Client.health, 20 clients',
    query: `query ClientHealth { clients(first: 20) { edges { node { id name
      health { status marginConsidered reasons { code status message } } } } } }`,
    variables: {},
  },
  weightedPipeline: {
    title: 'weightedPipeline, a year',
    query: `query WeightedPipeline($from: String!, $to: String!) { weightedPipeline(from: $from, to: $to) {
      period currency opportunities amount { ${MONEY} } weightedAmount { ${MONEY} } } }`,
    variables: { from: '2026-11-01', to: '2027-10-31' },
  },
  earnedValue: {
    title: 'Project.earnedValue, 20 projects',
    query: `query EarnedValue($asOf: String) { projects(first: 20) { edges { node { id code
      earnedValue(asOf: $asOf) { budgetAtCompletion { ${MONEY} } earnedValue { ${MONEY} } actualCost { ${MONEY} }
        costPerformanceIndex estimateAtCompletion { ${MONEY} } budgetConsumedPct burnRatePerWeek { ${MONEY} }
        runwayWeeks percentComplete hoursConsumedPct milestonesReachedPct } } } } }`,
    variables: { asOf: '2026-10-31' },
  },
};

function bodyOf(name) {
  const spec = KPI_QUERIES[name];
  const query = spec.query ?? KPI_QUERIES[spec.sameAs].query;
  return JSON.stringify({ query, variables: spec.variables });
}

async function timed(url, headers, body) {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = await response.json();
  const ms = performance.now() - started;
  if (!response.ok || json.errors) {
    throw new Error(`answered ${response.status}: ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  }
  return ms;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Rows `{ query, title, runs, p50, p95, max }` (ms) of the queries in BENCH_KPI_QUERIES (all by default). */
export async function measureKpis(bench) {
  const runs = Number(process.env.BENCH_KPI_RUNS ?? 30);
  const names = (process.env.BENCH_KPI_QUERIES ?? Object.keys(KPI_QUERIES).join(',')).split(',');
  const headers = { authorization: `Bearer ${bench.financeToken}`, 'apollographql-client-name': 'bench-kpis' };
  const rows = [];
  for (const name of names) {
    const body = bodyOf(name);
    for (let warmUp = 0; warmUp < 3; warmUp++) {
      await timed(bench.gatewayUrl, headers, body).catch((error) => {
        throw new Error(`kpis: ${name} ${error.message}`);
      });
    }
    const times = [];
    for (let run = 0; run < runs; run++) {
      times.push(await timed(bench.gatewayUrl, headers, body));
    }
    const row = {
      query: name,
      title: KPI_QUERIES[name].title,
      runs,
      p50: Math.round(quantile(times, 0.5)),
      p95: Math.round(quantile(times, 0.95)),
      max: Math.round(Math.max(...times)),
    };
    rows.push(row);
    bench.log(`kpis: ${row.title}: p50 ${row.p50} ms, p95 ${row.p95} ms, max ${row.max} ms`);
  }
  return rows;
}
