import { useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useGraphQL } from '../api/client';
import { forbiddenPaths } from '../api/graphql';
import { ListTable } from '../components/ListTable';
import { MoneyList, Withheld, cents, type MoneyValue } from '../components/Money';
import { ErrorState, Loading } from '../components/States';
import { TrendChart, type TrendSeries } from '../components/TrendChart';
import { forecastVersusActual, lastMonths, portfolioQuery, type ForecastAccuracyMonth } from './portfolio-figures';

export interface PortfolioSearch {
  currency?: string;
}

interface FinanceMonth {
  revenueRecognized: MoneyValue[];
  backlog: MoneyValue[];
  dso: { currency: string; days: string | null }[];
}
interface DeliveryMonth {
  utilization: { billableUtilPct: string | null; totalUtilPct: string | null };
}
interface PortfolioData {
  [alias: string]: unknown;
  forecastAccuracy: {
    mapePct: string | null;
    months: ForecastAccuracyMonth[];
  } | null;
  legalEntities: {
    edges: {
      node: {
        id: string;
        code: string;
        name: string;
        functionalCurrency: string;
        revenueRecognized: MoneyValue[] | null;
        margin: MoneyValue[] | null;
        marginPct: string | null;
      };
    }[];
  } | null;
}

const amountIn = (values: MoneyValue[] | null | undefined, currency: string): number | null => {
  const value = values?.find((money) => money.currency === currency);
  // chart coordinates only: the figures themselves stay exact strings everywhere else
  return value ? Number(cents(value.amount)) / 100 : null;
};
const percent = (value: string | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));
const moneyFormat = (value: number) =>
  Math.abs(value) >= 1_000_000
    ? `${(value / 1_000_000).toFixed(1)} M`
    : Math.abs(value) >= 1_000
      ? `${(value / 1_000).toFixed(0)} k`
      : value.toFixed(0);
const percentFormat = (value: number) => `${value.toFixed(0)} %`;
const daysFormat = (value: number) => `${value.toFixed(0)} d`;

/**
 * The portfolio: twelve months of utilization, revenue and backlog, DSO, and forecast against actual in one
 * currency (chosen in the URL: amounts in different currencies are never added), then gross margin per legal entity.
 */
export function Portfolio({ search }: { search: PortfolioSearch }) {
  const navigate = useNavigate();
  const months = useMemo(() => lastMonths(12), []);
  const variables = useMemo(
    () => ({
      ...Object.fromEntries(
        months.flatMap((month, index) => [
          [`from${index}`, month.from],
          [`to${index}`, month.to],
        ]),
      ),
      firstMonth: months[0].month,
      lastMonth: months[months.length - 1].month,
    }),
    [months],
  );
  const result = useGraphQL<PortfolioData>(
    useMemo(() => portfolioQuery(months), [months]),
    variables,
  );
  const data = result.data?.data;
  const labels = useMemo(() => months.map((month) => month.month), [months]);
  const finance = useMemo(() => months.map((_, index) => (data?.[`f${index}`] ?? null) as FinanceMonth | null), [data, months]);
  const currencies = useMemo(
    () =>
      [
        ...new Set(
          finance.flatMap((month) => [...(month?.revenueRecognized ?? []), ...(month?.backlog ?? [])].map((money) => money.currency)),
        ),
      ].sort(),
    [finance],
  );
  const currency = search.currency && currencies.includes(search.currency) ? search.currency : currencies[0];
  const utilization = useMemo<TrendSeries[]>(() => {
    const delivery = months.map((_, index) => (data?.[`d${index}`] ?? null) as DeliveryMonth | null);
    return [
      { label: 'billable', values: delivery.map((month) => percent(month?.utilization.billableUtilPct)), color: '#2f5bd3' },
      { label: 'total', values: delivery.map((month) => percent(month?.utilization.totalUtilPct)), color: '#9aa4b5', dashed: true },
    ];
  }, [data, months]);
  const charts = useMemo(() => {
    if (!currency) {
      return null;
    }
    const fva = forecastVersusActual(data?.forecastAccuracy?.months ?? [], currency);
    const fromCents = (value: bigint | undefined) => (value === undefined ? null : Number(value) / 100);
    const money: TrendSeries[] = [
      { label: `revenue (${currency})`, values: finance.map((month) => amountIn(month?.revenueRecognized, currency)), color: '#1f7a4d' },
      { label: `backlog (${currency})`, values: finance.map((month) => amountIn(month?.backlog, currency)), color: '#8a5a00' },
    ];
    const dso: TrendSeries[] = [
      {
        label: `DSO (${currency})`,
        values: finance.map((month) => percent(month?.dso.find((row) => row.currency === currency)?.days)),
        color: '#b3261e',
      },
    ];
    const forecast: TrendSeries[] = [
      { label: 'forecast', values: labels.map((month) => fromCents(fva.get(month)?.forecast)), color: '#9aa4b5', dashed: true },
      { label: 'actual', values: labels.map((month) => fromCents(fva.get(month)?.actual)), color: '#2f5bd3' },
    ];
    return { money, dso, forecast };
  }, [data, currency, finance, labels]);

  if (result.isPending) {
    return <Loading rows={10} label="Loading the portfolio" />;
  }
  if (result.error) {
    return <ErrorState error={result.error} retry={() => void result.refetch()} />;
  }
  const withheld = forbiddenPaths(result.data.errors);
  const entities = data?.legalEntities?.edges.map((edge) => edge.node) ?? [];
  return (
    <section>
      <header className="page-header">
        <h1>Portfolio</h1>
        <p className="muted">
          The last twelve months across every client: {labels[0]} to {labels[labels.length - 1]}. Amounts in one currency at a time.
        </p>
      </header>
      {currency ? (
        <div className="filters">
          <label className="field field-inline">
            <span>Currency</span>
            <select
              value={currency}
              onChange={(event) => void navigate({ to: '/portfolio', search: { currency: event.target.value } })}
              aria-label="Currency"
            >
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
          {data?.forecastAccuracy?.mapePct ? (
            <p className="muted small">Forecast MAPE over the range: {data.forecastAccuracy.mapePct} %</p>
          ) : null}
        </div>
      ) : null}
      <div className="chart-grid">
        <TrendChart title="Utilization" months={labels} series={utilization} format={percentFormat} />
        {charts ? (
          <>
            <TrendChart title="Revenue recognised and backlog" months={labels} series={charts.money} format={moneyFormat} />
            <TrendChart title="Days sales outstanding" months={labels} series={charts.dso} format={daysFormat} />
            <TrendChart
              title="Forecast against actual revenue"
              months={labels}
              series={charts.forecast}
              format={moneyFormat}
              empty="No forecast snapshot in this range yet: the FORECAST_SNAPSHOT workflow records each month's forecast at its start."
            />
          </>
        ) : (
          <div className="chart chart-note">
            {[...withheld].some((path) => /^f\d+\./.test(path)) ? (
              <p className="muted">Revenue, backlog, DSO and forecast figures are withheld for your role.</p>
            ) : (
              <p className="muted">No revenue or backlog in this range.</p>
            )}
          </div>
        )}
      </div>
      <h2>Gross margin by legal entity</h2>
      <ListTable
        label="legal entities"
        rows={entities}
        rowKey={(entity) => entity.id}
        columns={[
          {
            header: 'Legal entity',
            cell: (entity) => (
              <>
                <span className="strong">{entity.code}</span> <span className="muted">{entity.name}</span>
              </>
            ),
          },
          { header: 'Books in', cell: (entity) => entity.functionalCurrency },
          {
            header: 'Revenue recognised',
            numeric: true,
            cell: (entity, index) => (
              <MoneyList
                values={entity.revenueRecognized}
                withheld={withheld.has(`legalEntities.edges.${index}.node.revenueRecognized`)}
                what="revenue"
              />
            ),
          },
          {
            header: 'Margin',
            numeric: true,
            testId: 'entity-margin',
            cell: (entity, index) => (
              <MoneyList values={entity.margin} withheld={withheld.has(`legalEntities.edges.${index}.node.margin`)} what="margin" />
            ),
          },
          {
            header: 'Margin %',
            numeric: true,
            cell: (entity, index) =>
              withheld.has(`legalEntities.edges.${index}.node.marginPct`) ? (
                <Withheld what="margin" />
              ) : entity.marginPct ? (
                `${entity.marginPct} %`
              ) : (
                <span className="muted">—</span>
              ),
          },
        ]}
      />
      <p className="muted small table-note">
        Margin = revenue recognised − delivery cost, per currency; the percentage is in the entity’s own currency.
      </p>
    </section>
  );
}
