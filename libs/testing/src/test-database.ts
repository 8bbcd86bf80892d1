import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, withDatabase } from '@concord/common';

/** Set by the jest global setup: the server that test databases are created on. */
export const TEST_SERVER_ENV = 'CONCORD_TEST_SERVER_URL';
/** Prefix of every database a test run creates, so teardown can drop leftovers of this run. */
export const TEST_RUN_ENV = 'CONCORD_TEST_RUN';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env[TEST_SERVER_ENV];
  if (!url) {
    throw new Error(`${TEST_SERVER_ENV} is not set: run tests through jest (its global setup provides a PostgreSQL)`);
  }
  return url;
}

/** A fresh, empty database for one test file; services migrate it when they start. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `${process.env[TEST_RUN_ENV] ?? 'concord_test'}_${randomBytes(4).toString('hex')}`;
  await createDatabase(server, name);
  return { url: withDatabase(server, name), name, drop: () => dropDatabase(server, name) };
}
