import { randomUUID } from 'node:crypto';
import { QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const BILL_RATE = `query($rateCardId: ID!, $role: String!, $date: String!, $activity: String) {
  billRate(rateCardId: $rateCardId, role: $role, date: $date, activity: $activity) { amount currency } }`;

describe('RateCard', () => {
  const queries = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: queries }), 'erp');
  let factory: ErpCoreFactory;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
  }, BOOT_TIMEOUT);

  describe('billRate', () => {
    let card: Record<string, any>;

    beforeAll(async () => {
      card = await factory.rateCard({ currency: 'EUR', effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' });
      await factory.rateCardLine(card.id, { role: 'Consultant', billRate: '120' });
      await factory.rateCardLine(card.id, { role: 'Consultant', activity: 'Workshop', billRate: '150.125' });
      await factory.rateCardLine(card.id, { role: 'Partner', billRate: '300' });
    });

    it("should give the role's rate on a date inside the card period", async () => {
      const { billRate } = await queryData(sut.graphqlUrl, BILL_RATE, { rateCardId: card.id, role: 'Consultant', date: '2025-06-01' });

      expect(billRate).toEqual({ amount: '120.00', currency: 'EUR' });
    });

    it('should prefer the activity-specific rate and keep its extra decimals', async () => {
      const { billRate } = await queryData(sut.graphqlUrl, BILL_RATE, {
        rateCardId: card.id,
        role: 'Consultant',
        date: '2025-06-01',
        activity: 'Workshop',
      });

      expect(billRate).toEqual({ amount: '150.125', currency: 'EUR' });
    });

    it("should fall back to the role's general rate for an unknown activity", async () => {
      const { billRate } = await queryData(sut.graphqlUrl, BILL_RATE, {
        rateCardId: card.id,
        role: 'Partner',
        date: '2025-06-01',
        activity: 'Audit',
      });

      expect(billRate).toEqual({ amount: '300.00', currency: 'EUR' });
    });

    it('should give null outside the card period or for an unknown role', async () => {
      const before = await queryData(sut.graphqlUrl, BILL_RATE, { rateCardId: card.id, role: 'Consultant', date: '2024-12-31' });
      const after = await queryData(sut.graphqlUrl, BILL_RATE, { rateCardId: card.id, role: 'Consultant', date: '2026-01-01' });
      const unknown = await queryData(sut.graphqlUrl, BILL_RATE, { rateCardId: card.id, role: 'Intern', date: '2025-06-01' });

      expect([before.billRate, after.billRate, unknown.billRate]).toEqual([null, null, null]);
    });

    it('should answer NOT_FOUND for an unknown rate card', async () => {
      const result = await postGraphQL(sut.graphqlUrl, BILL_RATE, { rateCardId: randomUUID(), role: 'Consultant', date: '2025-06-01' });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  it('should not add a second general rate for the same role (CONFLICT)', async () => {
    const card = await factory.rateCard();
    await factory.rateCardLine(card.id, { role: 'Analyst' });

    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation($id: ID!) { createRateCardLine(input: { rateCardId: $id, role: "Analyst", billRate: "90" }) { id } }`,
      { id: card.id },
    );

    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('should not create a card that ends before it starts (BAD_USER_INPUT)', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation { createRateCard(input: { name: "x", currency: "EUR", effectiveFrom: "2025-02-01", effectiveTo: "2025-01-31" }) { id } }`,
    );

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should answer NOT_FOUND when adding a line to an unknown card', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation($id: ID!) { createRateCardLine(input: { rateCardId: $id, role: "x", billRate: "1" }) { id } }`,
      { id: randomUUID() },
    );

    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('should relabel the lines when the card currency changes and update a line rate', async () => {
    const card = await factory.rateCard({ currency: 'EUR' });
    const line = await factory.rateCardLine(card.id, { role: 'Architect', billRate: '200' });

    await queryData(
      sut.graphqlUrl,
      `mutation($id: ID!) { updateRateCard(id: $id, input: { currency: "CHF", name: "Swiss rates" }) { id } }`,
      { id: card.id },
    );
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateRateCardLine(id: $id, input: { billRate: "210.5" }) { id } }`, {
      id: line.id,
    });
    const { rateCard } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { rateCard(id: $id) { name currency lines { role billRate { amount currency } } } }`,
      { id: card.id },
    );

    expect(rateCard).toEqual({
      name: 'Swiss rates',
      currency: 'CHF',
      lines: [{ role: 'Architect', billRate: { amount: '210.50', currency: 'CHF' } }],
    });
  });

  it('should list cards effective on a date, by effective date, and their lines in one statement', async () => {
    const tag = randomUUID().slice(0, 8);
    const old = await factory.rateCard({ name: `${tag} 2024`, effectiveFrom: '2024-01-01', effectiveTo: '2024-12-31' });
    const current = await factory.rateCard({ name: `${tag} 2025`, effectiveFrom: '2025-01-01' });
    for (const card of [old, current]) {
      await factory.rateCardLine(card.id, { role: 'Consultant' });
      await factory.rateCardLine(card.id, { role: 'Manager' });
    }
    const listQuery = `query($name: String!, $on: String) { rateCards(filter: { nameContains: $name, effectiveOn: $on }, orderBy: { field: EFFECTIVE_FROM, direction: DESC }) {
      edges { node { name lines { role } } } } }`;

    queries.reset();
    const all = await queryData(sut.graphqlUrl, listQuery, { name: tag });
    const statementsForAll = queries.count;
    const effective = await queryData(sut.graphqlUrl, listQuery, { name: tag, on: '2025-03-01' });

    expect(all.rateCards.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      { name: `${tag} 2025`, lines: [{ role: 'Consultant' }, { role: 'Manager' }] },
      { name: `${tag} 2024`, lines: [{ role: 'Consultant' }, { role: 'Manager' }] },
    ]);
    expect(effective.rateCards.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual([`${tag} 2025`]);
    expect(statementsForAll).toBe(2);
  });

  it('should page rate card lines of a card', async () => {
    const card = await factory.rateCard();
    for (const role of ['A', 'B', 'C']) {
      await factory.rateCardLine(card.id, { role });
    }

    const first = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { rateCardLines(first: 2, filter: { rateCardId: $id }) { edges { node { role rateCard { id } } } pageInfo { hasNextPage endCursor } } }`,
      {
        id: card.id,
      },
    );
    const second = await queryData(
      sut.graphqlUrl,
      `query($id: ID!, $after: String) { rateCardLines(first: 2, after: $after, filter: { rateCardId: $id }) { edges { node { role } } pageInfo { hasNextPage } } }`,
      {
        id: card.id,
        after: first.rateCardLines.pageInfo.endCursor,
      },
    );

    expect(first.rateCardLines.edges.map((edge: { node: { role: string } }) => edge.node.role)).toEqual(['A', 'B']);
    expect(first.rateCardLines.edges[0].node.rateCard).toEqual({ id: card.id });
    expect(second.rateCardLines.edges.map((edge: { node: { role: string } }) => edge.node.role)).toEqual(['C']);
    expect(second.rateCardLines.pageInfo.hasNextPage).toBe(false);
  });
});
