import { newId, QueryCounter } from '@concord/common';
import { asCaller, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on LegalEntity { id costToDate { amount currency } } } }`;

jest.setTimeout(60_000);

describe('LegalEntity.costToDate (PSA)', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const representations = (...ids: string[]) => ids.map((id) => ({ __typename: 'LegalEntity', id }));

  it("should sum the delivered cost of the entity's projects per project currency, for many entities in one statement", async () => {
    const [entity, otherEntity, idleEntity] = [newId(), newId(), newId()];
    const euroA = await factory.staffed({ project: { legalEntityId: entity } });
    await factory.approvedTimeEntry(euroA.assignment.id, { date: '2025-03-03', hours: '2' }); // 120.00
    await factory.timeEntry(euroA.assignment.id, { date: '2025-03-04', hours: '8' }); // DRAFT: not delivered
    const euroB = await factory.staffed({ project: { legalEntityId: entity } });
    await factory.approvedTimeEntry(euroB.assignment.id, { date: '2025-03-05', hours: '1.5' }); // 90.00
    const expense = await factory.expense(euroB.project.id, euroB.resource.id, { amount: '10.05' });
    await factory.transitionExpense(expense.id, 'SUBMITTED'); // 10.05
    const dollar = await factory.staffed({ project: { legalEntityId: entity, currency: 'USD' }, assignment: { costRate: '0.1' } });
    await factory.approvedTimeEntry(dollar.assignment.id, { hours: '3' }); // 0.30 USD
    const other = await factory.staffed({ project: { legalEntityId: otherEntity } });
    await factory.approvedTimeEntry(other.assignment.id, { hours: '1' }); // 60.00
    // a project of no legal entity counts for none
    const unassigned = await factory.staffed();
    await factory.approvedTimeEntry(unassigned.assignment.id, { hours: '5' });
    counter.reset();

    const { _entities } = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: representations(entity, otherEntity, idleEntity) },
      asCaller({ sub: 'fin-psa-1', roles: ['finance'] }),
    );

    expect(_entities).toEqual([
      {
        id: entity,
        costToDate: [
          { amount: '220.05', currency: 'EUR' },
          { amount: '0.30', currency: 'USD' },
        ],
      },
      { id: otherEntity, costToDate: [{ amount: '60.00', currency: 'EUR' }] },
      { id: idleEntity, costToDate: [] },
    ]);
    expect(counter.count).toBe(1);
  });

  it('should give no cost to a caller who may not see it (the gateway asking on their behalf for a margin)', async () => {
    const entity = newId();
    const { assignment } = await factory.staffed({ project: { legalEntityId: entity } });
    await factory.approvedTimeEntry(assignment.id, { hours: '1' });

    const sales = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: representations(entity) },
      asCaller({ sub: 'rep-psa-1', roles: ['sales'] }),
    );
    const dataSteward = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: representations(entity) },
      asCaller({ sub: 'steward-psa-1', roles: ['data_steward'] }),
    );

    expect(sales._entities).toEqual([{ id: entity, costToDate: null }]);
    expect(dataSteward._entities).toEqual([{ id: entity, costToDate: null }]);
  });
});
