import { defaultPolicyBundle, type OwnershipRule } from '@concord/policy';
import { applyPolicyChanges, parsePolicyChanges, withOwner } from './policy-changes';
import { PolicyExceptionCode } from './policy.exception';

const next = { version: 2, createdAt: '2025-02-01T00:00:00.000Z' };

describe('applyPolicyChanges', () => {
  const current = defaultPolicyBundle({ createdAt: '2025-01-01T00:00:00.000Z' });

  it('should set, add and remove keys and report each change before and after', () => {
    const sut = applyPolicyChanges(
      current,
      parsePolicyChanges({
        classifications: { 'Project.name': 'PII', 'Project.id': 'PUBLIC' },
        roles: { system: null, reviewer: { description: 'reads', classifications: ['PUBLIC'], rules: [] } },
      }),
      next,
    );

    expect(sut.bundle).toMatchObject({ version: 2, createdAt: next.createdAt });
    expect(sut.bundle.classifications['Project.name']).toBe('PII');
    expect(sut.bundle.roles.system).toBeUndefined();
    expect(sut.bundle.roles.reviewer.classifications).toEqual(['PUBLIC']);
    expect(sut.before).toEqual({
      classifications: { 'Project.name': 'INTERNAL' },
      roles: { system: current.roles.system, reviewer: null },
    });
    expect(sut.after).toEqual({
      classifications: { 'Project.name': 'PII' },
      roles: { system: null, reviewer: { description: 'reads', classifications: ['PUBLIC'], rules: [] } },
    });
    expect(sut.changedFields).toEqual(['roles.system', 'roles.reviewer', 'classifications.Project.name']);
    expect(current.classifications['Project.name']).toBe('INTERNAL');
  });

  it('should refuse changes that change nothing', () => {
    expect(() => applyPolicyChanges(current, { classifications: { 'Project.id': 'PUBLIC' }, ownership: {} }, next)).toThrow(
      expect.objectContaining({ code: PolicyExceptionCode.NOTHING_CHANGES }),
    );
  });

  it.each([
    [{ classifications: { 'Project.name': 'SECRET' } }, /classifications\.Project\.name/],
    [{ classifications: { 'not a coordinate': 'PUBLIC' } }, /classifications\.not a coordinate/],
    [{ ownership: { Project: { owner: 'sap' } } }, /ownership\.Project\.owner/],
    [{ roles: { sales: { description: 'x' } } }, /roles\.sales/],
    [{ policies: {} }, /policies|unrecognized/i],
  ])('should refuse the invalid changes %j', (changes, message) => {
    expect(() => parsePolicyChanges(changes)).toThrow(
      expect.objectContaining({ code: PolicyExceptionCode.INVALID_CHANGES, message: expect.stringMatching(message) }),
    );
  });
});

describe('withOwner', () => {
  const rule: OwnershipRule = { owner: 'psa', fields: { invoiceId: 'erp', invoiceLineId: 'erp' } };

  it('should add a field exception, and drop it when the field returns to the entity owner', () => {
    const changed = withOwner(rule, 'billRate', 'erp');

    expect(changed).toEqual({ owner: 'psa', fields: { invoiceId: 'erp', invoiceLineId: 'erp', billRate: 'erp' } });
    expect(withOwner(withOwner(changed, 'billRate', 'psa'), 'invoiceId', 'psa')).toEqual({
      owner: 'psa',
      fields: { invoiceLineId: 'erp' },
    });
  });

  it('should change the entity owner and drop the exceptions that now agree with it, keeping approvalRequired', () => {
    expect(withOwner({ ...rule, approvalRequired: true }, null, 'erp')).toEqual({ owner: 'erp', approvalRequired: true });
    expect(withOwner({ owner: 'crm', fields: { arBalance: 'erp', projects: 'psa' } }, undefined, 'erp')).toEqual({
      owner: 'erp',
      fields: { projects: 'psa' },
    });
  });
});
