import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestService, type RunningService } from '@concord/testing';
import { GovernanceModule, type GovernanceModuleOptions } from '../app.module';

type Overrides = Partial<Omit<GovernanceModuleOptions, 'databaseUrl'>>;

/**
 * Governance on a fresh database (the default bundle stored at start), a dev ledger key in a temporary directory.
 * `overrides` (options, or a function read when the service starts: after the hooks registered before this call)
 * replace the test defaults, e.g. an SLA clock.
 */
export function useGovernance(overrides: Overrides | (() => Overrides) = {}): RunningService {
  let keyDir = '';
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-governance-keys-'));
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  return useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({
        databaseUrl,
        subgraphs: [],
        jobs: false,
        logLevel: 'silent',
        poolSize: 10,
        audit: { keyDir },
        ...(typeof overrides === 'function' ? overrides() : overrides),
      }),
    'governance',
  );
}

/** One JSON request to governance's REST API: status and parsed body. */
export async function callGovernance(service: RunningService, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
