import { useConnection, type PageInfo } from '../../api/client';
import { LoadMore } from '../../components/LoadMore';
import { Empty, ErrorState, Loading } from '../../components/States';

const APPROVALS = `query ConsoleSchemaApprovals($first: Int, $after: String) {
  schemaApprovals(first: $first, after: $after) {
    edges { node { subgraph version publishedBy publishedAt approvedBy approverRoles reason approvedAt supergraphVersion reasons } }
    pageInfo { hasNextPage endCursor } } }`;

interface Approval {
  subgraph: string;
  version: number;
  publishedBy: string;
  publishedAt: string;
  approvedBy: string;
  approverRoles: string[];
  reason: string;
  approvedAt: string;
  supergraphVersion: number;
  reasons: string[];
}

/** Stewards' approvals of failed checks, each an audited object: who, why, what failed, which supergraph it made. */
export function SchemaApprovals() {
  const query = useConnection<{ schemaApprovals: { edges: { node: Approval }[]; pageInfo: PageInfo } }, Approval>(
    APPROVALS,
    { first: 50 },
    (data) => data.schemaApprovals,
  );
  const approvals = query.nodes;
  return (
    <section>
      <header className="page-header">
        <h1>Schema approvals</h1>
        <p className="muted">
          Versions a data steward let through despite a failed check (never their publisher); each is in the audit ledger.
        </p>
      </header>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading approvals" />
      ) : approvals.length === 0 ? (
        <Empty title="No approvals">Every published version passed its check.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="approvals">
            <thead>
              <tr>
                <th scope="col">Subgraph version</th>
                <th scope="col">Published by</th>
                <th scope="col">Approved by</th>
                <th scope="col">Reason</th>
                <th scope="col">What failed</th>
                <th scope="col" className="num">
                  Supergraph
                </th>
              </tr>
            </thead>
            <tbody>
              {approvals.map((approval) => (
                <tr key={`${approval.subgraph}-${approval.version}`}>
                  <td className="mono nowrap">
                    {approval.subgraph}@{approval.version}
                  </td>
                  <td className="small">
                    {approval.publishedBy}
                    <br />
                    <span className="muted">{approval.publishedAt.replace('T', ' ').slice(0, 16)}</span>
                  </td>
                  <td className="small">
                    {approval.approvedBy} <span className="muted">({approval.approverRoles.join(', ').replace(/_/g, ' ')})</span>
                    <br />
                    <span className="muted">{approval.approvedAt.replace('T', ' ').slice(0, 16)}</span>
                  </td>
                  <td className="small">{approval.reason}</td>
                  <td>
                    <ul className="reasons">
                      {approval.reasons.map((reason) => (
                        <li key={reason}>{reason}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="num">v{approval.supergraphVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore
            count={approvals.length}
            noun={approvals.length === 1 ? 'approval' : 'approvals'}
            hasMore={query.hasNextPage}
            loading={query.isFetchingNextPage}
            onMore={() => void query.fetchNextPage()}
          />
        </div>
      )}
    </section>
  );
}
