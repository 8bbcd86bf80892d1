import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { migrate } from '@concord/common';
import { CONTEXT_TOKEN_PUBLIC_KEY, inputValidation } from '@concord/graphql';
import { testContextKeys } from './test-identity';

export interface RunningService {
  app: INestApplication;
  url: string;
  graphqlUrl: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Boots a Nest service on an ephemeral port against a test database, migrated. A subgraph trusts the test context
 * key (testContextKeys) instead of the gateway's, so test clients' context tokens are accepted.
 */
export async function startTestService(module: DynamicModule, schema: string): Promise<RunningService> {
  const testing = await Test.createTestingModule({ imports: [module] })
    .overrideProvider(CONTEXT_TOKEN_PUBLIC_KEY)
    .useValue(testContextKeys().publicKeyPem)
    .compile();
  const app = testing.createNestApplication({ logger: false });
  app.useGlobalPipes(inputValidation);
  const dataSource = app.get(DataSource);
  await migrate(dataSource, schema);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, graphqlUrl: `${url}/graphql`, dataSource, close: () => app.close() };
}

/**
 * Fails when entities and migrations disagree: asks TypeORM what it would change to match the entities.
 * Foreign keys and CHECK constraints live only in migrations (entities keep plain id columns), so
 * TypeORM's wish to drop them is not drift.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query.trim()).filter((query) => !/DROP CONSTRAINT "(fk|ck)_/.test(query));
}
