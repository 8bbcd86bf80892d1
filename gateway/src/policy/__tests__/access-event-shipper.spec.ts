import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '@concord/common';
import { silentLogger } from '../../__tests__/fixtures/test-subgraphs';
import { AccessEventShipper, type AccessRead } from '../access-recorder';

const read = (overrides: Partial<AccessRead> = {}): AccessRead => ({
  sub: 'u1',
  roles: ['finance'],
  entity: 'Project',
  coordinates: ['Project.margin'],
  ids: ['p1'],
  operationHash: 'h1',
  operationName: 'Margins',
  correlationId: 'c1',
  policyVersion: 4,
  ...overrides,
});

describe('AccessEventShipper', () => {
  let server: Server;
  let url: string;
  let status = 200;
  const received: AuditEvent[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        if (status === 200) {
          received.push(...(JSON.parse(body) as { events: AuditEvent[] }).events);
        }
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit/events`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  it('merges the reads of one caller, operation, entity and coordinates into one read event per interval', async () => {
    const shipper = new AccessEventShipper({ ingestUrl: url, flushIntervalMs: 60_000, logger: silentLogger() });
    shipper.record(read({ ids: ['p1', 'p2'] }));
    shipper.record(read({ ids: ['p2', 'p3'] }));
    shipper.record(read({ sub: 'u2' }));
    await shipper.close();

    expect(received).toHaveLength(2);
    const merged = received.find((event) => event.actor?.sub === 'u1')!;
    expect(merged).toMatchObject({
      service: 'gateway',
      action: 'read',
      entity: 'Project',
      entityId: '*',
      actor: { sub: 'u1', roles: ['finance'] },
      policyVersion: '4',
      correlationId: 'c1',
      after: { coordinates: ['Project.margin'], ids: ['p1', 'p2', 'p3'], requests: 2, operationHash: 'h1', operationName: 'Margins' },
    });
    expect(received.find((event) => event.actor?.sub === 'u2')).toMatchObject({ entityId: 'p1' });
  });

  it('ships denied attempts as denied events with the reason', async () => {
    const shipper = new AccessEventShipper({ ingestUrl: url, flushIntervalMs: 60_000, logger: silentLogger() });
    shipper.record(read({ kind: 'denied', ids: [] }));
    shipper.record(read());
    await shipper.close();
    expect(received.map((event) => event.action).sort()).toEqual(['denied', 'read']);
    expect(received.find((event) => event.action === 'denied')).toMatchObject({
      entityId: '*',
      reason: expect.stringMatching(/^FORBIDDEN_FIELD/),
    });
  });

  it('keeps the events while governance refuses them and delivers them later', async () => {
    const shipper = new AccessEventShipper({ ingestUrl: url, flushIntervalMs: 60_000, logger: silentLogger() });
    status = 503;
    shipper.record(read());
    await shipper.flush();
    expect(received).toHaveLength(0);
    status = 200;
    await shipper.close();
    expect(received).toHaveLength(1);
  });

  it('drops the oldest beyond its buffer and counts them', async () => {
    const shipper = new AccessEventShipper({
      ingestUrl: 'http://127.0.0.1:9/audit/events',
      flushIntervalMs: 60_000,
      maxBuffered: 2,
      logger: silentLogger(),
    });
    for (const sub of ['a', 'b', 'c']) {
      shipper.record(read({ sub }));
    }
    await shipper.flush();
    expect(shipper.dropped).toBe(1);
    await shipper.close();
  });
});
