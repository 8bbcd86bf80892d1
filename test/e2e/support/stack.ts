import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '@concord/gateway';
import { createLogger } from '@concord/common';
import { createTestDatabase, freePort, type TestDatabase } from '@concord/testing';

const root = join(__dirname, '..', '..', '..');
const SUBGRAPHS = ['crm', 'erp', 'psa'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** One subgraph running as its own process, exactly as `npm start` runs it (from its built dist/). */
export class SubgraphProcess {
  private output = '';
  private readonly child: ChildProcess;

  constructor(
    readonly name: SubgraphName,
    readonly port: number,
    databaseUrl: string,
  ) {
    this.child = spawn(process.execPath, [join(root, 'subgraphs', name, 'dist', 'main.js')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, [`${name.toUpperCase()}_PORT`]: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get graphqlUrl(): string {
    return `${this.origin}/graphql`;
  }

  async waitUntilHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output}`);
      }
      const healthy = await fetch(`${this.origin}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} was not healthy within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SQL statements this subgraph has sent so far (its `concord_db_statements_total` metric). */
  async statements(): Promise<number> {
    const text = await (await fetch(`${this.origin}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('concord_db_statements_total'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export interface Stack {
  database: TestDatabase;
  subgraphs: Record<SubgraphName, SubgraphProcess>;
  gateway: RunningGateway;
  /** SQL statements sent by all three subgraphs so far */
  statements(): Promise<number>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** runs after the subgraphs migrated the fresh database, before the gateway starts */
  beforeGateway?: (databaseUrl: string) => Promise<void>;
  subgraphTimeoutMs?: number;
}

/**
 * The whole federation on ephemeral ports: CRM, ERP and PSA as separate processes from their built output (each
 * migrating its schema of one fresh database), and the Concord gateway composing them in this process.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = await createTestDatabase();
  const subgraphs = {} as Record<SubgraphName, SubgraphProcess>;
  for (const name of SUBGRAPHS) {
    subgraphs[name] = new SubgraphProcess(name, await freePort(), database.url);
  }
  const stopSubgraphs = () => Promise.allSettled(SUBGRAPHS.map((name) => subgraphs[name].stop()));
  try {
    await Promise.all(SUBGRAPHS.map((name) => subgraphs[name].waitUntilHealthy()));
    await options.beforeGateway?.(database.url);
    const gateway = await startGateway({
      port: 0,
      subgraphs: SUBGRAPHS.map((name) => ({ name, url: subgraphs[name].graphqlUrl })),
      subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
      healthCacheMs: 0,
      logger: createLogger('gateway', 'silent'),
    });
    await gateway.ready;
    return {
      database,
      subgraphs,
      gateway,
      async statements() {
        const counts = await Promise.all(SUBGRAPHS.map((name) => subgraphs[name].statements()));
        return counts.reduce((sum, count) => sum + count, 0);
      },
      async close() {
        await gateway.close();
        await stopSubgraphs();
        await database.drop();
      },
    };
  } catch (error) {
    await stopSubgraphs();
    await database.drop();
    throw error;
  }
}
