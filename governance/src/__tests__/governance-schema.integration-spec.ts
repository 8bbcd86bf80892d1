import { pendingSchemaChanges, useTestService } from '@concord/testing';
import { GovernanceModule } from '../app.module';

describe('Governance database schema', () => {
  const sut = useTestService(
    (databaseUrl) => GovernanceModule.forRoot({ databaseUrl, subgraphs: [], jobs: false, logLevel: 'silent' }),
    'governance',
  );

  it('has migrations that produce exactly the entities', async () => {
    expect(await pendingSchemaChanges(sut.dataSource)).toEqual([]);
  });

  it('keeps its tables in the governance schema', async () => {
    const rows: { table_name: string }[] = await sut.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'governance' ORDER BY table_name`,
    );

    expect(rows.map((row) => row.table_name)).toEqual([
      'audit_checkpoint',
      'audit_event',
      'migrations',
      'ownership_change',
      'policy_bundle',
      'subgraph',
    ]);
  });

  it('should not accept an unknown subgraph status', async () => {
    const insert = sut.dataSource.query(
      `INSERT INTO governance.subgraph (name, routing_url, status) VALUES ('crm', 'http://x/graphql', 'MAYBE')`,
    );

    await expect(insert).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint: 'ck_subgraph_status' }) });
  });
});
