import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

describe('LegalEntity', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: ErpCoreFactory;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
  }, BOOT_TIMEOUT);

  it('should create a legal entity and read it back by id', async () => {
    const created = await factory.legalEntity({
      code: 'ACME-FR',
      name: 'Acme France SAS',
      country: 'FR',
      functionalCurrency: 'EUR',
      taxId: 'FR123',
    });

    const { legalEntity } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { legalEntity(id: $id) { code name country functionalCurrency taxId } }`,
      { id: created.id },
    );

    expect(legalEntity).toEqual({ code: 'ACME-FR', name: 'Acme France SAS', country: 'FR', functionalCurrency: 'EUR', taxId: 'FR123' });
  });

  it('should filter by country and page by name with stable cursors', async () => {
    for (const name of ['Delta GmbH', 'Alpha GmbH', 'Charlie GmbH', 'Bravo GmbH']) {
      await factory.legalEntity({ name, country: 'DE' });
    }
    const page = `query($after: String) { legalEntities(first: 3, after: $after, filter: { country: "DE" }, orderBy: { field: NAME, direction: ASC }) {
      edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

    const first = await queryData(sut.graphqlUrl, page);
    const second = await queryData(sut.graphqlUrl, page, { after: first.legalEntities.pageInfo.endCursor });

    const names = [first, second].flatMap((result) => result.legalEntities.edges.map((edge: { node: { name: string } }) => edge.node.name));
    expect(names).toEqual(['Alpha GmbH', 'Bravo GmbH', 'Charlie GmbH', 'Delta GmbH']);
    expect(first.legalEntities.pageInfo.hasNextPage).toBe(true);
    expect(second.legalEntities.pageInfo.hasNextPage).toBe(false);
  });

  it('should update only the given fields', async () => {
    const created = await factory.legalEntity({ taxId: 'GB999' });

    const { updateLegalEntity } = await queryData(
      sut.graphqlUrl,
      `mutation($id: ID!) { updateLegalEntity(id: $id, input: { name: "Renamed Ltd" }) { name code taxId } }`,
      {
        id: created.id,
      },
    );

    expect(updateLegalEntity).toEqual({ name: 'Renamed Ltd', code: created.code, taxId: 'GB999' });
  });

  it('should not create a second legal entity with the same code (CONFLICT)', async () => {
    await factory.legalEntity({ code: 'DUP-1' });

    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation { createLegalEntity(input: { code: "DUP-1", name: "Copy", country: "FR", functionalCurrency: "EUR" }) { id } }`,
    );

    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('should not accept a bad country or currency (BAD_USER_INPUT naming both)', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation { createLegalEntity(input: { code: "BAD-1", name: "Bad", country: "France", functionalCurrency: "euro" }) { id } }`,
    );

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('country'), expect.stringContaining('functionalCurrency')]),
    );
  });

  it('should answer NOT_FOUND when updating a legal entity that does not exist', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation { updateLegalEntity(id: "01a20978-0000-7000-8000-000000000000", input: { name: "x" }) { id } }`,
    );

    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
