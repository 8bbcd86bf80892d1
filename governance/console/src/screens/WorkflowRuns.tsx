import * as Dialog from '@radix-ui/react-dialog';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useConnection, useGraphQLMutation, type PageInfo } from '../api/client';
import { hasRole } from '../auth/session';
import { useSession } from '../auth/session-context';
import { Badge } from '../components/Badge';
import { EnumSelect, TabBar } from '../components/Filters';
import { Empty, ErrorState, Loading } from '../components/States';
import { BulkReplayDialog, bulkReplayFilterOf, type BulkReplaySearch } from './stewards/BulkReplay';

export const WORKFLOW_TABS = {
  open: { label: 'Open', statuses: ['EXCEPTION'], hint: 'Runs waiting for a steward: fix the data, then replay or dismiss with a reason.' },
  retries: { label: 'Retries', statuses: ['PENDING', 'RUNNING', 'RETRYING'], hint: 'Runs at work or waiting for their next attempt.' },
  resolved: { label: 'Resolved', statuses: ['SUCCEEDED', 'DISMISSED'], hint: 'Runs that finished, or that a steward dismissed.' },
} as const;
export type WorkflowTab = keyof typeof WORKFLOW_TABS;

export const WORKFLOW_KINDS = [
  'OPPORTUNITY_TO_PROJECT',
  'CHANGE_ORDER',
  'INVOICE_RUN',
  'INVOICE_POSTED',
  'INVOICE_CANCELLED',
  'MILESTONE_ACCEPTED',
  'RENEWAL',
  'INTERCOMPANY',
  'FORECAST_SNAPSHOT',
  'REVENUE_RECOGNITION',
] as const;

export interface WorkflowRunsSearch extends BulkReplaySearch {
  tab?: WorkflowTab;
  kind?: string;
}

const RUNS = `query ConsoleWorkflowRuns($first: Int, $after: String, $statusIn: [WorkflowRunStatus!], $kind: WorkflowKind) {
  workflowRuns(first: $first, after: $after, statusIn: $statusIn, kind: $kind) {
    edges { node { id kind businessKey status correlationId payload attempts stepsDone steps startedAt updatedAt nextAttemptAt
      lastError { code message step reasons permanent } events { at kind step attempt message actor } } }
    pageInfo { hasNextPage endCursor } } }`;

interface Run {
  id: string;
  kind: string;
  businessKey: string;
  status: string;
  correlationId: string;
  payload: Record<string, unknown>;
  attempts: number;
  stepsDone: number;
  steps: string[];
  startedAt: string;
  updatedAt: string;
  nextAttemptAt: string;
  lastError: { code: string; message: string; step: string | null; reasons: string[]; permanent: boolean } | null;
  events: { at: string; kind: string; step: string | null; attempt: number | null; message: string; actor: string | null }[];
}

/** "3 h", "2 d": how long ago, for the age column. */
export function ageOf(since: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** The payload text a steward edits: the run's input, pretty-printed. */
export function payloadText(payload: Record<string, unknown>): string {
  return JSON.stringify(payload, null, 2);
}

/** The edited payload: null when unchanged, an object when changed, an Error when it is not a JSON object. */
export function editedPayload(original: Record<string, unknown>, text: string): Record<string, unknown> | null | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error('The payload is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new Error('The payload must be a JSON object');
  }
  return JSON.stringify(value) === JSON.stringify(original) ? null : (value as Record<string, unknown>);
}

function DecideDialog({ run, action, onClose }: { run: Run; action: 'replay' | 'dismiss'; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [payload, setPayload] = useState(() => payloadText(run.payload));
  const mutation = useGraphQLMutation<unknown, { id: string; reason: string; payload?: Record<string, unknown> | null }>(
    action === 'replay'
      ? `mutation ConsoleReplay($id: ID!, $reason: String!, $payload: JSON) { replayWorkflowRun(id: $id, reason: $reason, payload: $payload) { id status } }`
      : `mutation ConsoleDismiss($id: ID!, $reason: String!) { dismissWorkflowRun(id: $id, reason: $reason) { id status } }`,
  );
  const edited = action === 'replay' ? editedPayload(run.payload, payload) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (edited instanceof Error) {
      return;
    }
    mutation.mutate({ id: run.id, reason: reason.trim(), ...(edited ? { payload: edited } : {}) }, { onSuccess: onClose });
  };
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{action === 'replay' ? 'Replay this run' : 'Dismiss this run'}</Dialog.Title>
          <Dialog.Description className="muted">
            {run.kind} for {run.businessKey}.{' '}
            {action === 'replay' ? 'It starts again from the step that failed, with fresh attempts.' : 'It leaves the queue for good.'} The
            reason goes to the audit ledger.
          </Dialog.Description>
          <form onSubmit={submit} className="form steward-dialog-form">
            {action === 'replay' ? (
              <label className="field">
                <span>
                  Payload {edited && !(edited instanceof Error) ? <span className="muted">(edited: the ledger keeps the diff)</span> : null}
                </span>
                <textarea
                  className="payload-editor"
                  value={payload}
                  onChange={(event) => setPayload(event.target.value)}
                  rows={6}
                  spellCheck={false}
                  aria-label="Payload"
                />
              </label>
            ) : null}
            {edited instanceof Error ? (
              <p className="notice notice-error" role="alert">
                {edited.message}
              </p>
            ) : null}
            <label className="field">
              <span>Reason</span>
              <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={3} required aria-label="Reason" />
            </label>
            {mutation.error ? (
              <p className="notice notice-error" role="alert">
                {mutation.error.message}
              </p>
            ) : null}
            <div className="dialog-actions">
              <button type="button" className="button button-quiet" onClick={onClose}>
                Cancel
              </button>
              <button
                type="submit"
                className="button button-primary"
                disabled={!reason.trim() || edited instanceof Error || mutation.isPending}
              >
                {action === 'replay' ? 'Replay' : 'Dismiss'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function RunRow({ run, canDecide }: { run: Run; canDecide: boolean }) {
  const [open, setOpen] = useState(false);
  const [deciding, setDeciding] = useState<'replay' | 'dismiss' | null>(null);
  return (
    <>
      <tr>
        <td>
          <button
            type="button"
            className="disclosure"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            aria-label={`details of ${run.id}`}
          >
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="mono small">{run.kind}</td>
        <td className="mono small ellipsis" title={run.businessKey}>
          {run.businessKey}
        </td>
        <td>
          <Badge value={run.status} />
        </td>
        <td className="small">{run.lastError ? `${run.lastError.code}: ${run.lastError.message}` : <span className="muted">—</span>}</td>
        <td className="num small">{run.attempts}</td>
        <td className="num small" title={run.startedAt}>
          {ageOf(run.startedAt)}
        </td>
        <td className="actions">
          {canDecide && run.status === 'EXCEPTION' ? (
            <>
              <button type="button" className="button button-small" onClick={() => setDeciding('replay')}>
                Replay
              </button>
              <button type="button" className="button button-small button-quiet" onClick={() => setDeciding('dismiss')}>
                Dismiss
              </button>
            </>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr className="detail-row">
          <td />
          <td colSpan={7}>
            <p className="small">
              Steps {run.stepsDone}/{run.steps.length}: {run.steps.join(' → ')} · correlation <code>{run.correlationId}</code>
            </p>
            {run.lastError?.reasons.length ? (
              <ul className="reasons">
                {run.lastError.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            ) : null}
            <ol className="timeline">
              {run.events.map((event, index) => (
                <li key={index}>
                  <span className="mono small">{event.at.replace('T', ' ').slice(0, 19)}</span>{' '}
                  <Badge value={event.kind.toUpperCase()} tone="grey" />{' '}
                  {event.step ? <span className="mono small">{event.step}</span> : null} {event.message}
                  {event.actor ? <span className="muted small"> · {event.actor}</span> : null}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
      {deciding ? <DecideDialog run={run} action={deciding} onClose={() => setDeciding(null)} /> : null}
    </>
  );
}

/** Workflow runs by tab (Open = the exception queue, Retries, Resolved) and kind, both in the URL. */
export function WorkflowRuns({ search }: { search: WorkflowRunsSearch }) {
  const navigate = useNavigate();
  const { session } = useSession();
  const tab: WorkflowTab = search.tab ?? 'open';
  const runs = useConnection<{ workflowRuns: { edges: { node: Run }[]; pageInfo: PageInfo } }, Run>(
    RUNS,
    { first: 50, statusIn: WORKFLOW_TABS[tab].statuses, kind: search.kind ?? null },
    (data) => data.workflowRuns,
  );
  const canDecide = hasRole(session, 'data_steward');
  const go = (next: WorkflowRunsSearch) => void navigate({ to: '/workflows', search: { ...search, ...next } });
  // the bulk-replay dialog's step and filters replace each other wholesale in the URL
  const goBulk = (next: BulkReplaySearch) =>
    void navigate({
      to: '/workflows',
      search: { tab: search.tab, kind: search.kind, ...next },
    });
  return (
    <section>
      <header className="page-header">
        <h1>Workflow runs</h1>
        <p className="muted">Cross-system flows (opportunity to project, change orders, invoicing, renewals) and their exception queue.</p>
      </header>
      <TabBar views={WORKFLOW_TABS} value={tab} onChange={(next) => go({ tab: next })} label="Run status" />
      <div className="filters">
        <EnumSelect label="Kind" values={WORKFLOW_KINDS} value={search.kind} onChange={(kind) => go({ kind })} />
        <p className="muted small">{WORKFLOW_TABS[tab].hint}</p>
        {canDecide && tab === 'open' ? (
          <button type="button" className="button filters-end" onClick={() => goBulk({ bulk: 'filter', bulkKind: search.kind })}>
            Bulk replay…
          </button>
        ) : null}
      </div>
      {canDecide && search.bulk ? (
        // remounted when the URL's filters change (back, forward, a shared link), so the form shows them
        <BulkReplayDialog key={JSON.stringify(bulkReplayFilterOf(search))} search={search} onSearch={goBulk} onClose={() => goBulk({})} />
      ) : null}
      {runs.error ? (
        <ErrorState error={runs.error} retry={() => void runs.refetch()} />
      ) : runs.isPending ? (
        <Loading label="Loading workflow runs" />
      ) : runs.nodes.length === 0 ? (
        <Empty title={tab === 'open' ? 'The exception queue is empty' : 'No runs here'}>Nothing matches this tab and kind.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="workflow runs">
            <thead>
              <tr>
                <th scope="col" aria-label="details" />
                <th scope="col">Kind</th>
                <th scope="col">Business key</th>
                <th scope="col">Status</th>
                <th scope="col">Failure</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col" className="num">
                  Age
                </th>
                <th scope="col" aria-label="actions" />
              </tr>
            </thead>
            <tbody>
              {runs.nodes.map((run) => (
                <RunRow key={run.id} run={run} canDecide={canDecide} />
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <span className="muted">
              {runs.nodes.length} runs{runs.hasNextPage ? ', more to load' : ''}
            </span>
            {runs.hasNextPage ? (
              <button type="button" className="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
                {runs.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
