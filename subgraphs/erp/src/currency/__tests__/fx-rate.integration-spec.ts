import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { FxRateService } from '../fx-rate.service';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const CREATE_RATE = `mutation($input: CreateFxRateInput!) { createFxRate(input: $input) { id fromCurrency toCurrency date rate } }`;
const LOOKUP = `query($from: String!, $to: String!, $date: String!) { fxRate(from: $from, to: $to, date: $date) { fromCurrency toCurrency date rate rateDate inverse } }`;

describe(FxRateService.name, () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let service: FxRateService;

  const rate = (fromCurrency: string, toCurrency: string, date: string, value: string) =>
    queryData(sut.graphqlUrl, CREATE_RATE, { input: { fromCurrency, toCurrency, date, rate: value } });

  beforeAll(async () => {
    service = sut.app.get(FxRateService);
    for (const [code, name, decimals] of [
      ['EUR', 'Euro', 2],
      ['USD', 'US dollar', 2],
      ['GBP', 'Pound sterling', 2],
      ['JPY', 'Yen', 0],
      ['CHF', 'Swiss franc', 2],
    ] as const) {
      await queryData(sut.graphqlUrl, `mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { id } }`, { input: { code, name, decimals } });
    }
    await rate('EUR', 'USD', '2025-01-01', '1.10');
    await rate('EUR', 'USD', '2025-02-01', '1.20');
    await rate('GBP', 'EUR', '2025-01-01', '1.25');
    await rate('EUR', 'JPY', '2025-01-01', '160.5');
  }, BOOT_TIMEOUT);

  describe('rate lookup', () => {
    it('should use the latest direct rate on or before the date', async () => {
      const { fxRate } = await queryData(sut.graphqlUrl, LOOKUP, { from: 'EUR', to: 'USD', date: '2025-01-31' });

      expect(fxRate).toEqual({ fromCurrency: 'EUR', toCurrency: 'USD', date: '2025-01-31', rate: '1.100000', rateDate: '2025-01-01', inverse: false });
    });

    it('should take the newer rate from its own date on', async () => {
      const { fxRate } = await queryData(sut.graphqlUrl, LOOKUP, { from: 'EUR', to: 'USD', date: '2025-02-01' });

      expect(fxRate).toMatchObject({ rate: '1.200000', rateDate: '2025-02-01', inverse: false });
    });

    it('should derive the inverse when only the opposite pair exists', async () => {
      const { fxRate } = await queryData(sut.graphqlUrl, LOOKUP, { from: 'EUR', to: 'GBP', date: '2025-03-01' });

      expect(fxRate).toEqual({ fromCurrency: 'EUR', toCurrency: 'GBP', date: '2025-03-01', rate: '0.800000', rateDate: '2025-01-01', inverse: true });
    });

    it('should answer NOT_FOUND when no rate exists on or before the date', async () => {
      const result = await postGraphQL(sut.graphqlUrl, LOOKUP, { from: 'EUR', to: 'USD', date: '2024-12-31' });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', from: 'EUR', to: 'USD', date: '2024-12-31' });
    });

    it('should answer NOT_FOUND for a pair without any rate', async () => {
      const result = await postGraphQL(sut.graphqlUrl, LOOKUP, { from: 'CHF', to: 'USD', date: '2025-06-01' });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('convert', () => {
    it('should convert with the direct rate, rounded to the target decimals', async () => {
      await expect(service.convert('1000.55', 'EUR', 'USD', '2025-02-15')).resolves.toEqual({ amount: '1200.66', currency: 'USD' });
    });

    it('should convert with the inverse rate at full precision', async () => {
      // 100 EUR → GBP with only GBP→EUR 1.25 stored: 100 / 1.25 = 80.00
      await expect(service.convert('100', 'EUR', 'GBP', '2025-01-15')).resolves.toEqual({ amount: '80.00', currency: 'GBP' });
      // inverse of JPY: 1000 JPY / 160.5 = 6.2305… EUR
      await expect(service.convert('1000', 'JPY', 'EUR', '2025-01-15')).resolves.toEqual({ amount: '6.23', currency: 'EUR' });
    });

    it('should round to 0 decimals for a zero-decimal currency', async () => {
      const { fxConvert } = await queryData(sut.graphqlUrl, `{ fxConvert(amount: "10.00", from: "EUR", to: "JPY", date: "2025-01-02") { amount currency } }`);

      expect(fxConvert).toEqual({ amount: '1605', currency: 'JPY' });
    });

    it('should return the same amount for the same currency', async () => {
      await expect(service.convert('42.5', 'EUR', 'EUR', '2020-01-01')).resolves.toEqual({ amount: '42.50', currency: 'EUR' });
    });

    it('should throw NOT_FOUND when no rate exists', async () => {
      await expect(service.convert('10', 'CHF', 'JPY', '2025-01-01')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('rates', () => {
    it('should list rates of a pair latest first and filter by date range', async () => {
      const { fxRates } = await queryData(
        sut.graphqlUrl,
        `{ fxRates(filter: { fromCurrency: "EUR", toCurrency: "USD", dateFrom: "2025-01-01", dateTo: "2025-12-31" }) { edges { node { date rate } } } }`,
      );

      expect(fxRates.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
        { date: '2025-02-01', rate: '1.200000' },
        { date: '2025-01-01', rate: '1.100000' },
      ]);
    });

    it('should correct a rate and read it back by id', async () => {
      const { createFxRate } = await rate('USD', 'CHF', '2025-05-01', '0.9');

      await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateFxRate(id: $id, input: { rate: "0.91" }) { id } }`, { id: createFxRate.id });
      const { fxRateById } = await queryData(sut.graphqlUrl, `query($id: ID!) { fxRateById(id: $id) { rate } }`, { id: createFxRate.id });

      expect(fxRateById).toEqual({ rate: '0.910000' });
    });

    it('should not store two rates for the same pair and date (CONFLICT)', async () => {
      const result = await postGraphQL(sut.graphqlUrl, CREATE_RATE, { input: { fromCurrency: 'EUR', toCurrency: 'USD', date: '2025-01-01', rate: '1.5' } });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('should not store a rate for an unknown currency or a currency to itself (BAD_USER_INPUT)', async () => {
      const unknown = await postGraphQL(sut.graphqlUrl, CREATE_RATE, { input: { fromCurrency: 'EUR', toCurrency: 'XXX', date: '2025-01-01', rate: '1' } });
      const same = await postGraphQL(sut.graphqlUrl, CREATE_RATE, { input: { fromCurrency: 'EUR', toCurrency: 'EUR', date: '2025-01-01', rate: '1' } });
      const malformed = await postGraphQL(sut.graphqlUrl, CREATE_RATE, { input: { fromCurrency: 'EUR', toCurrency: 'USD', date: '2025-13-01', rate: '-1' } });

      expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(same.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.problems).toEqual(expect.arrayContaining([expect.stringContaining('date'), expect.stringContaining('rate')]));
    });
  });

  describe('currencies', () => {
    it('should list currencies by code and refuse a duplicate code', async () => {
      const { currencies } = await queryData(sut.graphqlUrl, `{ currencies(filter: { codeIn: ["USD", "JPY", "EUR"] }) { edges { node { code decimals } } } }`);
      const duplicate = await postGraphQL(sut.graphqlUrl, `mutation { createCurrency(input: { code: "EUR", name: "Euro again" }) { id } }`);

      expect(currencies.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
        { code: 'EUR', decimals: 2 },
        { code: 'JPY', decimals: 0 },
        { code: 'USD', decimals: 2 },
      ]);
      expect(duplicate.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('should update a currency name and decimals', async () => {
      const { createCurrency } = await queryData(sut.graphqlUrl, `mutation { createCurrency(input: { code: "SEK", name: "Krona" }) { id decimals } }`);

      const { updateCurrency } = await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateCurrency(id: $id, input: { name: "Swedish krona", decimals: 2 }) { code name decimals } }`, {
        id: createCurrency.id,
      });

      expect(createCurrency.decimals).toBe(2);
      expect(updateCurrency).toEqual({ code: 'SEK', name: 'Swedish krona', decimals: 2 });
    });
  });
});
