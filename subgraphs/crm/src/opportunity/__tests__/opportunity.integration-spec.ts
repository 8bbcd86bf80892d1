import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory, MISSING_ID, nodesOf, type Created } from '../../__tests__/crm.factories';

const FIELDS = `id stage probability closedAt lostReason updatedAt`;
const OPPORTUNITY = `query($id: ID!) { opportunity(id: $id) { ${FIELDS} } }`;
const MOVE = `mutation($id: ID!, $stage: OpportunityStage!, $lostReason: String) { moveOpportunity(id: $id, stage: $stage, lostReason: $lostReason) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $input) { id name probability amount { amount currency } closeDate stage } }`;

const OPEN = ['PROSPECTING', 'QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'];
const DEFAULT_PROBABILITY: Record<string, number> = {
  PROSPECTING: 10,
  QUALIFICATION: 25,
  PROPOSAL: 50,
  NEGOTIATION: 75,
  CLOSED_WON: 100,
  CLOSED_LOST: 0,
};

/** The edges of DOMAIN.md §2 as this subgraph implements them (forward one step, back, lost from any open stage, reopen). */
const VALID_MOVES: [string, string][] = [
  ['PROSPECTING', 'QUALIFICATION'],
  ['PROSPECTING', 'CLOSED_LOST'],
  ['QUALIFICATION', 'PROSPECTING'],
  ['QUALIFICATION', 'PROPOSAL'],
  ['QUALIFICATION', 'CLOSED_LOST'],
  ['PROPOSAL', 'PROSPECTING'],
  ['PROPOSAL', 'QUALIFICATION'],
  ['PROPOSAL', 'NEGOTIATION'],
  ['PROPOSAL', 'CLOSED_LOST'],
  ['NEGOTIATION', 'PROSPECTING'],
  ['NEGOTIATION', 'QUALIFICATION'],
  ['NEGOTIATION', 'PROPOSAL'],
  ['NEGOTIATION', 'CLOSED_WON'],
  ['NEGOTIATION', 'CLOSED_LOST'],
  ...OPEN.map((stage): [string, string] => ['CLOSED_WON', stage]),
  ...OPEN.map((stage): [string, string] => ['CLOSED_LOST', stage]),
];

const INVALID_MOVES: [string, string][] = [
  ['PROSPECTING', 'PROPOSAL'],
  ['PROSPECTING', 'NEGOTIATION'],
  ['PROSPECTING', 'CLOSED_WON'],
  ['QUALIFICATION', 'CLOSED_WON'],
  ['PROPOSAL', 'CLOSED_WON'],
  ['QUALIFICATION', 'QUALIFICATION'],
  ['CLOSED_WON', 'CLOSED_LOST'],
  ['CLOSED_LOST', 'CLOSED_WON'],
  ['CLOSED_WON', 'CLOSED_WON'],
];

describe('Opportunity', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let factory: CrmFactory;
  let client: Created;

  const move = (id: string, stage: string, lostReason?: string) => postGraphQL(sut.graphqlUrl, MOVE, { id, stage, lostReason });
  const read = async (id: string) => (await queryData(sut.graphqlUrl, OPPORTUNITY, { id })).opportunity;

  /** An opportunity with an ACCEPTED quote, moved along valid edges to `stage`. */
  async function opportunityIn(stage: string): Promise<Created> {
    const opportunity = await factory.opportunity(client.id);
    await factory.acceptedQuote(opportunity.id);
    const path: Record<string, string[]> = {
      PROSPECTING: [],
      QUALIFICATION: ['QUALIFICATION'],
      PROPOSAL: ['QUALIFICATION', 'PROPOSAL'],
      NEGOTIATION: ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'],
      CLOSED_WON: ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON'],
      CLOSED_LOST: ['CLOSED_LOST'],
    };
    for (const step of path[stage]) {
      await queryData(sut.graphqlUrl, MOVE, {
        id: opportunity.id,
        stage: step,
        lostReason: step === 'CLOSED_LOST' ? 'Budget cut' : undefined,
      });
    }
    return opportunity;
  }

  beforeAll(async () => {
    factory = new CrmFactory(sut.graphqlUrl);
    client = await factory.client({ currency: 'GBP' });
  });

  describe('creation', () => {
    it('should create an opportunity in PROSPECTING with the stage probability and the client currency', async () => {
      const contact = await factory.contact(client.id);

      const created = await factory.opportunity(client.id, {
        name: 'ERP rollout',
        amount: '125000.5',
        primaryContactId: contact.id,
        expectedStartDate: '2026-09-01',
        billingModel: 'FIXED',
      });

      const { opportunity } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { opportunity(id: $id) { name stage probability amount { amount currency } closeDate expectedStartDate billingModel closedAt lostReason
            client { id currency } primaryContact { id } contract { id } project { id } quotes { id } acceptedQuote { id } } }`,
        { id: created.id },
      );
      expect(opportunity).toEqual({
        name: 'ERP rollout',
        stage: 'PROSPECTING',
        probability: 10,
        amount: { amount: '125000.50', currency: 'GBP' },
        closeDate: '2026-06-30',
        expectedStartDate: '2026-09-01',
        billingModel: 'FIXED',
        closedAt: null,
        lostReason: null,
        client: { id: client.id, currency: 'GBP' },
        primaryContact: { id: contact.id },
        contract: null,
        project: null,
        quotes: [],
        acceptedQuote: null,
      });
    });

    it('should not take a primary contact of another client', async () => {
      const otherClient = await factory.client();
      const stranger = await factory.contact(otherClient.id);

      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
        {
          input: { clientId: client.id, name: 'x', ownerId: 'sales-1', closeDate: '2026-01-31', primaryContactId: stranger.id },
        },
      );

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'CONTACT_OF_ANOTHER_CLIENT' });
    });

    it('should not create an opportunity from invalid input, naming every problem', async () => {
      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
        {
          input: {
            clientId: client.id,
            name: 'x',
            ownerId: 'sales-1',
            closeDate: '2026-02-30',
            probability: 101,
            amount: '-5',
            currency: 'eu',
          },
        },
      );

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('closeDate'),
          expect.stringContaining('probability'),
          expect.stringContaining('amount'),
          expect.stringContaining('currency'),
        ]),
      );
    });

    it('should not create an opportunity for a client that does not exist', async () => {
      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
        {
          input: { clientId: MISSING_ID, name: 'x', ownerId: 'sales-1', closeDate: '2026-01-31' },
        },
      );

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientId' });
    });
  });

  describe('stage moves', () => {
    it.each(VALID_MOVES)('should move from %s to %s', async (from, to) => {
      const opportunity = await opportunityIn(from);

      const result = await move(opportunity.id, to, to === 'CLOSED_LOST' ? 'Went with a competitor' : undefined);

      expect(result.errors).toBeUndefined();
      const moved = result.data?.moveOpportunity;
      expect(moved).toMatchObject({
        stage: to,
        probability: DEFAULT_PROBABILITY[to],
        lostReason: to === 'CLOSED_LOST' ? 'Went with a competitor' : null,
      });
      expect(moved.closedAt === null).toBe(OPEN.includes(to));
    });

    it.each(INVALID_MOVES)('should not move from %s to %s (INVALID_TRANSITION, nothing changed)', async (from, to) => {
      const opportunity = await opportunityIn(from);
      const before = await read(opportunity.id);

      const result = await move(opportunity.id, to, to === 'CLOSED_LOST' ? 'Any reason' : undefined);

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from, to });
      expect(await read(opportunity.id)).toEqual(before);
    });

    it('should set probability 100 and closedAt when won with an accepted quote', async () => {
      const opportunity = await opportunityIn('NEGOTIATION');
      const startedAt = Date.now();

      const { moveOpportunity } = await queryData(sut.graphqlUrl, MOVE, { id: opportunity.id, stage: 'CLOSED_WON' });

      expect(moveOpportunity).toMatchObject({ stage: 'CLOSED_WON', probability: 100 });
      expect(new Date(moveOpportunity.closedAt).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    });

    it('should not win an opportunity without an accepted quote, and change nothing', async () => {
      const opportunity = await factory.opportunity(client.id);
      await factory.negotiating(opportunity.id);
      await factory.sentQuote(opportunity.id);
      const before = await read(opportunity.id);

      const result = await move(opportunity.id, 'CLOSED_WON');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'ACCEPTED_QUOTE_REQUIRED' });
      expect(await read(opportunity.id)).toEqual(before);
    });

    it('should not lose an opportunity without a lost reason', async () => {
      const opportunity = await factory.opportunity(client.id);
      const before = await read(opportunity.id);

      const missing = await move(opportunity.id, 'CLOSED_LOST');
      const blank = await move(opportunity.id, 'CLOSED_LOST', '   ');

      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'LOST_REASON_REQUIRED' });
      expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'LOST_REASON_REQUIRED' });
      expect(await read(opportunity.id)).toEqual(before);
    });

    it.each(['DRAFT', 'SENT'])('should not lose an opportunity while a %s quote is open', async (status) => {
      const opportunity = await factory.opportunity(client.id);
      const quote = status === 'DRAFT' ? await factory.quote(opportunity.id) : await factory.sentQuote(opportunity.id);
      const before = await read(opportunity.id);

      const result = await move(opportunity.id, 'CLOSED_LOST', 'Too expensive');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'OPEN_QUOTES', quoteIds: [quote.id] });
      expect(await read(opportunity.id)).toEqual(before);
    });

    it('should lose an opportunity once its open quote is decided, with probability 0 and the reason', async () => {
      const opportunity = await factory.opportunity(client.id);
      const quote = await factory.sentQuote(opportunity.id);
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { rejectQuote(id: $id) { id } }`, { id: quote.id });

      const { moveOpportunity } = await queryData(sut.graphqlUrl, MOVE, {
        id: opportunity.id,
        stage: 'CLOSED_LOST',
        lostReason: 'Too expensive',
      });

      expect(moveOpportunity).toMatchObject({ stage: 'CLOSED_LOST', probability: 0, lostReason: 'Too expensive' });
      expect(moveOpportunity.closedAt).not.toBeNull();
    });

    it('should clear closedAt and the lost reason when a lost opportunity is reopened', async () => {
      const opportunity = await opportunityIn('CLOSED_LOST');

      const { moveOpportunity } = await queryData(sut.graphqlUrl, MOVE, { id: opportunity.id, stage: 'PROPOSAL' });

      expect(moveOpportunity).toMatchObject({ stage: 'PROPOSAL', probability: 50, closedAt: null, lostReason: null });
    });

    it('should not take a lost reason with a stage other than CLOSED_LOST', async () => {
      const opportunity = await factory.opportunity(client.id);

      const result = await move(opportunity.id, 'QUALIFICATION', 'why?');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'LOST_REASON_ONLY_WHEN_LOST' });
      expect((await read(opportunity.id)).stage).toBe('PROSPECTING');
    });

    it('should answer NOT_FOUND when moving an opportunity that does not exist', async () => {
      const result = await move(MISSING_ID, 'QUALIFICATION');

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('updates', () => {
    it('should update only the given fields', async () => {
      const opportunity = await factory.opportunity(client.id, { name: 'Before' });

      const { updateOpportunity } = await queryData(sut.graphqlUrl, UPDATE, {
        id: opportunity.id,
        input: { amount: '99.9', probability: 40, closeDate: '2026-12-31' },
      });

      expect(updateOpportunity).toEqual({
        id: opportunity.id,
        name: 'Before',
        probability: 40,
        amount: { amount: '99.90', currency: 'GBP' },
        closeDate: '2026-12-31',
        stage: 'PROSPECTING',
      });
    });

    it('should not change the stage through updateOpportunity', async () => {
      const opportunity = await factory.opportunity(client.id);

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: opportunity.id, input: { stage: 'CLOSED_WON' } });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toContain('"stage" is not defined by type "UpdateOpportunityInput"');
      expect((await read(opportunity.id)).stage).toBe('PROSPECTING');
    });

    it('should not change the probability of a closed opportunity', async () => {
      const opportunity = await opportunityIn('CLOSED_WON');

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: opportunity.id, input: { probability: 50 } });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'CLOSED_PROBABILITY' });
      expect((await read(opportunity.id)).probability).toBe(100);
    });

    it('should answer NOT_FOUND when updating an opportunity that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: MISSING_ID, input: { name: 'x' } });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('linkOpportunityDelivery', () => {
    const LINK = `mutation($id: ID!, $contractId: ID!, $projectId: ID) {
      linkOpportunityDelivery(id: $id, contractId: $contractId, projectId: $projectId) { id stage updatedAt contract { id } project { id } } }`;
    const link = (id: string, contractId: string, projectId: string | null) =>
      postGraphQL(sut.graphqlUrl, LINK, { id, contractId, projectId });
    const contractId = '01960000-0000-7000-8000-00000000c0a1';
    const projectId = '01960000-0000-7000-8000-00000000c0b1';

    it('should record the contract and project of a won opportunity once: the same links again change nothing', async () => {
      const opportunity = await opportunityIn('CLOSED_WON');

      const first = await link(opportunity.id, contractId, projectId);
      const again = await link(opportunity.id, contractId, null);

      expect(first.errors).toBeUndefined();
      expect(first.data?.linkOpportunityDelivery).toMatchObject({
        stage: 'CLOSED_WON',
        contract: { id: contractId },
        project: { id: projectId },
      });
      expect(again.data?.linkOpportunityDelivery).toEqual(first.data?.linkOpportunityDelivery);
    });

    it('should record a contract without a project, and the project later', async () => {
      const opportunity = await opportunityIn('CLOSED_WON');

      const contractOnly = await link(opportunity.id, contractId, null);
      const withProject = await link(opportunity.id, contractId, projectId);

      expect(contractOnly.data?.linkOpportunityDelivery).toMatchObject({ contract: { id: contractId }, project: null });
      expect(withProject.data?.linkOpportunityDelivery).toMatchObject({ contract: { id: contractId }, project: { id: projectId } });
    });

    it('should not link another contract or project than the recorded ones, nor an opportunity that is not won', async () => {
      const won = await opportunityIn('CLOSED_WON');
      await link(won.id, contractId, projectId);
      const open = await opportunityIn('NEGOTIATION');

      const otherContract = await link(won.id, '01960000-0000-7000-8000-00000000c0a2', projectId);
      const otherProject = await link(won.id, contractId, '01960000-0000-7000-8000-00000000c0b2');
      const notWon = await link(open.id, contractId, projectId);
      const missing = await link(MISSING_ID, contractId, projectId);

      expect(otherContract.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'contractId', current: contractId });
      expect(otherProject.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'projectId', current: projectId });
      expect(notWon.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', stage: 'NEGOTIATION' });
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const { opportunity } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { opportunity(id: $id) { contract { id } project { id } } }`,
        {
          id: open.id,
        },
      );
      expect(opportunity).toEqual({ contract: null, project: null });
    });
  });

  describe('queries', () => {
    let pipeline: Created;
    let names: Record<string, string>;

    beforeAll(async () => {
      pipeline = await factory.client({ name: 'Pipeline Co' });
      const a = await factory.opportunity(pipeline.id, { name: 'A', amount: '300', closeDate: '2026-01-15', ownerId: 'alice' });
      const b = await factory.opportunity(pipeline.id, { name: 'B', amount: '100', closeDate: '2026-02-15', ownerId: 'bob' });
      const c = await factory.opportunity(pipeline.id, { name: 'C', amount: '200', closeDate: '2026-03-15', ownerId: 'alice' });
      await factory.opportunity(pipeline.id, { name: 'D', amount: '400', closeDate: '2026-04-15', ownerId: 'bob' });
      await queryData(sut.graphqlUrl, MOVE, { id: c.id, stage: 'QUALIFICATION' });
      await queryData(sut.graphqlUrl, MOVE, { id: b.id, stage: 'CLOSED_LOST', lostReason: 'No budget' });
      names = { a: a.id };
    });

    const list = async (args: string) =>
      nodesOf(
        (
          await queryData(sut.graphqlUrl, `query($clientId: ID!) { opportunities(${args}) { edges { node { name } } } }`, {
            clientId: pipeline.id,
          })
        ).opportunities,
      ).map((node) => node.name);

    it('should filter by client, owner, stages and close date range', async () => {
      expect(await list(`filter: { clientId: $clientId }`)).toEqual(['A', 'B', 'C', 'D']);
      expect(await list(`filter: { clientId: $clientId, ownerId: "alice" }`)).toEqual(['A', 'C']);
      expect(await list(`filter: { clientId: $clientId, stageIn: [QUALIFICATION, CLOSED_LOST] }`)).toEqual(['B', 'C']);
      expect(await list(`filter: { clientId: $clientId, closeDateFrom: "2026-02-15", closeDateTo: "2026-03-31" }`)).toEqual(['B', 'C']);
    });

    it('should sort by amount, name and creation time in both directions', async () => {
      expect(await list(`filter: { clientId: $clientId }, orderBy: { field: AMOUNT, direction: DESC }`)).toEqual(['D', 'A', 'C', 'B']);
      expect(await list(`filter: { clientId: $clientId }, orderBy: { field: NAME, direction: DESC }`)).toEqual(['D', 'C', 'B', 'A']);
      expect(await list(`filter: { clientId: $clientId }, orderBy: { field: CREATED_AT }`)).toEqual(['A', 'B', 'C', 'D']);
      expect(await list(`filter: { clientId: $clientId }, orderBy: { field: CLOSE_DATE, direction: DESC }`)).toEqual(['D', 'C', 'B', 'A']);
    });

    it('should page by amount with stable cursors', async () => {
      const page = `query($clientId: ID!, $after: String) { opportunities(first: 3, after: $after, filter: { clientId: $clientId }, orderBy: { field: AMOUNT }) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page, { clientId: pipeline.id });
      const second = await queryData(sut.graphqlUrl, page, { clientId: pipeline.id, after: first.opportunities.pageInfo.endCursor });

      expect(nodesOf(first.opportunities).map((node) => node.name)).toEqual(['B', 'C', 'A']);
      expect(nodesOf(second.opportunities).map((node) => node.name)).toEqual(['D']);
      expect([first.opportunities.pageInfo.hasNextPage, second.opportunities.pageInfo.hasNextPage]).toEqual([true, false]);
    });

    it('should refuse a cursor of another ordering with BAD_USER_INPUT', async () => {
      const byAmount = await queryData(
        sut.graphqlUrl,
        `query($clientId: ID!) { opportunities(first: 1, filter: { clientId: $clientId }, orderBy: { field: AMOUNT }) { pageInfo { endCursor } } }`,
        {
          clientId: pipeline.id,
        },
      );

      const result = await postGraphQL(sut.graphqlUrl, `query($after: String) { opportunities(after: $after) { edges { cursor } } }`, {
        after: byAmount.opportunities.pageInfo.endCursor,
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it("should list the client's opportunities by close date under Client.opportunities, limited and filtered by stage", async () => {
      const { client: loaded } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { client(id: $id) { first2: opportunities(first: 2) { name } open: opportunities(stageIn: [PROSPECTING, QUALIFICATION]) { name } all: opportunities { name } } }`,
        { id: pipeline.id },
      );

      expect(loaded.first2.map((o: { name: string }) => o.name)).toEqual(['A', 'B']);
      expect(loaded.open.map((o: { name: string }) => o.name)).toEqual(['A', 'C', 'D']);
      expect(loaded.all.map((o: { name: string }) => o.name)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('should expose the contract and project set at closed-won as federation references', async () => {
      const contractId = '01a20978-0000-7000-8000-0000000000c1';
      const projectId = '01a20978-0000-7000-8000-0000000000d1';
      await sut.dataSource.query(`UPDATE crm.opportunity SET contract_id = $1, project_id = $2 WHERE id = $3`, [
        contractId,
        projectId,
        names.a,
      ]);

      const { opportunity } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { opportunity(id: $id) { contract { id } project { id } } }`,
        { id: names.a },
      );

      expect(opportunity).toEqual({ contract: { id: contractId }, project: { id: projectId } });
    });

    it('should resolve opportunities by reference for the gateway (_entities)', async () => {
      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Opportunity { id name } } }`,
        {
          representations: [
            { __typename: 'Opportunity', id: names.a },
            { __typename: 'Opportunity', id: MISSING_ID },
          ],
        },
      );

      expect(_entities).toEqual([{ id: names.a, name: 'A' }, null]);
    });
  });
});
