import { useNavigate } from '@tanstack/react-router';
import { useConnection, type PageInfo } from '../../api/client';
import { Badge } from '../../components/Badge';
import { DateRangeFields } from '../../components/Filters';
import { LoadMore } from '../../components/LoadMore';
import { Empty, ErrorState, Loading } from '../../components/States';
import { endOf } from './LedgerSearch';

export const MARGIN_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type MarginPeriod = (typeof MARGIN_PERIODS)[number];

export interface MarginAccessSearch {
  from?: string;
  to?: string;
  period?: MarginPeriod;
}

const REPORT = `query ConsoleMarginAccess($occurredFrom: String!, $occurredTo: String!, $period: MarginAccessPeriod, $first: Int, $after: String) {
  auditMarginAccess(occurredFrom: $occurredFrom, occurredTo: $occurredTo, period: $period, first: $first, after: $after) {
    edges { node { period role entity clientId entityId coordinates actors reads denied lastAt } }
    pageInfo { hasNextPage endCursor }
    totals { groups reads denied roles } } }`;

interface Totals {
  groups: number;
  reads: number;
  denied: number;
  roles: number;
}

interface Report {
  edges: { node: Row }[];
  pageInfo: PageInfo;
  totals: Totals;
}

interface Row {
  period: string;
  role: string;
  entity: string;
  clientId: string | null;
  entityId: string | null;
  coordinates: string[];
  actors: string[];
  reads: number;
  denied: number;
  lastAt: string;
}

function Report({ from, to, period }: { from: string; to: string; period: MarginPeriod }) {
  const report = useConnection<{ auditMarginAccess: Report }, Row, Report>(
    REPORT,
    { occurredFrom: from, occurredTo: endOf(to), period, first: 100 },
    (data) => data.auditMarginAccess,
  );
  if (report.error) {
    return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  }
  if (report.isPending || !report.latest) {
    return <Loading label="Loading the margin-access report" />;
  }
  const rows = report.nodes;
  if (rows.length === 0) {
    return (
      <Empty title="Nobody read or was denied margin in this range">
        The gateway records every read of a MARGIN field and every attempt it withheld.
      </Empty>
    );
  }
  // every group of the range, not only the pages loaded
  const { reads, denied, roles, groups } = report.latest.totals;
  return (
    <>
      <div className="cards audit-cards">
        <div className="card">
          <div className="card-label">Reads</div>
          <div className="card-value">{reads}</div>
        </div>
        <div className="card">
          <div className="card-label">Denied attempts</div>
          <div className="card-value">{denied}</div>
        </div>
        <div className="card">
          <div className="card-label">Roles</div>
          <div className="card-value">{roles}</div>
        </div>
        <div className="card">
          <div className="card-label">Groups</div>
          <div className="card-value">{groups}</div>
        </div>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="margin access">
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Role</th>
              <th scope="col">Client / record</th>
              <th scope="col">Fields</th>
              <th scope="col">Who</th>
              <th scope="col" className="num">
                Reads
              </th>
              <th scope="col" className="num">
                Denied
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.period}|${row.role}|${row.entity}|${row.entityId ?? ''}`}>
                <td className="mono small nowrap">{row.period}</td>
                <td>
                  <Badge value={row.role} tone="blue" />
                </td>
                <td className="small">
                  {row.clientId ? (
                    <>
                      Client <span className="mono">{row.clientId}</span>
                    </>
                  ) : (
                    <>
                      {row.entity} <span className="mono muted">{row.entityId ?? 'not fetched'}</span>
                    </>
                  )}
                </td>
                <td className="mono small">{row.coordinates.join(', ')}</td>
                <td className="small nowrap">{row.actors.join(', ')}</td>
                <td className="num">{row.reads}</td>
                <td className="num">{row.denied ? <Badge value={String(row.denied)} tone="red" /> : 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore
          count={rows.length}
          noun={`of ${groups} ${groups === 1 ? 'group' : 'groups'}`}
          hasMore={report.hasNextPage}
          loading={report.isFetchingNextPage}
          onMore={() => void report.fetchNextPage()}
        />
      </div>
    </>
  );
}

/** Who read margin, by period, role and client, denied attempts included (the ledger's access events). */
export function MarginAccess({ search }: { search: MarginAccessSearch }) {
  const navigate = useNavigate();
  const go = (next: MarginAccessSearch) => void navigate({ to: '/audit/margin-access', search: { ...search, ...next } });
  const period = search.period ?? 'MONTH';
  return (
    <section>
      <header className="page-header">
        <h1>Margin access</h1>
        <p className="muted">Who read margin and cost figures, by role, client and period — and who was denied them.</p>
      </header>
      <div className="filters">
        <DateRangeFields from={search.from} to={search.to} onChange={go} inline />
        <label className="field field-inline">
          <span>By</span>
          <select value={period} onChange={(event) => go({ period: event.target.value as MarginPeriod })} aria-label="Period">
            {MARGIN_PERIODS.map((value) => (
              <option key={value} value={value}>
                {value.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      {search.from && search.to ? (
        <Report from={search.from} to={search.to} period={period} />
      ) : (
        <Empty title="Choose a time range">Pick From and To to see who accessed margin in it.</Empty>
      )}
    </section>
  );
}
