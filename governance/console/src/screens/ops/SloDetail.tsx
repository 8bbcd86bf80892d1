import { Link } from '@tanstack/react-router';
import { useGraphQL } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { BurnChart } from './BurnChart';
import { burnLabel, durationLabel, percent, toneOf, when, windowLabel } from './format';
import { SLO_STATUSES, type SloStatus } from './queries';

/** One SLO now: budget, time to exhaustion, the burn of each window pair against its threshold. */
export function SloDetail({ sloId }: { sloId: string }) {
  const query = useGraphQL<{ sloStatuses: SloStatus[] }>(SLO_STATUSES, { id: sloId }, { refetchInterval: 30_000 });
  const status = query.data?.data.sloStatuses[0];
  return (
    <section>
      <p className="crumbs">
        <Link to="/ops/slos" className="link">
          Service levels
        </Link>{' '}
        / SLO
      </p>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading the SLO" />
      ) : !status ? (
        <Empty title="No such SLO" />
      ) : (
        <>
          <header className="page-header">
            <div className="title-row">
              <h1>{status.slo.name}</h1>
              <Badge value={status.health} tone={toneOf(status)} />
            </div>
            <p className="muted">
              {status.slo.kind.toLowerCase()} <span className="mono">{status.slo.target}</span>: {status.slo.indicator.toLowerCase()}{' '}
              {percent(status.slo.objective, 2)}
              {status.slo.latencyThresholdMs ? ` within ${status.slo.latencyThresholdMs} ms` : ''} over {status.slo.windowDays} days
              {status.slo.enabled ? '' : ' (disabled)'}
            </p>
          </header>
          <p className={`explanation explanation-${toneOf(status)}`}>{status.explanation}</p>
          {status.lowTraffic ? (
            <p className="notice" role="note">
              Low traffic: some window pairs counted too few events to alert. A few failures can look like a large burn; read the counts
              below.
            </p>
          ) : null}
          <div className="cards ops-cards">
            <div className="card">
              <span className="card-label">Budget left</span>
              <span className="card-value">
                {status.budgetRemaining === null ? 'no data' : status.budgetRemaining <= 0 ? 'spent' : percent(status.budgetRemaining, 0)}
              </span>
            </div>
            <div className="card">
              <span className="card-label">Burning now (1 h)</span>
              <span className="card-value">{burnLabel(status.currentBurnRate)}</span>
            </div>
            <div className="card">
              <span className="card-label">Exhausted in</span>
              <span className="card-value">{durationLabel(status.minutesToExhaustion)}</span>
              {status.exhaustsAt && status.minutesToExhaustion ? <span className="muted small">{when(status.exhaustsAt)} UTC</span> : null}
            </div>
            <div className="card">
              <span className="card-label">Events in {status.slo.windowDays} d</span>
              <span className="card-value">{status.windowEvents.toLocaleString('en')}</span>
              <span className="muted small">{status.windowBad.toLocaleString('en')} bad</span>
            </div>
          </div>
          <h2>Burn by window pair</h2>
          <BurnChart pairs={status.pairs} />
          <div className="table-wrap">
            <table className="table compact" aria-label="window pairs">
              <thead>
                <tr>
                  <th scope="col">Pair</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="num">
                    Threshold
                  </th>
                  <th scope="col" className="num">
                    Long burn
                  </th>
                  <th scope="col" className="num">
                    Short burn
                  </th>
                  <th scope="col" className="num">
                    Events (long)
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {status.pairs.map((pair) => (
                  <tr key={pair.longWindowMinutes}>
                    <td className="nowrap">
                      {windowLabel(pair.longWindowMinutes)} / {windowLabel(pair.shortWindowMinutes)}
                    </td>
                    <td>{pair.severity.toLowerCase()}</td>
                    <td className="num">{burnLabel(pair.factor)}</td>
                    <td className="num">{burnLabel(pair.longBurnRate)}</td>
                    <td className="num">{burnLabel(pair.shortBurnRate)}</td>
                    <td className="num">{pair.longEvents.toLocaleString('en')}</td>
                    <td>
                      {pair.firing ? (
                        <Badge value="FIRING" tone="red" />
                      ) : pair.lowTraffic ? (
                        <Badge value="LOW_TRAFFIC" tone="amber" />
                      ) : (
                        <Badge value="QUIET" tone="green" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">
            Windows end {when(status.windowEnd)} UTC.{' '}
            <Link to="/ops/incidents" className="link">
              Incidents
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
