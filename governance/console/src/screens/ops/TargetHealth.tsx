import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useGraphQL } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/States';
import { ms, percent } from './format';
import { SLO_KINDS, type SloKind } from './SloGrid';

export const HEALTH_RANGES = { '1h': 60, '24h': 1_440, '7d': 10_080 } as const;
export type HealthRange = keyof typeof HEALTH_RANGES;

export interface TargetHealthSearch {
  kind?: SloKind;
  range?: HealthRange;
}

const HEALTH = `query ConsoleTargetHealth($kind: SlaTargetKind!, $from: String!, $to: String!) {
  slaTargetHealth(kind: $kind, from: $from, to: $to) {
    target events errors timeouts availability p50 p95 p99 errorCodes { code count } hours { hour events errors p95 }
  } }`;

interface Health {
  target: string;
  events: number;
  errors: number;
  timeouts: number;
  availability: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorCodes: { code: string; count: number }[];
  hours: { hour: string; events: number; errors: number; p95: number | null }[];
}

/** Errors per hour as a small bar strip: the height is the hour's error share. */
function ErrorStrip({ hours }: { hours: Health['hours'] }) {
  if (hours.length === 0) {
    return <span className="muted">—</span>;
  }
  const width = 120;
  const step = width / hours.length;
  return (
    <svg viewBox={`0 0 ${width} 24`} className="strip" role="img" aria-label="error share per hour">
      {hours.map((hour, index) => {
        const share = hour.events > 0 ? hour.errors / hour.events : 0;
        const height = Math.max(1, share * 22);
        return (
          <rect
            key={hour.hour}
            x={index * step}
            y={24 - height}
            width={Math.max(1, step - 1)}
            height={height}
            className={share > 0 ? 'strip-bad' : 'strip-ok'}
          />
        );
      })}
    </svg>
  );
}

/** Per subgraph (or operation, workflow): latency percentiles and errors by code over a range. */
export function TargetHealth({ search }: { search: TargetHealthSearch }) {
  const kind = search.kind ?? 'SUBGRAPH';
  const range = search.range ?? '24h';
  // the range ends at the current minute: one query per minute, not per render
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const variables = useMemo(
    () => ({ kind, from: new Date(minute - HEALTH_RANGES[range] * 60_000).toISOString(), to: new Date(minute + 60_000).toISOString() }),
    [kind, range, minute],
  );
  const query = useGraphQL<{ slaTargetHealth: Health[] }>(HEALTH, variables);
  const rows = query.data?.data.slaTargetHealth ?? [];
  return (
    <section>
      <header className="page-header">
        <h1>Latency and errors</h1>
        <p className="muted">What the gateways measured per {kind.toLowerCase()}, every gateway summed.</p>
      </header>
      <div className="filters">
        {SLO_KINDS.map((option) => (
          <Link key={option} to="/ops/health" search={{ kind: option, range }} className={option === kind ? 'tab tab-active' : 'tab'}>
            {option.toLowerCase()}
          </Link>
        ))}
        <span className="filters-gap" />
        {(Object.keys(HEALTH_RANGES) as HealthRange[]).map((option) => (
          <Link key={option} to="/ops/health" search={{ kind, range: option }} className={option === range ? 'tab tab-active' : 'tab'}>
            last {option}
          </Link>
        ))}
      </div>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading latency and errors" />
      ) : rows.length === 0 ? (
        <Empty title="No traffic in this range">Gateways ship samples every few seconds; workflows count when runs finish.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="latency and errors">
            <thead>
              <tr>
                <th scope="col">{kind.toLowerCase()}</th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col" className="num">
                  Availability
                </th>
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="num">
                  p99
                </th>
                <th scope="col">Errors by code</th>
                <th scope="col">Errors per hour</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.target}>
                  <td className="mono">{row.target}</td>
                  <td className="num">{row.events.toLocaleString('en')}</td>
                  <td className="num">{percent(row.availability, 2)}</td>
                  <td className="num">{ms(row.p50)}</td>
                  <td className="num">{ms(row.p95)}</td>
                  <td className="num">{ms(row.p99)}</td>
                  <td>
                    {row.errorCodes.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <span className="code-list">
                        {row.errorCodes.map((code) => (
                          <span key={code.code} className="code-chip">
                            {code.code} {code.count.toLocaleString('en')}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td>
                    <ErrorStrip hours={row.hours} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
