import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory, MISSING_ID, nodesOf } from '../../__tests__/crm.factories';

const CONTACT = `query($id: ID!) { contact(id: $id) { id clientId name email phone title isPrimary } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id name email isPrimary } }`;

describe('Contact', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let factory: CrmFactory;

  beforeAll(async () => {
    factory = new CrmFactory(sut.graphqlUrl);
  });

  it('should create a contact with a lower-case email and read it back by id', async () => {
    const client = await factory.client();

    const created = await factory.contact(client.id, {
      name: 'Ada Lovelace',
      email: 'Ada@Example.COM',
      phone: '+44 20 1234',
      title: 'CFO',
    });

    const { contact } = await queryData(sut.graphqlUrl, CONTACT, { id: created.id });
    expect(contact).toEqual({
      id: created.id,
      clientId: client.id,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 1234',
      title: 'CFO',
      isPrimary: false,
    });
  });

  it('should answer null for a contact that does not exist', async () => {
    const { contact } = await queryData(sut.graphqlUrl, CONTACT, { id: MISSING_ID });

    expect(contact).toBeNull();
  });

  it('should not create a contact with an invalid email, naming the problem', async () => {
    const client = await factory.client();

    const result = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContactInput!) { createContact(input: $input) { id } }`, {
      input: { clientId: client.id, name: 'Bad', email: 'not-an-email' },
    });

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual([expect.stringContaining('email')]);
  });

  it('should not create a contact for a client that does not exist', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContactInput!) { createContact(input: $input) { id } }`, {
      input: { clientId: MISSING_ID, name: 'Orphan', email: 'orphan@example.com' },
    });

    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientId' });
  });

  it('should keep one primary contact per client: a new primary clears the previous one', async () => {
    const client = await factory.client();
    const first = await factory.contact(client.id, { isPrimary: true });

    const second = await factory.contact(client.id, { isPrimary: true });

    const [a, b] = await Promise.all([first, second].map(({ id }) => queryData(sut.graphqlUrl, CONTACT, { id })));
    expect(a.contact.isPrimary).toBe(false);
    expect(b.contact.isPrimary).toBe(true);
  });

  it('should move the primary flag when another contact is updated to primary', async () => {
    const client = await factory.client();
    const primary = await factory.contact(client.id, { isPrimary: true });
    const other = await factory.contact(client.id);

    const { updateContact } = await queryData(sut.graphqlUrl, UPDATE, { id: other.id, input: { isPrimary: true } });

    expect(updateContact.isPrimary).toBe(true);
    const { contact } = await queryData(sut.graphqlUrl, CONTACT, { id: primary.id });
    expect(contact.isPrimary).toBe(false);
  });

  it('should not let the database hold two primary contacts of one client (partial unique index)', async () => {
    const client = await factory.client();
    await factory.contact(client.id, { isPrimary: true });

    const insert = sut.dataSource.query(
      `INSERT INTO crm.contact (id, client_id, name, email, is_primary) VALUES ('01a20978-0000-7000-8000-0000000000aa', $1, 'Second', 'second@example.com', true)`,
      [client.id],
    );

    await expect(insert).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint: 'ux_contact_client_id_primary' }) });
  });

  it('should update only the given fields', async () => {
    const client = await factory.client();
    const created = await factory.contact(client.id, { name: 'Grace', email: 'grace@example.com', title: 'CTO' });

    await queryData(sut.graphqlUrl, UPDATE, { id: created.id, input: { name: 'Grace Hopper', email: 'GRACE.HOPPER@example.com' } });

    const { contact } = await queryData(sut.graphqlUrl, CONTACT, { id: created.id });
    expect(contact).toMatchObject({ name: 'Grace Hopper', email: 'grace.hopper@example.com', title: 'CTO' });
  });

  it('should answer NOT_FOUND when updating a contact that does not exist', async () => {
    const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: MISSING_ID, input: { name: 'x' } });

    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('should filter contacts by client, name and email and page through them with cursors', async () => {
    const client = await factory.client();
    const other = await factory.client();
    for (const name of ['Carol', 'Alice', 'Bob']) {
      await factory.contact(client.id, { name, email: `${name.toLowerCase()}@filter.example.com` });
    }
    await factory.contact(other.id, { name: 'Alice elsewhere' });
    const page = `query($filter: ContactFilter, $after: String) { contacts(first: 2, after: $after, filter: $filter) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

    const first = await queryData(sut.graphqlUrl, page, { filter: { clientId: client.id } });
    const second = await queryData(sut.graphqlUrl, page, { filter: { clientId: client.id }, after: first.contacts.pageInfo.endCursor });
    const byName = await queryData(sut.graphqlUrl, page, { filter: { nameContains: 'alice' } });
    const byEmail = await queryData(sut.graphqlUrl, page, { filter: { email: 'BOB@filter.example.com' } });

    expect([...nodesOf(first.contacts), ...nodesOf(second.contacts)].map((node) => node.name)).toEqual(['Alice', 'Bob', 'Carol']);
    expect(first.contacts.pageInfo.hasNextPage).toBe(true);
    expect(second.contacts.pageInfo.hasNextPage).toBe(false);
    expect(nodesOf(byName.contacts).map((node) => node.name)).toEqual(['Alice', 'Alice elsewhere']);
    expect(nodesOf(byEmail.contacts).map((node) => node.name)).toEqual(['Bob']);
  });

  it('should sort contacts by creation time descending', async () => {
    const client = await factory.client();
    const a = await factory.contact(client.id);
    const b = await factory.contact(client.id);

    const { contacts } = await queryData(
      sut.graphqlUrl,
      `query($clientId: ID!) { contacts(filter: { clientId: $clientId }, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id } } } }`,
      {
        clientId: client.id,
      },
    );

    expect(nodesOf(contacts).map((node) => node.id)).toEqual([b.id, a.id]);
  });

  it('should list the first contacts of each client by name under Client.contacts', async () => {
    const client = await factory.client();
    for (const name of ['Zoe', 'Yann', 'Xavier']) {
      await factory.contact(client.id, { name });
    }

    const data = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { client(id: $id) { contacts(first: 2) { name } all: contacts { name } } }`,
      { id: client.id },
    );

    expect(data.client.contacts.map((contact: { name: string }) => contact.name)).toEqual(['Xavier', 'Yann']);
    expect(data.client.all.map((contact: { name: string }) => contact.name)).toEqual(['Xavier', 'Yann', 'Zoe']);
  });

  it('should refuse Client.contacts beyond the page size limit with BAD_USER_INPUT', async () => {
    const client = await factory.client();

    const result = await postGraphQL(sut.graphqlUrl, `query($id: ID!) { client(id: $id) { contacts(first: 1000) { name } } }`, {
      id: client.id,
    });

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
