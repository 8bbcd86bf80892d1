import { editedPayload, payloadText } from './WorkflowRuns';

describe('editedPayload', () => {
  const original = { opportunityId: 'o-1', customer: { taxId: 'X' } };

  it('should answer null for an unchanged payload and the object for an edited one', () => {
    expect(editedPayload(original, payloadText(original))).toBeNull();
    expect(editedPayload(original, '{"opportunityId":"o-1","customer":{"taxId":"GB-1"}}')).toEqual({
      opportunityId: 'o-1',
      customer: { taxId: 'GB-1' },
    });
  });

  it('should refuse text that is not a JSON object', () => {
    expect(editedPayload(original, '{"opportunityId":')).toEqual(new Error('The payload is not valid JSON'));
    expect(editedPayload(original, '[1, 2]')).toEqual(new Error('The payload must be a JSON object'));
  });
});
