import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { migrate } from '@concord/common';
import { inputValidation } from '@concord/graphql';

export interface RunningService {
  app: INestApplication;
  url: string;
  graphqlUrl: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Boots a Nest service on an ephemeral port against a test database, migrated. */
export async function startTestService(module: DynamicModule, schema: string): Promise<RunningService> {
  const app = await NestFactory.create(module, { logger: false });
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
  return sql.upQueries
    .map((query) => query.query.trim())
    .filter((query) => !/DROP CONSTRAINT "(fk|ck)_/.test(query));
}
