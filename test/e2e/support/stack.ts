import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGatewayIdentity,
  createGatewayPolicy,
  createSlaReporting,
  startGateway,
  type FieldPolicyMode,
  type GatewayPolicySettings,
  type SafelistMode,
  type RunningGateway,
  type SlaReporting,
  type SlaReportingSettings,
} from '@concord/gateway';
import { createLogger } from '@concord/common';
import { defaultPolicyBundle } from '@concord/policy';
import {
  createTestDatabase,
  freePort,
  testCallerJwt,
  testCallerKeys,
  testContextKeys,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  type TestDatabase,
} from '@concord/testing';

const root = join(__dirname, '..', '..', '..');
const SUBGRAPHS = ['crm', 'erp', 'psa'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** One service running as its own process, exactly as `npm start` runs it (from its built dist/). */
export class ServiceProcess {
  private output = '';
  private child: ChildProcess;

  constructor(
    readonly name: SubgraphName | 'governance',
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.child = this.spawn();
  }

  private spawn(): ChildProcess {
    const entry =
      this.name === 'governance' ? join(root, 'governance', 'dist', 'main.js') : join(root, 'subgraphs', this.name, 'dist', 'main.js');
    const child = spawn(process.execPath, [entry], {
      cwd: root,
      env: { ...process.env, ...this.env, [`${this.name.toUpperCase()}_PORT`]: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }

  /** Starts the service again on the same port after `stop()` or `kill()`. */
  async restart(): Promise<void> {
    await this.stop();
    this.child = this.spawn();
    await this.waitUntilHealthy();
  }

  /** SIGKILL: no shutdown hooks, in-flight work lost as in a crash. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
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

  /** SQL statements this subgraph has sent for requests so far (`concord_db_statements_total{origin="request"}`). */
  async statements(): Promise<number> {
    const text = await (await fetch(`${this.origin}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('concord_db_statements_total') && entry.includes('origin="request"'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

/** Who end-to-end tests call the gateway as, unless they say otherwise: the service account that may do everything. */
export const E2E_CALLER = Object.freeze({ sub: 'e2e-user', roles: Object.freeze(['integration']) });

/** Headers that authenticate a request to the gateway as `caller`: a caller JWT from the test identity provider. */
export async function bearerFor(caller: { sub: string; roles: readonly string[] }): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await testCallerJwt(caller)}` };
}

export interface Stack {
  database: TestDatabase;
  /** headers that authenticate a gateway request as E2E_CALLER (bearerFor mints them for other callers) */
  auth: Record<string, string>;
  subgraphs: Record<SubgraphName, ServiceProcess>;
  /** running when the stack was started with `governance: true` (the subgraphs then relay their audit outbox to it) */
  governance?: ServiceProcess;
  /** with governance: the services' shared secret its service endpoints (/registry/*, /policy/*) require */
  governanceToken?: string;
  gateway: RunningGateway;
  /** the gateway's SLA reporting to governance (on with `slaReporting`; `flush()` sends the samples now) */
  sla: SlaReporting;
  /** with governance: the gateway's client usage reporting to its registry; `flush()` sends what was gathered now */
  usage?: { flush(): Promise<void> };
  /** SQL statements sent by all three subgraphs so far */
  statements(): Promise<number>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** runs after the subgraphs migrated the fresh database, before the gateway starts */
  beforeGateway?: (databaseUrl: string) => Promise<void>;
  subgraphTimeoutMs?: number;
  /**
   * also start governance: the subgraphs relay their audit outbox to its ledger, everyone takes the policy bundle
   * from it, and the gateway composes its auditor and steward API. Without it, gateway and subgraphs enforce the
   * default bundle from a file (POLICY_PATH).
   */
  governance?: boolean;
  /** the gateway's field policy mode (default filter) */
  fieldPolicyMode?: FieldPolicyMode;
  /**
   * where the gateway's supergraph comes from: composed from the subgraphs at start (default), or governance's
   * schema registry, followed live (needs `governance`; the services publish their SDL to it at start)
   */
  supergraph?: 'compose' | 'registry';
  /** the gateway's SAFELIST mode (default off); needs `governance: true`, whose list the gateway polls every 200 ms */
  safelist?: SafelistMode;
  /**
   * the gateway records SLA samples and ships them to governance's `POST /sla/samples` (needs `governance: true`);
   * `reportMs` defaults to 5 s, `recorder` takes a fake clock or a fixed source
   */
  slaReporting?: Pick<SlaReportingSettings, 'reportMs' | 'recorder'>;
  /** with governance: more of its environment (e.g. `REGISTRY_DEPRECATION_GRACE_DAYS`) */
  governanceEnv?: Record<string, string>;
  /**
   * the services publish their SDL to governance's registry at start (default: with `supergraph: 'registry'`); off,
   * stacks that do not need the registry start with less work
   */
  publishSchemas?: boolean;
  /**
   * governance runs the cross-system workflows (needs `governance: true`): its workers write through this stack's
   * gateway as the integration identity, with short backoffs; more WORKFLOW_* settings go in `governanceEnv`
   */
  workflows?: boolean;
  /**
   * governance serves the console (/console, from governance/console/dist) with dev sign-in (the test caller key)
   * and this stack's gateway as its data source; the gateway allows governance's origin (needs `governance: true`)
   */
  console?: boolean;
}

/** Waits until the registry's served supergraph has a version of every service (60 s at most). */
async function everyServicePublished(governanceOrigin: string, token: string): Promise<void> {
  const expected = [...SUBGRAPHS, 'governance'].sort().join(',');
  const deadline = Date.now() + 60_000;
  let seen = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${governanceOrigin}/registry/supergraph`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) {
      const { subgraphs } = (await response.json()) as { subgraphs: { name: string }[] };
      seen = subgraphs
        .map((subgraph) => subgraph.name)
        .sort()
        .join(',');
      if (seen === expected) {
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the services did not all publish their schemas within 60 s (the registry serves: ${seen || 'nothing'})`);
}

/**
 * The whole federation on ephemeral ports: CRM, ERP and PSA as separate processes from their built output (each
 * migrating its schema of one fresh database), and the Concord gateway composing them in this process.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (options.safelist && options.safelist !== 'off' && !options.governance) {
    throw new Error('the operation safelist comes from governance: start the stack with governance: true');
  }
  if (options.workflows && !options.governance) {
    throw new Error('workflows run in governance: start the stack with governance: true');
  }
  if (options.console && !options.governance) {
    throw new Error('the console is served by governance: start the stack with governance: true');
  }
  if (options.slaReporting && !options.governance) {
    throw new Error('slaReporting needs governance: true (the samples go to its /sla/samples)');
  }
  const database = await createTestDatabase();
  // the subgraphs trust the test context key, which the gateway below signs with
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    CONTEXT_VERIFY_KEY: testContextKeys().publicKeyPem,
    POLICY_POLL_MS: '500',
  };
  const scratch = join(tmpdir(), `${database.name}-stack`);
  mkdirSync(scratch, { recursive: true });
  let governance: ServiceProcess | undefined;
  // the workflow workers and the console need the gateway's address before it exists
  const gatewayPort = options.workflows || options.console ? await freePort() : 0;
  if (options.governance) {
    // the services' shared secret: governance refuses ledger ingest and policy reads without it
    env.GOVERNANCE_TOKEN = randomBytes(24).toString('base64url');
    env.SCHEMA_PUBLISH = (options.publishSchemas ?? options.supergraph === 'registry') ? 'on' : 'off';
    const port = await freePort();
    governance = new ServiceProcess('governance', port, {
      ...env,
      GOVERNANCE_JOBS: 'off',
      AUDIT_KEY_DIR: join(tmpdir(), `${database.name}-keys`),
      // the audit export verifies callers' JWTs itself
      JWT_PUBLIC_KEY: testCallerKeys().publicKeyPem,
      JWT_ISSUER: TEST_JWT_ISSUER,
      JWT_AUDIENCE: TEST_JWT_AUDIENCE,
      WORKFLOWS: options.workflows ? 'on' : 'off',
      ...(options.workflows
        ? {
            WORKFLOW_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
            WORKFLOW_SIGNING_KEY: testCallerKeys().privateKeyPem,
            WORKFLOW_POLL_MS: '100',
            WORKFLOW_BACKOFF_MS: '300',
            WORKFLOW_MAX_BACKOFF_MS: '1000',
            // about 30 s of retries: a subgraph restarted on a busy machine is back before the run gives up
            WORKFLOW_MAX_ATTEMPTS: '30',
            // a killed governance's runs are taken over soon after it restarts
            WORKFLOW_LEASE_MS: '3000',
          }
        : {}),
      ...(options.console
        ? {
            CONSOLE_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
            CONSOLE_DEV_SIGN_IN_KEY: testCallerKeys().privateKeyPem,
          }
        : { CONSOLE: 'off' }),
      ...options.governanceEnv,
    });
    env.AUDIT_INGEST_URL = `${governance.origin}/audit/events`;
  }
  const policySettings: GatewayPolicySettings = {
    enabled: true,
    pollMs: 500,
    mode: options.fieldPolicyMode ?? 'filter',
    safelist: options.safelist,
    safelistPollMs: 200,
  };
  if (governance) {
    env.GOVERNANCE_URL = governance.origin;
    policySettings.governanceUrl = governance.origin;
    policySettings.governanceToken = env.GOVERNANCE_TOKEN;
    policySettings.cacheFile = join(scratch, 'gateway-bundle.json');
  } else {
    env.POLICY_PATH = policySettings.policyPath = join(scratch, 'policy.json');
    writeFileSync(env.POLICY_PATH, JSON.stringify(defaultPolicyBundle()));
  }
  const subgraphs = {} as Record<SubgraphName, ServiceProcess>;
  for (const name of SUBGRAPHS) {
    subgraphs[name] = new ServiceProcess(name, await freePort(), { ...env, POLICY_CACHE_FILE: join(scratch, `${name}-bundle.json`) });
  }
  const policy = createGatewayPolicy(policySettings, createLogger('gateway', 'silent'));
  const sla = createSlaReporting(
    {
      enabled: options.slaReporting !== undefined,
      governanceUrl: governance?.origin,
      governanceToken: env.GOVERNANCE_TOKEN,
      ...options.slaReporting,
    },
    createLogger('gateway', 'silent'),
  );
  // the last SLA samples go out while governance still listens
  const stopSubgraphs = () =>
    sla
      .stop()
      .then(() => Promise.allSettled([...SUBGRAPHS.map((name) => subgraphs[name].stop()), governance?.stop(), policy.stop()]))
      .then(() => rmSync(scratch, { recursive: true, force: true }));
  try {
    await Promise.all([...SUBGRAPHS.map((name) => subgraphs[name].waitUntilHealthy()), governance?.waitUntilHealthy()]);
    await options.beforeGateway?.(database.url);
    const logger = createLogger('gateway', 'silent');
    const identity = createGatewayIdentity(
      {
        jwtPublicKey: testCallerKeys().publicKeyPem,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        contextSigningKey: testContextKeys().privateKeyPem,
      },
      { logger },
    );
    await policy.start();
    const gateway = await startGateway({
      ...identity.options,
      operationSteps: policy.operationSteps,
      healthChecks: policy.healthChecks,
      slaRecorder: sla.recorder,
      port: gatewayPort,
      corsOrigins: options.console && governance ? [governance.origin] : undefined,
      registry:
        governance && options.supergraph === 'registry'
          ? {
              governanceUrl: governance.origin,
              headers: { authorization: `Bearer ${env.GOVERNANCE_TOKEN}` },
              pollMs: 200,
              requiredSubgraphs: [...SUBGRAPHS, 'governance'],
            }
          : undefined,
      subgraphs: [
        ...SUBGRAPHS.map((name) => ({ name, url: subgraphs[name].graphqlUrl })),
        ...(governance ? [{ name: 'governance', url: governance.graphqlUrl }] : []),
      ],
      subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
      healthCacheMs: 0,
      logger,
    });
    await gateway.ready;
    if (governance && env.SCHEMA_PUBLISH === 'on') {
      // each service publishes its SDL at start, in its own time (ERP waits for PSA's): a test that publishes a
      // version of its own must come after theirs, or a late start-up publish would replace it
      await everyServicePublished(governance.origin, env.GOVERNANCE_TOKEN);
    }
    return {
      database,
      auth: await bearerFor(E2E_CALLER),
      subgraphs,
      governance,
      governanceToken: governance ? env.GOVERNANCE_TOKEN : undefined,
      gateway,
      sla,
      usage: policy.usage,
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
