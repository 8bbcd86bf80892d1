import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useConnection, useGraphQLMutation, type PageInfo } from '../../api/client';
import { hasRole } from '../../auth/session';
import { useSession } from '../../auth/session-context';
import { Badge } from '../../components/Badge';
import { LoadMore } from '../../components/LoadMore';
import { ReasonDialog } from '../../components/ReasonDialog';
import { Empty, ErrorState, Loading } from '../../components/States';
import { CRITICALITY_TONES } from './SchemaHistory';

export interface SchemaChecksSearch {
  subgraph?: string;
}

const CHECKS = `query ConsoleSchemaChecks($subgraph: String, $first: Int, $after: String) {
  schemaChecks(subgraph: $subgraph, first: $first, after: $after) {
    edges { node { source subgraph version status author ok approved checkedAt baseVersion reasons affectedClientVersions affectedOperations
      changes { criticality type path message affected { client operations } } } }
    pageInfo { hasNextPage endCursor } } }`;

interface Check {
  source: string;
  subgraph: string;
  version: number | null;
  status: string | null;
  author: string | null;
  ok: boolean;
  approved: boolean;
  checkedAt: string;
  baseVersion: number | null;
  reasons: string[];
  affectedClientVersions: string[];
  affectedOperations: string[];
  changes: {
    criticality: string;
    type: string;
    path: string | null;
    message: string;
    affected: { client: string; operations: string[] }[];
  }[];
}

/** A steward lets a rejected version into the supergraph, with a reason the ledger keeps (never the publisher). */
function ApproveDialog({ check, onClose }: { check: Check; onClose: () => void }) {
  const mutation = useGraphQLMutation<unknown, { subgraph: string; version: number; reason: string }>(
    `mutation ConsoleApproveSchema($subgraph: String!, $version: Int!, $reason: String!) {
      approveSchemaVersion(subgraph: $subgraph, version: $version, reason: $reason) { version checkPassed } }`,
  );
  return (
    <ReasonDialog
      title={`Approve ${check.subgraph} version ${check.version}`}
      description="It joins the supergraph despite its failed check. The approval and its reason go to the audit ledger."
      action="Approve"
      pending={mutation.isPending}
      error={mutation.error}
      onSubmit={(reason) => mutation.mutate({ subgraph: check.subgraph, version: check.version!, reason }, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

/** Stored checks (dry-runs and publishes): their changes, and the client versions and operations they would break. */
export function SchemaChecks({ search }: { search: SchemaChecksSearch }) {
  const { session } = useSession();
  const [approving, setApproving] = useState<Check | null>(null);
  const query = useConnection<{ schemaChecks: { edges: { node: Check }[]; pageInfo: PageInfo } }, Check>(
    CHECKS,
    { subgraph: search.subgraph ?? null, first: 25 },
    (data) => data.schemaChecks,
  );
  const checks = query.nodes;
  return (
    <section>
      <header className="page-header">
        <h1>Schema checks</h1>
        <p className="muted">
          Checks from CI and publishes, newest first{search.subgraph ? ` for ${search.subgraph}` : ''}: what changed, and who it breaks.
          {search.subgraph ? (
            <>
              {' '}
              <Link to="/api/checks" search={{}} className="link">
                All subgraphs
              </Link>
            </>
          ) : null}
        </p>
      </header>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading checks" />
      ) : checks.length === 0 ? (
        <Empty title="No checks yet">`schema:check` in CI and every publish leave a check here.</Empty>
      ) : (
        <div className="stack">
          {checks.map((check, index) => (
            <article key={index} className="row-card" aria-label={`check ${check.subgraph} ${check.version ?? 'dry-run'}`}>
              <div className="row-card-head">
                <Badge
                  value={check.ok ? 'PASSED' : check.approved ? 'APPROVED' : 'FAILED'}
                  tone={check.ok ? 'green' : check.approved ? 'amber' : 'red'}
                />
                <Link to="/api/checks" search={{ subgraph: check.subgraph }} className="link strong">
                  {check.subgraph}
                </Link>
                <span className="small">
                  {check.source === 'PUBLISH' ? `publish of version ${check.version} by ${check.author}` : 'dry-run check'}
                  {check.baseVersion ? ` against version ${check.baseVersion}` : ''}
                </span>
                <span className="muted small nowrap check-when">{check.checkedAt.replace('T', ' ').slice(0, 16)} UTC</span>
                {check.status === 'REJECTED' && !check.approved && hasRole(session, 'data_steward') ? (
                  <button type="button" className="button button-small" onClick={() => setApproving(check)}>
                    Approve…
                  </button>
                ) : null}
              </div>
              {check.affectedClientVersions.length ? (
                <p className="small">
                  <strong>Affects</strong> {check.affectedClientVersions.join(', ')} · <strong>operations</strong>{' '}
                  <span className="mono">{check.affectedOperations.join(', ')}</span>
                </p>
              ) : null}
              {check.changes.length ? (
                <table className="table compact" aria-label="changes">
                  <tbody>
                    {check.changes.map((change, changeIndex) => (
                      <tr key={changeIndex}>
                        <td className="nowrap">
                          <Badge
                            value={change.criticality}
                            tone={CRITICALITY_TONES[change.criticality as keyof typeof CRITICALITY_TONES] ?? 'grey'}
                          />
                        </td>
                        <td className="mono small">{change.path ?? 'schema'}</td>
                        <td className="small">{change.message}</td>
                        <td className="small">
                          {change.affected
                            .map((client) => `${client.client} (${client.operations.join(', ') || 'unknown operations'})`)
                            .join('; ') || <span className="muted">no client</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted small">No schema changes.</p>
              )}
              {check.reasons.length ? (
                <ul className="reasons">
                  {check.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              ) : null}
            </article>
          ))}
          <LoadMore
            count={checks.length}
            noun={checks.length === 1 ? 'check' : 'checks'}
            hasMore={query.hasNextPage}
            loading={query.isFetchingNextPage}
            onMore={() => void query.fetchNextPage()}
          />
        </div>
      )}
      {approving ? <ApproveDialog check={approving} onClose={() => setApproving(null)} /> : null}
    </section>
  );
}
