import { ErrorCode, type AuditActor } from '@concord/common';
import { defaultPolicyBundle, parsePolicyBundle, type PolicyBundle } from '@concord/policy';
import type { RunningService } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { OwnershipChangeStatus } from '../ownership-change.entity';
import { OwnershipService } from '../ownership.service';
import { PolicyBundleService, bundleSha256 } from '../policy-bundle.service';
import { PolicyExceptionCode } from '../policy.exception';

const steward: AuditActor = { sub: 'steward-ann', roles: ['data_steward'] };
const otherSteward: AuditActor = { sub: 'steward-bob', roles: ['data_steward'] };

async function getBundle(service: RunningService, path = '/policy/bundle', headers: Record<string, string> = {}) {
  const response = await fetch(`${service.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The ledger's governance events, oldest first. */
async function governanceEvents(service: RunningService): Promise<any[]> {
  return service.dataSource.query(
    `SELECT action, entity, entity_id, actor, before, after, changed_fields, reason, policy_version
     FROM governance.audit_event WHERE service = 'governance' ORDER BY position`,
  );
}

/** Drops the fields that change with every start, to compare a bundle with the default. */
const withoutCreatedAt = ({ createdAt: _createdAt, ...rest }: PolicyBundle) => rest;

describe(PolicyBundleService.name, () => {
  const service = useGovernance();
  const sut = () => service.app.get(PolicyBundleService);

  describe('the default bundle', () => {
    it('should be stored as version 1 at start and served with its ETag', async () => {
      const { status, headers, body } = await getBundle(service);

      expect(status).toBe(200);
      expect(headers.get('etag')).toBe('"v1"');
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(headers.get('x-policy-sha256')).toBe(bundleSha256(body));
      expect(withoutCreatedAt(parsePolicyBundle(body))).toEqual(withoutCreatedAt(defaultPolicyBundle()));
      expect(await sut().history()).toEqual([
        { version: 1, sha256: bundleSha256(body), actor: 'system', reason: 'the default policy bundle', createdAt: body.createdAt },
      ]);
    });

    it('should be stored once when replicas start together', async () => {
      const stored = await Promise.all(Array.from({ length: 5 }, () => sut().ensureDefaultBundle()));

      expect(stored).toEqual([false, false, false, false, false]);
      expect(await service.dataSource.query('SELECT count(*)::int AS count FROM governance.policy_bundle WHERE version = 1')).toEqual([
        { count: 1 },
      ]);
    });

    it.each(['"v1"', 'W/"v1"', '"v0", "v1"', '*'])('should answer 304 Not Modified to If-None-Match: %s', async (ifNoneMatch) => {
      const { status, headers, body } = await getBundle(service, '/policy/bundle', { 'if-none-match': ifNoneMatch });

      expect(status).toBe(304);
      expect(headers.get('etag')).toBe('"v1"');
      expect(body).toBeUndefined();
    });
  });

  describe('publish', () => {
    it('should store the changes as the next version, served in place of the previous one', async () => {
      const before = await sut().current();

      const published = await sut().publish({ classifications: { 'Project.name': 'PII' } }, steward, 'project names reveal client deals');

      expect(published.version).toBe(before.version + 1);
      const latest = await getBundle(service, '/policy/bundle', { 'if-none-match': `"v${before.version}"` });
      expect(latest.status).toBe(200);
      expect(latest.headers.get('etag')).toBe(`"v${published.version}"`);
      expect(latest.body.classifications['Project.name']).toBe('PII');
      expect(withoutCreatedAt(latest.body)).toEqual(
        withoutCreatedAt({ ...before, version: published.version, classifications: { ...before.classifications, 'Project.name': 'PII' } }),
      );
      const previous = await getBundle(service, `/policy/bundle/${before.version}`);
      expect(previous.status).toBe(200);
      expect(previous.body).toEqual(before);
    });

    it('should record a policy.publish event with the changed keys before and after', async () => {
      const published = await sut().publish(
        { classifications: { 'Client.industry': 'FINANCIAL' }, ownership: { Task: { owner: 'psa', approvalRequired: true } } },
        steward,
        'industry drives pricing',
      );

      const events = await governanceEvents(service);
      expect(events.at(-1)).toEqual({
        action: 'policy.publish',
        entity: 'PolicyBundle',
        entity_id: String(published.version),
        actor: steward,
        before: { classifications: { 'Client.industry': 'INTERNAL' }, ownership: { Task: { owner: 'psa' } } },
        after: { classifications: { 'Client.industry': 'FINANCIAL' }, ownership: { Task: { owner: 'psa', approvalRequired: true } } },
        changed_fields: ['classifications.Client.industry', 'ownership.Task'],
        reason: 'industry drives pricing',
        policy_version: String(published.version),
      });
      expect(await service.app.get(AuditLedgerService).verify()).toMatchObject({ ok: true, firstBroken: null });
    });

    it('should keep versions gapless, each built on the one before, when stewards publish at once', async () => {
      const start = (await sut().current()).version;
      const coordinates = ['Task.name', 'Task.weight', 'Task.progress', 'Milestone.name', 'Milestone.targetDate'];

      const published = await Promise.all(
        coordinates.map((coordinate) => sut().publish({ classifications: { [coordinate]: 'PII' } }, steward, `classify ${coordinate}`)),
      );

      expect(published.map((bundle) => bundle.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5].map((offset) => start + offset));
      const latest = await sut().current();
      expect(coordinates.map((coordinate) => latest.classifications[coordinate])).toEqual(coordinates.map(() => 'PII'));
      expect((await sut().history()).map((entry) => entry.version)).toEqual(
        Array.from({ length: start + 5 }, (_, index) => start + 5 - index),
      );
    });

    it.each([
      ['an empty reason', { classifications: { 'Task.name': 'INTERNAL' } }, '  ', PolicyExceptionCode.REASON_REQUIRED],
      ['an unknown class', { classifications: { 'Task.name': 'SECRET' } }, 'why', PolicyExceptionCode.INVALID_CHANGES],
      ['an invalid role', { roles: { sales: { description: 'no classes' } } }, 'why', PolicyExceptionCode.INVALID_CHANGES],
      ['changes that change nothing', { classifications: { 'Task.id': 'PUBLIC' } }, 'why', PolicyExceptionCode.NOTHING_CHANGES],
    ])('should refuse %s with BAD_USER_INPUT and store nothing', async (_case, changes, reason, code) => {
      const before = await sut().history();

      await expect(sut().publish(changes as never, steward, reason)).rejects.toMatchObject({ code, errorCode: ErrorCode.BAD_USER_INPUT });
      expect(await sut().history()).toEqual(before);
    });
  });

  describe('GET /policy/bundle/:version', () => {
    it('should answer 404 NOT_FOUND for a version that does not exist and 400 for one that is not a number', async () => {
      expect(await getBundle(service, '/policy/bundle/9999')).toMatchObject({
        status: 404,
        body: { error: { code: 'NOT_FOUND', reason: 'VERSION_NOT_FOUND' } },
      });
      expect(await getBundle(service, '/policy/bundle/one')).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    });
  });

  describe('the policy_bundle table', () => {
    it.each([
      'UPDATE governance.policy_bundle SET reason = $$tampered$$',
      'DELETE FROM governance.policy_bundle',
      'TRUNCATE governance.policy_bundle CASCADE',
    ])('should refuse %s', async (sql) => {
      await expect(service.dataSource.query(sql)).rejects.toThrow(/append-only/);
    });
  });
});

describe(OwnershipService.name, () => {
  const service = useGovernance();
  const sut = () => service.app.get(OwnershipService);
  const policies = () => service.app.get(PolicyBundleService);

  describe('a rule that needs no approval', () => {
    it('should apply the change at once as a new version, audited', async () => {
      const before = await policies().current();

      const change = await sut().requestOwnershipChange({
        entity: 'RateCard',
        owner: 'crm',
        reason: 'sales ops maintain rate cards now',
        actor: steward,
      });

      expect(change).toMatchObject({
        entity: 'RateCard',
        field: null,
        ownerBefore: 'erp',
        ownerAfter: 'crm',
        status: OwnershipChangeStatus.APPLIED,
        requestedBy: steward.sub,
        approvedBy: null,
        bundleVersion: before.version + 1,
      });
      const after = await policies().current();
      expect(after.version).toBe(before.version + 1);
      expect(after.ownership.RateCard).toEqual({ owner: 'crm' });
      expect((await getBundle(service)).headers.get('etag')).toBe(`"v${after.version}"`);
      expect((await governanceEvents(service)).at(-1)).toEqual({
        action: 'ownership.change',
        entity: 'OwnershipRule',
        entity_id: 'RateCard',
        actor: steward,
        before: { owner: 'erp' },
        after: { owner: 'crm', changeId: change.id, requestedBy: steward.sub, approvedBy: null },
        changed_fields: ['owner'],
        reason: 'sales ops maintain rate cards now',
        policy_version: String(after.version),
      });
    });

    it('should change the owner of one field', async () => {
      const change = await sut().requestOwnershipChange({
        entity: 'TimeEntry',
        field: 'billRate',
        owner: 'erp',
        reason: 'bill rates come from ERP rate cards',
        actor: steward,
      });

      expect(change).toMatchObject({ entity: 'TimeEntry', field: 'billRate', ownerBefore: 'psa', ownerAfter: 'erp', status: 'APPLIED' });
      expect((await policies().current()).ownership.TimeEntry).toEqual({
        owner: 'psa',
        fields: { invoiceId: 'erp', invoiceLineId: 'erp', billRate: 'erp' },
        stored: ['invoiceId', 'invoiceLineId'],
      });
      expect((await governanceEvents(service)).at(-1)).toMatchObject({
        entity_id: 'TimeEntry.billRate',
        changed_fields: ['fields.billRate'],
      });
    });

    it.each([
      ['an empty reason', { entity: 'Task', owner: 'erp', reason: '' }, PolicyExceptionCode.REASON_REQUIRED, ErrorCode.BAD_USER_INPUT],
      ['an unknown system', { entity: 'Task', owner: 'sap', reason: 'why' }, PolicyExceptionCode.INVALID_CHANGES, ErrorCode.BAD_USER_INPUT],
      [
        'an unknown field',
        { entity: 'Task', field: 'colour', owner: 'erp', reason: 'why' },
        PolicyExceptionCode.INVALID_CHANGES,
        ErrorCode.BAD_USER_INPUT,
      ],
      ['the owner it has', { entity: 'Task', owner: 'psa', reason: 'why' }, PolicyExceptionCode.NOTHING_CHANGES, ErrorCode.BAD_USER_INPUT],
      [
        'an entity without a rule',
        { entity: 'Spaceship', owner: 'erp', reason: 'why' },
        PolicyExceptionCode.UNKNOWN_ENTITY,
        ErrorCode.NOT_FOUND,
      ],
    ])('should refuse a request with %s and change nothing', async (_case, request, code, errorCode) => {
      const version = (await policies().current()).version;
      const requests = (await sut().changes()).length;

      await expect(sut().requestOwnershipChange({ ...request, actor: steward })).rejects.toMatchObject({ code, errorCode });
      expect((await policies().current()).version).toBe(version);
      expect(await sut().changes()).toHaveLength(requests);
    });
  });

  describe('a rule that requires approval', () => {
    it('should wait for a second steward, then apply the change as a new version audited with the approver', async () => {
      const before = await policies().current();

      const requested = await sut().requestOwnershipChange({
        entity: 'Contract',
        owner: 'crm',
        reason: 'contracts are signed in CRM',
        actor: steward,
      });

      expect(requested).toMatchObject({ status: 'PENDING', ownerBefore: 'erp', ownerAfter: 'crm', bundleVersion: null, decidedAt: null });
      expect((await policies().current()).version).toBe(before.version);

      const approved = await sut().approve(requested.id, otherSteward);

      expect(approved).toMatchObject({ status: 'APPLIED', approvedBy: otherSteward.sub, bundleVersion: before.version + 1 });
      expect(approved.decidedAt).not.toBeNull();
      expect((await policies().current()).ownership.Contract).toEqual({ owner: 'crm', approvalRequired: true });
      expect((await governanceEvents(service)).at(-1)).toMatchObject({
        action: 'ownership.change',
        entity_id: 'Contract',
        actor: otherSteward,
        after: { owner: 'crm', changeId: requested.id, requestedBy: steward.sub, approvedBy: otherSteward.sub },
      });
      expect(await service.app.get(AuditLedgerService).verify()).toMatchObject({ ok: true });
    });

    it('should not let a steward approve their own change', async () => {
      const requested = await sut().requestOwnershipChange({
        entity: 'Invoice',
        owner: 'psa',
        reason: 'self-billing from PSA',
        actor: steward,
      });

      await expect(sut().approve(requested.id, { ...steward, roles: ['data_steward', 'finance'] })).rejects.toMatchObject({
        code: PolicyExceptionCode.SELF_APPROVAL,
        errorCode: ErrorCode.FORBIDDEN,
      });
      expect(await sut().change(requested.id)).toMatchObject({ status: 'PENDING' });
      expect((await policies().current()).ownership.Invoice.owner).toBe('erp');
    });

    it('should not accept a second request for the same rule while one waits', async () => {
      await expect(
        sut().requestOwnershipChange({ entity: 'Invoice', owner: 'crm', reason: 'another idea', actor: otherSteward }),
      ).rejects.toMatchObject({
        code: PolicyExceptionCode.PENDING_EXISTS,
        errorCode: ErrorCode.CONFLICT,
      });
    });

    it('should reject with a reason, and decide a request only once', async () => {
      const [pending] = await sut().changes({ status: OwnershipChangeStatus.PENDING });
      await expect(sut().reject(pending.id, otherSteward, ' ')).rejects.toMatchObject({
        code: PolicyExceptionCode.REASON_REQUIRED,
        errorCode: ErrorCode.BAD_USER_INPUT,
      });

      const rejected = await sut().reject(pending.id, otherSteward, 'invoices stay legal documents of ERP');

      expect(rejected).toMatchObject({
        status: 'REJECTED',
        rejectedBy: otherSteward.sub,
        rejectionReason: 'invoices stay legal documents of ERP',
        bundleVersion: null,
      });
      await expect(sut().approve(pending.id, otherSteward)).rejects.toMatchObject({
        code: PolicyExceptionCode.NOT_PENDING,
        errorCode: ErrorCode.CONFLICT,
      });
      await expect(sut().reject(pending.id, otherSteward, 'again')).rejects.toMatchObject({ code: PolicyExceptionCode.NOT_PENDING });
      expect((await policies().current()).ownership.Invoice.owner).toBe('erp');
    });

    it('should refuse to apply a request the rule has moved away from since', async () => {
      const requested = await sut().requestOwnershipChange({
        entity: 'Payment',
        owner: 'crm',
        reason: 'card payments taken in CRM',
        actor: steward,
      });
      await policies().publish(
        { ownership: { Payment: { owner: 'psa', approvalRequired: true } } },
        otherSteward,
        'payments recorded by delivery',
      );

      await expect(sut().approve(requested.id, otherSteward)).rejects.toMatchObject({
        code: PolicyExceptionCode.STALE_CHANGE,
        errorCode: ErrorCode.CONFLICT,
      });
      expect((await policies().current()).ownership.Payment.owner).toBe('psa');
    });

    it('should answer NOT_FOUND for an unknown request id', async () => {
      await expect(sut().approve('not-a-uuid', otherSteward)).rejects.toMatchObject({
        code: PolicyExceptionCode.CHANGE_NOT_FOUND,
        errorCode: ErrorCode.NOT_FOUND,
      });
      await expect(sut().approve('0191e7d4-0000-7000-8000-000000000000', otherSteward)).rejects.toMatchObject({
        code: PolicyExceptionCode.CHANGE_NOT_FOUND,
      });
    });
  });

  describe('the ownership_change table', () => {
    it('should refuse to alter a decided request, or to delete any', async () => {
      const [decided] = await sut().changes({ status: OwnershipChangeStatus.APPLIED });

      await expect(
        service.dataSource.query(`UPDATE governance.ownership_change SET owner_after = 'psa' WHERE id = $1`, [decided.id]),
      ).rejects.toThrow(/decided once/);
      await expect(service.dataSource.query(`DELETE FROM governance.ownership_change WHERE id = $1`, [decided.id])).rejects.toThrow(
        /decided once/,
      );
    });
  });
});
