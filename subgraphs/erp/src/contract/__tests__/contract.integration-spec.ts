import { randomUUID } from 'node:crypto';
import { QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService, runAsTestCaller } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';
import { ContractService } from '../contract.service';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const TRANSITION = `mutation($id: ID!, $to: ContractStatus!) { transitionContract(id: $id, to: $to) { status } }`;
const READ = `query($id: ID!) { contract(id: $id) { status version totalValue { amount currency } consumedAmount { amount } remainingAmount { amount }
  lines { id description amount { amount } } } }`;
const ADD_LINE = `mutation($input: CreateContractLineInput!) { createContractLine(input: $input) { id billingModel invoicePolicy revRecMethod amount { amount currency } hoursCap
  contract { totalValue { amount } version } } }`;

describe('Contract', () => {
  const queries = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: queries }), 'erp');
  let factory: ErpCoreFactory;

  const read = async (id: string) => (await queryData(sut.graphqlUrl, READ, { id })).contract;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
  }, BOOT_TIMEOUT);

  describe('create', () => {
    it("should create a DRAFT contract with its lines, the customer's client and currency, and the total of the lines", async () => {
      const customer = await factory.legalCustomer({ defaultCurrency: 'GBP' });

      const contract = await factory.contract({
        customerId: customer.id,
        lines: [factory.fixedLine({ amount: '10000.10' }), factory.tmLine({ amount: '2500' })],
      });

      expect(contract).toMatchObject({
        status: 'DRAFT',
        version: 1,
        clientId: customer.clientId,
        currency: 'GBP',
        totalValue: { amount: '12500.10', currency: 'GBP' },
        consumedAmount: { amount: '0.00' },
        remainingAmount: { amount: '12500.10' },
      });
      expect(contract.lines.map((line: { amount: { currency: string } }) => line.amount.currency)).toEqual(['GBP', 'GBP']);
    });

    it('should default the invoice policy and revenue method from the billing model', async () => {
      const contract = await factory.contract();

      const lines = await Promise.all(
        ['TM', 'FIXED', 'MILESTONE', 'RETAINER'].map(async (billingModel) => {
          const { createContractLine } = await queryData(sut.graphqlUrl, ADD_LINE, {
            input: { contractId: contract.id, description: billingModel, billingModel, amount: '1' },
          });
          return [createContractLine.billingModel, createContractLine.invoicePolicy, createContractLine.revRecMethod];
        }),
      );

      expect(lines).toEqual([
        ['TM', 'DELIVERED', 'TM_AS_DELIVERED'],
        ['FIXED', 'ORDERED', 'PCT_COMPLETE'],
        ['MILESTONE', 'ORDERED', 'MILESTONE'],
        ['RETAINER', 'ORDERED', 'STRAIGHT_LINE'],
      ]);
    });

    it('should not create a contract for a FROZEN customer (BAD_USER_INPUT)', async () => {
      const customer = await factory.legalCustomer();
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionLegalCustomer(id: $id, to: FROZEN) { status } }`, {
        id: customer.id,
      });

      const result = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`, {
        input: {
          number: `F-${randomUUID()}`.slice(0, 40),
          customerId: customer.id,
          legalEntityId: (await factory.legalEntity()).id,
          startDate: '2025-01-01',
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should answer NOT_FOUND for an unknown customer or legal entity', async () => {
      const legalEntity = await factory.legalEntity();
      const customer = await factory.legalCustomer();
      const create = `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`;

      const noCustomer = await postGraphQL(sut.graphqlUrl, create, {
        input: { number: 'NF-1', customerId: randomUUID(), legalEntityId: legalEntity.id, startDate: '2025-01-01' },
      });
      const noEntity = await postGraphQL(sut.graphqlUrl, create, {
        input: { number: 'NF-2', customerId: customer.id, legalEntityId: randomUUID(), startDate: '2025-01-01' },
      });

      expect(noCustomer.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'LegalCustomer' });
      expect(noEntity.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'LegalEntity' });
    });

    it('should not create a contract ending before it starts, nor a fixed line without amount, and write nothing', async () => {
      const number = `BAD-${randomUUID().slice(0, 8)}`;

      const period = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`, {
        input: {
          number,
          customerId: (await factory.legalCustomer()).id,
          legalEntityId: (await factory.legalEntity()).id,
          startDate: '2025-06-01',
          endDate: '2025-05-31',
        },
      });
      const fixedWithoutAmount = await postGraphQL(
        sut.graphqlUrl,
        `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`,
        {
          input: {
            number,
            customerId: (await factory.legalCustomer()).id,
            legalEntityId: (await factory.legalEntity()).id,
            startDate: '2025-01-01',
            lines: [factory.tmLine(), { description: 'Fee', billingModel: 'FIXED' }],
          },
        },
      );

      expect(period.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fixedWithoutAmount.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const { contracts } = await queryData(
        sut.graphqlUrl,
        `query($n: String!) { contracts(filter: { numberContains: $n }) { edges { node { id } } } }`,
        { n: number },
      );
      expect(contracts.edges).toHaveLength(0);
    });

    it('should not reuse a contract number (CONFLICT)', async () => {
      const existing = await factory.contract();

      const result = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`, {
        input: {
          number: existing.number,
          customerId: existing.customerId,
          legalEntityId: (await factory.legalEntity()).id,
          startDate: '2025-01-01',
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('should refuse invalid input naming the problems (BAD_USER_INPUT)', async () => {
      const result = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`, {
        input: {
          number: 'X 1',
          customerId: 'nope',
          legalEntityId: randomUUID(),
          startDate: '2025-02-30',
          renewalThresholdPct: '120',
          currency: 'eur',
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining(
          ['number', 'customerId', 'startDate', 'renewalThresholdPct', 'currency'].map((field) => expect.stringContaining(field)),
        ),
      );
    });
  });

  describe('totals', () => {
    it('should recompute the total when a line is added, changed and deleted, keeping version 1 while DRAFT', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });

      const added = await queryData(sut.graphqlUrl, ADD_LINE, {
        input: { contractId: contract.id, ...factory.tmLine({ amount: '250.50', hoursCap: '10' }) },
      });
      const afterAdd = await read(contract.id);
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateContractLine(id: $id, input: { amount: "300" }) { id } }`, {
        id: added.createContractLine.id,
      });
      const afterUpdate = await read(contract.id);
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { deleteContractLine(id: $id) { id } }`, { id: added.createContractLine.id });
      const afterDelete = await read(contract.id);

      expect(added.createContractLine).toMatchObject({
        amount: { amount: '250.50', currency: 'EUR' },
        hoursCap: '10.00',
        contract: { totalValue: { amount: '1250.50' } },
      });
      expect([afterAdd.totalValue.amount, afterUpdate.totalValue.amount, afterDelete.totalValue.amount]).toEqual([
        '1250.50',
        '1300.00',
        '1000.00',
      ]);
      expect([afterAdd.version, afterUpdate.version, afterDelete.version]).toEqual([1, 1, 1]);
      expect(afterDelete.lines).toHaveLength(1);
    });

    it('should bump the version on a change order line of an ACTIVE contract', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      const { createContractLine } = await queryData(sut.graphqlUrl, ADD_LINE, {
        input: { contractId: contract.id, ...factory.fixedLine({ amount: '500', changeOrderNumber: 'CO-1' }) },
      });

      expect(createContractLine.contract).toEqual({ totalValue: { amount: '1500.00' }, version: 2 });
    });

    it('should record an amendment with its reason, the caller as approver and the totals around it', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContractLine(id: $id, input: { amount: "1250.50", amendmentReason: " Extra workshop " }) { id } }`,
        {
          id: contract.lines[0].id,
        },
      );
      await queryData(sut.graphqlUrl, ADD_LINE, {
        input: { contractId: contract.id, ...factory.fixedLine({ amount: '500', changeOrderNumber: 'CO-7' }) },
      });
      const { contract: amended } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { contract(id: $id) { version amendments { version reason approvedBy changeOrderNumber contractLineId totalBefore { amount currency } totalAfter { amount } } } }`,
        { id: contract.id },
      );

      expect(amended.version).toBe(3);
      expect(amended.amendments).toEqual([
        {
          version: 3,
          reason: 'change order CO-7',
          approvedBy: 'test-user',
          changeOrderNumber: 'CO-7',
          contractLineId: expect.any(String),
          totalBefore: { amount: '1250.50', currency: 'EUR' },
          totalAfter: { amount: '1750.50' },
        },
        {
          version: 2,
          reason: 'Extra workshop',
          approvedBy: 'test-user',
          changeOrderNumber: null,
          contractLineId: contract.lines[0].id,
          totalBefore: { amount: '1000.00', currency: 'EUR' },
          totalAfter: { amount: '1250.50' },
        },
      ]);
    });

    it('should refuse a line change of an ACTIVE contract without a reason or change order, writing nothing', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      const update = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContractLine(id: $id, input: { amount: "2000" }) { id } }`,
        {
          id: contract.lines[0].id,
        },
      );
      const add = await postGraphQL(sut.graphqlUrl, ADD_LINE, {
        input: { contractId: contract.id, ...factory.fixedLine({ amount: '500' }) },
      });

      expect(update.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(update.errors?.[0].message).toContain('amendmentReason');
      expect(add.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await read(contract.id)).toMatchObject({ version: 1, totalValue: { amount: '1000.00' } });
    });

    it('should not bump the version for an update that changes nothing', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateContractLine(id: $id, input: { amount: "1000.00" }) { id } }`, {
        id: contract.lines[0].id,
      });

      expect((await read(contract.id)).version).toBe(1);
    });

    it('should compute remainingAmount as total minus consumed', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '1000' })] });
      const service = sut.app.get(ContractService);
      const writePoint = sut.app.get((await import('@concord/graphql')).WritePoint);

      await runAsTestCaller(() => writePoint.run((tx) => service.addConsumption(tx, contract.id, '400.25')));
      const refused = runAsTestCaller(() => writePoint.run((tx) => service.addConsumption(tx, contract.id, '-500')));

      await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await read(contract.id)).toMatchObject({
        consumedAmount: { amount: '400.25' },
        remainingAmount: { amount: '599.75' },
        totalValue: { amount: '1000.00' },
      });
    });

    it('should not change lines of a closed contract nor delete lines of an ACTIVE one (BAD_USER_INPUT)', async () => {
      const cancelled = await factory.contract({ lines: [factory.fixedLine()] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: cancelled.id, to: 'CANCELLED' });
      const active = await factory.contract({ lines: [factory.fixedLine()] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: active.id, to: 'ACTIVE' });

      const add = await postGraphQL(sut.graphqlUrl, ADD_LINE, { input: { contractId: cancelled.id, ...factory.fixedLine() } });
      const remove = await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { deleteContractLine(id: $id) { id } }`, {
        id: active.lines[0].id,
      });

      expect(add.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(remove.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await read(cancelled.id)).lines).toHaveLength(1);
    });

    it('should not use a rate card in another currency (BAD_USER_INPUT)', async () => {
      const contract = await factory.contract({ currency: 'EUR' });
      const usdCard = await factory.rateCard({ currency: 'USD' });
      const eurCard = await factory.rateCard({ currency: 'EUR' });

      const wrong = await postGraphQL(sut.graphqlUrl, ADD_LINE, {
        input: { contractId: contract.id, ...factory.tmLine({ rateCardId: usdCard.id }) },
      });
      const right = await queryData(
        sut.graphqlUrl,
        `mutation($input: CreateContractLineInput!) { createContractLine(input: $input) { rateCard { id } } }`,
        {
          input: { contractId: contract.id, ...factory.tmLine({ rateCardId: eurCard.id }) },
        },
      );

      expect(wrong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(right.createContractLine.rateCard).toEqual({ id: eurCard.id });
    });
  });

  describe('transitions', () => {
    it('should go DRAFT → ACTIVE → SUSPENDED → ACTIVE → COMPLETED', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine()] });

      const statuses: string[] = [];
      for (const to of ['ACTIVE', 'SUSPENDED', 'ACTIVE', 'COMPLETED']) {
        statuses.push((await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to })).transitionContract.status);
      }

      expect(statuses).toEqual(['ACTIVE', 'SUSPENDED', 'ACTIVE', 'COMPLETED']);
    });

    it('should terminate a suspended contract and cancel a draft', async () => {
      const suspended = await factory.contract({ lines: [factory.fixedLine()] });
      await queryData(sut.graphqlUrl, TRANSITION, { id: suspended.id, to: 'ACTIVE' });
      await queryData(sut.graphqlUrl, TRANSITION, { id: suspended.id, to: 'SUSPENDED' });
      const draft = await factory.contract();

      const terminated = await queryData(sut.graphqlUrl, TRANSITION, { id: suspended.id, to: 'TERMINATED' });
      const cancelled = await queryData(sut.graphqlUrl, TRANSITION, { id: draft.id, to: 'CANCELLED' });

      expect([terminated.transitionContract.status, cancelled.transitionContract.status]).toEqual(['TERMINATED', 'CANCELLED']);
    });

    it('should not activate a contract without lines (BAD_USER_INPUT) and leave it DRAFT', async () => {
      const contract = await factory.contract();

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await read(contract.id)).status).toBe('DRAFT');
    });

    it.each([
      ['DRAFT', 'COMPLETED', []],
      ['DRAFT', 'SUSPENDED', []],
      ['COMPLETED', 'ACTIVE', ['ACTIVE', 'COMPLETED']],
      ['CANCELLED', 'DRAFT', ['CANCELLED']],
      ['ACTIVE', 'CANCELLED', ['ACTIVE']],
      ['TERMINATED', 'ACTIVE', ['ACTIVE', 'TERMINATED']],
    ])('should not go from %s to %s (INVALID_TRANSITION) and change nothing', async (from, to, path) => {
      const contract = await factory.contract({ lines: [factory.fixedLine()] });
      for (const step of path) {
        await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: step });
      }

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: contract.id, to });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from, to });
      expect((await read(contract.id)).status).toBe(from);
    });

    it('should check the edge before the activation rules', async () => {
      const contract = await factory.contract();
      await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'CANCELLED' });

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: contract.id, to: 'ACTIVE' });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    });

    it('should answer NOT_FOUND for an unknown contract', async () => {
      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: randomUUID(), to: 'ACTIVE' });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('update', () => {
    it('should update dates and renewal threshold, and refuse an end before the start', async () => {
      const contract = await factory.contract({ startDate: '2025-01-01', endDate: '2025-12-31' });

      const { updateContract } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContract(id: $id, input: { endDate: "2026-06-30", renewalThresholdPct: "80" }) { endDate renewalThresholdPct number } }`,
        {
          id: contract.id,
        },
      );
      const refused = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContract(id: $id, input: { startDate: "2027-01-01" }) { id } }`,
        { id: contract.id },
      );

      expect(updateContract).toEqual({ endDate: '2026-06-30', renewalThresholdPct: '80.00', number: contract.number });
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should not update a COMPLETED contract (BAD_USER_INPUT)', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine()] });
      for (const to of ['ACTIVE', 'COMPLETED']) {
        await queryData(sut.graphqlUrl, TRANSITION, { id: contract.id, to });
      }

      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContract(id: $id, input: { renewalThresholdPct: "50" }) { id } }`,
        { id: contract.id },
      );

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('queries', () => {
    it('should filter by customer, status and start date and sort by start date descending with paging', async () => {
      const customer = await factory.legalCustomer();
      const legalEntity = await factory.legalEntity();
      const made = [];
      for (const startDate of ['2025-01-01', '2025-03-01', '2025-05-01', '2025-07-01']) {
        made.push(
          await factory.contract({
            customerId: customer.id,
            legalEntityId: legalEntity.id,
            startDate,
            endDate: null,
            lines: [factory.fixedLine()],
          }),
        );
      }
      await queryData(sut.graphqlUrl, TRANSITION, { id: made[0].id, to: 'ACTIVE' });
      const page = `query($customerId: ID!, $after: String) { contracts(first: 2, after: $after, filter: { customerId: $customerId, statusIn: [DRAFT], startDateFrom: "2025-02-01" },
        orderBy: { field: START_DATE, direction: DESC }) { edges { node { startDate } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page, { customerId: customer.id });
      const second = await queryData(sut.graphqlUrl, page, { customerId: customer.id, after: first.contracts.pageInfo.endCursor });

      const dates = [first, second].flatMap((result) =>
        result.contracts.edges.map((edge: { node: { startDate: string } }) => edge.node.startDate),
      );
      expect(dates).toEqual(['2025-07-01', '2025-05-01', '2025-03-01']);
      expect(second.contracts.pageInfo.hasNextPage).toBe(false);
    });

    it('should resolve customer, legal entity, lines and client of a page of contracts in one statement each', async () => {
      const legalEntity = await factory.legalEntity({ name: 'Batch Entity' });
      const tag = `B${randomUUID().slice(0, 6)}`;
      for (let index = 0; index < 3; index++) {
        await factory.contract({
          number: `${tag}-${index}`,
          legalEntityId: legalEntity.id,
          lines: [factory.fixedLine(), factory.tmLine()],
        });
      }

      queries.reset();
      const { contracts } = await queryData(
        sut.graphqlUrl,
        `query($tag: String!) { contracts(filter: { numberContains: $tag }) { edges { node { number customer { legalName clientId } legalEntity { name }
           lines { billingModel } client { id } } } } }`,
        { tag },
      );

      expect(contracts.edges).toHaveLength(3);
      for (const { node } of contracts.edges) {
        expect(node.legalEntity.name).toBe('Batch Entity');
        expect(node.client.id).toBe(node.customer.clientId);
        expect(node.lines.map((line: { billingModel: string }) => line.billingModel)).toEqual(['FIXED', 'TM']);
      }
      expect(queries.count).toBe(4);
    });

    it('should list contract lines of a contract filtered by billing model', async () => {
      const contract = await factory.contract({
        lines: [factory.fixedLine(), factory.tmLine(), factory.tmLine({ description: 'second T&M' })],
      });

      const { contractLines } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { contractLines(filter: { contractId: $id, billingModelIn: [TM] }) { edges { node { description } } } }`,
        {
          id: contract.id,
        },
      );

      expect(contractLines.edges.map((edge: { node: { description: string } }) => edge.node.description)).toEqual([
        'Time and materials',
        'second T&M',
      ]);
    });

    it('should read a contract line by id with its contract', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine({ amount: '777' })] });

      const { contractLine } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { contractLine(id: $id) { amount { amount } contract { id } } }`,
        { id: contract.lines[0].id },
      );

      expect(contractLine).toEqual({ amount: { amount: '777.00' }, contract: { id: contract.id } });
    });
  });
});
