import type { Logger as TypeOrmLogger } from 'typeorm';
import { CrmModule } from '@concord/crm';
import { ErpModule } from '@concord/erp';
import { PsaModule } from '@concord/psa';
import { startGateway, type RunningGateway } from '@concord/gateway';
import { createLogger } from '@concord/common';
import { createTestDatabase, startTestService, type RunningService, type TestDatabase } from '@concord/testing';

export interface Stack {
  database: TestDatabase;
  crm: RunningService;
  erp: RunningService;
  psa: RunningService;
  gateway: RunningGateway;
  close(): Promise<void>;
}

export interface StackOptions {
  /** statement logger shared by the three subgraphs (N+1 tests count statements with it) */
  queryLogger?: TypeOrmLogger;
  /** runs after the subgraphs migrated the fresh database, before the gateway starts */
  beforeGateway?: (databaseUrl: string) => Promise<void>;
  subgraphTimeoutMs?: number;
}

/**
 * The whole federation in this process on ephemeral ports: CRM, ERP and PSA (each migrating its schema of one
 * fresh database) and the Concord gateway composing them.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = await createTestDatabase();
  const settings = { databaseUrl: database.url, queryLogger: options.queryLogger };
  const crm = await startTestService(CrmModule.forRoot(settings), 'crm');
  const erp = await startTestService(ErpModule.forRoot(settings), 'erp');
  const psa = await startTestService(PsaModule.forRoot(settings), 'psa');
  await options.beforeGateway?.(database.url);
  const gateway = await startGateway({
    port: 0,
    subgraphs: [
      { name: 'crm', url: crm.graphqlUrl },
      { name: 'erp', url: erp.graphqlUrl },
      { name: 'psa', url: psa.graphqlUrl },
    ],
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
    healthCacheMs: 0,
    logger: createLogger('gateway', 'silent'),
  });
  await gateway.ready;
  return {
    database,
    crm,
    erp,
    psa,
    gateway,
    async close() {
      await gateway.close();
      await Promise.allSettled([crm.close(), erp.close(), psa.close()]);
      await database.drop();
    },
  };
}
