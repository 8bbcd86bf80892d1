import { decimal } from '@concord/common';
import { reconcileGraph, sumProjectFigures, type GraphFigures, type Ledger, type OwnerFigures, type ProjectFigures } from '../rollup';

const CLIENT_A = 'client-a';
const CLIENT_B = 'client-b';
const US = 'entity-us';
const UK = 'entity-uk';

const money = (amount: string, currency: string) => ({ amount, currency });

/** Three projects: two of client A (USD, by CON-US; GBP, by CON-UK), one of client B (USD, by CON-US). */
function graphProjects(): ProjectFigures[] {
  return [
    {
      id: 'p1',
      clientId: CLIENT_A,
      legalEntityId: US,
      currency: 'USD',
      revenueRecognized: money('1000.10', 'USD'),
      costToDate: money('600.05', 'USD'),
      margin: money('400.05', 'USD'),
    },
    {
      id: 'p2',
      clientId: CLIENT_A,
      legalEntityId: UK,
      currency: 'GBP',
      revenueRecognized: money('250.00', 'GBP'),
      costToDate: money('300.01', 'GBP'),
      margin: money('-50.01', 'GBP'),
    },
    {
      id: 'p3',
      clientId: CLIENT_B,
      legalEntityId: US,
      currency: 'USD',
      revenueRecognized: null,
      costToDate: money('0.00', 'USD'),
      margin: money('0.00', 'USD'),
    },
  ];
}

/** The graph's own figures of the clients (margin) and legal entities (revenue and margin), agreeing with the projects. */
function owners(): Pick<GraphFigures, 'clients' | 'legalEntities'> {
  const clients: OwnerFigures[] = [
    { id: CLIENT_A, margin: [money('-50.01', 'GBP'), money('400.05', 'USD')] },
    { id: CLIENT_B, margin: [money('0.00', 'USD')] },
  ];
  const legalEntities: OwnerFigures[] = [
    { id: US, revenueRecognized: [money('1000.10', 'USD')], margin: [money('400.05', 'USD')] },
    { id: UK, revenueRecognized: [money('250.00', 'GBP')], margin: [money('-50.01', 'GBP')] },
  ];
  return { clients, legalEntities };
}

const graph = (projects = graphProjects()): GraphFigures => ({ projects, ...owners() });

/** The ledger as hand-computed from the same three projects. */
function ledger(): Ledger {
  const totals = (entries: [string, string, string][]) =>
    new Map(entries.map(([key, revenue, margin]) => [key, { revenue: decimal(revenue), margin: decimal(margin) }]));
  return {
    projects: new Map([
      ['p1', { id: 'p1', clientId: CLIENT_A, legalEntityId: US, currency: 'USD', revenue: '1000.10', cost: '600.05', margin: '400.05' }],
      ['p2', { id: 'p2', clientId: CLIENT_A, legalEntityId: UK, currency: 'GBP', revenue: '250.00', cost: '300.01', margin: '-50.01' }],
      ['p3', { id: 'p3', clientId: CLIENT_B, legalEntityId: US, currency: 'USD', revenue: '0.00', cost: '0.00', margin: '0.00' }],
    ]),
    clients: totals([
      [`${CLIENT_A} USD`, '1000.10', '400.05'],
      [`${CLIENT_A} GBP`, '250.00', '-50.01'],
      [`${CLIENT_B} USD`, '0.00', '0.00'],
    ]),
    legalEntities: totals([
      [`${US} USD`, '1000.10', '400.05'],
      [`${UK} GBP`, '250.00', '-50.01'],
    ]),
  };
}

describe(reconcileGraph.name, () => {
  it('should sum the projects per owner and currency, never across currencies', () => {
    const sut = sumProjectFigures(graphProjects(), (project) => project.clientId);

    expect([...sut].map(([key, total]) => [key, total.revenue.toFixed(2), total.margin.toFixed(2)])).toEqual([
      [`${CLIENT_A} USD`, '1000.10', '400.05'],
      [`${CLIENT_A} GBP`, '250.00', '-50.01'],
      [`${CLIENT_B} USD`, '0.00', '0.00'],
    ]);
  });

  it('should reconcile figures that agree to the cent, a null revenue counting as none', () => {
    const results = reconcileGraph(ledger(), graph());

    expect(results.map((result) => result.count)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("should report a project's margin a cent off, and the client and legal entity totals it moves", () => {
    const projects = graphProjects();
    projects[0].margin = money('400.06', 'USD');

    const results = reconcileGraph(ledger(), graph(projects));

    expect(results.map((result) => result.count)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(results[1].examples).toEqual(['p1 margin: ledger 400.05 USD, graph 400.06 USD']);
    expect(results[2].examples).toEqual([`${CLIENT_A} USD margin: ledger 400.05, graph Σ projects 400.06`]);
    expect(results[3].examples).toEqual([`${US} USD margin: ledger 400.05, graph Σ projects 400.06`]);
    // the owners' own figures still say 400.05: they no longer equal the sum of the projects either
    expect(results[4].examples).toEqual([`${US} USD margin: graph Σ projects 400.06, LegalEntity 400.05`]);
    expect(results[5].examples).toEqual([`${CLIENT_A} USD margin: graph Σ projects 400.06, Client 400.05`]);
  });

  it('should report revenue in the ledger of a client that no project of the graph carries, and a project the graph did not answer', () => {
    const expected = ledger();
    expected.clients.set(`${CLIENT_B} EUR`, { revenue: decimal('99.99'), margin: decimal('99.99') });

    const results = reconcileGraph(expected, graph(graphProjects().slice(0, 2)));

    expect(results[0].examples).toEqual(['p3: in psa.project, not answered by the graph']);
    expect(results[2].examples).toEqual([
      `${CLIENT_B} EUR revenue: ledger 99.99, graph Σ projects 0.00`,
      `${CLIENT_B} EUR margin: ledger 99.99, graph Σ projects 0.00`,
    ]);
  });

  it('should report an amount in another currency than the ledger has for the project', () => {
    const projects = graphProjects();
    projects[1].revenueRecognized = money('250.00', 'USD');

    const results = reconcileGraph(ledger(), graph(projects));

    expect(results[1].examples).toEqual(['p2 revenueRecognized: ledger 250.00 GBP, graph 250.00 USD']);
  });

  it("should report a legal entity's own revenue a cent off the sum of its projects, and a client margin in a currency no project has", () => {
    const figures = graph();
    figures.legalEntities[1].revenueRecognized = [money('250.01', 'GBP')];
    figures.clients[1].margin = [money('0.00', 'USD'), money('12.00', 'EUR')];

    const results = reconcileGraph(ledger(), figures);

    expect(results.map((result) => result.count)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(results[4].examples).toEqual([`${UK} GBP revenue: graph Σ projects 250.00, LegalEntity 250.01`]);
    expect(results[5].examples).toEqual([`${CLIENT_B} EUR margin: graph Σ projects 0.00, Client 12.00`]);
  });

  it('should compare only the margin of clients: the graph has no revenue figure of a client', () => {
    const figures = graph();

    const results = reconcileGraph(ledger(), figures);

    expect(figures.clients.every((client) => client.revenueRecognized === undefined)).toBe(true);
    expect(results[5]).toEqual({
      name: "each client's margin per currency (graph) = Σ its projects' margin (graph)",
      count: 0,
      examples: [],
    });
  });
});
