import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { SlaSample } from '@concord/common';
import { silentLogger } from '../../__tests__/fixtures/test-subgraphs';
import { SlaRecorder } from '../sla-recorder';
import { SlaShipper, createSlaReporting } from '../sla-shipper';

const MINUTE = 60_000;
const START = Date.parse('2026-12-02T18:45:10.000Z');

/** governance's POST /sla/samples as far as the gateway can tell: accepts (200) or refuses (status) each request */
interface Receiver {
  url: string;
  status: number;
  requests: { headers: IncomingHttpHeaders; samples: SlaSample[] }[];
  /** the samples of accepted requests */
  accepted(): SlaSample[];
  clear(): void;
}

function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe(SlaShipper.name, () => {
  let server: Server;
  let receiver: Receiver;
  let clock: { now: number };
  let recorder: SlaRecorder;
  const shippers: SlaShipper[] = [];

  const shipperFor = (sut: SlaRecorder, logger = silentLogger()) => {
    const shipper = new SlaShipper(sut, { url: receiver.url, headers: { authorization: 'Bearer t0ken' }, intervalMs: 3_600_000, logger });
    shippers.push(shipper);
    return shipper;
  };

  beforeAll(async () => {
    const requests: Receiver['requests'] = [];
    const accepted: SlaSample[][] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        const samples = (JSON.parse(body) as { samples: SlaSample[] }).samples;
        requests.push({ headers: request.headers, samples });
        if (receiver.status === 200) {
          accepted.push(samples);
        }
        response.writeHead(receiver.status, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sla/samples`,
      status: 200,
      requests,
      accepted: () => accepted.flat(),
      clear: () => {
        requests.length = 0;
        accepted.length = 0;
      },
    };
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    receiver.clear();
    receiver.status = 200;
    clock = { now: START };
    recorder = new SlaRecorder({ now: () => clock.now, source: 'gw-1' });
  });

  afterEach(async () => {
    await Promise.all(shippers.splice(0).map((shipper) => shipper.close()));
  });

  it('should resend the running minute with growing totals, with the governance token', async () => {
    const sut = shipperFor(recorder);
    recorder.recordOperation('GetClient', 10, undefined, false);
    await sut.flush();
    recorder.recordOperation('GetClient', 10, 'SERVICE_UNAVAILABLE', false);
    await sut.flush();

    const totals = receiver.requests.map(({ samples }) => samples.find((sample) => sample.target === 'GetClient'));
    expect(totals).toMatchObject([
      { minute: '2026-12-02T18:45:00.000Z', source: 'gw-1', total: 1, errors: 0 },
      { minute: '2026-12-02T18:45:00.000Z', source: 'gw-1', total: 2, errors: 1, errorCodes: { SERVICE_UNAVAILABLE: 1 } },
    ]);
    expect(receiver.requests[0].headers.authorization).toBe('Bearer t0ken');
  });

  it('should send nothing while nothing was recorded', async () => {
    const sut = shipperFor(recorder);

    await sut.flush();

    expect(receiver.requests).toEqual([]);
  });

  it('should deliver after governance answered 503, counting nothing twice', async () => {
    const sut = shipperFor(recorder);
    recorder.recordSubgraphFetch('erp', 10, 'TIMEOUT');
    receiver.status = 503;
    await sut.flush();
    clock.now += MINUTE;

    receiver.status = 200;
    await sut.flush();

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.accepted()).toEqual([expect.objectContaining({ kind: 'subgraph', target: 'erp', total: 1, errors: 1, timeouts: 1 })]);
    expect(recorder.pendingMinutes).toBe(0);
  });

  it('should drop a finished minute once delivered and keep sending the running one', async () => {
    const sut = shipperFor(recorder);
    recorder.recordSubgraphFetch('crm', 10, undefined);
    await sut.flush();
    clock.now += MINUTE;
    recorder.recordSubgraphFetch('crm', 10, undefined);
    await sut.flush();

    await sut.flush();

    expect(receiver.requests.map(({ samples }) => samples.map((sample) => sample.minute))).toEqual([
      ['2026-12-02T18:45:00.000Z'],
      ['2026-12-02T18:45:00.000Z', '2026-12-02T18:46:00.000Z'],
      ['2026-12-02T18:46:00.000Z'],
    ]);
  });

  it('should keep the finished minutes it could not deliver up to the cap, and log the dropped ones', async () => {
    const bounded = new SlaRecorder({ now: () => clock.now, source: 'gw-1', maxFinishedMinutes: 2 });
    const { logger, lines } = logCapture();
    const sut = shipperFor(bounded, logger);
    receiver.status = 503;
    for (let minute = 0; minute < 4; minute++) {
      bounded.recordSubgraphFetch('psa', 10, undefined);
      clock.now += MINUTE;
      await sut.flush();
    }

    receiver.status = 200;
    await sut.flush();

    expect(bounded.droppedMinutes).toBe(2);
    expect(lines).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/SLA minutes dropped/), total: 2 }));
    expect(receiver.accepted().map((sample) => sample.minute)).toEqual(['2026-12-02T18:47:00.000Z', '2026-12-02T18:48:00.000Z']);
  });

  it('should send at most 5000 samples per request', async () => {
    const sut = shipperFor(recorder);
    for (let minute = 0; minute < 6; minute++) {
      for (let target = 0; target < 1_000; target++) {
        recorder.recordOperation(`Operation${target}`, 1, undefined, false);
      }
      clock.now += MINUTE;
    }

    await sut.flush();

    expect(receiver.requests.map(({ samples }) => samples.length)).toEqual([5_000, 1_000]);
    expect(recorder.pendingMinutes).toBe(0);
  });

  it('should be off without governance or when switched off, and post to <governance>/sla/samples when on', async () => {
    const off = createSlaReporting({ enabled: false, governanceUrl: 'http://127.0.0.1:1' }, silentLogger());
    const on = createSlaReporting(
      { enabled: true, governanceUrl: receiver.url.replace('/sla/samples', '/'), governanceToken: 's3cret', recorder: { source: 'gw-2' } },
      silentLogger(),
    );
    on.recorder!.recordSubgraphFetch('crm', 1, undefined);

    await on.stop();

    expect(off.recorder).toBeUndefined();
    expect(on.summary).toMatchObject({ slaReporting: receiver.url, source: 'gw-2' });
    expect(receiver.requests).toEqual([
      { headers: expect.objectContaining({ authorization: 'Bearer s3cret' }), samples: [expect.objectContaining({ source: 'gw-2' })] },
    ]);
  });
});
