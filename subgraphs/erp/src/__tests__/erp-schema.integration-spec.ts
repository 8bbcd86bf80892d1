import { join } from 'node:path';
import { compareCommittedSchema, createTestDatabase, pendingSchemaChanges, startTestService, type RunningService, type TestDatabase } from '@concord/testing';
import { ErpModule } from '../app.module';

describe('ERP subgraph schema', () => {
  let database: TestDatabase;
  let sut: RunningService;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestService(ErpModule.forRoot({ databaseUrl: database.url }), 'erp');
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('matches the committed schema.graphql (UPDATE_SCHEMAS=1 rewrites it)', async () => {
    const { committed, actual } = await compareCommittedSchema(sut.graphqlUrl, join(__dirname, '../../schema.graphql'));
    expect(actual).toEqual(committed);
  });

  it('has migrations that produce exactly the entities', async () => {
    expect(await pendingSchemaChanges(sut.dataSource)).toEqual([]);
  });
});
