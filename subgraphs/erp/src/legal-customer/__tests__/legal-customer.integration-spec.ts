import { randomUUID } from 'node:crypto';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const TRANSITION = `mutation($id: ID!, $to: LegalCustomerStatus!) { transitionLegalCustomer(id: $id, to: $to) { status } }`;

describe('LegalCustomer', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: ErpCoreFactory;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
  }, BOOT_TIMEOUT);

  it('should create a legal customer with credit limit and billing address and read it back', async () => {
    const clientId = randomUUID();
    const created = await factory.legalCustomer({
      legalName: 'Globex SARL',
      clientId,
      defaultCurrency: 'USD',
      creditLimit: '50000',
      paymentTermsDays: 45,
      billingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    });

    const { legalCustomer } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { legalCustomer(id: $id) { legalName clientId status paymentTermsDays creditLimit { amount currency }
         billingAddress { line1 line2 city postalCode country } client { id } } }`,
      { id: created.id },
    );

    expect(legalCustomer).toEqual({
      legalName: 'Globex SARL',
      clientId,
      status: 'ACTIVE',
      paymentTermsDays: 45,
      creditLimit: { amount: '50000.00', currency: 'USD' },
      billingAddress: { line1: '1 Main St', line2: null, city: 'Springfield', postalCode: '12345', country: 'US' },
      client: { id: clientId },
    });
  });

  it('should default payment terms to 30 days', async () => {
    const created = await factory.legalCustomer();

    expect(created.paymentTermsDays).toBe(30);
  });

  it('should not create a second legal customer for the same client (CONFLICT)', async () => {
    const existing = await factory.legalCustomer();

    const result = await postGraphQL(sut.graphqlUrl, `mutation($clientId: ID!) { createLegalCustomer(input: { legalName: "Copy", clientId: $clientId, defaultCurrency: "EUR" }) { id } }`, {
      clientId: existing.clientId,
    });

    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('should not accept a negative credit limit, a bad client id or bad payment terms (BAD_USER_INPUT)', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation { createLegalCustomer(input: { legalName: "Bad", clientId: "not-a-uuid", defaultCurrency: "EUR", creditLimit: "-1", paymentTermsDays: 400 }) { id } }`,
    );

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('clientId'), expect.stringContaining('creditLimit'), expect.stringContaining('paymentTermsDays')]),
    );
  });

  it('should update the credit limit and clear the address', async () => {
    const created = await factory.legalCustomer({ billingAddress: { line1: 'x', city: 'Paris', country: 'FR' } });

    const { updateLegalCustomer } = await queryData(
      sut.graphqlUrl,
      `mutation($id: ID!) { updateLegalCustomer(id: $id, input: { creditLimit: "1000.5", billingAddress: null }) { creditLimit { amount } billingAddress { city } legalName } }`,
      { id: created.id },
    );

    expect(updateLegalCustomer).toEqual({ creditLimit: { amount: '1000.50' }, billingAddress: null, legalName: created.legalName });
  });

  it('should freeze and unfreeze a customer', async () => {
    const created = await factory.legalCustomer();

    const frozen = await queryData(sut.graphqlUrl, TRANSITION, { id: created.id, to: 'FROZEN' });
    const active = await queryData(sut.graphqlUrl, TRANSITION, { id: created.id, to: 'ACTIVE' });

    expect(frozen.transitionLegalCustomer.status).toBe('FROZEN');
    expect(active.transitionLegalCustomer.status).toBe('ACTIVE');
  });

  it('should not move an ACTIVE customer to ACTIVE (INVALID_TRANSITION)', async () => {
    const created = await factory.legalCustomer();

    const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: created.id, to: 'ACTIVE' });

    expect(result.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'ACTIVE', to: 'ACTIVE' });
  });

  it('should filter by status and search the legal name, sorted by name', async () => {
    const tag = randomUUID().slice(0, 6);
    const b = await factory.legalCustomer({ legalName: `Zeta ${tag} B` });
    await factory.legalCustomer({ legalName: `Zeta ${tag} A` });
    await queryData(sut.graphqlUrl, TRANSITION, { id: b.id, to: 'FROZEN' });

    const all = await queryData(sut.graphqlUrl, `query($s: String!) { legalCustomers(filter: { search: $s }) { edges { node { legalName } } } }`, { s: tag });
    const frozen = await queryData(sut.graphqlUrl, `query($s: String!) { legalCustomers(filter: { search: $s, statusIn: [FROZEN] }) { edges { node { legalName } } } }`, { s: tag });

    expect(all.legalCustomers.edges.map((edge: { node: { legalName: string } }) => edge.node.legalName)).toEqual([`Zeta ${tag} A`, `Zeta ${tag} B`]);
    expect(frozen.legalCustomers.edges.map((edge: { node: { legalName: string } }) => edge.node.legalName)).toEqual([`Zeta ${tag} B`]);
  });

  it('should answer NOT_FOUND for an unknown customer transition', async () => {
    const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: randomUUID(), to: 'FROZEN' });

    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
