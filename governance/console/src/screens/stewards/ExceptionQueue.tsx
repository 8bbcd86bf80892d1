import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useConnection, useGraphQLMutation, type PageInfo } from '../../api/client';
import { hasRole } from '../../auth/session';
import { useSession } from '../../auth/session-context';
import { Badge } from '../../components/Badge';
import { EnumSelect, TabBar } from '../../components/Filters';
import { Empty, ErrorState, Loading } from '../../components/States';
import { WORKFLOW_KINDS } from '../WorkflowRuns';
import { ReasonDialog } from '../../components/ReasonDialog';

export const CASE_VIEWS = {
  open: { label: 'Open', states: ['NEW', 'ACKNOWLEDGED', 'ASSIGNED', 'REOPENED'] },
  resolved: { label: 'Resolved', states: ['RESOLVED'] },
  all: { label: 'All', states: null },
} as const;
export type CaseView = keyof typeof CASE_VIEWS;

export interface ExceptionQueueSearch {
  view?: CaseView;
  kind?: string;
}

const CASES = `query ConsoleExceptionCases($first: Int, $after: String, $stateIn: [ExceptionCaseState!], $kind: WorkflowKind) {
  exceptionCases(first: $first, after: $after, stateIn: $stateIn, kind: $kind) {
    edges { node { id runId kind businessKey runStatus state assignee resolution resolvedBy failureCode failureReason failedStep attempts
      openedAt ageSeconds } }
    pageInfo { hasNextPage endCursor } } }`;

interface Case {
  id: string;
  runId: string;
  kind: string;
  businessKey: string;
  runStatus: string;
  state: string;
  assignee: string | null;
  resolution: string | null;
  resolvedBy: string | null;
  failureCode: string | null;
  failureReason: string | null;
  failedStep: string | null;
  attempts: number;
  openedAt: string;
  ageSeconds: number;
}

/** "45 min", "3 h", "2 d": a case's age. */
export function ageLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

const FIELDS = `id state assignee resolution`;

function AssigneeCell({ item, canWork }: { item: Case; canWork: boolean }) {
  const [assignee, setAssignee] = useState(item.assignee ?? '');
  const assign = useGraphQLMutation<unknown, { id: string; assignee: string }>(
    `mutation ConsoleAssignCase($id: ID!, $assignee: String!) { assignExceptionCase(id: $id, assignee: $assignee) { ${FIELDS} } }`,
  );
  if (!canWork || item.state === 'RESOLVED') {
    return <span className="small">{item.assignee ?? <span className="muted">—</span>}</span>;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate({ id: item.id, assignee: assignee.trim() });
  };
  return (
    <form className="inline-assign" onSubmit={submit}>
      <input
        value={assignee}
        onChange={(event) => setAssignee(event.target.value)}
        placeholder="steward id"
        aria-label={`assignee of ${item.businessKey}`}
      />
      <button
        type="submit"
        className="button button-small"
        disabled={!assignee.trim() || assignee.trim() === item.assignee || assign.isPending}
      >
        Assign
      </button>
      {assign.error ? (
        <span className="inline-error" role="alert" title={assign.error.message}>
          {assign.error.message}
        </span>
      ) : null}
    </form>
  );
}

function CaseActions({ item }: { item: Case }) {
  const [asking, setAsking] = useState<'resolve' | 'reopen' | null>(null);
  const acknowledge = useGraphQLMutation<unknown, { id: string }>(
    `mutation ConsoleAcknowledgeCase($id: ID!) { acknowledgeExceptionCase(id: $id) { ${FIELDS} } }`,
  );
  const decide = useGraphQLMutation<unknown, { id: string; reason: string }>(
    asking === 'reopen'
      ? `mutation ConsoleReopenCase($id: ID!, $reason: String!) { reopenExceptionCase(id: $id, reason: $reason) { ${FIELDS} } }`
      : `mutation ConsoleResolveCase($id: ID!, $reason: String!) { resolveExceptionCase(id: $id, reason: $reason) { ${FIELDS} } }`,
  );
  return (
    <>
      {item.state === 'NEW' || item.state === 'REOPENED' ? (
        <button
          type="button"
          className="button button-small"
          onClick={() => acknowledge.mutate({ id: item.id })}
          disabled={acknowledge.isPending}
        >
          Acknowledge
        </button>
      ) : null}
      {item.state === 'RESOLVED' ? (
        <button type="button" className="button button-small button-quiet" onClick={() => setAsking('reopen')}>
          Reopen…
        </button>
      ) : (
        <button type="button" className="button button-small button-quiet" onClick={() => setAsking('resolve')}>
          Resolve…
        </button>
      )}
      {asking ? (
        <ReasonDialog
          title={asking === 'resolve' ? 'Resolve this case' : 'Reopen this case'}
          description={`${item.kind} for ${item.businessKey}. The reason goes to the audit ledger.`}
          action={asking === 'resolve' ? 'Resolve' : 'Reopen'}
          pending={decide.isPending}
          error={decide.error}
          onSubmit={(reason) => decide.mutate({ id: item.id, reason }, { onSuccess: () => setAsking(null) })}
          onClose={() => setAsking(null)}
        />
      ) : null}
    </>
  );
}

/** The exception queue as cases: one row per run that needed a person, failure and age as columns, worked inline. */
export function ExceptionQueue({ search }: { search: ExceptionQueueSearch }) {
  const navigate = useNavigate();
  const { session } = useSession();
  const view: CaseView = search.view ?? 'open';
  const canWork = hasRole(session, 'data_steward');
  const cases = useConnection<{ exceptionCases: { edges: { node: Case }[]; pageInfo: PageInfo } }, Case>(
    CASES,
    { first: 50, stateIn: CASE_VIEWS[view].states, kind: search.kind ?? null },
    (data) => data.exceptionCases,
  );
  const go = (next: ExceptionQueueSearch) => void navigate({ to: '/stewards/exceptions', search: { ...search, ...next } });
  return (
    <section>
      <header className="page-header">
        <h1>Exception queue</h1>
        <p className="muted">
          One case per workflow run that needed a person: New → Acknowledged → Assigned → Resolved. A run that succeeds on a retry closes
          its case.
        </p>
      </header>
      <TabBar views={CASE_VIEWS} value={view} onChange={(next) => go({ view: next })} label="Case state" />
      <div className="filters">
        <EnumSelect label="Kind" values={WORKFLOW_KINDS} value={search.kind} onChange={(kind) => go({ kind })} />
      </div>
      {cases.error ? (
        <ErrorState error={cases.error} retry={() => void cases.refetch()} />
      ) : cases.isPending ? (
        <Loading label="Loading exception cases" />
      ) : cases.nodes.length === 0 ? (
        <Empty title={view === 'open' ? 'No open cases' : 'No cases here'}>Runs that fail for good open a case here.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="exception cases">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Business key</th>
                <th scope="col">State</th>
                <th scope="col">Failure reason</th>
                <th scope="col" className="num">
                  Age
                </th>
                <th scope="col">Assignee</th>
                <th scope="col" aria-label="actions" />
              </tr>
            </thead>
            <tbody>
              {cases.nodes.map((item) => (
                <tr key={item.id}>
                  <td className="mono small">{item.kind}</td>
                  <td className="mono small ellipsis" title={item.businessKey}>
                    {item.businessKey}
                  </td>
                  <td>
                    <Badge value={item.state} />
                    {item.state === 'RESOLVED' && item.resolution ? <div className="muted small">{item.resolution}</div> : null}
                  </td>
                  <td className="small failure-cell">
                    {item.failureCode ? <code className="code-chip">{item.failureCode}</code> : null}{' '}
                    {item.failureReason ?? <span className="muted">—</span>}
                  </td>
                  <td className="num small" title={item.openedAt}>
                    {ageLabel(item.ageSeconds)}
                  </td>
                  <td>
                    <AssigneeCell key={item.assignee ?? ''} item={item} canWork={canWork} />
                  </td>
                  <td className="actions">{canWork ? <CaseActions item={item} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <span className="muted">
              {cases.nodes.length} cases{cases.hasNextPage ? ', more to load' : ''}
            </span>
            {cases.hasNextPage ? (
              <button type="button" className="button" onClick={() => void cases.fetchNextPage()} disabled={cases.isFetchingNextPage}>
                {cases.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
