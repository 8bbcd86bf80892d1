import { queryData } from '@concord/testing';

type Fields = Record<string, unknown>;

export interface Created {
  id: string;
  [field: string]: any;
}

let sequence = 0;
const next = () => String(++sequence).padStart(4, '0');

/** Builds complete CRM rows through the GraphQL API (the write point included), with overridable fields. */
export class CrmFactory {
  constructor(private readonly graphqlUrl: string) {}

  async client(overrides: Fields = {}): Promise<Created> {
    const n = next();
    const input = {
      name: `Client ${n}`,
      domain: `client-${n}-${process.pid}.example.com`,
      ownerId: 'sales-1',
      currency: 'EUR',
      ...overrides,
    };
    const data = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateClientInput!) { createClient(input: $input) { id name currency } }`,
      { input },
    );
    return data.createClient;
  }

  async contact(clientId: string, overrides: Fields = {}): Promise<Created> {
    const n = next();
    const input = { clientId, name: `Contact ${n}`, email: `contact${n}@example.com`, ...overrides };
    const data = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateContactInput!) { createContact(input: $input) { id clientId name email isPrimary } }`,
      { input },
    );
    return data.createContact;
  }

  async opportunity(clientId: string, overrides: Fields = {}): Promise<Created> {
    const n = next();
    const input = { clientId, name: `Opportunity ${n}`, ownerId: 'sales-1', amount: '10000', closeDate: '2026-06-30', ...overrides };
    const data = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id name stage probability amount { amount currency } closeDate } }`,
      { input },
    );
    return data.createOpportunity;
  }

  /** A DRAFT quote with one T&M line (10 h × 100.00) unless lines are given. */
  async quote(opportunityId: string, overrides: Fields = {}): Promise<Created> {
    const input = { opportunityId, lines: [{ serviceCode: 'CONSULTING', billingModel: 'TM', hours: '10', unitRate: '100' }], ...overrides };
    const data = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { id number version status total { amount currency } } }`,
      {
        input,
      },
    );
    return data.createQuote;
  }

  async sentQuote(opportunityId: string, overrides: Fields = {}): Promise<Created> {
    const quote = await this.quote(opportunityId, overrides);
    await queryData(this.graphqlUrl, `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: quote.id });
    return { ...quote, status: 'SENT' };
  }

  async acceptedQuote(opportunityId: string, overrides: Fields = {}): Promise<Created> {
    const quote = await this.sentQuote(opportunityId, overrides);
    await queryData(this.graphqlUrl, `mutation($id: ID!) { acceptQuote(id: $id) { id } }`, { id: quote.id });
    return { ...quote, status: 'ACCEPTED' };
  }

  /** Moves an opportunity through the open stages up to NEGOTIATION. */
  async negotiating(opportunityId: string): Promise<void> {
    for (const stage of ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION']) {
      await queryData(this.graphqlUrl, `mutation($id: ID!, $stage: OpportunityStage!) { moveOpportunity(id: $id, stage: $stage) { id } }`, {
        id: opportunityId,
        stage,
      });
    }
  }
}

export const MISSING_ID = '01a20978-0000-7000-8000-000000000000';

export function nodesOf<T = any>(connection: { edges: { node: T }[] }): T[] {
  return connection.edges.map((edge) => edge.node);
}
