import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useGraphQL } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';

export const USAGE_DAYS = [7, 30, 90] as const;
/** fields listed before "Show all" */
const SHOWN = 25;

export interface FieldUsageSearch {
  type?: string;
  coordinate?: string;
  days?: number;
}

const SUMMARY = `query ConsoleFieldUsage($days: Int!, $typeName: String) {
  fieldUsage(days: $days, typeName: $typeName) { coordinate count clientVersions operations lastSeen } }`;
const TREND = `query ConsoleFieldUsageTrend($coordinate: String!, $days: Int!) {
  fieldUsageTrend(coordinate: $coordinate, days: $days) { day clientName clientVersion count } }`;

interface Summary {
  coordinate: string;
  count: number;
  clientVersions: number;
  operations: number;
  lastSeen: string;
}

interface TrendDay {
  day: string;
  clientName: string;
  clientVersion: string;
  count: number;
}

/** Every UTC day from `days − 1` days ago to today, YYYY-MM-DD. */
function lastDays(days: number): string[] {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10));
}

/** Per client version, its daily use as bars on one scale. */
function Trend({ coordinate, days }: { coordinate: string; days: number }) {
  const query = useGraphQL<{ fieldUsageTrend: TrendDay[] }>(TREND, { coordinate, days });
  if (query.error) {
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  if (query.isPending) {
    return <Loading rows={2} label="Loading the trend" />;
  }
  const rows = query.data.data.fieldUsageTrend;
  if (rows.length === 0) {
    return <Empty title={`Nobody used ${coordinate} in ${days} days`} />;
  }
  const axis = lastDays(days);
  const clients = [...new Set(rows.map((row) => `${row.clientName}@${row.clientVersion}`))].sort();
  const top = Math.max(...rows.map((row) => row.count));
  const width = 360;
  const step = width / axis.length;
  return (
    <div className="table-wrap">
      <table className="table compact" aria-label={`use of ${coordinate} by client version`}>
        <thead>
          <tr>
            <th scope="col">Client version</th>
            <th scope="col" className="num">
              Uses
            </th>
            <th scope="col">
              Per day, {axis[0]} to {axis[axis.length - 1]}
            </th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => {
            const byDay = new Map(
              rows.filter((row) => `${row.clientName}@${row.clientVersion}` === client).map((row) => [row.day, row.count]),
            );
            return (
              <tr key={client}>
                <td className="mono small">{client}</td>
                <td className="num">{[...byDay.values()].reduce((sum, count) => sum + count, 0).toLocaleString('en')}</td>
                <td>
                  <svg viewBox={`0 0 ${width} 24`} className="usage-strip" role="img" aria-label={`${client} per day`}>
                    {axis.map((day, index) => {
                      const count = byDay.get(day) ?? 0;
                      const height = count ? Math.max(2, (count / top) * 22) : 1;
                      return (
                        <rect
                          key={day}
                          x={index * step}
                          y={24 - height}
                          width={Math.max(1, step - 1)}
                          height={height}
                          className={count ? 'usage-bar' : 'strip-ok'}
                        >
                          <title>{`${day}: ${count}`}</title>
                        </rect>
                      );
                    })}
                  </svg>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Which fields clients use (per type, over a window), and one field's use by client version over time. */
export function FieldUsage({ search }: { search: FieldUsageSearch }) {
  const navigate = useNavigate();
  const days = search.days ?? 7;
  const [typeName, setTypeName] = useState(search.type ?? '');
  const [showAll, setShowAll] = useState(false);
  const query = useGraphQL<{ fieldUsage: Summary[] }>(SUMMARY, { days, typeName: search.type ?? null });
  const rows = query.data?.data.fieldUsage ?? [];
  const filter = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/api/usage', search: { type: typeName.trim() || undefined, days } });
  };
  return (
    <section>
      <header className="page-header">
        <h1>Field usage</h1>
        <p className="muted">What client versions selected, as the gateways reported it; pick a field for its trend.</p>
      </header>
      <form className="filters" onSubmit={filter}>
        <label className="field field-inline">
          <span>Type</span>
          <input value={typeName} onChange={(event) => setTypeName(event.target.value)} placeholder="e.g. Client" />
        </label>
        <button type="submit" className="button">
          Filter
        </button>
        <span className="filters-gap" />
        {USAGE_DAYS.map((option) => (
          <Link key={option} to="/api/usage" search={{ ...search, days: option }} className={option === days ? 'tab tab-active' : 'tab'}>
            {option} days
          </Link>
        ))}
      </form>
      {search.coordinate ? (
        <div className="stack usage-trend">
          <h2>
            <span className="mono">{search.coordinate}</span> by client version
          </h2>
          <Trend coordinate={search.coordinate} days={days} />
        </div>
      ) : null}
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading field usage" />
      ) : rows.length === 0 ? (
        <Empty title="No reported usage">
          {search.type ? `No client used a field of ${search.type} in ${days} days.` : `No usage in ${days} days.`}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table compact" aria-label="field usage">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col" className="num">
                  Uses
                </th>
                <th scope="col" className="num">
                  Client versions
                </th>
                <th scope="col" className="num">
                  Operations
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {(showAll ? rows : rows.slice(0, SHOWN)).map((row) => (
                <tr key={row.coordinate}>
                  <td>
                    <Link to="/api/usage" search={{ ...search, coordinate: row.coordinate }} className="link mono">
                      {row.coordinate}
                    </Link>
                  </td>
                  <td className="num">{row.count.toLocaleString('en')}</td>
                  <td className="num">{row.clientVersions}</td>
                  <td className="num">{row.operations}</td>
                  <td className="small nowrap">{row.lastSeen.replace('T', ' ').slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <span className="muted">
              {showAll || rows.length <= SHOWN ? rows.length : `${SHOWN} of ${rows.length}`} fields, most used first
            </span>
            {!showAll && rows.length > SHOWN ? (
              <button type="button" className="button" onClick={() => setShowAll(true)}>
                Show all {rows.length}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
