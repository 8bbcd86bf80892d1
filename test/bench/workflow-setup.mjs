// Closed-won to active-ready project setup (issue 6: "p95 < 2 s end to end"), through the real path: a sales rep creates
// an opportunity and an accepted quote through the Concord gateway and moves the opportunity to CLOSED_WON; the CRM's
// outbox relay ships the event to governance's ledger, which starts an OPPORTUNITY_TO_PROJECT run; a workflow worker
// claims it and runs its seven steps through the same gateway as `integration`. Timed per deal: from the
// moveOpportunity(CLOSED_WON) response to the run's completed_at, split into
//   delivery  the closed-won event's recorded_at in the ledger − the response (outbox relay and ingest);
//   queue     the run's claim by a worker − recorded_at (the claim is seen by polling the run every
//             BENCH_SETUP_POLL_MS: its midpoint between the last poll before and the first after, ± half the poll);
//   steps     completed_at − the claim (each step's own time from the run's step events).
// BENCH_SETUP_DEALS deals (40): the first half one at a time (each waits for its run), the second half closed by
// BENCH_SETUP_CONCURRENCY (4) reps at once. Used by run.mjs (`--only setup`, and the full run).
import pg from 'pg';
import { sleep } from '../../tools/lib/runtime.mjs';

const KIND = 'OPPORTUNITY_TO_PROJECT';
const STEPS = ['gate', 'customer', 'contract', 'billing', 'project', 'delivery', 'link-milestones'];

async function graphql(url, headers, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const json = await response.json();
  if (!response.ok || json.errors) {
    throw new Error(`gateway answered ${response.status}: ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  }
  return json.data;
}

/** Clients whose deal passes the gate: an ACTIVE legal customer with a tax id, a contract (legal entity), a rate card. */
async function dealClients(client, count) {
  const { rows } = await client.query(
    `SELECT DISTINCT ON (c.client_id) c.client_id AS "clientId", c.currency FROM erp.contract c
       JOIN erp.legal_customer lc ON lc.id = c.customer_id AND lc.status = 'ACTIVE' AND lc.tax_id IS NOT NULL
      WHERE EXISTS (SELECT 1 FROM erp.rate_card r WHERE r.currency = c.currency
                      AND r.effective_from <= '2027-01-04' AND (r.effective_to IS NULL OR r.effective_to >= '2027-01-04'))
      ORDER BY c.client_id, c.start_date DESC LIMIT $1`,
    [count],
  );
  if (rows.length === 0) {
    throw new Error('setup: no client in the benchmark database can pass the gate (legal customer, rate card)');
  }
  return rows;
}

/** An opportunity with an accepted quote (a T&M role line and a milestone line), moved up to NEGOTIATION. */
async function prepareDeal(gql, rep, { clientId, currency }, index) {
  const { createOpportunity } = await gql(`mutation ($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`, {
    input: {
      name: `Bench setup ${index} ${Math.random().toString(36).slice(2, 7)}`,
      clientId,
      ownerId: rep,
      currency,
      closeDate: '2026-12-15',
      expectedStartDate: '2027-01-04',
      billingModel: 'TM',
    },
  });
  const opportunityId = createOpportunity.id;
  const { createQuote } = await gql(`mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { id } }`, {
    input: {
      opportunityId,
      validUntil: '2027-06-30',
      lines: [
        {
          serviceCode: 'TM-ARCH',
          description: 'Architect, time and materials',
          roleId: 'Architect',
          billingModel: 'TM',
          hours: '120',
          unitRate: '210.00',
          serviceTracking: 'PROJECT_AND_TASK',
        },
        {
          serviceCode: 'MILESTONE',
          description: 'Go-live',
          billingModel: 'MILESTONE',
          quantity: '1',
          unitRate: '15000.00',
          serviceTracking: 'PROJECT_AND_TASK',
          milestoneName: 'Go-live',
          milestoneDate: '2027-03-31',
        },
      ],
    },
  });
  await gql(`mutation ($id: ID!) { sendQuote(id: $id) { id } }`, { id: createQuote.id });
  await gql(`mutation ($id: ID!) { acceptQuote(id: $id) { id } }`, { id: createQuote.id });
  for (const stage of ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION']) {
    await gql(`mutation ($id: ID!, $stage: OpportunityStage!) { moveOpportunity(id: $id, stage: $stage) { id } }`, { id: opportunityId, stage });
  }
  return opportunityId;
}

/**
 * Watches the runs of the deals closed so far with one query every pollMs: notes when each was claimed (attempts
 * went above 0) and resolves its waiter once it SUCCEEDED (or fails it on EXCEPTION, or after timeoutMs).
 */
function runWatcher(client, pollMs, timeoutMs) {
  const watched = new Map();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const keys = [...watched.keys()];
      if (keys.length > 0) {
        const polledAt = Date.now();
        const { rows } = await client.query(
          `SELECT business_key AS key, status, attempts, started_at AS "startedAt", completed_at AS "completedAt", id
             FROM governance.workflow_run WHERE kind = $1 AND business_key = ANY($2)`,
          [KIND, keys],
        );
        const seen = new Map(rows.map((row) => [row.key, row]));
        for (const [key, entry] of watched) {
          const row = seen.get(key);
          if (!row || row.attempts === 0) {
            entry.unclaimedAt = polledAt;
          } else if (entry.claimedAt === undefined) {
            // between the last poll that saw it unclaimed (or its start) and this one
            const before = Math.max(entry.unclaimedAt ?? row.startedAt.getTime(), row.startedAt.getTime());
            entry.claimedAt = (before + polledAt) / 2;
            entry.claimUncertainty = (polledAt - before) / 2;
          }
          if (row?.status === 'SUCCEEDED') {
            watched.delete(key);
            entry.resolve({ ...row, claimedAt: entry.claimedAt, claimUncertainty: entry.claimUncertainty });
          } else if (row?.status === 'EXCEPTION' || row?.status === 'DISMISSED' || Date.now() > entry.deadline) {
            watched.delete(key);
            entry.reject(new Error(`setup: the run of ${key} is ${row?.status ?? 'not started'} after ${Date.now() - entry.closedAt} ms`));
          }
        }
      }
      await sleep(pollMs);
    }
  })();
  return {
    /** resolves with the run once it SUCCEEDED; closedAt is the moveOpportunity response's time */
    wait(key, closedAt) {
      return new Promise((resolve, reject) => {
        watched.set(key, { resolve, reject, closedAt, deadline: closedAt + timeoutMs });
      });
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Each deal's figures (ms) from the ledger and the run's step events. */
async function dealFigures(client, deals) {
  const { rows: events } = await client.query(
    `SELECT r.business_key AS key, a.recorded_at AS "recordedAt"
       FROM governance.workflow_run r JOIN governance.audit_event a ON a.event_id = r.trigger_event_id
      WHERE r.kind = $1 AND r.business_key = ANY($2)`,
    [KIND, deals.map((deal) => deal.opportunityId)],
  );
  const recorded = new Map(events.map((row) => [row.key, row.recordedAt.getTime()]));
  const { rows: steps } = await client.query(
    `SELECT e.run_id AS "runId", e.step, e.at FROM governance.workflow_run_event e
      WHERE e.run_id = ANY($1) AND e.kind = 'step' ORDER BY e.id`,
    [deals.map((deal) => deal.run.id)],
  );
  return deals.map((deal) => {
    const completedAt = deal.run.completedAt.getTime();
    const recordedAt = recorded.get(deal.opportunityId) ?? deal.run.startedAt.getTime();
    const claimedAt = deal.run.claimedAt;
    const stepMs = {};
    let previous = claimedAt;
    for (const step of steps.filter((row) => row.runId === deal.run.id)) {
      stepMs[step.step] = step.at.getTime() - previous;
      previous = step.at.getTime();
    }
    return {
      phase: deal.phase,
      opportunityId: deal.opportunityId,
      attempts: deal.run.attempts,
      totalMs: completedAt - deal.closedAt,
      deliveryMs: recordedAt - deal.closedAt,
      queueMs: claimedAt - recordedAt,
      stepsMs: completedAt - claimedAt,
      claimUncertaintyMs: deal.run.claimUncertainty,
      stepMs,
    };
  });
}

/** The q-quantile (0..1), interpolated between the two nearest. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

const stats = (values) => ({
  n: values.length,
  p50: Math.round(quantile(values, 0.5)),
  p95: Math.round(quantile(values, 0.95)),
  max: Math.round(Math.max(...values)),
});

/**
 * Runs the deals and answers `{ deals, rows }`: per deal its figures, and the table of p50/p95/max per phase and
 * part (total, delivery, queue, steps, and each step).
 */
export async function measureSetup(bench) {
  const count = Number(process.env.BENCH_SETUP_DEALS ?? 40);
  const concurrency = Number(process.env.BENCH_SETUP_CONCURRENCY ?? 4);
  const pollMs = Number(process.env.BENCH_SETUP_POLL_MS ?? 10);
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  const watcher = runWatcher(client, pollMs, 60_000);
  try {
    const clients = await dealClients(client, count);
    const headers = { authorization: `Bearer ${bench.repToken}`, 'apollographql-client-name': 'bench-setup' };
    const gql = (query, variables, extra = {}) => graphql(bench.gatewayUrl, { ...headers, ...extra }, query, variables);
    const closed = [];
    const deal = async (index, phase) => {
      const opportunityId = await prepareDeal(gql, bench.rep, clients[index % clients.length], index);
      await gql(`mutation ($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_WON) { stage } }`, { id: opportunityId }, {
        'x-correlation-id': `bench-setup-${opportunityId}`,
      });
      const closedAt = Date.now();
      const run = await watcher.wait(opportunityId, closedAt);
      closed.push({ phase, opportunityId, closedAt, run });
    };
    // a warm-up deal (JIT, plan caches, connection pools), not counted
    await deal(count, 'warm-up');
    closed.length = 0;
    const sequential = Math.ceil(count / 2);
    for (let index = 0; index < sequential; index++) {
      await deal(index, 'one at a time');
    }
    let next = sequential;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          await deal(next++, `${concurrency} at once`);
        }
      }),
    );
    const deals = await dealFigures(client, closed);
    const rows = [];
    for (const phase of ['all', ...new Set(deals.map((row) => row.phase))]) {
      const of = deals.filter((row) => phase === 'all' || row.phase === phase);
      const parts = [
        ['total (response → SUCCEEDED)', of.map((row) => row.totalMs)],
        ['ledger delivery', of.map((row) => row.deliveryMs)],
        ['queue wait', of.map((row) => row.queueMs)],
        ['steps', of.map((row) => row.stepsMs)],
        ...(phase === 'all' ? STEPS.map((step) => [`  step ${step}`, of.map((row) => row.stepMs[step] ?? 0)]) : []),
      ];
      for (const [part, values] of parts) {
        rows.push({ deals: phase, part, ...stats(values) });
      }
    }
    const retried = deals.filter((row) => row.attempts > 1).length;
    bench.log(`setup: ${deals.length} deals set up, ${retried} needed a retry; claim seen within ± ${pollMs / 2}–${pollMs} ms`);
    return { deals, rows, pollMs, concurrency, retried };
  } finally {
    await watcher.stop();
    await client.end();
  }
}
