import { Link } from '@tanstack/react-router';
import { useGraphQL } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { USAGE_DAYS } from './FieldUsage';

export interface DeprecatedFieldsSearch {
  days?: number;
}

const DEPRECATED = `query ConsoleDeprecatedFields($days: Int!) {
  deprecatedFields(days: $days) { subgraph coordinate reason deprecatedSince removableFrom ready
    clients { clientName clientVersion count lastSeen excluded } } }`;

interface Deprecated {
  subgraph: string;
  coordinate: string;
  reason: string | null;
  deprecatedSince: string;
  removableFrom: string;
  ready: boolean;
  clients: { clientName: string; clientVersion: string; count: number; lastSeen: string; excluded: boolean }[];
}

/** Each served @deprecated field: since when, when the grace period ends, who still uses it; ready when nobody does. */
export function DeprecatedFields({ search }: { search: DeprecatedFieldsSearch }) {
  const days = search.days ?? 7;
  const query = useGraphQL<{ deprecatedFields: Deprecated[] }>(DEPRECATED, { days });
  const fields = query.data?.data.deprecatedFields ?? [];
  const now = new Date().toISOString();
  return (
    <section>
      <header className="page-header">
        <h1>Deprecated fields</h1>
        <p className="muted">
          Whether each @deprecated field can go: removal passes its check once the grace period is over and no client uses it.
        </p>
      </header>
      <div className="filters">
        <span className="field-inline">Usage over:</span>
        {USAGE_DAYS.map((option) => (
          <Link key={option} to="/api/deprecated" search={{ days: option }} className={option === days ? 'tab tab-active' : 'tab'}>
            {option} days
          </Link>
        ))}
      </div>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading deprecated fields" />
      ) : fields.length === 0 ? (
        <Empty title="No deprecated fields">No served subgraph marks a field @deprecated.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="deprecated fields">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Readiness</th>
                <th scope="col">Deprecated since</th>
                <th scope="col">Removable from</th>
                <th scope="col">Still used by</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => (
                <tr key={`${field.subgraph}-${field.coordinate}`}>
                  <td>
                    <Link to="/api/usage" search={{ coordinate: field.coordinate, days }} className="link mono">
                      {field.coordinate}
                    </Link>
                    <div className="muted small">
                      {field.subgraph}
                      {field.reason ? ` · ${field.reason}` : ''}
                    </div>
                  </td>
                  <td>
                    {field.ready ? (
                      field.removableFrom <= now ? (
                        <Badge value="READY" tone="green" />
                      ) : (
                        <Badge value="UNUSED_IN_GRACE" tone="blue" />
                      )
                    ) : (
                      <Badge value="IN_USE" tone="red" />
                    )}
                  </td>
                  <td className="small nowrap">{field.deprecatedSince.slice(0, 10)}</td>
                  <td className="small nowrap">{field.removableFrom.slice(0, 10)}</td>
                  <td className="small">
                    {field.clients.length === 0 ? (
                      <span className="muted">nobody in {days} days</span>
                    ) : (
                      field.clients.map((client) => (
                        <div key={`${client.clientName}@${client.clientVersion}`}>
                          <span className="mono">
                            {client.clientName}@{client.clientVersion}
                          </span>{' '}
                          {client.count.toLocaleString('en')} uses, last {client.lastSeen.slice(0, 10)}
                          {client.excluded ? <span className="muted"> (excluded)</span> : null}
                        </div>
                      ))
                    )}
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
