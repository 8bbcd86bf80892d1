import { ruleHits } from './CommandPalette';

const rules = [
  { entity: 'Contract', owner: 'erp', fields: [{ field: 'renewalThresholdPct', owner: 'crm' }] },
  {
    entity: 'Project',
    owner: 'psa',
    fields: [
      { field: 'revenueRecognized', owner: 'erp' },
      { field: 'margin', owner: 'erp' },
    ],
  },
];

describe('search of ownership rules', () => {
  it('should find an entity by name and a field by Entity.field, whatever the case', () => {
    expect(ruleHits(rules, 'contract')).toEqual([
      { entity: 'Contract', field: null, owner: 'erp' },
      { entity: 'Contract', field: 'renewalThresholdPct', owner: 'crm' },
    ]);
    expect(ruleHits(rules, 'project.MARG')).toEqual([{ entity: 'Project', field: 'margin', owner: 'erp' }]);
    expect(ruleHits(rules, 'revenue')).toEqual([{ entity: 'Project', field: 'revenueRecognized', owner: 'erp' }]);
  });

  it('should stop at the limit', () => {
    expect(ruleHits(rules, 'r', 2)).toHaveLength(2);
  });
});
