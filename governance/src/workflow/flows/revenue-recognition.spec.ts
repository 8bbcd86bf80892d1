import { deliveriesFor, revenueRecognitionKey } from './revenue-recognition';

const delivery = (contractLineId: string | null, amount: string, currency = 'USD', sourceType = 'TIME') => ({
  contractId: 'c1',
  projectId: 'p1',
  contractLineId,
  sourceType,
  amount: { amount, currency },
});

describe('revenue recognition flow', () => {
  it('should keep deliveries on a line of the contract and put the others on its only TM_AS_DELIVERED line', () => {
    const contract = {
      id: 'c1',
      number: 'C-1',
      currency: 'USD',
      lines: [
        { id: 'tm', revRecMethod: 'TM_AS_DELIVERED' },
        { id: 'fixed', revRecMethod: 'PCT_COMPLETE' },
      ],
    };

    const result = deliveriesFor(contract, [
      delivery('fixed', '10.00'),
      delivery(null, '80.00', 'USD', 'EXPENSE'),
      delivery('line-of-another-contract', '5.00'),
      delivery('tm', '7.00', 'EUR'),
    ]);

    expect(result.input).toEqual([
      { contractLineId: 'fixed', amount: '10.00', currency: 'USD', projectId: 'p1' },
      { contractLineId: 'tm', amount: '80.00', currency: 'USD', projectId: 'p1' },
      { contractLineId: 'tm', amount: '5.00', currency: 'USD', projectId: 'p1' },
    ]);
    expect(result.otherCurrency).toEqual([delivery('tm', '7.00', 'EUR')]);
    expect(result.unassigned).toEqual([]);
  });

  it('should leave unassigned the work without a line when the contract has no or several TM_AS_DELIVERED lines', () => {
    const several = {
      id: 'c1',
      number: 'C-1',
      currency: 'USD',
      lines: [
        { id: 'tm1', revRecMethod: 'TM_AS_DELIVERED' },
        { id: 'tm2', revRecMethod: 'TM_AS_DELIVERED' },
      ],
    };

    const result = deliveriesFor(several, [delivery(null, '80.00'), delivery('tm2', '1.00')]);

    expect(result.input).toEqual([{ contractLineId: 'tm2', amount: '1.00', currency: 'USD', projectId: 'p1' }]);
    expect(result.unassigned).toEqual([delivery(null, '80.00')]);
  });

  it('should key a recognition by period and scope', () => {
    expect([revenueRecognitionKey('2025-03-01', null), revenueRecognitionKey('2025-03-01', 'c1')]).toEqual([
      '2025-03-01:all',
      '2025-03-01:c1',
    ]);
  });
});
