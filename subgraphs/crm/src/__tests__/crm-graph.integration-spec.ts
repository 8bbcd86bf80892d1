import { QueryCounter } from '@concord/common';
import { queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../app.module';
import { CrmFactory, nodesOf } from './crm.factories';

/** Every nested relation of the CRM graph, two levels down from a page of clients. */
const GRAPH = `query($industry: String!) {
  clients(first: 10, filter: { industry: $industry }) { edges { node { id
    contacts { id }
    opportunities(first: 5) { id
      client { id }
      primaryContact { id }
      acceptedQuote { id }
      quotes { id opportunity { id } lines { id quote { id } } }
    }
  } } }
}`;

/** One statement per relation: clients, contacts, opportunities, client, primaryContact, acceptedQuote, quotes, quote.opportunity, lines, line.quote. */
const STATEMENTS_PER_REQUEST = 10;

describe('CRM graph batching', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl, queryLogger: counter }), 'crm');
  let factory: CrmFactory;

  async function seedClients(industry: string, count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const client = await factory.client({ industry });
      const contact = await factory.contact(client.id, { isPrimary: true });
      await factory.contact(client.id);
      for (let deal = 0; deal < 2; deal++) {
        const opportunity = await factory.opportunity(client.id, { primaryContactId: contact.id });
        await factory.acceptedQuote(opportunity.id, {
          lines: [
            { serviceCode: 'A', billingModel: 'FIXED', unitRate: '100' },
            { serviceCode: 'B', billingModel: 'TM', hours: '8', unitRate: '150' },
          ],
        });
        await factory.quote(opportunity.id);
      }
    }
  }

  async function statementsFor(industry: string): Promise<{ count: number; data: any }> {
    counter.reset();
    const data = await queryData(sut.graphqlUrl, GRAPH, { industry });
    return { count: counter.count, data };
  }

  beforeAll(async () => {
    factory = new CrmFactory(sut.graphqlUrl);
    await seedClients('batching-one', 1);
    await seedClients('batching-many', 4);
  }, 60_000);

  it('should load every nested relation with one statement per relation, whatever the number of parents', async () => {
    const one = await statementsFor('batching-one');
    const many = await statementsFor('batching-many');

    const clients = nodesOf(many.data.clients);
    expect(clients).toHaveLength(4);
    expect(clients.every((client: any) => client.contacts.length === 2 && client.opportunities.length === 2)).toBe(true);
    expect(
      clients
        .flatMap((client: any) => client.opportunities)
        .every((o: any) => o.acceptedQuote && o.quotes.length === 2 && o.quotes[0].lines.length === 2),
    ).toBe(true);
    expect(one.count).toBe(STATEMENTS_PER_REQUEST);
    expect(many.count).toBe(STATEMENTS_PER_REQUEST);
  });
});
