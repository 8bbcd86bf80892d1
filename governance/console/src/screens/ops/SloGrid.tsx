import { Link } from '@tanstack/react-router';
import { useGraphQL } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { percent, toneOf } from './format';
import { SLO_STATUSES, type SloStatus } from './queries';

export const SLO_KINDS = ['SUBGRAPH', 'OPERATION', 'WORKFLOW'] as const;
export type SloKind = (typeof SLO_KINDS)[number];

export interface SloGridSearch {
  kind?: SloKind;
}

/** One tile per enabled SLO, grouped by kind: colour by budget left, grey when there is no data. */
export function SloGrid({ search }: { search: SloGridSearch }) {
  const query = useGraphQL<{ sloStatuses: SloStatus[] }>(SLO_STATUSES, {}, { refetchInterval: 30_000 });
  const statuses = (query.data?.data.sloStatuses ?? []).filter((status) => !search.kind || status.slo.kind === search.kind);
  return (
    <section>
      <header className="page-header">
        <h1>Service levels</h1>
        <p className="muted">
          Every enabled SLO on subgraphs, operations and workflows: budget left over its window, and what burns it now.
        </p>
      </header>
      <div className="filters">
        <span className="field-inline">Kind:</span>
        <Link to="/ops/slos" search={{}} className={search.kind ? 'tab' : 'tab tab-active'}>
          All
        </Link>
        {SLO_KINDS.map((kind) => (
          <Link key={kind} to="/ops/slos" search={{ kind }} className={search.kind === kind ? 'tab tab-active' : 'tab'}>
            {kind.toLowerCase()}
          </Link>
        ))}
        <span className="legend">
          <span className="swatch swatch-green" /> over half left <span className="swatch swatch-amber" /> under half
          <span className="swatch swatch-red" /> firing or spent <span className="swatch swatch-grey" /> no data
        </span>
      </div>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading service levels" />
      ) : statuses.length === 0 ? (
        <Empty title="No SLOs here">Operators define SLOs with createServiceLevelObjective; workflow SLOs target a workflow kind.</Empty>
      ) : (
        <ul className="slo-grid" aria-label="SLOs">
          {statuses.map((status) => (
            <li key={status.slo.id}>
              <Link to="/ops/slos/$sloId" params={{ sloId: status.slo.id }} className={`slo-tile slo-${toneOf(status)}`}>
                <span className="slo-tile-head">
                  <span className="strong ellipsis">{status.slo.name}</span>
                  <span className="badge badge-grey">{status.health.replace(/_/g, ' ').toLowerCase()}</span>
                </span>
                <span className="mono small muted">
                  {status.slo.kind.toLowerCase()} · {status.slo.target} · {status.slo.indicator.toLowerCase()}{' '}
                  {percent(status.slo.objective, 2)}
                </span>
                <span className="slo-tile-value">
                  {status.budgetRemaining === null
                    ? 'no data'
                    : status.budgetRemaining <= 0
                      ? 'budget spent'
                      : `${percent(status.budgetRemaining, 0)} left`}
                </span>
                <span className="small ellipsis" title={status.explanation}>
                  {status.explanation}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
