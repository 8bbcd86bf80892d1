import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

type Row = Record<string, any>;

const SNAPSHOT = `id month projectId contractId currency timeAndMaterials { amount currency } fixedFee { amount } total { amount } recordedBy`;
const RECORD = `mutation($input: RecordRevenueForecastSnapshotInput!) { recordRevenueForecastSnapshot(input: $input) { ${SNAPSHOT} } }`;

/**
 * March 2031: P1 (contract K1, EUR, 3000 PLANNED on 03-15) with 9300 of T&M, P2 (no contract) 1000 EUR, P3 (contract
 * K2, USD, no schedule) 500 USD. Recognised in March: P1 12000 on K1, P2 800 on K3; nothing on P3.
 * April 2031: P1 with 100 of T&M, 200 recognised.
 */
describe('ForecastSnapshotService', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  const [projectOne, projectTwo, projectThree] = [newId(), newId(), newId()];
  let factory: BillingFactory;
  let one: { contract: Row; line: Row };
  let two: { contract: Row; line: Row };
  let first: Row[];

  const byProject = (rows: Row[]) => Object.fromEntries(rows.map((row) => [`${row.projectId} ${row.currency}`, row]));

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.currency('EUR');
    await factory.currency('USD');
    one = await factory.context({ lineAmount: '20000' });
    two = await factory.context({ contract: { currency: 'USD' } });
    await queryData(sut.graphqlUrl, `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { id } }`, {
      input: { contractLineId: one.line.id, type: 'FIXED_DATE', lines: [{ plannedDate: '2031-03-15', amount: '3000' }] },
    });
  });

  it("should keep each project's T&M and its contract's fixed fee of the month", async () => {
    first = (
      await queryData(sut.graphqlUrl, RECORD, {
        input: {
          month: '2031-03',
          projects: [
            { projectId: projectOne, contractId: one.contract.id, currency: 'EUR', timeAndMaterials: '9300' },
            { projectId: projectTwo, currency: 'EUR', timeAndMaterials: '1000' },
            { projectId: projectThree, contractId: two.contract.id, currency: 'USD', timeAndMaterials: '500' },
          ],
        },
      })
    ).recordRevenueForecastSnapshot;

    expect(first).toHaveLength(3);
    expect(byProject(first)).toEqual({
      [`${projectOne} EUR`]: expect.objectContaining({
        month: '2031-03',
        contractId: one.contract.id,
        timeAndMaterials: { amount: '9300.00', currency: 'EUR' },
        fixedFee: { amount: '3000.00' },
        total: { amount: '12300.00' },
      }),
      [`${projectTwo} EUR`]: expect.objectContaining({ contractId: null, fixedFee: { amount: '0.00' }, total: { amount: '1000.00' } }),
      [`${projectThree} USD`]: expect.objectContaining({
        timeAndMaterials: { amount: '500.00', currency: 'USD' },
        total: { amount: '500.00' },
      }),
    });
  });

  it('should return the recorded month unchanged when it is recorded again, even after the schedule changed', async () => {
    await queryData(sut.graphqlUrl, `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { id } }`, {
      input: { contractLineId: one.line.id, type: 'FIXED_DATE', lines: [{ plannedDate: '2031-03-20', amount: '1000' }] },
    });

    const again = (
      await queryData(sut.graphqlUrl, RECORD, {
        input: {
          month: '2031-03',
          projects: [{ projectId: projectOne, contractId: one.contract.id, currency: 'EUR', timeAndMaterials: '1' }],
        },
      })
    ).recordRevenueForecastSnapshot;
    const { revenueForecastSnapshot } = await queryData(sut.graphqlUrl, `{ revenueForecastSnapshot(month: "2031-03") { ${SNAPSHOT} } }`);

    expect(byProject(again)).toEqual(byProject(first));
    expect(byProject(revenueForecastSnapshot)).toEqual(byProject(first));
  });

  it('should measure accuracy and MAPE of the snapshots against the revenue recognised on each project', async () => {
    const record = (contractLineId: string, period: string, recognizedAmount: string, projectId: string) =>
      queryData(sut.graphqlUrl, `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
        input: { contractLineId, period, recognizedAmount, projectId },
      });
    const three = await factory.context();
    await record(one.line.id, '2031-03-01', '12000', projectOne);
    await record(three.line.id, '2031-03-01', '800', projectTwo);
    await record(one.line.id, '2031-04-01', '200', projectOne);
    await queryData(sut.graphqlUrl, RECORD, {
      input: {
        month: '2031-04',
        projects: [{ projectId: projectOne, contractId: one.contract.id, currency: 'EUR', timeAndMaterials: '100' }],
      },
    });

    const { forecastAccuracy } = await queryData(
      sut.graphqlUrl,
      `{ forecastAccuracy(from: "2031-03", to: "2031-04") { from to mapePct months { month mapePct projects {
         projectId currency forecast { amount } actual { amount } variance { amount currency } accuracyPct absolutePercentageErrorPct } } } }`,
    );

    // P1: |12000 − 12300| / 12000 = 2.5 %; P2: |800 − 1000| / 800 = 25 %; P3: no actual; April P1: |200 − 100| / 200 = 50 %
    expect(forecastAccuracy.mapePct).toBe('25.83'); // (2.5 + 25 + 50) / 3
    expect(forecastAccuracy.months.map((month: Row) => [month.month, month.mapePct])).toEqual([
      ['2031-03', '13.75'],
      ['2031-04', '50.00'],
    ]);
    expect(byProject(forecastAccuracy.months[0].projects)).toEqual({
      [`${projectOne} EUR`]: {
        projectId: projectOne,
        currency: 'EUR',
        forecast: { amount: '12300.00' },
        actual: { amount: '12000.00' },
        variance: { amount: '-300.00', currency: 'EUR' },
        accuracyPct: '97.50',
        absolutePercentageErrorPct: '2.50',
      },
      [`${projectTwo} EUR`]: expect.objectContaining({
        variance: { amount: '-200.00', currency: 'EUR' },
        accuracyPct: '75.00',
        absolutePercentageErrorPct: '25.00',
      }),
      [`${projectThree} USD`]: expect.objectContaining({ actual: { amount: '0.00' }, accuracyPct: null, absolutePercentageErrorPct: null }),
    });
    expect(forecastAccuracy.months[1].projects).toEqual([
      expect.objectContaining({
        projectId: projectOne,
        forecast: { amount: '100.00' },
        actual: { amount: '200.00' },
        accuracyPct: '50.00',
      }),
    ]);
  });

  it('should refuse a project given twice in one currency, and write nothing', async () => {
    const project = { projectId: newId(), currency: 'EUR', timeAndMaterials: '10' };

    const result = await postGraphQL(sut.graphqlUrl, RECORD, { input: { month: '2031-06', projects: [project, project] } });
    const { revenueForecastSnapshot } = await queryData(sut.graphqlUrl, `{ revenueForecastSnapshot(month: "2031-06") { id } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(revenueForecastSnapshot).toEqual([]);
  });
});
