import { cents } from '../components/Money';

/** The portfolio's figures, apart from its screen (no chart code), so they can be tested on their own. */

export interface ForecastAccuracyMonth {
  month: string;
  projects: { currency: string; forecast: { amount: string }; actual: { amount: string } }[];
}

/** The last `count` months, oldest first, each with its first and last day (UTC). */
export function lastMonths(count: number, today = new Date()): { month: string; from: string; to: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - (count - 1 - index), 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    return { month: first.toISOString().slice(0, 7), from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
  });
}

/** One query for the whole view: each month's finance and delivery KPIs (aliases), forecast accuracy, entities. */
export function portfolioQuery(months: readonly { from: string; to: string }[]): string {
  const variables = months.map((_, index) => `$from${index}: String!, $to${index}: String!`).join(', ');
  const perMonth = months
    .map(
      (_, index) => `
    f${index}: financeKpis(from: $from${index}, to: $to${index}) { revenueRecognized { amount currency } backlog { amount currency } dso { currency days } }
    d${index}: deliveryKpis(from: $from${index}, to: $to${index}) { utilization { billableUtilPct totalUtilPct } }`,
    )
    .join('');
  return `query Portfolio(${variables}, $firstMonth: String!, $lastMonth: String!) {${perMonth}
    forecastAccuracy(from: $firstMonth, to: $lastMonth) { mapePct months { month projects { currency forecast { amount } actual { amount } } } }
    legalEntities(first: 100) { edges { node { id code name functionalCurrency revenueRecognized { amount currency } margin { amount currency } marginPct } } }
  }`;
}

/** Forecast F and actual A of a month in one currency: sums of the projects' snapshot and recognised revenue (cents). */
export function forecastVersusActual(
  months: readonly ForecastAccuracyMonth[],
  currency: string,
): Map<string, { forecast: bigint; actual: bigint }> {
  return new Map(
    months.map(({ month, projects }) => {
      const inCurrency = projects.filter((project) => project.currency === currency);
      return [
        month,
        {
          forecast: inCurrency.reduce((sum, project) => sum + cents(project.forecast.amount), 0n),
          actual: inCurrency.reduce((sum, project) => sum + cents(project.actual.amount), 0n),
        },
      ];
    }),
  );
}
