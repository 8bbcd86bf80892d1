import { newId } from '@concord/common';
import { useGovernance } from '../../__tests__/use-governance';
import { forecastSnapshot, forecastRows } from '../flows/forecast-snapshot';
import { revenueRecognition } from '../flows/revenue-recognition';
import { WorkflowKind } from '../workflow-definition';
import { WorkflowCron } from '../workflow.cron';
import { WorkflowRunStatus, WorkflowRunStore } from '../workflow-run.store';

/** The hourly calendar and retention jobs, called directly (GOVERNANCE_JOBS=off here: no schedule runs them). */
describe('workflow calendar and retention', () => {
  let now = new Date('2026-03-15T10:00:00Z');
  const service = useGovernance({
    // workers on (the calendar is theirs) but no gateway identity, so the engine stays idle and runs stay PENDING
    workflows: { workers: true, retentionDays: 30, now: () => now, definitions: [forecastSnapshot, revenueRecognition] },
  });
  const cron = () => service.app.get(WorkflowCron);

  beforeEach(async () => {
    await service.dataSource.query(`DELETE FROM governance.workflow_run`);
  });

  it("should start the month's forecast snapshot and the month before's revenue recognition once per month, audited as the scheduler's", async () => {
    now = new Date('2026-03-15T10:00:00Z');

    const first = await cron().startScheduled();
    const again = await cron().startScheduled();
    now = new Date('2026-04-01T00:30:00Z');
    const nextMonth = await cron().startScheduled();

    expect(first).toHaveLength(2);
    expect(again).toEqual([]);
    expect(nextMonth).toHaveLength(2);
    const runs = await service.dataSource.query(
      `SELECT kind, business_key, status, payload FROM governance.workflow_run ORDER BY kind, business_key`,
    );
    expect(runs).toEqual([
      { kind: 'FORECAST_SNAPSHOT', business_key: 'forecast-snapshot:2026-03', status: 'PENDING', payload: { month: '2026-03' } },
      { kind: 'FORECAST_SNAPSHOT', business_key: 'forecast-snapshot:2026-04', status: 'PENDING', payload: { month: '2026-04' } },
      {
        kind: 'REVENUE_RECOGNITION',
        business_key: '2026-02-01:all',
        status: 'PENDING',
        payload: { period: '2026-02-01', contractId: null },
      },
      {
        kind: 'REVENUE_RECOGNITION',
        business_key: '2026-03-01:all',
        status: 'PENDING',
        payload: { period: '2026-03-01', contractId: null },
      },
    ]);
    const ledger = await service.dataSource.query(
      `SELECT actor, reason FROM governance.audit_event WHERE entity = 'WorkflowRun' AND entity_id = ANY($1::text[]) ORDER BY reason`,
      [first],
    );
    expect(ledger).toEqual([
      { actor: { sub: 'workflow-scheduler', roles: ['integration'] }, reason: 'scheduled FORECAST_SNAPSHOT for forecast-snapshot:2026-03' },
      { actor: { sub: 'workflow-scheduler', roles: ['integration'] }, reason: 'scheduled REVENUE_RECOGNITION for 2026-02-01:all' },
    ]);
  });

  it('should leave a month that someone already started alone', async () => {
    now = new Date('2026-05-02T08:00:00Z');
    const store = service.app.get(WorkflowRunStore);
    const started = await store.request(
      { sub: 'fin-1', roles: ['finance'] },
      { kind: WorkflowKind.FORECAST_SNAPSHOT, businessKey: 'forecast-snapshot:2026-05', payload: { month: '2026-05' } },
      'by hand',
    );

    const scheduled = await cron().startScheduled();

    // only April's recognition is new; May's snapshot stays the one finance started
    const recognition = await store.byKey(WorkflowKind.REVENUE_RECOGNITION, '2026-04-01:all');
    expect(scheduled).toEqual([recognition!.id]);
    expect((await store.byKey(WorkflowKind.FORECAST_SNAPSHOT, 'forecast-snapshot:2026-05'))?.id).toBe(started.id);
  });

  it('should delete finished runs past retention with their events, and keep live runs and the exception queue whatever their age', async () => {
    now = new Date('2026-06-30T12:00:00Z');
    const old = '2026-05-01T00:00:00Z';
    const recent = '2026-06-20T00:00:00Z';
    const runs: [string, WorkflowRunStatus, string][] = [
      ['old-succeeded', WorkflowRunStatus.SUCCEEDED, old],
      ['old-dismissed', WorkflowRunStatus.DISMISSED, old],
      ['old-exception', WorkflowRunStatus.EXCEPTION, old],
      ['old-pending', WorkflowRunStatus.PENDING, old],
      ['recent-succeeded', WorkflowRunStatus.SUCCEEDED, recent],
    ];
    for (const [key, status, at] of runs) {
      const id = newId();
      await service.dataSource.query(
        `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload, status, updated_at)
         VALUES ($1::uuid, 'INVOICE_RUN', $2, $1::text, '{}', $3, $4)`,
        [id, key, status, at],
      );
      await service.dataSource.query(`INSERT INTO governance.workflow_run_event (run_id, kind, message) VALUES ($1, 'started', 'test')`, [
        id,
      ]);
    }

    const deleted = await cron().applyRetention();

    expect(deleted).toBe(2);
    const left = await service.dataSource.query(`SELECT business_key FROM governance.workflow_run ORDER BY business_key`);
    expect(left.map((row: { business_key: string }) => row.business_key)).toEqual(['old-exception', 'old-pending', 'recent-succeeded']);
    const [{ orphans }] = await service.dataSource.query(
      `SELECT count(*)::int AS orphans FROM governance.workflow_run_event e
        WHERE NOT EXISTS (SELECT 1 FROM governance.workflow_run r WHERE r.id = e.run_id)`,
    );
    expect(orphans).toBe(0);
  });
});

describe('forecast snapshot rows', () => {
  it('should give one row per project and T&M currency, and a zero row in its currency to a project without T&M in the month', () => {
    const rows = forecastRows([
      {
        id: 'p1',
        contractId: 'c1',
        currency: 'EUR',
        revenueForecast: {
          timeAndMaterials: [
            { currency: 'EUR', amount: { amount: '1200.50' } },
            { currency: 'USD', amount: { amount: '80.00' } },
          ],
        },
      },
      { id: 'p2', contractId: null, currency: 'GBP', revenueForecast: { timeAndMaterials: [] } },
      { id: 'p3', contractId: 'c3', currency: 'EUR', revenueForecast: { timeAndMaterials: null } },
    ]);

    expect(rows).toEqual([
      { projectId: 'p1', contractId: 'c1', currency: 'EUR', timeAndMaterials: '1200.50' },
      { projectId: 'p1', contractId: 'c1', currency: 'USD', timeAndMaterials: '80.00' },
      { projectId: 'p2', contractId: null, currency: 'GBP', timeAndMaterials: '0.00' },
      { projectId: 'p3', contractId: 'c3', currency: 'EUR', timeAndMaterials: '0.00' },
    ]);
  });
});
