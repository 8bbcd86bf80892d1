import { randomUUID } from 'node:crypto';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';

const RECORD = `mutation ($input: RecordIntercompanyChargeInput!) {
  recordIntercompanyCharge(input: $input) { id sourceType sourceId fromLegalEntityId toLegalEntityId projectId date hours markupPct
    cost { amount currency } amount { amount currency } } }`;

describe('IntercompanyCharge', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: ErpCoreFactory;
  let france: Record<string, any>;
  let germany: Record<string, any>;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
    france = await factory.legalEntity({ country: 'FR' });
    germany = await factory.legalEntity({ country: 'DE' });
  }, 60_000);

  const charge = (overrides: Record<string, unknown> = {}) => ({
    sourceType: 'TIME',
    sourceId: randomUUID(),
    fromLegalEntityId: germany.id,
    toLegalEntityId: france.id,
    projectId: randomUUID(),
    date: '2026-11-16',
    hours: '7.50',
    cost: '412.35',
    currency: 'EUR',
    ...overrides,
  });

  it('should charge cost plus markup, rounded once to the cent', async () => {
    const input = charge({ markupPct: '7.50' });

    const { recordIntercompanyCharge } = await queryData(sut.graphqlUrl, RECORD, { input });

    // 412.35 × 1.075 = 443.27625 → 443.28
    expect(recordIntercompanyCharge).toMatchObject({
      sourceType: 'TIME',
      sourceId: input.sourceId,
      fromLegalEntityId: germany.id,
      toLegalEntityId: france.id,
      hours: '7.50',
      markupPct: '7.50',
      cost: { amount: '412.35', currency: 'EUR' },
      amount: { amount: '443.28', currency: 'EUR' },
    });
  });

  it('should return the same charge when the same source is recorded again, whatever the second call says', async () => {
    const input = charge();

    const first = await queryData(sut.graphqlUrl, RECORD, { input });
    const again = await queryData(sut.graphqlUrl, RECORD, { input: { ...input, cost: '999.00' } });

    expect(again.recordIntercompanyCharge).toEqual(first.recordIntercompanyCharge);
    expect(first.recordIntercompanyCharge.amount).toEqual({ amount: '412.35', currency: 'EUR' });
    const [{ count }] = await sut.dataSource.query(`SELECT count(*)::int AS count FROM erp.intercompany_charge WHERE source_id = $1`, [
      input.sourceId,
    ]);
    expect(count).toBe(1);
  });

  it('should refuse a charge within one legal entity and one to an unknown entity, writing nothing', async () => {
    const same = await postGraphQL(sut.graphqlUrl, RECORD, { input: charge({ toLegalEntityId: germany.id }) });
    const unknownInput = charge({ toLegalEntityId: randomUUID() });
    const unknown = await postGraphQL(sut.graphqlUrl, RECORD, { input: unknownInput });

    expect(same.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await sut.dataSource.query(`SELECT 1 FROM erp.intercompany_charge WHERE source_id = $1`, [unknownInput.sourceId])).toEqual([]);
  });

  it('should list a project’s charges and a legal entity’s, latest work first', async () => {
    const projectId = randomUUID();
    await queryData(sut.graphqlUrl, RECORD, { input: charge({ projectId, date: '2026-10-01' }) });
    await queryData(sut.graphqlUrl, RECORD, { input: charge({ projectId, date: '2026-10-03' }) });

    const { intercompanyCharges } = await queryData(
      sut.graphqlUrl,
      `query ($filter: IntercompanyChargeFilter) { intercompanyCharges(filter: $filter) { edges { node { date projectId } } } }`,
      { filter: { projectId, legalEntityId: france.id } },
    );

    expect(intercompanyCharges.edges.map((edge: any) => edge.node.date)).toEqual(['2026-10-03', '2026-10-01']);
  });
});
