import { join } from 'node:path';
import { floatMoneyFields, floatMoneyInSchemas, looksLikeMoney } from '../float-money';
import { committedSchemas } from '../reconcile';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('float money guard', () => {
  it.each(['amount', 'base_total', 'billRate', 'peak_burn_rate', 'costToDate', 'unallocated_amount', 'marginPct', 'arr', 'totalValue'])(
    'should take %s for money',
    (name) => {
      expect(looksLikeMoney(name)).toBe(true);
    },
  );

  it.each(['objective', 'availability', 'p95', 'events', 'burn_factor', 'array', 'parrot', 'pacePlanName'])(
    'should not take %s for money',
    (name) => {
      expect(looksLikeMoney(name)).toBe(false);
    },
  );

  it('should find Float money fields, arguments and input fields, and leave ratios, counts and non-money Floats alone', () => {
    const sdl = `
      type Invoice { id: ID! total: Float! taxRate: Float lines(minAmount: Float, first: Int): [String!] }
      extend type Project { marginPct: Float }
      input InvoiceFilter { totalAbove: Float progress: Float }
      interface Priced { price: Float }
      type Incident { burnRate: Float! peakBurnRate: Float! }
      type SlaDay { total: Float! availability: Float }
      type Money { amount: String! currency: String! }`;

    expect(floatMoneyFields(sdl)).toEqual([
      'Invoice.total',
      'Invoice.taxRate',
      'Invoice.lines.minAmount',
      'Project.marginPct',
      'InvoiceFilter.totalAbove',
      'Priced.price',
    ]);
  });

  it("should find no Float money field in any subgraph's committed schema.graphql", () => {
    const schemas = committedSchemas(ROOT);

    expect(Object.keys(schemas)).toEqual(['crm', 'erp', 'psa', 'governance']);
    expect(floatMoneyInSchemas(schemas)).toEqual({
      name: 'no Float money field in the schemas of crm, erp, psa, governance',
      count: 0,
      examples: [],
    });
  });

  it('should name the subgraph and coordinate of a Float money field', () => {
    expect(floatMoneyInSchemas({ erp: 'type Payment { amount: Float }' }).examples).toEqual(['erp: Payment.amount is Float']);
  });
});
