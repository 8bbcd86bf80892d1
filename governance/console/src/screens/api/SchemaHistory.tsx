import { Link, useNavigate } from '@tanstack/react-router';
import { useGraphQL } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { lineDiff, withContext } from './line-diff';

export interface SchemaHistorySearch {
  subgraph?: string;
  author?: string;
  from?: number;
  to?: number;
}

const SERVED = `query ConsoleServedSubgraphs { supergraphVersions(first: 1) { version subgraphs { name version } } }`;
const VERSIONS = `query ConsoleSchemaVersions($subgraph: String!) {
  subgraphSchemaVersions(subgraph: $subgraph) { version status author createdAt checkPassed sha256 approval { approvedBy } } }`;
const DIFF = `query ConsoleSchemaDiff($subgraph: String!, $from: Int!, $to: Int!) {
  subgraphSchemaDiff(subgraph: $subgraph, fromVersion: $from, toVersion: $to) {
    fromVersion toVersion fromSdl toSdl changes { criticality type path message } } }`;

interface Version {
  version: number;
  status: string;
  author: string;
  createdAt: string;
  checkPassed: boolean;
  sha256: string;
  approval: { approvedBy: string } | null;
}

interface Diff {
  fromVersion: number;
  toVersion: number;
  fromSdl: string;
  toSdl: string;
  changes: { criticality: string; type: string; path: string | null; message: string }[];
}

export const CRITICALITY_TONES = { BREAKING: 'red', DANGEROUS: 'amber', SAFE: 'green' } as const;

function DiffView({ subgraph, from, to }: { subgraph: string; from: number; to: number }) {
  const query = useGraphQL<{ subgraphSchemaDiff: Diff }>(DIFF, { subgraph, from, to });
  if (query.error) {
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  if (query.isPending) {
    return <Loading label="Loading the diff" />;
  }
  const diff = query.data.data.subgraphSchemaDiff;
  const lines = withContext(lineDiff(diff.fromSdl, diff.toSdl));
  return (
    <div className="stack" aria-label="schema diff">
      <h2>
        Version {diff.fromVersion} → {diff.toVersion}
      </h2>
      {diff.changes.length === 0 ? (
        <Empty title="No schema changes">The two versions describe the same schema.</Empty>
      ) : (
        <ul className="change-list" aria-label="changes">
          {diff.changes.map((change, index) => (
            <li key={index}>
              <Badge value={change.criticality} tone={CRITICALITY_TONES[change.criticality as keyof typeof CRITICALITY_TONES] ?? 'grey'} />
              <span className="mono small">{change.path ?? 'schema'}</span>
              <span className="small">{change.message}</span>
            </li>
          ))}
        </ul>
      )}
      <pre className="sdl-diff" aria-label="SDL diff">
        {lines.map((line, index) =>
          line === null ? (
            <div key={index} className="diff-gap">
              ⋯
            </div>
          ) : (
            <div key={index} className={`diff-${line.kind}`}>
              <span className="diff-number">{line.oldLine ?? ''}</span>
              <span className="diff-number">{line.newLine ?? ''}</span>
              <span className="diff-sign">{line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}</span>
              {line.text}
            </div>
          ),
        )}
      </pre>
    </div>
  );
}

/** A subgraph's versions (author, status, check) and the diff of any two of them (chosen in the URL). */
export function SchemaHistory({ search }: { search: SchemaHistorySearch }) {
  const navigate = useNavigate();
  const served = useGraphQL<{ supergraphVersions: { version: number; subgraphs: { name: string; version: number }[] }[] }>(SERVED);
  const names = served.data?.data.supergraphVersions[0]?.subgraphs.map((subgraph) => subgraph.name) ?? [];
  const subgraph = search.subgraph ?? names[0];
  const versions = useGraphQL<{ subgraphSchemaVersions: Version[] }>(VERSIONS, { subgraph }, { enabled: Boolean(subgraph) });
  const all = versions.data?.data.subgraphSchemaVersions ?? [];
  const authors = [...new Set(all.map((row) => row.author))].sort();
  const rows = search.author ? all.filter((row) => row.author === search.author) : all;
  const to = search.to ?? rows[0]?.version;
  const from = search.from ?? rows.find((row) => row.version < (to ?? 0))?.version;
  const pick = (which: 'from' | 'to', version: number) =>
    void navigate({
      to: '/api/schemas',
      search: { subgraph, author: search.author, from: which === 'from' ? version : from, to: which === 'to' ? version : to },
    });
  return (
    <section>
      <header className="page-header">
        <h1>Schema history</h1>
        <p className="muted">Every version each subgraph tried to publish, by author, with its check; pick two to compare.</p>
      </header>
      {served.error ? (
        <ErrorState error={served.error} retry={() => void served.refetch()} />
      ) : served.isPending ? (
        <Loading label="Loading subgraphs" />
      ) : names.length === 0 ? (
        <Empty title="Nothing published yet">Subgraphs publish their SDL to the registry at start and from CI.</Empty>
      ) : (
        <>
          <div className="filters">
            {names.map((name) => (
              <Link key={name} to="/api/schemas" search={{ subgraph: name }} className={name === subgraph ? 'tab tab-active' : 'tab'}>
                {name}
              </Link>
            ))}
            {authors.length ? (
              <label className="field field-inline filters-end">
                <span>Author</span>
                <select
                  value={search.author ?? ''}
                  onChange={(event) => void navigate({ to: '/api/schemas', search: { subgraph, author: event.target.value || undefined } })}
                >
                  <option value="">everyone</option>
                  {authors.map((author) => (
                    <option key={author} value={author}>
                      {author}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          {versions.error ? (
            <ErrorState error={versions.error} retry={() => void versions.refetch()} />
          ) : versions.isPending ? (
            <Loading label="Loading versions" />
          ) : rows.length === 0 ? (
            <Empty title={`No version of ${subgraph} by ${search.author ?? 'anyone'}`} />
          ) : (
            <div className="table-wrap">
              <table className="table compact" aria-label="versions">
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col" className="num">
                      Version
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Check</th>
                    <th scope="col">Author</th>
                    <th scope="col">Published</th>
                    <th scope="col">sha256</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.version}>
                      <td>
                        <input
                          type="radio"
                          name="from"
                          aria-label={`compare from version ${row.version}`}
                          checked={row.version === from}
                          onChange={() => pick('from', row.version)}
                        />
                      </td>
                      <td>
                        <input
                          type="radio"
                          name="to"
                          aria-label={`compare to version ${row.version}`}
                          checked={row.version === to}
                          onChange={() => pick('to', row.version)}
                        />
                      </td>
                      <td className="num">{row.version}</td>
                      <td>
                        <Badge value={row.status} tone={row.status === 'PUBLISHED' ? 'green' : 'red'} />
                      </td>
                      <td className="small">
                        {row.checkPassed ? (row.approval ? `approved by ${row.approval.approvedBy}` : 'passed') : 'failed'}
                      </td>
                      <td className="small">{row.author}</td>
                      <td className="small nowrap">{row.createdAt.replace('T', ' ').slice(0, 16)}</td>
                      <td className="mono small">{row.sha256.slice(0, 12)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {subgraph && from !== undefined && to !== undefined ? (
            <DiffView key={`${subgraph}-${from}-${to}`} subgraph={subgraph} from={from} to={to} />
          ) : rows.length === 1 ? (
            <p className="muted small">One version so far: nothing to compare.</p>
          ) : null}
        </>
      )}
    </section>
  );
}
