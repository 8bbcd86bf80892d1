import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ErrorCode } from '@concord/common';
import { asCaller, compareCommittedSchema, pendingSchemaChanges, postGraphQL, testCallerJwt, useTestService } from '@concord/testing';
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
      'client_usage',
      'exception_case',
      'migrations',
      'ownership_change',
      'policy_bundle',
      'registered_operation',
      'schema_approval',
      'schema_check',
      'schema_version',
      'service_level_objective',
      'sla_incident',
      'sla_incident_event',
      'sla_notification',
      'sla_sample',
      'subgraph',
      'supergraph_version',
      'workflow_run',
      'workflow_run_event',
    ]);
  });

  it('should not accept an unknown subgraph status', async () => {
    const insert = sut.dataSource.query(
      `INSERT INTO governance.subgraph (name, routing_url, status) VALUES ('crm', 'http://x/graphql', 'MAYBE')`,
    );

    await expect(insert).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint: 'ck_subgraph_status' }) });
  });

  describe('GraphQL (subgraph governance)', () => {
    it('matches the committed schema.graphql (UPDATE_SCHEMAS=1 rewrites it)', async () => {
      const { committed, actual } = await compareCommittedSchema(sut.graphqlUrl, join(__dirname, '../../schema.graphql'));

      expect(actual).toEqual(committed);
    });

    it("should publish the auditors' and data stewards' API in its federation SDL", async () => {
      const { data } = await postGraphQL<{ _service: { sdl: string } }>(sut.graphqlUrl, '{ _service { sdl } }');
      const sdl = data!._service.sdl;

      expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
      for (const definition of [
        'type AuditEvent ',
        'type AuditActor ',
        'type AuditEventConnection ',
        'type AuditVerification ',
        'input AuditEventFilter ',
        'scalar JSON',
        'type OwnershipRule ',
        'type OwnershipChange ',
        'type PolicyVersionConnection ',
        'enum OwnershipChangeStatus ',
      ]) {
        expect(sdl).toContain(definition);
      }
      for (const field of [
        'auditEvents(',
        'auditEvent(eventId: ID!): AuditEvent',
        'auditVerification: AuditVerification!',
        'ownershipRules: [OwnershipRule!]!',
        'ownershipChanges(',
        'policyVersions(',
        'requestOwnershipChange(input: RequestOwnershipChangeInput!): OwnershipChange!',
        'approveOwnershipChange(id: ID!): OwnershipChange!',
        'rejectOwnershipChange(id: ID!, reason: String!): OwnershipChange!',
      ]) {
        expect(sdl).toContain(field);
      }
    });
  });

  describe('without CONTEXT_VERIFY_KEY and JWT keys', () => {
    let unconfigured: INestApplication;
    let url = '';

    beforeAll(async () => {
      // a second instance on the same (migrated) database, built without the test harness's key override
      const { url: databaseUrl } = sut.dataSource.options as { url: string };
      unconfigured = await NestFactory.create(GovernanceModule.forRoot({ databaseUrl, subgraphs: [], jobs: false, logLevel: 'silent' }), {
        logger: false,
      });
      await unconfigured.listen(0, '127.0.0.1');
      url = (await unconfigured.getUrl()).replace('[::1]', '127.0.0.1');
    });

    afterAll(async () => {
      await unconfigured?.close();
    });

    it('should refuse every GraphQL request with 503, whatever token it carries, and keep the rest running', async () => {
      const result = await postGraphQL(
        `${url}/graphql`,
        '{ auditVerification { ok } }',
        undefined,
        asCaller({ sub: 'ada', roles: ['auditor'] }),
      );
      const health = await fetch(`${url}/health`);

      expect(result.status).toBe(503);
      expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(health.status).toBe(200);
    });

    it('should refuse the export with 503 while no key verifies callers', async () => {
      const response = await fetch(`${url}/audit/export`, {
        headers: { authorization: `Bearer ${await testCallerJwt({ sub: 'ada', roles: ['auditor'] })}` },
      });

      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    });
  });
});
