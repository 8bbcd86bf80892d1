import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModulesContainer } from '@nestjs/core';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { createTestDatabase, freePort, startTestService, type RunningService, type TestDatabase } from '@concord/testing';
import { GovernanceModule, type GovernanceModuleOptions } from '../../app.module';
import type { HealthReport, SubgraphHealth } from '../../health/dtos/health.output';
import { SUBGRAPH_HEALTH_JOB, SubgraphHealthCron } from '../subgraph-health.cron';

/** Long enough for a healthy answer on a loaded machine, short enough to keep the hung-subgraph test quick. */
const PROBE_TIMEOUT_MS = 1_500;

/** A stand-in subgraph: answers GET /health with whatever status the test sets. */
class FakeSubgraph {
  status = 200;
  hits = 0;
  private server: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      this.hits++;
      res
        .writeHead(this.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: this.status === 200 ? 'ok' : 'down' }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get routingUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Accepts connections and never answers: a hung subgraph. */
async function startSilentServer(): Promise<Server> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function getHealth(service: RunningService): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${service.url}/health`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

function subgraphNamed(report: HealthReport, name: string): SubgraphHealth {
  const found = report.subgraphs.find((subgraph) => subgraph.name === name);
  if (!found) {
    throw new Error(`subgraph ${name} missing from ${JSON.stringify(report)}`);
  }
  return found;
}

async function startGovernance(database: TestDatabase, options: Partial<GovernanceModuleOptions>): Promise<RunningService> {
  return startTestService(
    GovernanceModule.forRoot({
      databaseUrl: database.url,
      subgraphs: [],
      jobs: false,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      logLevel: 'silent',
      ...options,
    }),
    'governance',
  );
}

describe(SubgraphHealthCron.name, () => {
  let database: TestDatabase;
  let crm: FakeSubgraph;
  let silent: Server;
  let closedPort: number;
  let sut: RunningService;

  beforeAll(async () => {
    database = await createTestDatabase();
    crm = await new FakeSubgraph().start();
    silent = await startSilentServer();
    closedPort = await freePort();
    sut = await startGovernance(database, {
      subgraphs: [
        { name: 'crm', routingUrl: crm.routingUrl },
        { name: 'erp', routingUrl: `http://127.0.0.1:${closedPort}/graphql` },
        { name: 'psa', routingUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql` },
      ],
    });
  });

  afterAll(async () => {
    await sut?.close();
    silent?.closeAllConnections();
    await new Promise((resolve) => silent?.close(resolve));
    await crm?.close();
    await database?.drop();
  });

  it('should list the configured subgraphs as UNKNOWN before the first probe', async () => {
    const { status, body } = await getHealth(sut);

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', service: 'governance', database: 'up' });
    expect(body.subgraphs).toEqual([
      expect.objectContaining({ name: 'crm', routingUrl: crm.routingUrl, status: 'UNKNOWN', lastCheckedAt: null, lastOkAt: null }),
      expect.objectContaining({ name: 'erp', status: 'UNKNOWN' }),
      expect.objectContaining({ name: 'psa', status: 'UNKNOWN' }),
    ]);
  });

  it('should not load the scheduler when GOVERNANCE_JOBS is off', () => {
    const modules = [...sut.app.get(ModulesContainer).values()].map((module) => module.metatype);

    expect(modules).toContain(GovernanceModule);
    expect(modules).not.toContain(ScheduleModule);
  });

  it('should mark a subgraph UP with its latency when its /health answers 200', async () => {
    crm.status = 200;
    const hitsBefore = crm.hits;

    await sut.app.get(SubgraphHealthCron).run();

    const crmHealth = subgraphNamed((await getHealth(sut)).body, 'crm');
    expect(crm.hits).toBe(hitsBefore + 1);
    expect(crmHealth).toMatchObject({ status: 'UP', lastError: null });
    expect(crmHealth.lastOkAt).toBe(crmHealth.lastCheckedAt);
    expect(crmHealth.lastLatencyMs).toEqual(expect.any(Number));
    expect(crmHealth.lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('should mark a subgraph DOWN when its /health answers 503, keeping when it was last up', async () => {
    crm.status = 200;
    await sut.app.get(SubgraphHealthCron).run();
    const wasUp = subgraphNamed((await getHealth(sut)).body, 'crm');
    crm.status = 503;
    await new Promise((resolve) => setTimeout(resolve, 5)); // so the next check is visibly later

    await sut.app.get(SubgraphHealthCron).run();

    const crmHealth = subgraphNamed((await getHealth(sut)).body, 'crm');
    expect(crmHealth).toMatchObject({ status: 'DOWN', lastError: 'HTTP 503', lastOkAt: wasUp.lastOkAt });
    expect(Date.parse(crmHealth.lastCheckedAt ?? '')).toBeGreaterThan(Date.parse(wasUp.lastCheckedAt ?? ''));
  });

  it('should mark a subgraph DOWN when nothing listens on its port', async () => {
    await sut.app.get(SubgraphHealthCron).run();

    const erpHealth = subgraphNamed((await getHealth(sut)).body, 'erp');
    expect(erpHealth).toMatchObject({ status: 'DOWN', lastError: 'ECONNREFUSED', lastLatencyMs: null, lastOkAt: null });
    expect(erpHealth.lastCheckedAt).not.toBeNull();
  });

  it('should mark a subgraph DOWN when its /health does not answer within the probe timeout', async () => {
    const started = Date.now();

    await sut.app.get(SubgraphHealthCron).run();

    const psaHealth = subgraphNamed((await getHealth(sut)).body, 'psa');
    expect(psaHealth).toMatchObject({ status: 'DOWN', lastError: `no answer within ${PROBE_TIMEOUT_MS} ms`, lastLatencyMs: null });
    expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 3_000);
  });

  it('should join a probe round already running instead of starting a second one', async () => {
    crm.status = 200;
    const hitsBefore = crm.hits;
    const cron = sut.app.get(SubgraphHealthCron);

    await Promise.all([cron.run(), cron.run(), cron.run()]);

    expect(crm.hits).toBe(hitsBefore + 1);
  });
});

describe('GET /health', () => {
  let database: TestDatabase;
  let crm: FakeSubgraph;
  let erp: FakeSubgraph;

  beforeAll(async () => {
    database = await createTestDatabase();
    crm = await new FakeSubgraph().start();
    erp = await new FakeSubgraph().start();
  });

  afterAll(async () => {
    await crm?.close();
    await erp?.close();
    await database?.drop();
  });

  it('should probe at start and every 30 s when GOVERNANCE_JOBS is on, and answer ok when every subgraph is up', async () => {
    const sut = await startGovernance(database, {
      jobs: true,
      subgraphs: [
        { name: 'crm', routingUrl: crm.routingUrl },
        { name: 'erp', routingUrl: erp.routingUrl },
      ],
    });
    try {
      let report = (await getHealth(sut)).body;
      // the first round runs at start, in the background: allow a loaded machine some time
      for (let attempt = 0; attempt < 300 && report.status !== 'ok'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        report = (await getHealth(sut)).body;
      }

      expect(report).toMatchObject({
        status: 'ok',
        database: 'up',
        subgraphs: [
          { name: 'crm', status: 'UP' },
          { name: 'erp', status: 'UP' },
        ],
      });
      const job = sut.app.get(SchedulerRegistry).getCronJob(SUBGRAPH_HEALTH_JOB);
      expect(job.cronTime.source).toBe('*/30 * * * * *');
      expect(job.isActive).toBe(true);
    } finally {
      await sut.close();
    }
  });

  it('should answer ok with no subgraphs configured', async () => {
    const other = await createTestDatabase();
    const sut = await startGovernance(other, {});
    try {
      const { status, body } = await getHealth(sut);

      expect(status).toBe(200);
      expect(body).toEqual({ status: 'ok', service: 'governance', database: 'up', subgraphs: [] });
    } finally {
      await sut.close();
      await other.drop();
    }
  });

  it('should answer 503 down when the database cannot be reached', async () => {
    const other = await createTestDatabase();
    const sut = await startGovernance(other, { subgraphs: [{ name: 'crm', routingUrl: crm.routingUrl }] });
    try {
      await other.drop();

      const { status, body } = await getHealth(sut);

      expect(status).toBe(503);
      expect(body).toEqual({ status: 'down', service: 'governance', database: 'down', subgraphs: [] });
    } finally {
      await sut.close();
    }
  });
});
