import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory, MISSING_ID, nodesOf, type Created } from '../../__tests__/crm.factories';

const LINE_FIELDS = `id position serviceCode roleId billingModel hours quantity unitRate { amount currency } discountPct amount { amount currency } serviceTracking milestoneName milestoneDate`;
const QUOTE_FIELDS = `id number version status previousVersionId validUntil currency billingTerms subtotal { amount currency } total { amount currency } lines { ${LINE_FIELDS} }`;
const QUOTE = `query($id: ID!) { quote(id: $id) { ${QUOTE_FIELDS} } }`;
const CREATE = `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { ${QUOTE_FIELDS} } }`;
const ADD_LINE = `mutation($quoteId: ID!, $input: QuoteLineInput!) { addQuoteLine(quoteId: $quoteId, input: $input) { ${LINE_FIELDS} quote { total { amount } } } }`;
const UPDATE_LINE = `mutation($id: ID!, $input: UpdateQuoteLineInput!) { updateQuoteLine(id: $id, input: $input) { ${LINE_FIELDS} quote { subtotal { amount } total { amount } } } }`;
const REMOVE_LINE = `mutation($id: ID!) { removeQuoteLine(id: $id) { id subtotal { amount } total { amount } lines { id } } }`;
const REVISE = `mutation($id: ID!) { reviseQuote(id: $id) { ${QUOTE_FIELDS} } }`;

const MUTATION_OF: Record<string, string> = {
  SENT: 'sendQuote',
  ACCEPTED: 'acceptQuote',
  REJECTED: 'rejectQuote',
  EXPIRED: 'expireQuote',
  CANCELLED: 'cancelQuote',
};

const VALID_TRANSITIONS: [string, string][] = [
  ['DRAFT', 'SENT'],
  ['DRAFT', 'CANCELLED'],
  ['SENT', 'ACCEPTED'],
  ['SENT', 'REJECTED'],
  ['SENT', 'EXPIRED'],
  ['SENT', 'CANCELLED'],
];

const INVALID_TRANSITIONS: [string, string][] = [
  ['DRAFT', 'ACCEPTED'],
  ['DRAFT', 'REJECTED'],
  ['DRAFT', 'EXPIRED'],
  ['SENT', 'SENT'],
  ['ACCEPTED', 'CANCELLED'],
  ['ACCEPTED', 'REJECTED'],
  ['REJECTED', 'SENT'],
  ['EXPIRED', 'ACCEPTED'],
  ['CANCELLED', 'SENT'],
];

const FIXED_LINE = { serviceCode: 'WORKSHOP', billingModel: 'FIXED', quantity: '3', unitRate: '33.33', discountPct: '10' };
const TM_LINE = {
  serviceCode: 'CONSULTING',
  roleId: 'consultant',
  billingModel: 'TM',
  hours: '7.5',
  unitRate: '120.125',
  serviceTracking: 'PROJECT_AND_TASK',
};

describe('Quote', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let factory: CrmFactory;
  let client: Created;

  const transition = (id: string, to: string) =>
    postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { ${MUTATION_OF[to]}(id: $id) { id status } }`, { id });
  const read = async (id: string) => (await queryData(sut.graphqlUrl, QUOTE, { id })).quote;
  const openOpportunity = () => factory.opportunity(client.id);

  /** A quote with one line, taken along valid transitions to `status`. */
  async function quoteIn(status: string): Promise<Created> {
    const opportunity = await openOpportunity();
    const quote = await factory.quote(opportunity.id);
    const path: Record<string, string[]> = {
      DRAFT: [],
      SENT: ['SENT'],
      ACCEPTED: ['SENT', 'ACCEPTED'],
      REJECTED: ['SENT', 'REJECTED'],
      EXPIRED: ['SENT', 'EXPIRED'],
      CANCELLED: ['CANCELLED'],
    };
    for (const step of path[status]) {
      expect((await transition(quote.id, step)).errors).toBeUndefined();
    }
    return { ...quote, opportunityId: opportunity.id };
  }

  beforeAll(async () => {
    factory = new CrmFactory(sut.graphqlUrl);
    client = await factory.client({ currency: 'USD' });
  });

  describe('creation and pricing', () => {
    it('should create a DRAFT version 1 with lines priced in decimals and the totals summed', async () => {
      const opportunity = await openOpportunity();

      const { createQuote } = await queryData(sut.graphqlUrl, CREATE, {
        input: { opportunityId: opportunity.id, validUntil: '2099-12-31', billingTerms: '50% upfront', lines: [FIXED_LINE, TM_LINE] },
      });

      expect(createQuote).toMatchObject({
        number: expect.stringMatching(/^Q-\d{6}$/),
        version: 1,
        status: 'DRAFT',
        previousVersionId: null,
        validUntil: '2099-12-31',
        currency: 'USD',
        billingTerms: '50% upfront',
        subtotal: { amount: '990.93', currency: 'USD' },
        total: { amount: '990.93', currency: 'USD' },
      });
      expect(createQuote.lines).toEqual([
        expect.objectContaining({
          position: 1,
          billingModel: 'FIXED',
          quantity: '3.00',
          hours: null,
          unitRate: { amount: '33.33', currency: 'USD' },
          discountPct: '10.00',
          amount: { amount: '89.99', currency: 'USD' },
        }),
        expect.objectContaining({
          position: 2,
          billingModel: 'TM',
          hours: '7.50',
          quantity: null,
          roleId: 'consultant',
          unitRate: { amount: '120.125', currency: 'USD' },
          discountPct: '0.00',
          serviceTracking: 'PROJECT_AND_TASK',
          amount: { amount: '900.94', currency: 'USD' },
        }),
      ]);
      expect(await read(createQuote.id)).toEqual(createQuote);
    });

    it('should sum cents exactly (0.10 + 0.20 = 0.30) and default a fixed line to one unit', async () => {
      const opportunity = await openOpportunity();

      const { createQuote } = await queryData(sut.graphqlUrl, CREATE, {
        input: {
          opportunityId: opportunity.id,
          lines: [
            { serviceCode: 'A', billingModel: 'FIXED', unitRate: '0.1' },
            { serviceCode: 'B', billingModel: 'MILESTONE', unitRate: '0.2', milestoneName: 'Go-live', milestoneDate: '2026-05-01' },
          ],
        },
      });

      expect(createQuote.total.amount).toBe('0.30');
      expect(
        createQuote.lines.map((line: { quantity: string; milestoneName: string | null }) => [line.quantity, line.milestoneName]),
      ).toEqual([
        ['1.00', null],
        ['1.00', 'Go-live'],
      ]);
    });

    it('should number quotes uniquely in creation order', async () => {
      const opportunity = await openOpportunity();

      const first = await factory.quote(opportunity.id);
      const second = await factory.quote(opportunity.id);

      expect(Number(second.number.slice(2))).toBeGreaterThan(Number(first.number.slice(2)));
    });

    it.each([
      ['a TM line without hours', { serviceCode: 'X', billingModel: 'TM', unitRate: '10' }, 'HOURS_REQUIRED'],
      ['a FIXED line priced by hours', { serviceCode: 'X', billingModel: 'FIXED', hours: '2', unitRate: '10' }, 'QUANTITY_REQUIRED'],
      [
        'a MILESTONE line without its milestone',
        { serviceCode: 'X', billingModel: 'MILESTONE', unitRate: '10' },
        'MILESTONE_NAME_REQUIRED',
      ],
    ])('should not create a quote with %s', async (_name, line, rule) => {
      const opportunity = await openOpportunity();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { opportunityId: opportunity.id, lines: [line] } });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
      const { quotes } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { quotes(filter: { opportunityId: $id }) { edges { node { id } } } }`,
        { id: opportunity.id },
      );
      expect(quotes.edges).toHaveLength(0);
    });

    it('should not take malformed decimals, naming every problem', async () => {
      const opportunity = await openOpportunity();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          opportunityId: opportunity.id,
          validUntil: '31/12/2026',
          lines: [{ serviceCode: 'X', billingModel: 'TM', hours: '0', unitRate: '1.1234567', discountPct: '100.5' }],
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('validUntil'),
          expect.stringContaining('hours'),
          expect.stringContaining('unitRate'),
          expect.stringContaining('discountPct'),
        ]),
      );
    });

    it('should not create a quote for an opportunity that does not exist or is closed', async () => {
      const lost = await openOpportunity();
      await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_LOST, lostReason: "No budget") { id } }`,
        { id: lost.id },
      );

      const missing = await postGraphQL(sut.graphqlUrl, CREATE, { input: { opportunityId: MISSING_ID } });
      const closed = await postGraphQL(sut.graphqlUrl, CREATE, { input: { opportunityId: lost.id } });

      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'opportunityId' });
      expect(closed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'OPPORTUNITY_CLOSED' });
    });
  });

  describe('editing', () => {
    it('should add, change and remove lines of a DRAFT, recomputing the totals each time', async () => {
      const quote = await factory.quote((await openOpportunity()).id, { lines: [FIXED_LINE] });

      const { addQuoteLine } = await queryData(sut.graphqlUrl, ADD_LINE, { quoteId: quote.id, input: TM_LINE });
      const { updateQuoteLine } = await queryData(sut.graphqlUrl, UPDATE_LINE, {
        id: addQuoteLine.id,
        input: { hours: '10', discountPct: '12.5' },
      });
      const first = (await read(quote.id)).lines[0];
      const { removeQuoteLine } = await queryData(sut.graphqlUrl, REMOVE_LINE, { id: first.id });

      expect(addQuoteLine).toMatchObject({ position: 2, amount: { amount: '900.94' }, quote: { total: { amount: '990.93' } } });
      // 10 h × 120.125 × 0.875 = 1051.09375 → 1051.09
      expect(updateQuoteLine).toMatchObject({
        hours: '10.00',
        discountPct: '12.50',
        amount: { amount: '1051.09' },
        quote: { subtotal: { amount: '1141.08' }, total: { amount: '1141.08' } },
      });
      expect(removeQuoteLine).toEqual({
        id: quote.id,
        subtotal: { amount: '1051.09' },
        total: { amount: '1051.09' },
        lines: [{ id: addQuoteLine.id }],
      });
    });

    it('should re-check the pricing rule when a line changes billing model', async () => {
      const quote = await factory.quote((await openOpportunity()).id, { lines: [FIXED_LINE] });
      const line = (await read(quote.id)).lines[0];

      const incomplete = await postGraphQL(sut.graphqlUrl, UPDATE_LINE, { id: line.id, input: { billingModel: 'TM' } });
      const complete = await queryData(sut.graphqlUrl, UPDATE_LINE, {
        id: line.id,
        input: { billingModel: 'TM', quantity: null, hours: '2', unitRate: '50', discountPct: '0' },
      });

      expect(incomplete.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'HOURS_REQUIRED' });
      expect(complete.updateQuoteLine).toMatchObject({
        billingModel: 'TM',
        hours: '2.00',
        quantity: null,
        amount: { amount: '100.00' },
        quote: { total: { amount: '100.00' } },
      });
    });

    it('should update the validity and terms of a DRAFT', async () => {
      const quote = await factory.quote((await openOpportunity()).id);

      const { updateQuote } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateQuote(id: $id, input: { validUntil: "2099-01-31", billingTerms: "Net 30" }) { validUntil billingTerms status } }`,
        {
          id: quote.id,
        },
      );

      expect(updateQuote).toEqual({ validUntil: '2099-01-31', billingTerms: 'Net 30', status: 'DRAFT' });
    });

    it('should not edit a quote that is no longer a DRAFT, and change nothing', async () => {
      const quote = await quoteIn('SENT');
      const before = await read(quote.id);
      const lineId = before.lines[0].id;

      const results = await Promise.all([
        postGraphQL(sut.graphqlUrl, ADD_LINE, { quoteId: quote.id, input: FIXED_LINE }),
        postGraphQL(sut.graphqlUrl, UPDATE_LINE, { id: lineId, input: { hours: '99' } }),
        postGraphQL(sut.graphqlUrl, REMOVE_LINE, { id: lineId }),
        postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { updateQuote(id: $id, input: { billingTerms: "changed" }) { id } }`, {
          id: quote.id,
        }),
      ]);

      for (const result of results) {
        expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'QUOTE_NOT_DRAFT' });
      }
      expect(await read(quote.id)).toEqual(before);
    });

    it('should answer NOT_FOUND for lines and quotes that do not exist', async () => {
      const results = await Promise.all([
        postGraphQL(sut.graphqlUrl, ADD_LINE, { quoteId: MISSING_ID, input: FIXED_LINE }),
        postGraphQL(sut.graphqlUrl, UPDATE_LINE, { id: MISSING_ID, input: { hours: '1' } }),
        postGraphQL(sut.graphqlUrl, REMOVE_LINE, { id: MISSING_ID }),
        postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { updateQuote(id: $id, input: { billingTerms: "x" }) { id } }`, { id: MISSING_ID }),
        transition(MISSING_ID, 'SENT'),
        postGraphQL(sut.graphqlUrl, REVISE, { id: MISSING_ID }),
      ]);

      expect(results.map((result) => result.errors?.[0].extensions?.code)).toEqual(Array(6).fill('NOT_FOUND'));
    });
  });

  describe('status transitions', () => {
    it.each(VALID_TRANSITIONS)('should go from %s to %s', async (from, to) => {
      const quote = await quoteIn(from);

      const result = await transition(quote.id, to);

      expect(result.errors).toBeUndefined();
      expect((await read(quote.id)).status).toBe(to);
    });

    it.each(INVALID_TRANSITIONS)('should not go from %s to %s (INVALID_TRANSITION, nothing changed)', async (from, to) => {
      const quote = await quoteIn(from);
      const before = await read(quote.id);

      const result = await transition(quote.id, to);

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from, to });
      expect(await read(quote.id)).toEqual(before);
    });

    it('should not accept a quote without lines', async () => {
      const quote = await factory.sentQuote((await openOpportunity()).id, { lines: [] });

      const result = await transition(quote.id, 'ACCEPTED');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'QUOTE_HAS_NO_LINES' });
      expect((await read(quote.id)).status).toBe('SENT');
    });

    it('should not accept a quote after its validity', async () => {
      const quote = await factory.sentQuote((await openOpportunity()).id, { validUntil: '2020-01-31' });

      const result = await transition(quote.id, 'ACCEPTED');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'QUOTE_VALIDITY_PASSED' });
      expect((await read(quote.id)).status).toBe('SENT');
    });

    it('should accept at most one quote per opportunity', async () => {
      const opportunity = await openOpportunity();
      const first = await factory.sentQuote(opportunity.id);
      const second = await factory.sentQuote(opportunity.id);
      await transition(first.id, 'ACCEPTED');

      const result = await transition(second.id, 'ACCEPTED');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'ONE_ACCEPTED_QUOTE', acceptedQuoteId: first.id });
      expect((await read(second.id)).status).toBe('SENT');
      const { opportunity: loaded } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { opportunity(id: $id) { acceptedQuote { id } quotes { id status } } }`,
        { id: opportunity.id },
      );
      expect(loaded).toEqual({
        acceptedQuote: { id: first.id },
        quotes: [
          { id: first.id, status: 'ACCEPTED' },
          { id: second.id, status: 'SENT' },
        ],
      });
    });

    it('should not let the database hold two accepted quotes of one opportunity (partial unique index)', async () => {
      const opportunity = await openOpportunity();
      await factory.acceptedQuote(opportunity.id);
      const second = await factory.sentQuote(opportunity.id);

      const write = sut.dataSource.query(`UPDATE crm.quote SET status = 'ACCEPTED' WHERE id = $1`, [second.id]);

      await expect(write).rejects.toMatchObject({
        driverError: expect.objectContaining({ constraint: 'ux_quote_opportunity_id_accepted' }),
      });
    });

    it('should not send a quote of a closed opportunity', async () => {
      const opportunity = await openOpportunity();
      await factory.acceptedQuote(opportunity.id);
      const draft = await factory.quote(opportunity.id);
      await factory.negotiating(opportunity.id);
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_WON) { id } }`, { id: opportunity.id });

      const result = await transition(draft.id, 'SENT');

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'OPPORTUNITY_CLOSED' });
      expect((await transition(draft.id, 'CANCELLED')).errors).toBeUndefined();
    });
  });

  describe('revisions', () => {
    it('should revise a SENT quote into the next DRAFT version with copied lines and cancel the original', async () => {
      const quote = await quoteIn('SENT');

      const { reviseQuote: revision } = await queryData(sut.graphqlUrl, REVISE, { id: quote.id });

      const original = await read(quote.id);
      expect(original.status).toBe('CANCELLED');
      expect(revision).toMatchObject({
        number: `${quote.number}-V2`,
        version: 2,
        status: 'DRAFT',
        previousVersionId: quote.id,
        total: original.total,
        subtotal: original.subtotal,
      });
      const strip = (line: Record<string, unknown>) => ({ ...line, id: undefined });
      expect(revision.lines).toHaveLength(1);
      expect(revision.lines.map(strip)).toEqual(original.lines.map(strip));
      expect(revision.lines[0].id).not.toBe(original.lines[0].id);
    });

    it('should revise a REJECTED quote, keep it REJECTED, and chain versions with one number', async () => {
      const quote = await quoteIn('REJECTED');

      const { reviseQuote: v2 } = await queryData(sut.graphqlUrl, REVISE, { id: quote.id });
      await transition(v2.id, 'SENT');
      await transition(v2.id, 'EXPIRED');
      const { reviseQuote: v3 } = await queryData(sut.graphqlUrl, REVISE, { id: v2.id });

      expect((await read(quote.id)).status).toBe('REJECTED');
      expect((await read(v2.id)).status).toBe('EXPIRED');
      expect([v2.number, v2.version, v3.number, v3.version, v3.previousVersionId]).toEqual([
        `${quote.number}-V2`,
        2,
        `${quote.number}-V3`,
        3,
        v2.id,
      ]);
    });

    it('should edit a revision without touching the version it copies', async () => {
      const quote = await quoteIn('SENT');
      const { reviseQuote } = await queryData(sut.graphqlUrl, REVISE, { id: quote.id });

      await queryData(sut.graphqlUrl, UPDATE_LINE, { id: reviseQuote.lines[0].id, input: { hours: '20' } });

      expect((await read(reviseQuote.id)).total.amount).toBe('2000.00');
      expect((await read(quote.id)).total.amount).toBe('1000.00');
    });

    it.each(['DRAFT', 'ACCEPTED', 'CANCELLED'])('should not revise a %s quote', async (status) => {
      const quote = await quoteIn(status);

      const result = await postGraphQL(sut.graphqlUrl, REVISE, { id: quote.id });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'QUOTE_NOT_REVISABLE', status });
    });

    it('should not revise the same version twice', async () => {
      const quote = await quoteIn('REJECTED');
      const { reviseQuote } = await queryData(sut.graphqlUrl, REVISE, { id: quote.id });

      const result = await postGraphQL(sut.graphqlUrl, REVISE, { id: quote.id });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'ALREADY_REVISED', revisionId: reviseQuote.id });
    });
  });

  describe('queries', () => {
    it('should filter quotes by opportunity and status and sort them by total', async () => {
      const opportunity = await openOpportunity();
      const small = await factory.quote(opportunity.id, { lines: [{ serviceCode: 'S', billingModel: 'FIXED', unitRate: '10' }] });
      const large = await factory.sentQuote(opportunity.id, { lines: [{ serviceCode: 'L', billingModel: 'FIXED', unitRate: '1000' }] });
      const medium = await factory.quote(opportunity.id, { lines: [{ serviceCode: 'M', billingModel: 'FIXED', unitRate: '100' }] });
      const list = async (args: string) =>
        nodesOf(
          (await queryData(sut.graphqlUrl, `query($id: ID!) { quotes(${args}) { edges { node { id } } } }`, { id: opportunity.id })).quotes,
        ).map((node) => node.id);

      expect(await list(`filter: { opportunityId: $id }, orderBy: { field: TOTAL, direction: DESC }`)).toEqual([
        large.id,
        medium.id,
        small.id,
      ]);
      expect(await list(`filter: { opportunityId: $id, statusIn: [DRAFT] }`)).toEqual([small.id, medium.id]);
      expect(await list(`first: 1, filter: { opportunityId: $id }, orderBy: { field: CREATED_AT, direction: DESC }`)).toEqual([medium.id]);
    });

    it('should read a line by id with its quote and the quote with its opportunity', async () => {
      const opportunity = await openOpportunity();
      const quote = await factory.quote(opportunity.id);
      const lineId = (await read(quote.id)).lines[0].id;

      const { quoteLine } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { quoteLine(id: $id) { id quote { number opportunity { id } } } }`,
        { id: lineId },
      );

      expect(quoteLine).toEqual({ id: lineId, quote: { number: quote.number, opportunity: { id: opportunity.id } } });
    });

    it('should answer null for a quote or line that does not exist', async () => {
      const data = await queryData(sut.graphqlUrl, `query($id: ID!) { quote(id: $id) { id } quoteLine(id: $id) { id } }`, {
        id: MISSING_ID,
      });

      expect(data).toEqual({ quote: null, quoteLine: null });
    });
  });
});
