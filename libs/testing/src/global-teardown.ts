import { Client } from 'pg';
import { withDatabase } from '@concord/common';
import { TEST_RUN_ENV, TEST_SERVER_ENV } from './test-database';

/** Drops whatever databases this run left behind (a crashed test file), then stops the embedded server. */
export default async function globalTeardown(): Promise<void> {
  const server = process.env[TEST_SERVER_ENV];
  const run = process.env[TEST_RUN_ENV];
  if (server && run) {
    const client = new Client({ connectionString: withDatabase(server, 'postgres') });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${run}%`]);
      for (const { datname } of rows) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    } finally {
      await client.end();
    }
  }
  await globalThis.__concordEmbedded?.stop();
}
