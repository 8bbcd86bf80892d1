import { ErrorCode, newId, type AuditEvent } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';

const ann = { sub: 'steward-ann', roles: ['data_steward'], teams: ['emea-stewards'] };
const bob = { sub: 'steward-bob', roles: ['data_steward'], teams: ['emea-stewards', 'finance-data'] };
const cat = { sub: 'steward-cat', roles: ['data_steward'], teams: ['apac-stewards'] };
/** a shared team identity, as some identity providers issue for a team's service desk */
const emeaDesk = { sub: 'emea-stewards', roles: ['data_steward'] };
const consultant = { sub: 'con-carl', roles: ['consultant'] };

const CHANGE = `id status requestedBy requestedByTeams onBehalfOfTeam approvedBy selfApprovalReason`;
const REQUEST = `mutation ($input: RequestOwnershipChangeInput!) { requestOwnershipChange(input: $input) { ${CHANGE} } }`;
const APPROVE = `mutation ($id: ID!) { approveOwnershipChange(id: $id) { ${CHANGE} } }`;
const CHANGES = `{ ownershipChanges(status: PENDING) { ${CHANGE} } }`;
const IMPACT = `query ($changeId: ID, $entity: String, $field: String, $owner: String, $days: Int!) {
  ownershipImpact(changeId: $changeId, entity: $entity, field: $field, owner: $owner, days: $days, sampleLimit: 5) {
    entity field ownerBefore ownerAfter days refusedCount writesExamined sampleLimit
    samples { service action entityId actorSub refusedFields correlationId } } }`;

function write(overrides: Partial<AuditEvent>): AuditEvent {
  return {
    eventId: newId(),
    occurredAt: new Date().toISOString(),
    service: 'psa',
    actor: { sub: 'con-carl', roles: ['consultant'] },
    action: 'update',
    entity: 'TimeEntry',
    entityId: newId(),
    before: {},
    after: {},
    changedFields: ['hours'],
    reason: null,
    correlationId: newId(),
    policyVersion: '1',
    ...overrides,
  };
}

describe('four-eyes ownership changes and their impact preview', () => {
  const sut = useGovernance();
  const gql = (caller: { sub: string; roles: string[]; teams?: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(sut.graphqlUrl, query, variables, asCaller(caller));

  describe('approveOwnershipChange through a team', () => {
    it('should refuse a member of the team the change was asked for, and let a steward outside it approve', async () => {
      const requested = await gql(ann, REQUEST, {
        input: {
          entity: 'Contract',
          field: 'renewalThresholdPct',
          owner: 'crm',
          reason: 'sales sets the threshold',
          onBehalfOfTeam: 'emea-stewards',
        },
      });
      const { id } = requested.data!.requestOwnershipChange;

      const bySelf = await gql(ann, APPROVE, { id });
      const byTeamMate = await gql(bob, APPROVE, { id });
      const byTeamIdentity = await gql(emeaDesk, APPROVE, { id });
      const seenByBob = (await gql(bob, CHANGES)).data!.ownershipChanges.find((change: any) => change.id === id);
      const seenByCat = (await gql(cat, CHANGES)).data!.ownershipChanges.find((change: any) => change.id === id);
      const byOutsider = await gql(cat, APPROVE, { id });

      expect(requested.data!.requestOwnershipChange).toMatchObject({
        status: 'PENDING',
        requestedByTeams: ['emea-stewards'],
        onBehalfOfTeam: 'emea-stewards',
        selfApprovalReason: 'a data steward may not approve their own ownership change',
      });
      expect(bySelf.errors![0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'SELF_APPROVAL', via: 'self' });
      expect(byTeamMate.errors![0].extensions).toMatchObject({
        code: ErrorCode.FORBIDDEN,
        reason: 'SELF_APPROVAL',
        via: 'team',
        team: 'emea-stewards',
      });
      expect(byTeamIdentity.errors![0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'SELF_APPROVAL', via: 'team' });
      expect(seenByBob.selfApprovalReason).toMatch(/on behalf of team emea-stewards/);
      expect(seenByCat.selfApprovalReason).toBeNull();
      expect(byOutsider.errors).toBeUndefined();
      expect(byOutsider.data!.approveOwnershipChange).toMatchObject({
        status: 'APPLIED',
        approvedBy: 'steward-cat',
        selfApprovalReason: null,
      });
      const denied: { actor: { sub: string } }[] = await sut.dataSource.query(
        `SELECT actor FROM governance.audit_event WHERE action = 'denied' AND entity = 'OwnershipChange' AND entity_id = $1 ORDER BY position`,
        [id],
      );
      expect(denied.map((event) => event.actor.sub)).toEqual(['steward-ann', 'steward-bob', 'emea-stewards']);
    });

    it('should let a team mate approve a change asked for no team (two people), but not the requester’s team identity', async () => {
      const requested = await gql(ann, REQUEST, {
        input: { entity: 'Contract', field: 'renewalThresholdPct', owner: 'psa', reason: 'delivery tracks consumption' },
      });
      const { id } = requested.data!.requestOwnershipChange;

      const byTeamIdentity = await gql(emeaDesk, APPROVE, { id });
      const byTeamMate = await gql(bob, APPROVE, { id });

      expect(byTeamIdentity.errors![0].extensions).toMatchObject({ reason: 'SELF_APPROVAL', via: 'team', team: 'emea-stewards' });
      expect(byTeamMate.data!.approveOwnershipChange).toMatchObject({ status: 'APPLIED', approvedBy: 'steward-bob' });
    });

    it('should refuse a request on behalf of a team the steward is not in', async () => {
      const { errors } = await gql(cat, REQUEST, {
        input: { entity: 'Contract', owner: 'crm', reason: 'x', onBehalfOfTeam: 'emea-stewards' },
      });

      expect(errors![0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'NOT_A_TEAM_MEMBER' });
    });
  });

  describe('ownershipImpact', () => {
    it('should count the writes of the window the new rule would have refused, with samples, for a proposal and a request', async () => {
      const ledger = sut.app.get(AuditLedgerService);
      const refusedId = newId();
      await ledger.ingest([
        write({ entityId: refusedId, changedFields: ['hours', 'description'] }),
        write({ changedFields: ['description'] }),
        write({ service: 'erp', changedFields: ['hours'] }),
        write({ changedFields: ['hours'], occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString() }),
      ]);

      const proposal = await gql(cat, IMPACT, { entity: 'TimeEntry', field: 'hours', owner: 'erp', days: 30 });
      const wider = await gql(cat, IMPACT, { entity: 'TimeEntry', field: 'hours', owner: 'erp', days: 60 });
      const requested = await gql(cat, REQUEST, {
        input: { entity: 'TimeEntry', field: 'hours', owner: 'erp', reason: 'hours come from the ERP timesheet' },
      });
      const byRequest = await gql(cat, IMPACT, { changeId: requested.data?.requestOwnershipChange.id, days: 30 });
      const byConsultant = await gql(consultant, IMPACT, { entity: 'TimeEntry', owner: 'erp', days: 30 });
      const badWindow = await gql(cat, IMPACT, { entity: 'TimeEntry', owner: 'erp', days: 0 });

      expect(proposal.errors).toBeUndefined();
      expect(proposal.data!.ownershipImpact).toMatchObject({
        entity: 'TimeEntry',
        field: 'hours',
        ownerBefore: 'psa',
        ownerAfter: 'erp',
        days: 30,
        refusedCount: 1,
        writesExamined: 3,
        sampleLimit: 5,
        samples: [{ service: 'psa', action: 'update', entityId: refusedId, actorSub: 'con-carl', refusedFields: ['hours'] }],
      });
      expect(wider.data!.ownershipImpact.refusedCount).toBe(2);
      expect(requested.errors).toBeUndefined();
      expect(byRequest.data!.ownershipImpact).toMatchObject({ field: 'hours', ownerAfter: 'erp', refusedCount: 1 });
      expect(byConsultant.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
      expect(badWindow.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    });
  });
});
