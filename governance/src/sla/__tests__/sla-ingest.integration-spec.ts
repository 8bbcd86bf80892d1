import { ErrorCode, type SlaSample } from '@concord/common';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { SlaCron } from '../sla.cron';
import { SlaExceptionCode } from '../sla.exception';
import { SlaSampleService } from '../sla-sample.service';
import { latencyOf, minutesBefore, minutesOfTraffic, slaSample } from './sla-sample.factory';

const NOW = new Date('2026-03-02T10:07:30.000Z');
/** the start of NOW's minute */
const THIS_MINUTE = new Date('2026-03-02T10:07:00.000Z');
const DAY_MS = 86_400_000;

interface StoredSample {
  kind: string;
  target: string;
  minute: string;
  source: string;
  total: number;
  errors: number;
  timeouts: number;
  rejected: number;
  error_codes: Record<string, number>;
  latency: number[];
}

describe('SLA samples (POST /sla/samples)', () => {
  const clock = { now: NOW };
  const service = useGovernance({ sla: { now: () => clock.now, retentionDays: 35 } });
  const post = (body: unknown) => callGovernance(service, 'POST', '/sla/samples', body);
  const stored = async (): Promise<StoredSample[]> =>
    (
      await service.dataSource.query(
        `SELECT kind, target, minute, source, total::int AS total, errors::int AS errors, timeouts::int AS timeouts,
                rejected::int AS rejected, error_codes, latency::int[] AS latency
         FROM governance.sla_sample ORDER BY kind, target, minute, source`,
      )
    ).map((row: StoredSample & { minute: Date }) => ({ ...row, minute: row.minute.toISOString() }));

  afterEach(() => service.dataSource.query('DELETE FROM governance.sla_sample'));

  describe('idempotent ingest', () => {
    // one gateway's minute as it grows: each report cumulative within the minute
    const early = slaSample({ total: 40, errors: 1, errorCodes: { HTTP_5XX: 1 }, latency: latencyOf({ 50: 30, 100: 10 }) });
    const later = slaSample({
      total: 90,
      errors: 3,
      timeouts: 1,
      rejected: 2,
      errorCodes: { HTTP_5XX: 2, TIMEOUT: 1 },
      latency: latencyOf({ 50: 60, 100: 25, 1_000: 5 }),
    });
    const otherGateway = slaSample({ source: 'gateway-b', total: 10, latency: latencyOf({ 5: 10 }) });

    it('should store one row per kind, target, minute and gateway with the latest cumulative counts', async () => {
      const answer = await post({ samples: [early, otherGateway] });
      await post({ samples: [later] });

      expect(answer).toEqual({ status: 200, body: { accepted: 2 } });
      expect(await stored()).toEqual([
        {
          kind: 'subgraph',
          target: 'crm',
          minute: '2026-03-02T10:00:00.000Z',
          source: 'gateway-a',
          total: 90,
          errors: 3,
          timeouts: 1,
          rejected: 2,
          error_codes: { HTTP_5XX: 2, TIMEOUT: 1 },
          latency: latencyOf({ 50: 60, 100: 25, 1_000: 5 }),
        },
        expect.objectContaining({ source: 'gateway-b', total: 10, latency: latencyOf({ 5: 10 }) }),
      ]);
    });

    it('should end with the same numbers whether batches are resent or arrive out of order', async () => {
      await post({ samples: [early, otherGateway] });
      await post({ samples: [later] });
      const inOrder = await stored();
      await service.dataSource.query('DELETE FROM governance.sla_sample');

      await post({ samples: [later] });
      await post({ samples: [early, otherGateway] });
      await post({ samples: [later, early] });
      await post({ samples: [otherGateway] });

      expect(await stored()).toEqual(inOrder);
    });

    it('should keep the greatest of each error code and latency bucket, not the codes of the last report only', async () => {
      await post({ samples: [slaSample({ total: 10, errors: 2, errorCodes: { HTTP_5XX: 2 }, latency: latencyOf({ 100: 10 }) })] });
      await post({ samples: [slaSample({ total: 10, errors: 1, errorCodes: { NETWORK: 1 }, latency: latencyOf({ 50: 4, 100: 6 }) })] });

      expect((await stored())[0]).toMatchObject({
        total: 10,
        errors: 2,
        error_codes: { HTTP_5XX: 2, NETWORK: 1 },
        latency: latencyOf({ 50: 4, 100: 10 }),
      });
    });

    it('should take the same key twice in one batch as the greatest of both', async () => {
      const answer = await post({ samples: [later, early] });

      expect(answer.body).toEqual({ accepted: 2 });
      expect(await stored()).toEqual([expect.objectContaining({ total: 90, errors: 3, error_codes: { HTTP_5XX: 2, TIMEOUT: 1 } })]);
    });

    // through the service: the test server's body limit (100 kB) is not governance's (32 MB)
    it('should take a full batch of 5,000 samples at once', async () => {
      const samples = minutesOfTraffic(minutesBefore(THIS_MINUTE, 2_500), THIS_MINUTE, { perMinute: 20 }).flatMap((sample) => [
        sample,
        { ...sample, source: 'gateway-b' },
      ]);

      const answer = await service.app.get(SlaSampleService).accept({ samples });

      expect(samples).toHaveLength(5_000);
      expect(answer).toEqual({ accepted: 5_000 });
      const [{ count }] = await service.dataSource.query('SELECT count(*)::int AS count FROM governance.sla_sample');
      expect(count).toBe(5_000);
    });
  });

  describe('validation', () => {
    it.each<[string, unknown, string]>([
      ['no samples array', { reports: [] }, 'samples is an array of SLA samples'],
      [
        'an unknown kind',
        { samples: [slaSample({ kind: 'database' as SlaSample['kind'] })] },
        'samples[0].kind is one of subgraph, operation, workflow',
      ],
      ['the all-targets name', { samples: [slaSample({ target: '*' })] }, 'samples[0].target is a non-empty name'],
      [
        'a minute with seconds',
        { samples: [slaSample({ minute: '2026-03-02T10:00:30.000Z' })] },
        'samples[0].minute is the start of a minute',
      ],
      [
        'a minute in the future',
        { samples: [slaSample({ minute: '2026-03-02T10:15:00.000Z' })] },
        'samples[0].minute 2026-03-02T10:15:00.000Z is in the future',
      ],
      ['more errors than events', { samples: [slaSample({ total: 5, errors: 6 })] }, 'samples[0].errors (6) is at most total (5)'],
      ['more timeouts than errors', { samples: [slaSample({ errors: 1, timeouts: 2 })] }, 'samples[0].timeouts (2) is at most errors (1)'],
      ['a negative count', { samples: [slaSample({ rejected: -1 })] }, 'samples[0].rejected is a non-negative integer'],
      [
        'a histogram of the wrong length',
        { samples: [slaSample({ latency: [1, 2, 3] })] },
        'samples[0].latency is an array of 17 non-negative integers',
      ],
      [
        'an error code that is not a count',
        { samples: [slaSample({ errorCodes: { HTTP_5XX: 1.5 } })] },
        'samples[0].errorCodes is an object',
      ],
    ])('should refuse %s with 400 naming the problem, and store nothing', async (_case, body, problem) => {
      const answer = await post(body);

      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, reason: SlaExceptionCode.INVALID_INPUT });
      expect(answer.body.error.problems).toEqual([expect.stringContaining(problem)]);
      expect(await stored()).toEqual([]);
    });

    it('should list the problems of every sample and refuse the whole batch', async () => {
      const answer = await post({
        samples: [slaSample(), slaSample({ source: '' }), null, slaSample({ total: -3, latency: latencyOf({ 100: 3 }) })],
      });

      expect(answer.status).toBe(400);
      expect(answer.body.error.problems).toEqual([
        'samples[1].source is a non-empty name of at most 256 characters',
        'samples[2] is an object',
        'samples[3].total is a non-negative integer',
      ]);
      expect(await stored()).toEqual([]);
    });

    it('should refuse more than 5,000 samples', async () => {
      const answer = service.app.get(SlaSampleService).accept({ samples: new Array(5_001).fill(slaSample()) });

      await expect(answer).rejects.toMatchObject({
        code: SlaExceptionCode.INVALID_INPUT,
        message: expect.stringMatching(/at most 5000 samples \(got 5001\)/),
      });
    });
  });

  describe('retention', () => {
    it('should delete the samples older than SLA_RETENTION_DAYS and keep the others', async () => {
      const sut = () => service.app.get(SlaCron);
      // 10:07:30 less 35 days: the minutes before 10:07 are past retention, 10:07 itself still partly within
      const old = new Date(THIS_MINUTE.getTime() - 35 * DAY_MS);
      const kept = minutesBefore(old, -1);
      await service.app
        .get(SlaSampleService)
        .ingest([
          ...minutesOfTraffic(minutesBefore(old, 3), minutesBefore(old, -1), { perMinute: 5 }),
          ...minutesOfTraffic(kept, minutesBefore(kept, -2), { perMinute: 5, kind: 'operation', target: 'Dashboard' }),
          ...minutesOfTraffic(minutesBefore(THIS_MINUTE, 2), minutesBefore(THIS_MINUTE, 1), { perMinute: 5, source: 'gateway-b' }),
        ]);

      const deleted = await sut().applyRetention();

      expect(deleted).toBe(3);
      expect((await stored()).map((sample) => [sample.target, sample.minute])).toEqual([
        ['Dashboard', kept.toISOString()],
        ['Dashboard', minutesBefore(kept, -1).toISOString()],
        ['crm', old.toISOString()],
        ['crm', '2026-03-02T10:05:00.000Z'],
      ]);
    });
  });
});
