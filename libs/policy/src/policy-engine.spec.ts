import { parsePolicyBundle, type PolicyBundle } from './bundle';
import { PolicyEngine } from './policy-engine';

const bundle: PolicyBundle = parsePolicyBundle({
  version: 7,
  createdAt: '2026-12-01T00:00:00.000Z',
  roles: {
    finance: {
      description: 'finance',
      classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'PII', 'MARGIN'],
      rules: [{ action: ['create', 'update'], subject: 'Invoice' }],
    },
    sales: {
      description: 'sales',
      classifications: ['PUBLIC', 'INTERNAL'],
      rules: [
        { action: 'read', subject: 'Opportunity', fields: ['amount'] },
        { action: ['create', 'update', 'transition'], subject: 'Opportunity', conditions: { ownerId: '${caller.sub}' } },
        { action: 'update', subject: 'Opportunity', fields: ['stage'], inverted: true, reason: 'stages move by transition' },
      ],
    },
    delivery_manager: {
      description: 'dm',
      classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL'],
      rules: [{ action: 'read', subject: 'Project', fields: ['margin', 'costToDate'], conditions: { managerId: '${caller.sub}' } }],
    },
    consultant: {
      description: 'own time only',
      classifications: ['PUBLIC', 'INTERNAL'],
      rules: [],
      scopes: { TimeEntry: { personId: '${caller.sub}' } },
    },
    restricted_finance: {
      description: 'finance without one project field',
      classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'MARGIN'],
      rules: [{ action: 'read', subject: 'Project', fields: ['margin'], conditions: { confidential: true }, inverted: true }],
    },
  },
  classifications: {
    'Project.name': 'INTERNAL',
    'Project.margin': 'MARGIN',
    'Project.costToDate': 'MARGIN',
    'Project.budget': 'FINANCIAL',
    'Opportunity.amount': 'FINANCIAL',
    'Contact.email': 'PII',
  },
  ownership: {
    Project: { owner: 'psa' },
    TimeEntry: { owner: 'psa', fields: { invoiceId: 'erp' } },
  },
});

const engine = new PolicyEngine(bundle);
const caller = (sub: string, ...roles: string[]) => ({ sub, roles });

describe('PolicyEngine', () => {
  describe('field access before planning', () => {
    it('allows a coordinate whose class one of the roles reads, and denies the others', () => {
      const sales = engine.fieldAccess(['sales']);
      expect(sales('Project', 'name')).toBe('allow');
      expect(sales('Project', 'budget')).toBe('deny');
      expect(sales('Contact', 'email')).toBe('deny');
      expect(engine.fieldAccess(['finance'])('Contact', 'email')).toBe('allow');
    });

    it('treats an unclassified coordinate as the strictest class', () => {
      expect(engine.classificationOf('Project.secretSauce')).toBe('MARGIN');
      expect(engine.fieldAccess(['delivery_manager'])('Project', 'secretSauce')).toBe('deny');
      expect(engine.fieldAccess(['finance'])('Project', 'secretSauce')).toBe('allow');
    });

    it('lets a rule grant a field beyond the role classes', () => {
      expect(engine.fieldAccess(['sales'])('Opportunity', 'amount')).toBe('allow');
    });

    it('marks a field granted only under conditions as conditional', () => {
      const dm = engine.fieldAccess(['delivery_manager']);
      expect(dm('Project', 'margin')).toBe('conditional');
      expect(dm('Project', 'costToDate')).toBe('conditional');
      expect(dm('Project', 'budget')).toBe('allow');
    });

    it('marks a class grant narrowed by a conditional restriction as conditional', () => {
      expect(engine.fieldAccess(['restricted_finance'])('Project', 'margin')).toBe('conditional');
    });

    it('combines roles: one role reading a class makes the field readable', () => {
      expect(engine.fieldAccess(['delivery_manager', 'finance'])('Project', 'margin')).toBe('allow');
      expect(engine.fieldAccess(['finance', 'delivery_manager'])).toBe(engine.fieldAccess(['delivery_manager', 'finance']));
    });

    it('gives a caller without known roles nothing', () => {
      expect(engine.fieldAccess([])('Project', 'name')).toBe('deny');
      expect(engine.fieldAccess(['pirate'])('Project', 'name')).toBe('deny');
      expect(engine.unknownRoles(['pirate', 'sales'])).toEqual(['pirate']);
    });
  });

  describe('row-level reads', () => {
    it('lets a delivery manager read margin only on projects they manage', () => {
      const dm = caller('u-dm', 'delivery_manager');
      expect(engine.canReadField(dm, 'Project', { id: 'p1', managerId: 'u-dm' }, 'margin')).toBe(true);
      expect(engine.canReadField(dm, 'Project', { id: 'p2', managerId: 'someone-else' }, 'margin')).toBe(false);
      expect(engine.canReadField(dm, 'Project', { id: 'p3', managerId: null }, 'costToDate')).toBe(false);
      expect(
        engine.canReadField(caller('someone-else', 'delivery_manager'), 'Project', { id: 'p2', managerId: 'someone-else' }, 'margin'),
      ).toBe(true);
    });

    it('applies a conditional restriction on top of a class grant', () => {
      const finance = caller('u-f', 'restricted_finance');
      expect(engine.canReadField(finance, 'Project', { confidential: false }, 'margin')).toBe(true);
      expect(engine.canReadField(finance, 'Project', { confidential: true }, 'margin')).toBe(false);
    });

    it('answers unconditional decisions without a row check', () => {
      expect(engine.canReadField(caller('u', 'sales'), 'Project', {}, 'costToDate')).toBe(false);
      expect(engine.canReadField(caller('u', 'finance'), 'Project', {}, 'costToDate')).toBe(true);
    });
  });

  describe('writes', () => {
    it('checks the action with conditions on the row', () => {
      const sales = caller('u-s', 'sales');
      expect(engine.refusedWrite(sales, 'create', 'Opportunity', { ownerId: 'u-s' })).toEqual([]);
      expect(engine.refusedWrite(sales, 'create', 'Opportunity', { ownerId: 'other' })).toEqual(['*']);
      expect(engine.refusedWrite(sales, 'delete', 'Opportunity', { ownerId: 'u-s' })).toEqual(['*']);
      expect(engine.refusedWrite(sales, 'create', 'Invoice', {})).toEqual(['*']);
      expect(engine.refusedWrite(caller('u-f', 'finance'), 'update', 'Invoice', {}, ['total'])).toEqual([]);
    });

    it('names the fields an update may not change', () => {
      const sales = caller('u-s', 'sales');
      expect(engine.refusedWrite(sales, 'update', 'Opportunity', { ownerId: 'u-s' }, ['name', 'stage'])).toEqual(['stage']);
    });
  });

  describe('ownership', () => {
    it('names the system of record of an entity and of a field recorded elsewhere', () => {
      expect(engine.ownerOf('Project')).toBe('psa');
      expect(engine.ownerOf('TimeEntry', 'hours')).toBe('psa');
      expect(engine.ownerOf('TimeEntry', 'invoiceId')).toBe('erp');
      expect(engine.ownerOf('Unknown')).toBeUndefined();
    });
  });

  describe('row scopes', () => {
    it('keeps a scoped role to its rows, with the caller filled in', () => {
      expect(engine.rowScopes(caller('c1', 'consultant'), 'TimeEntry')).toEqual([{ personId: 'c1' }]);
      expect(engine.rowScopes(caller('c1', 'consultant'), 'Project')).toBeUndefined();
    });

    it('lets a role without a scope on the type see every row', () => {
      expect(engine.rowScopes(caller('c1', 'consultant', 'finance'), 'TimeEntry')).toBeUndefined();
    });

    it('gives a caller without known roles no rows', () => {
      expect(engine.rowScopes(caller('x', 'pirate'), 'TimeEntry')).toEqual([{ id: null }]);
    });
  });

  it('builds one ability per caller and reuses it', () => {
    expect(engine.abilityFor(caller('a', 'sales'))).toBe(engine.abilityFor(caller('a', 'sales')));
    expect(engine.abilityFor(caller('a', 'sales'))).not.toBe(engine.abilityFor(caller('b', 'sales')));
  });
});
