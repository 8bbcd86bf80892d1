import { randomUUID } from 'node:crypto';
import { QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const ENTITIES = `query($representations: [_Any!]!, $first: Int, $statusIn: [ContractStatus!]) {
  _entities(representations: $representations) { ... on Client { id legalCustomer { legalName } contracts(first: $first, statusIn: $statusIn) { number status client { id } } } } }`;

describe('Client (ERP extension)', () => {
  const queries = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: queries }), 'erp');
  let factory: ErpCoreFactory;

  const clients: { clientId: string; legalName: string; numbers: string[] }[] = [];
  const emptyClientId = randomUUID();

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
    const legalEntity = await factory.legalEntity();
    for (let index = 0; index < 3; index++) {
      const customer = await factory.legalCustomer({ legalName: `Client ${index} Ltd` });
      const numbers: string[] = [];
      for (let contractIndex = 0; contractIndex < 3; contractIndex++) {
        const contract = await factory.contract({ number: `K-${index}-${contractIndex}`, customerId: customer.id, legalEntityId: legalEntity.id, lines: [factory.fixedLine()] });
        numbers.push(contract.number);
      }
      // the oldest contract of each client becomes ACTIVE
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, {
        id: (await queryData(sut.graphqlUrl, `query($n: String!) { contracts(filter: { numberContains: $n }) { edges { node { id } } } }`, { n: numbers[0] })).contracts.edges[0].node.id,
      });
      clients.push({ clientId: customer.clientId, legalName: customer.legalName, numbers });
    }
  }, BOOT_TIMEOUT);

  it('should resolve legalCustomer and contracts of several clients through _entities in one statement each', async () => {
    const representations = [...clients.map(({ clientId }) => ({ __typename: 'Client', id: clientId })), { __typename: 'Client', id: emptyClientId }];

    queries.reset();
    const { _entities } = await queryData(sut.graphqlUrl, ENTITIES, { representations });

    expect(_entities).toEqual([
      ...clients.map(({ clientId, legalName, numbers }) => ({
        id: clientId,
        legalCustomer: { legalName },
        contracts: [...numbers].reverse().map((number, index) => ({ number, status: index === 2 ? 'ACTIVE' : 'DRAFT', client: { id: clientId } })),
      })),
      { id: emptyClientId, legalCustomer: null, contracts: [] },
    ]);
    expect(queries.count).toBe(2);
  });

  it('should limit contracts per client with first and filter them by status', async () => {
    const representations = clients.map(({ clientId }) => ({ __typename: 'Client', id: clientId }));

    const newest = await queryData(sut.graphqlUrl, ENTITIES, { representations, first: 1 });
    const active = await queryData(sut.graphqlUrl, ENTITIES, { representations, statusIn: ['ACTIVE'] });

    expect(newest._entities.map((client: { contracts: { number: string }[] }) => client.contracts.map((contract) => contract.number))).toEqual(
      clients.map(({ numbers }) => [numbers[2]]),
    );
    expect(active._entities.map((client: { contracts: { number: string }[] }) => client.contracts.map((contract) => contract.number))).toEqual(
      clients.map(({ numbers }) => [numbers[0]]),
    );
  });

  it('should refuse a page size above 100 (BAD_USER_INPUT)', async () => {
    const result = await postGraphQL(sut.graphqlUrl, ENTITIES, { representations: [{ __typename: 'Client', id: clients[0].clientId }], first: 101 });

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should link a legal customer back to its Client', async () => {
    const { legalCustomers } = await queryData(sut.graphqlUrl, `query($ids: [ID!]) { legalCustomers(filter: { clientIdIn: $ids }) { edges { node { client { id } } } } }`, {
      ids: [clients[1].clientId],
    });

    expect(legalCustomers.edges).toEqual([{ node: { client: { id: clients[1].clientId } } }]);
  });
});
