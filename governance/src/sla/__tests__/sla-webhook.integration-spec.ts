import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGovernance } from '../../__tests__/use-governance';
import { assessPairs, decidingPair, type SliCount } from '../burn-rate';
import { IncidentService } from '../incident.service';
import { SloService, type Slo } from '../slo.service';
import { WebhookDeliveryService } from '../webhook-delivery.service';

const SECRET = 'webhook-shared-secret';
const T = new Date('2026-03-10T12:00:30.000Z');
const later = (ms: number) => new Date(T.getTime() + ms);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: `respond` picks each request's status from its parsed body, or 'drop' to cut the connection. */
class Receiver {
  readonly requests: Received[] = [];
  respond: (body: any) => number | 'drop' = () => 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ headers: request.headers, body });
        const status = this.respond(JSON.parse(body));
        if (status === 'drop') {
          request.socket.destroy();
        } else {
          response.writeHead(status).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/sla`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** The most severe firing pair for these 1 h / 5 min counts of crm-availability (0.995). */
function firing(long: SliCount, short: SliCount) {
  return decidingPair(
    assessPairs(
      new Map([
        [60, long],
        [5, short],
      ]),
      0.995,
      10,
    ),
  )!;
}

describe(WebhookDeliveryService.name, () => {
  const receiver = new Receiver();
  // before the service: its webhook URL is the receiver's
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  const service = useGovernance(() => ({
    sla: { webhookUrl: receiver.url, webhookSecret: SECRET, webhookBackoffMs: 1_000, webhookMaxAttempts: 4, now: () => T },
  }));
  const sut = () => service.app.get(WebhookDeliveryService);
  const incidents = () => service.app.get(IncidentService);
  let crm: Slo;
  let erp: Slo;

  beforeAll(async () => {
    const slos = await service.app.get(SloService).list();
    crm = slos.find((slo) => slo.name === 'crm-availability')!;
    erp = slos.find((slo) => slo.name === 'erp-availability')!;
  });

  afterEach(async () => {
    receiver.requests.length = 0;
    receiver.respond = () => 200;
    await service.dataSource.query('DELETE FROM governance.sla_notification');
    await service.dataSource.query('DELETE FROM governance.sla_incident_event');
    await service.dataSource.query('DELETE FROM governance.sla_incident');
  });

  /** Fails the first `count` requests (or those `matching`) with `status`. */
  const failFirst = (count: number, status = 503, matching: (body: any) => boolean = () => true) => {
    let left = count;
    receiver.respond = (body) => (matching(body) && left-- > 0 ? status : 200);
  };
  const notifications = (): Promise<{ id: string; type: string; status: string; attempts: number; last_error: string | null }[]> =>
    service.dataSource.query('SELECT id, type, status, attempts, last_error FROM governance.sla_notification ORDER BY seq');

  it('should sign each attempt, retry with exponential backoff under one event id, and deliver once', async () => {
    await incidents().reconcile(crm, firing({ events: 6_000, bad: 600 }, { events: 500, bad: 50 }), T, '');
    const [notification] = await notifications();
    failFirst(2);

    const first = await sut().deliverDue(T);
    const tooEarly = await sut().deliverDue(later(999));
    const second = await sut().deliverDue(later(1_000));
    const third = await sut().deliverDue(later(2_999));
    const fourth = await sut().deliverDue(later(3_000));
    const afterwards = await sut().deliverDue(later(3_600_000));

    expect([first, tooEarly, second, third, fourth, afterwards]).toEqual([
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 0, failed: 0 },
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 0, failed: 0 },
      { delivered: 1, retried: 0, failed: 0 },
      { delivered: 0, retried: 0, failed: 0 },
    ]);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests.map((request) => request.headers['x-concord-event-id'])).toEqual([
      notification.id,
      notification.id,
      notification.id,
    ]);
    expect(receiver.requests.map((request) => request.headers['x-concord-timestamp'])).toEqual(
      [T, later(1_000), later(3_000)].map((instant) => String(Math.floor(instant.getTime() / 1000))),
    );
    for (const { headers, body } of receiver.requests) {
      const expected = createHmac('sha256', SECRET).update(`${headers['x-concord-timestamp']}.${body}`).digest('hex');
      expect(headers['x-concord-signature']).toBe(`sha256=${expected}`);
      expect(headers['content-type']).toBe('application/json');
    }
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({
      id: notification.id,
      type: 'incident.opened',
      occurredAt: T.toISOString(),
      incident: { status: 'OPEN', severity: 'PAGE', burnRate: 20 },
      slo: { id: crm.id, name: 'crm-availability', kind: 'subgraph', target: 'crm', indicator: 'availability', objective: 0.995 },
    });
    expect(await notifications()).toEqual([expect.objectContaining({ status: 'DELIVERED', attempts: 3, last_error: null })]);
  });

  it('should send an incident’s notifications in order: the next waits for the one before', async () => {
    const opened = await incidents().reconcile(crm, firing({ events: 6_000, bad: 600 }, { events: 500, bad: 50 }), T, '');
    await incidents().reconcile(crm, undefined, later(60_000), 'recovered');
    await incidents().reconcile(erp, firing({ events: 6_000, bad: 6_000 }, { events: 500, bad: 500 }), later(60_000), '');
    failFirst(1, 503, (body) => body.incident.id === opened!.incidentId);
    const sent = () => receiver.requests.map((request) => JSON.parse(request.body)).map((body) => [body.slo.name, body.type]);

    // the crm opening fails: its resolution waits; erp's opening goes out
    await sut().deliverDue(later(60_000));
    const whileFailing = sent();
    await sut().deliverDue(later(61_000));

    expect(whileFailing.sort()).toEqual([
      ['crm-availability', 'incident.opened'],
      ['erp-availability', 'incident.opened'],
    ]);
    expect(sent().filter(([slo]) => slo === 'crm-availability')).toEqual([
      ['crm-availability', 'incident.opened'],
      ['crm-availability', 'incident.opened'],
      ['crm-availability', 'incident.resolved'],
    ]);
    expect((await notifications()).map((notification) => notification.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
  });

  it('should give up after SLA_WEBHOOK_MAX_ATTEMPTS, mark the notification FAILED and go on with the next', async () => {
    await incidents().reconcile(crm, firing({ events: 6_000, bad: 600 }, { events: 500, bad: 50 }), T, '');
    await incidents().reconcile(crm, undefined, T, 'recovered');
    failFirst(4, 500);

    // attempts at +0, +1 s, +3 s (after 1 s and 2 s of backoff) and +7 s
    for (const ms of [0, 1_000, 3_000, 7_000]) {
      await sut().deliverDue(later(ms));
    }

    expect(receiver.requests.map((request) => JSON.parse(request.body).type)).toEqual([
      'incident.opened',
      'incident.opened',
      'incident.opened',
      'incident.opened',
      'incident.resolved',
    ]);
    expect(await notifications()).toEqual([
      expect.objectContaining({ type: 'incident.opened', status: 'FAILED', attempts: 4, last_error: 'HTTP 500' }),
      expect.objectContaining({ type: 'incident.resolved', status: 'DELIVERED', attempts: 1 }),
    ]);
  });

  it('should retry a connection cut without an answer like a failing answer', async () => {
    await incidents().reconcile(crm, firing({ events: 6_000, bad: 600 }, { events: 500, bad: 50 }), T, '');
    receiver.respond = () => 'drop';

    const outcome = await sut().deliverDue(T);

    expect(outcome).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await notifications()).toEqual([
      expect.objectContaining({ status: 'PENDING', attempts: 1, last_error: expect.stringMatching(/^TypeError: fetch failed/) }),
    ]);
  });
});
