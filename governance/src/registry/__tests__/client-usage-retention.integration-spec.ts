import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { useGovernance } from '../../__tests__/use-governance';
import { GovernanceModule } from '../../app.module';
import { RETENTION_BATCH } from '../client-usage';
import { CLIENT_USAGE_RETENTION_JOB, ClientUsageRetentionCron } from '../client-usage-retention.cron';

const NOW = new Date('2026-06-10T12:00:00.000Z');

describe(ClientUsageRetentionCron.name, () => {
  const service = useGovernance({ registry: { now: () => NOW, usageWindowDays: 7, usageRetentionDays: 30 } });
  const sut = () => service.app.get(ClientUsageRetentionCron);
  /** `rows` usage rows of one UTC day, each its own operation */
  const usageOn = (day: string, rows: number) =>
    service.dataSource.query(
      `INSERT INTO governance.client_usage (coordinate, day, client_name, client_version, operation_hash, operation_name, count, last_seen)
       SELECT 'Project.margin', $1::date, 'web', '1.4.0', 'op' || n, NULL, 1, $1::date + time '23:59:59'
       FROM generate_series(1, $2::int) AS n`,
      [day, rows],
    );
  const daysLeft = async () =>
    (
      await service.dataSource.query<{ day: string; rows: number }[]>(
        `SELECT day::text AS day, count(*)::int AS rows FROM governance.client_usage GROUP BY day ORDER BY day`,
      )
    ).map((row) => [row.day, row.rows]);

  afterEach(() => service.dataSource.query('DELETE FROM governance.client_usage'));

  it('should delete the days of usage older than REGISTRY_USAGE_RETENTION_DAYS, in batches, and keep the others', async () => {
    // 2026-06-10T12:00 less 30 days is 2026-05-11T12:00: the days before 05-11 are past retention, 05-11 still partly within
    await usageOn('2026-04-01', RETENTION_BATCH * 2 + 7);
    await usageOn('2026-05-10', 3);
    await usageOn('2026-05-11', 2);
    await usageOn('2026-06-09', 1);

    const deleted = await sut().applyRetention();
    const again = await sut().applyRetention();

    expect(deleted).toBe(RETENTION_BATCH * 2 + 10);
    expect(again).toBe(0);
    expect(await daysLeft()).toEqual([
      ['2026-05-11', 2],
      ['2026-06-09', 1],
    ]);
  });

  it('should run one round at a time: a call while one runs joins it', async () => {
    await usageOn('2026-04-01', 4);

    const [first, second] = await Promise.all([sut().applyRetention(), sut().applyRetention()]);

    expect([first, second]).toEqual([4, 4]);
    expect(await daysLeft()).toEqual([]);
  });

  it('should be scheduled hourly only with GOVERNANCE_JOBS on', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'concord-usage-retention-keys-'));
    const { url: databaseUrl } = service.dataSource.options as { url: string };
    const start = async (jobs: boolean) => {
      const app = await NestFactory.create(
        GovernanceModule.forRoot({ databaseUrl, subgraphs: [], jobs, logLevel: 'silent', audit: { keyDir } }),
        // without the schedule module the registry lookup below throws instead of exiting the process
        { logger: false, abortOnError: false },
      );
      await app.init();
      return app;
    };
    const scheduled = await start(true);
    const unscheduled = await start(false);
    try {
      const job = scheduled.get(SchedulerRegistry).getCronJob(CLIENT_USAGE_RETENTION_JOB);

      expect(job.cronTime.source).toBe('0 0-23/1 * * *');
      expect(job.isActive).toBe(true);
      expect(() => unscheduled.get(SchedulerRegistry)).toThrow();
    } finally {
      await Promise.all([scheduled.close(), unscheduled.close()]);
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
