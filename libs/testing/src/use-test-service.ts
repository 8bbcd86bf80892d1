import type { DynamicModule } from '@nestjs/common';
import { startTestService, type RunningService } from './service';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * Runs a service for the enclosing `describe`: before its tests, a fresh database is created and the module built
 * on it is started and migrated; after them, the service is closed and the database dropped. Call it first in the
 * block, so its `beforeAll` runs before the block's own (factories, seeding). The returned service is readable
 * from inside tests and hooks, once it runs.
 */
export function useTestService(module: (databaseUrl: string) => DynamicModule, schema: string): RunningService {
  let database: TestDatabase | undefined;
  let service: RunningService | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startTestService(module(database.url), schema);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const running = (): RunningService => {
    if (!service) {
      throw new Error(`the ${schema} test service is not running: read it inside a test or a hook`);
    }
    return service;
  };
  return {
    get app() {
      return running().app;
    },
    get url() {
      return running().url;
    },
    get graphqlUrl() {
      return running().graphqlUrl;
    },
    get dataSource() {
      return running().dataSource;
    },
    close: () => running().close(),
  };
}
