import { SLA_LATENCY_BUCKETS_MS, type SlaSample } from '@concord/common';
import { OTHER_TARGET, SlaRecorder, defaultSlaSource, latencyBucket, type SlaRecorderOptions } from '../sla-recorder';

const MINUTE = 60_000;
const START = Date.parse('2026-12-02T18:45:10.000Z');

/** A recorder on a clock the test moves. */
function recorderAt(start = START, options: SlaRecorderOptions = {}) {
  const clock = { now: start };
  const sut = new SlaRecorder({ now: () => clock.now, source: 'gw-test', ...options });
  return { sut, clock };
}

function find(samples: SlaSample[], kind: string, target: string, minute = '2026-12-02T18:45:00.000Z'): SlaSample | undefined {
  return samples.find((sample) => sample.kind === kind && sample.target === target && sample.minute === minute);
}

/** latency counts as { bucket upper bound (or 'slower'): count }, leaving out empty buckets */
function latencyOf(sample: SlaSample | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  sample?.latency.forEach((count, index) => {
    if (count) {
      counts[String(SLA_LATENCY_BUCKETS_MS[index] ?? 'slower')] = count;
    }
  });
  return counts;
}

describe(SlaRecorder.name, () => {
  it('should put a latency in the first bucket whose upper bound it does not exceed', () => {
    expect([0, 5, 5.01, 10, 99.9, 100, 250.5, 3_600_000, 3_600_001].map(latencyBucket)).toEqual([0, 0, 1, 1, 4, 4, 6, 15, 16]);
  });

  it('should count subgraph fetches per subgraph with errors, timeouts, codes and latency buckets', () => {
    const { sut } = recorderAt();

    sut.recordSubgraphFetch('erp', 3, undefined);
    sut.recordSubgraphFetch('erp', 40, 'HTTP_5XX');
    sut.recordSubgraphFetch('erp', 2_000.4, 'TIMEOUT');
    sut.recordSubgraphFetch('crm', 7, undefined);
    const samples = sut.snapshot();

    expect(find(samples, 'subgraph', 'erp')).toEqual({
      kind: 'subgraph',
      target: 'erp',
      minute: '2026-12-02T18:45:00.000Z',
      source: 'gw-test',
      total: 3,
      errors: 2,
      timeouts: 1,
      rejected: 0,
      errorCodes: { HTTP_5XX: 1, TIMEOUT: 1 },
      latency: expect.any(Array),
    });
    expect(find(samples, 'subgraph', 'erp')!.latency).toHaveLength(SLA_LATENCY_BUCKETS_MS.length + 1);
    expect(latencyOf(find(samples, 'subgraph', 'erp'))).toEqual({ 5: 1, 50: 1, 2500: 1 });
    expect(find(samples, 'subgraph', 'crm')).toMatchObject({ total: 1, errors: 0, errorCodes: {} });
    expect(samples.filter((sample) => sample.kind === 'operation')).toEqual([]);
  });

  it('should count each operation under its label, and no gateway-wide * sample (governance refuses that target)', () => {
    const { sut } = recorderAt();

    sut.recordOperation('GetClient', 12, undefined, false);
    sut.recordOperation('GetClient', 700, 'SERVICE_UNAVAILABLE', true);
    sut.recordOperation('ListProjects', 3, 'INTERNAL_SERVER_ERROR', false);
    sut.recordRejected('GetClient');
    const samples = sut.snapshot();

    expect(find(samples, 'operation', 'GetClient')).toMatchObject({
      total: 2,
      errors: 1,
      timeouts: 1,
      rejected: 1,
      errorCodes: { SERVICE_UNAVAILABLE: 1 },
    });
    expect(latencyOf(find(samples, 'operation', 'GetClient'))).toEqual({ 25: 1, 1000: 1 });
    expect(find(samples, 'operation', 'ListProjects')).toMatchObject({ total: 1, errors: 1, errorCodes: { INTERNAL_SERVER_ERROR: 1 } });
    // a * SLO is governance's sum of the operations: a * sample would make it refuse the whole batch
    expect(samples.map((sample) => sample.target).sort()).toEqual(['GetClient', 'ListProjects']);
  });

  it('should count refused operations as rejected, outside the total and the latency buckets', () => {
    const { sut } = recorderAt();

    sut.recordRejected('__invalid');
    sut.recordRejected('GetClient');
    sut.recordOperation('GetClient', 8, undefined, false);
    const samples = sut.snapshot();

    expect(find(samples, 'operation', 'GetClient')).toMatchObject({ total: 1, errors: 0, rejected: 1 });
    expect(find(samples, 'operation', '__invalid')).toMatchObject({ total: 0, errors: 0, rejected: 1, latency: new Array(17).fill(0) });
  });

  it('should send growing totals for the running minute under the same key', () => {
    const { sut, clock } = recorderAt();
    sut.recordOperation('GetClient', 12, undefined, false);
    const first = find(sut.snapshot(), 'operation', 'GetClient');

    clock.now += 20_000;
    sut.recordOperation('GetClient', 12, undefined, false);
    const second = find(sut.snapshot(), 'operation', 'GetClient');

    expect(first).toMatchObject({ minute: '2026-12-02T18:45:00.000Z', total: 1 });
    expect(second).toMatchObject({ minute: '2026-12-02T18:45:00.000Z', total: 2 });
  });

  it('should start a new minute when the clock passes the minute boundary', () => {
    const { sut, clock } = recorderAt();
    sut.recordSubgraphFetch('crm', 4, undefined);

    clock.now = Date.parse('2026-12-02T18:46:00.000Z');
    sut.recordSubgraphFetch('crm', 4, 'NETWORK');
    const samples = sut.snapshot();

    expect(samples.map((sample) => [sample.minute, sample.total, sample.errors])).toEqual([
      ['2026-12-02T18:45:00.000Z', 1, 0],
      ['2026-12-02T18:46:00.000Z', 1, 1],
    ]);
  });

  it('should forget a finished minute once its final counts were delivered, and keep the running one', () => {
    const { sut, clock } = recorderAt();
    sut.recordOperation('GetClient', 12, undefined, false);
    clock.now += MINUTE;
    sut.recordOperation('GetClient', 12, undefined, false);

    sut.acknowledge(sut.snapshot());
    const after = sut.snapshot();

    expect(sut.pendingMinutes).toBe(0);
    expect(after.map((sample) => sample.minute)).toEqual(['2026-12-02T18:46:00.000Z']);
  });

  it('should not forget a minute whose delivered counts were taken while it was still running', () => {
    const { sut, clock } = recorderAt();
    sut.recordOperation('GetClient', 12, undefined, false);
    const whileRunning = sut.snapshot();
    sut.recordOperation('GetClient', 12, undefined, false);
    clock.now += MINUTE;

    sut.acknowledge(whileRunning);
    const final = sut.snapshot();

    expect(sut.pendingMinutes).toBe(1);
    expect(find(final, 'operation', 'GetClient')).toMatchObject({ total: 2 });
  });

  it('should keep at most maxFinishedMinutes undelivered minutes, dropping and counting the oldest', () => {
    const { sut, clock } = recorderAt(START, { maxFinishedMinutes: 2 });
    for (let minute = 0; minute < 4; minute++) {
      sut.recordSubgraphFetch('crm', 4, undefined);
      clock.now += MINUTE;
    }

    const samples = sut.snapshot();

    expect(sut.droppedMinutes).toBe(2);
    expect(samples.map((sample) => sample.minute)).toEqual(['2026-12-02T18:47:00.000Z', '2026-12-02T18:48:00.000Z']);
  });

  it('should not keep minutes without traffic', () => {
    const { sut, clock } = recorderAt();
    clock.now += 5 * MINUTE;

    expect(sut.snapshot()).toEqual([]);
    expect(sut.pendingMinutes).toBe(0);
  });

  it('should count the targets of a minute beyond the cap under __other', () => {
    const { sut } = recorderAt(START, { maxTargetsPerMinute: 3 });

    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      sut.recordOperation(name, 1, undefined, false);
    }
    const samples = sut.snapshot();

    expect(samples.map((sample) => [sample.target, sample.total])).toEqual([
      ['A', 1],
      ['B', 1],
      ['C', 1],
      [OTHER_TARGET, 2],
    ]);
  });

  it('should name its source after the host and process, distinct per instance', () => {
    const first = defaultSlaSource();
    const second = new SlaRecorder().source;

    expect(first).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(second).not.toBe(first);
  });
});
