import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@concord/common';
import { defaultPolicyBundle } from '@concord/policy';
import { asCaller, postGraphQL, useTestService, type RunningService } from '@concord/testing';
import { GovernanceModule } from '../../app.module';
import { PolicyBundleService } from '../policy-bundle.service';

const ann = { sub: 'steward-ann', roles: ['data_steward'] };
const bob = { sub: 'steward-bob', roles: ['data_steward'] };

function useGovernance(): RunningService {
  let keyDir = '';
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-steward-keys-'));
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  return useTestService(
    (databaseUrl) => GovernanceModule.forRoot({ databaseUrl, subgraphs: [], jobs: false, logLevel: 'silent', audit: { keyDir } }),
    'governance',
  );
}

const CHANGE_FIELDS = `id entity field ownerBefore ownerAfter reason requestedBy requestedAt status approvedBy rejectedBy
  rejectionReason decidedAt bundleVersion`;
const REQUEST = `mutation Request($input: RequestOwnershipChangeInput!) { requestOwnershipChange(input: $input) { ${CHANGE_FIELDS} } }`;
const APPROVE = `mutation Approve($id: ID!) { approveOwnershipChange(id: $id) { ${CHANGE_FIELDS} } }`;
const REJECT = `mutation Reject($id: ID!, $reason: String!) { rejectOwnershipChange(id: $id, reason: $reason) { ${CHANGE_FIELDS} } }`;
const RULES = '{ ownershipRules { entity owner fields { field owner } approvalRequired } }';

describe('Data steward API', () => {
  const sut = useGovernance();
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(sut.graphqlUrl, query, variables, asCaller(caller));
  const ruleOf = async (entity: string) => {
    const { data } = await gql(ann, RULES);
    return data!.ownershipRules.find((rule: any) => rule.entity === entity);
  };
  const deniedEvents = (sub: string): Promise<any[]> =>
    sut.dataSource.query(
      `SELECT entity, entity_id, actor, after, reason FROM governance.audit_event WHERE action = 'denied' AND actor->>'sub' = $1 ORDER BY position`,
      [sub],
    );
  const ledgerEvents = (): Promise<any[]> =>
    sut.dataSource.query(
      `SELECT action, entity, entity_id, actor, after, reason FROM governance.audit_event WHERE action = 'ownership.change' ORDER BY position`,
    );

  describe('ownershipRules', () => {
    it('should list the rules of the bundle in force, field exceptions and approval included', async () => {
      const { data, errors } = await gql(ann, RULES);

      expect(errors).toBeUndefined();
      expect(data!.ownershipRules).toHaveLength(Object.keys(defaultPolicyBundle().ownership).length);
      expect(data!.ownershipRules.map((rule: any) => rule.entity)).toEqual(
        [...data!.ownershipRules.map((rule: any) => rule.entity)].sort(),
      );
      expect(data!.ownershipRules).toEqual(
        expect.arrayContaining([
          {
            entity: 'TimeEntry',
            owner: 'psa',
            fields: [
              { field: 'invoiceId', owner: 'erp' },
              { field: 'invoiceLineId', owner: 'erp' },
            ],
            approvalRequired: false,
          },
          { entity: 'Contract', owner: 'erp', fields: [], approvalRequired: true },
        ]),
      );
    });
  });

  describe('requestOwnershipChange', () => {
    it('should apply a change to a rule without approval at once, as a new version by the calling steward', async () => {
      const { data, errors } = await gql(ann, REQUEST, {
        input: { entity: 'Assignment', field: 'billRate', owner: 'erp', reason: 'rates come from the ERP rate cards' },
      });

      expect(errors).toBeUndefined();
      expect(data!.requestOwnershipChange).toMatchObject({
        entity: 'Assignment',
        field: 'billRate',
        ownerBefore: 'psa',
        ownerAfter: 'erp',
        requestedBy: 'steward-ann',
        status: 'APPLIED',
        approvedBy: null,
        bundleVersion: 2,
        requestedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        decidedAt: expect.stringMatching(/Z$/),
      });
      expect(await ruleOf('Assignment')).toEqual({
        entity: 'Assignment',
        owner: 'psa',
        fields: [{ field: 'billRate', owner: 'erp' }],
        approvalRequired: false,
      });
      expect((await ledgerEvents()).at(-1)).toMatchObject({
        entity: 'OwnershipRule',
        entity_id: 'Assignment.billRate',
        actor: { sub: 'steward-ann', roles: ['data_steward'] },
        reason: 'rates come from the ERP rate cards',
      });
    });

    it('should keep a change to a rule that requires approval PENDING', async () => {
      const { data } = await gql(ann, REQUEST, { input: { entity: 'Contract', owner: 'crm', reason: 'contracts are signed in the CRM' } });

      expect(data!.requestOwnershipChange).toMatchObject({ entity: 'Contract', field: null, status: 'PENDING', bundleVersion: null });
      expect(await ruleOf('Contract')).toMatchObject({ owner: 'erp' });
    });

    it.each([
      ['an unknown entity', { entity: 'Spaceship', owner: 'crm', reason: 'x' }, ErrorCode.NOT_FOUND],
      ['an unknown system', { entity: 'Client', owner: 'sap', reason: 'x' }, ErrorCode.BAD_USER_INPUT],
      ['a blank reason', { entity: 'Client', owner: 'erp', reason: '   ' }, ErrorCode.BAD_USER_INPUT],
      ['the owner it has already', { entity: 'Client', owner: 'crm', reason: 'x' }, ErrorCode.BAD_USER_INPUT],
      ['a second request while one is pending', { entity: 'Contract', owner: 'psa', reason: 'x' }, ErrorCode.CONFLICT],
    ])('should refuse %s', async (_name, input, code) => {
      const { data, errors } = await gql(ann, REQUEST, { input });

      expect(data).toBeNull();
      expect(errors?.[0].extensions?.code).toBe(code);
    });
  });

  describe('approveOwnershipChange and rejectOwnershipChange', () => {
    const pendingId = async (entity: string): Promise<string> => {
      const { data } = await gql(ann, `{ ownershipChanges(status: PENDING) { id entity } }`);
      return data!.ownershipChanges.find((change: any) => change.entity === entity).id;
    };

    it('should not let a steward approve their own change (FORBIDDEN), and leave it pending', async () => {
      const id = await pendingId('Contract');

      const { data, errors } = await gql(ann, APPROVE, { id });

      expect(data).toBeNull();
      expect(errors?.[0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'SELF_APPROVAL' });
      expect(await pendingId('Contract')).toBe(id);
      expect(await deniedEvents(ann.sub)).toEqual([
        expect.objectContaining({ entity: 'OwnershipChange', entity_id: id, reason: expect.stringMatching(/^SELF_APPROVAL: /) }),
      ]);
    });

    it("should apply another steward's approval as a new version, recording both stewards", async () => {
      const id = await pendingId('Contract');
      const before = await sut.app.get(PolicyBundleService).latestVersion();

      const { data, errors } = await gql(bob, APPROVE, { id });

      expect(errors).toBeUndefined();
      expect(data!.approveOwnershipChange).toMatchObject({
        id,
        status: 'APPLIED',
        requestedBy: 'steward-ann',
        approvedBy: 'steward-bob',
        bundleVersion: before! + 1,
      });
      expect(await ruleOf('Contract')).toMatchObject({ owner: 'crm', approvalRequired: true });
      expect((await ledgerEvents()).at(-1)).toMatchObject({
        entity_id: 'Contract',
        actor: { sub: 'steward-bob', roles: ['data_steward'] },
        after: { owner: 'crm', changeId: id, requestedBy: 'steward-ann', approvedBy: 'steward-bob' },
      });
    });

    it('should close a change rejected with a reason without applying it, and refuse a second decision (CONFLICT)', async () => {
      const requested = await gql(ann, REQUEST, { input: { entity: 'Invoice', owner: 'psa', reason: 'time and material' } });
      const { id } = requested.data!.requestOwnershipChange;
      const version = await sut.app.get(PolicyBundleService).latestVersion();

      const rejected = await gql(bob, REJECT, { id, reason: 'invoices stay in the ERP' });
      const again = await gql(bob, APPROVE, { id });

      expect(rejected.data!.rejectOwnershipChange).toMatchObject({
        id,
        status: 'REJECTED',
        rejectedBy: 'steward-bob',
        rejectionReason: 'invoices stay in the ERP',
        bundleVersion: null,
      });
      expect(await sut.app.get(PolicyBundleService).latestVersion()).toBe(version);
      expect(await ruleOf('Invoice')).toMatchObject({ owner: 'erp' });
      expect(again.errors?.[0].extensions).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'NOT_PENDING' });
    });

    it('should answer NOT_FOUND for a change that does not exist', async () => {
      const { errors } = await gql(bob, APPROVE, { id: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f' });

      expect(errors?.[0].extensions?.code).toBe(ErrorCode.NOT_FOUND);
    });
  });

  describe('ownershipChanges and policyVersions', () => {
    it('should list the requests latest first, optionally in one status', async () => {
      const all = await gql(ann, '{ ownershipChanges { entity status } }');
      const rejected = await gql(ann, '{ ownershipChanges(status: REJECTED) { entity status } }');

      expect(all.data!.ownershipChanges).toEqual([
        { entity: 'Invoice', status: 'REJECTED' },
        { entity: 'Contract', status: 'APPLIED' },
        { entity: 'Assignment', status: 'APPLIED' },
      ]);
      expect(rejected.data!.ownershipChanges).toEqual([{ entity: 'Invoice', status: 'REJECTED' }]);
    });

    it('should page through the version history, latest first', async () => {
      const query = `query Versions($after: String) { policyVersions(first: 2, after: $after) {
        edges { node { version actor reason createdAt sha256 } } pageInfo { hasNextPage endCursor } } }`;

      const first = await gql(ann, query);
      const second = await gql(ann, query, { after: first.data!.policyVersions.pageInfo.endCursor });

      expect(first.data!.policyVersions.edges.map((edge: any) => edge.node.version)).toEqual([3, 2]);
      expect(first.data!.policyVersions.pageInfo.hasNextPage).toBe(true);
      expect(first.data!.policyVersions.edges[0].node).toMatchObject({
        actor: 'steward-bob',
        reason: expect.stringMatching(/^ownership of Contract: erp → crm: contracts are signed in the CRM$/),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(second.data!.policyVersions.edges.map((edge: any) => edge.node)).toEqual([
        expect.objectContaining({ version: 1, actor: 'system', reason: 'the default policy bundle' }),
      ]);
      expect(second.data!.policyVersions.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('authorization', () => {
    const OPERATIONS: [string, string, Record<string, unknown>?][] = [
      ['ownershipRules', RULES],
      ['ownershipChanges', '{ ownershipChanges { id } }'],
      ['policyVersions', '{ policyVersions { edges { node { version } } } }'],
      ['requestOwnershipChange', REQUEST, { input: { entity: 'Client', owner: 'erp', reason: 'x' } }],
      ['approveOwnershipChange', APPROVE, { id: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f' }],
      ['rejectOwnershipChange', REJECT, { id: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f', reason: 'x' }],
    ];

    it.each(['auditor', 'executive', 'finance', 'sales', 'integration'])(
      'should not let a caller with role %s read or change ownership rules (FORBIDDEN)',
      async (role) => {
        for (const [field, query, variables] of OPERATIONS) {
          const { data, errors } = await gql({ sub: `user-${role}`, roles: [role] }, query, variables);

          expect(data).toBeNull();
          expect(errors?.map((error) => [error.path?.[0], error.extensions?.code])).toEqual([[field, ErrorCode.FORBIDDEN]]);
        }
        expect((await gql(ann, '{ ownershipChanges { id } }')).data!.ownershipChanges).toHaveLength(3);
        // every refusal is a denied attempt in the ledger, with the caller
        const denied = await deniedEvents(`user-${role}`);
        expect(denied).toHaveLength(OPERATIONS.length);
        expect(denied.map((event) => event.after.operation)).toEqual(OPERATIONS.map(([field]) => `StewardResolver.${field}`));
        expect(denied[0]).toMatchObject({
          entity: 'OwnershipRule',
          actor: { sub: `user-${role}`, roles: [role] },
          reason: expect.stringMatching(/^FORBIDDEN: /),
        });
      },
    );
  });
});
