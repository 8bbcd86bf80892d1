import { seedDatabase } from '@concord/seed';
import { queryData } from '@concord/testing';
import { startStack, type Stack } from './support/stack';

const PAGE = `query Page($first: Int!) {
  clients(first: $first) {
    edges { node {
      id name
      projects(first: 10) { id code contract { id number } }
      contracts(first: 10) { id number totalValue { amount currency } }
      invoices(first: 10) { id number total { amount currency } }
    } }
  }
}`;

interface PageResult {
  clients: { edges: { node: { projects: unknown[]; contracts: unknown[]; invoices: unknown[] } }[] };
}

describe('statement count of a page of clients across the three subgraphs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.5, seed: 11 }).then(() => undefined) });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function statementsFor(first: number): Promise<{ count: number; result: PageResult }> {
    const before = await stack.statements();
    const result = await queryData<PageResult>(stack.gateway.url, PAGE, { first }, stack.auth);
    return { count: (await stack.statements()) - before, result };
  }

  it('should not grow with the page size (no N+1)', async () => {
    await statementsFor(2); // warm-up: plan caches, pools

    const small = await statementsFor(5);
    const large = await statementsFor(20);

    expect(large.result.clients.edges).toHaveLength(20);
    const nested = large.result.clients.edges.map(({ node }) => node.projects.length + node.contracts.length + node.invoices.length);
    expect(nested.filter((count) => count > 0).length).toBeGreaterThan(10);
    expect(large.count).toBeGreaterThanOrEqual(4); // at least the clients page and one statement per relation
    expect(large.count).toBe(small.count);
    // one statement per subgraph fetch and relation, not per client
    expect(large.count).toBeLessThanOrEqual(10);
  });
});
