import type { OwnershipRule } from '@concord/policy';
import { newlyRefused, refusedByRule } from './ownership-impact';

const classified = new Set(['Project.budget', 'Project.name', 'TimeEntry.hours', 'TimeEntry.invoiceId']);
const isField = (coordinate: string) => classified.has(coordinate);
const psaProject: OwnershipRule = { owner: 'psa' };

describe(refusedByRule.name, () => {
  it('should refuse a create by a system that does not own the entity', () => {
    expect(
      refusedByRule(psaProject, 'Project', { service: 'erp', action: 'create', changedFields: ['name'], reason: null }, isField),
    ).toEqual(['*']);
  });

  it('should name the changed fields another system owns, money columns by their field name', () => {
    const rule: OwnershipRule = { owner: 'psa', fields: { budget: 'erp' } };

    expect(
      refusedByRule(rule, 'Project', { service: 'psa', action: 'update', changedFields: ['budgetAmount', 'name'], reason: null }, isField),
    ).toEqual(['budget']);
  });

  it('should let a write on behalf of the owner through, as the write point does', () => {
    const rule: OwnershipRule = { owner: 'psa', fields: { invoiceId: 'erp' } };

    expect(
      refusedByRule(
        rule,
        'TimeEntry',
        { service: 'psa', action: 'update', changedFields: ['invoiceId'], reason: 'on behalf of ERP' },
        isField,
      ),
    ).toEqual([]);
  });
});

describe(newlyRefused.name, () => {
  it('should count only what the new rule refuses and the old one allowed', () => {
    const before: OwnershipRule = { owner: 'psa' };
    const after: OwnershipRule = { owner: 'psa', fields: { hours: 'erp' } };
    const write = { service: 'psa', action: 'update', changedFields: ['hours', 'invoiceId'], reason: null };

    expect(newlyRefused(before, after, 'TimeEntry', write, isField)).toEqual(['hours']);
    expect(newlyRefused(before, before, 'TimeEntry', write, isField)).toEqual([]);
  });

  it('should leave out the new owner’s own writes', () => {
    const after: OwnershipRule = { owner: 'psa', fields: { hours: 'erp' } };

    expect(
      newlyRefused(psaProject, after, 'TimeEntry', { service: 'erp', action: 'update', changedFields: ['hours'], reason: null }, isField),
    ).toEqual([]);
  });
});
