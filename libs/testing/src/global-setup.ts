import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@concord/common';
import { TEST_RUN_ENV, TEST_SERVER_ENV } from './test-database';

declare global {
  var __concordEmbedded: { stop(): Promise<void> } | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Provides the PostgreSQL the tests run against: TEST_DATABASE_URL's server when set (CI uses the machine's),
 * else an embedded PostgreSQL in a temporary folder on a free port, so `npm test` works on a fresh machine.
 */
export default async function globalSetup(): Promise<void> {
  process.env[TEST_RUN_ENV] = `concord_test_${Date.now().toString(36)}_${process.pid}`;
  if (process.env.TEST_DATABASE_URL) {
    process.env[TEST_SERVER_ENV] = process.env.TEST_DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'concord-test-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  globalThis.__concordEmbedded = embedded;
  process.env[TEST_SERVER_ENV] = embedded.url;
}
