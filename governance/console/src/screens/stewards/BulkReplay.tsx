import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent } from 'react';
import { useGraphQL, useGraphQLMutation } from '../../api/client';
import { WORKFLOW_KINDS } from '../WorkflowRuns';

const REVIEW = `query ConsoleBulkReplayReview($filter: BulkReplayFilter!) {
  bulkReplayReview(filter: $filter) { cap matching capped runs { id kind businessKey updatedAt lastError { code message } } } }`;

interface Review {
  cap: number;
  matching: number;
  capped: boolean;
  runs: { id: string; kind: string; businessKey: string; updatedAt: string; lastError: { code: string; message: string } | null }[];
}

export const BULK_STEPS = ['filter', 'review'] as const;

/** The bulk-replay dialog's state in the Workflow runs URL: open at a step, with its filters (a review can be shared). */
export interface BulkReplaySearch {
  bulk?: (typeof BULK_STEPS)[number];
  bulkKind?: string;
  bulkErrorCode?: string;
  bulkMinAgeHours?: number;
}

/** The review's filter as the API takes it, from the URL. */
export function bulkReplayFilterOf(search: BulkReplaySearch) {
  return { kind: search.bulkKind ?? null, errorCode: search.bulkErrorCode ?? null, minAgeHours: search.bulkMinAgeHours ?? null };
}

/** The filters typed in the form, for the URL; an Error when the age is not a number of hours. */
export function bulkSearchOf(draft: { kind: string; errorCode: string; minAgeHours: string }): BulkReplaySearch | Error {
  const hours = draft.minAgeHours.trim();
  if (hours && !/^\d+(\.\d+)?$/.test(hours)) {
    return new Error('Parked ≥ hours must be a number of hours, like 24 or 1.5');
  }
  return {
    bulkKind: draft.kind || undefined,
    bulkErrorCode: draft.errorCode.trim() || undefined,
    bulkMinAgeHours: hours ? Number(hours) : undefined,
  };
}

/**
 * Bulk replay in three steps: filters (kind, error code, age) → the review list the server answers (capped, the cap
 * stated) → one reason and a confirmation that replays exactly the reviewed runs. The step and the filters live in
 * the URL (`onSearch`), so a reviewed selection can be shared and reloaded.
 */
export function BulkReplayDialog({
  search,
  onSearch,
  onClose,
}: {
  search: BulkReplaySearch;
  onSearch: (next: BulkReplaySearch) => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState(search.bulkKind ?? '');
  const [errorCode, setErrorCode] = useState(search.bulkErrorCode ?? '');
  const [minAgeHours, setMinAgeHours] = useState(search.bulkMinAgeHours === undefined ? '' : String(search.bulkMinAgeHours));
  const [draftError, setDraftError] = useState<Error | null>(null);
  const [reason, setReason] = useState('');
  const reviewQuery = useGraphQL<{ bulkReplayReview: Review }>(
    REVIEW,
    { filter: bulkReplayFilterOf(search) },
    // what is listed is what gets replayed: no refresh behind the steward's back
    { enabled: search.bulk === 'review', staleTime: Infinity, refetchOnWindowFocus: false },
  );
  const review = search.bulk === 'review' ? (reviewQuery.data?.data.bulkReplayReview ?? null) : null;
  const reviewError = search.bulk === 'review' ? reviewQuery.error : null;
  const reviewing = search.bulk === 'review' && reviewQuery.isFetching;
  const replay = useGraphQLMutation<
    { bulkReplayWorkflowRuns: { batchId: string; runs: { id: string }[] } },
    { ids: string[]; reason: string }
  >(
    `mutation ConsoleBulkReplay($ids: [ID!]!, $reason: String!) { bulkReplayWorkflowRuns(ids: $ids, reason: $reason) { batchId runs { id status } } }`,
  );
  const runReview = (event: FormEvent) => {
    event.preventDefault();
    const next = bulkSearchOf({ kind, errorCode, minAgeHours });
    setDraftError(next instanceof Error ? next : null);
    if (next instanceof Error) {
      return;
    }
    const unchanged = search.bulk === 'review' && JSON.stringify(bulkReplayFilterOf(next)) === JSON.stringify(bulkReplayFilterOf(search));
    if (unchanged) {
      void reviewQuery.refetch();
    } else {
      onSearch({ bulk: 'review', ...next });
    }
  };
  const done = replay.data?.data.bulkReplayWorkflowRuns;
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="dialog dialog-wide">
          <Dialog.Title>Bulk replay</Dialog.Title>
          <Dialog.Description className="muted">
            Choose runs of the exception queue by filter, review them, then replay exactly those with one reason.
          </Dialog.Description>
          <form onSubmit={runReview} className="filters bulk-filters" aria-label="bulk replay filters">
            <label className="field field-inline">
              <span>Kind</span>
              <select value={kind} onChange={(event) => setKind(event.target.value)} aria-label="Bulk kind">
                <option value="">Any</option>
                {WORKFLOW_KINDS.map((value) => (
                  <option key={value} value={value}>
                    {value.replace(/_/g, ' ').toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field-inline">
              <span>Error code</span>
              <input
                value={errorCode}
                onChange={(event) => setErrorCode(event.target.value)}
                placeholder="GATE_FAILED"
                aria-label="Error code"
              />
            </label>
            <label className="field field-inline">
              <span>Parked ≥ hours</span>
              <input
                value={minAgeHours}
                onChange={(event) => setMinAgeHours(event.target.value)}
                inputMode="decimal"
                size={4}
                aria-label="Minimum age in hours"
              />
            </label>
            <button type="submit" className="button" disabled={reviewing}>
              {reviewing ? 'Reviewing…' : 'Review'}
            </button>
          </form>
          {(draftError ?? reviewError) ? (
            <p className="notice notice-error" role="alert">
              {(draftError ?? reviewError)!.message}
            </p>
          ) : null}
          {done ? (
            <p className="notice" role="status">
              {done.runs.length} runs sent back to work (batch <code>{done.batchId}</code>).
            </p>
          ) : review ? (
            <>
              <p className="small" role="status">
                {review.matching} runs match
                {review.capped ? `; the oldest ${review.cap} are listed` : ''} (at most {review.cap} runs per replay).
              </p>
              {review.runs.length ? (
                <div className="review-list">
                  <table className="table compact" aria-label="runs to replay">
                    <thead>
                      <tr>
                        <th scope="col">Kind</th>
                        <th scope="col">Business key</th>
                        <th scope="col">Failure</th>
                      </tr>
                    </thead>
                    <tbody>
                      {review.runs.map((run) => (
                        <tr key={run.id}>
                          <td className="mono small">{run.kind}</td>
                          <td className="mono small ellipsis" title={run.businessKey}>
                            {run.businessKey}
                          </td>
                          <td className="small">{run.lastError ? `${run.lastError.code}: ${run.lastError.message}` : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              {review.runs.length ? (
                <form
                  id="bulk-replay-confirm"
                  className="form"
                  onSubmit={(event) => {
                    event.preventDefault();
                    replay.mutate({ ids: review.runs.map((run) => run.id), reason: reason.trim() });
                  }}
                >
                  <label className="field">
                    <span>Reason (one for every run, kept in the ledger)</span>
                    <textarea
                      value={reason}
                      onChange={(event) => setReason(event.target.value)}
                      rows={2}
                      required
                      aria-label="Bulk reason"
                    />
                  </label>
                  {replay.error ? (
                    <p className="notice notice-error" role="alert">
                      {replay.error.message}
                    </p>
                  ) : null}
                </form>
              ) : null}
            </>
          ) : (
            <p className="muted small">Nothing reviewed yet.</p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button button-quiet" onClick={onClose}>
              Close
            </button>
            {review && review.runs.length > 0 && !done ? (
              <button
                type="submit"
                form="bulk-replay-confirm"
                className="button button-primary"
                disabled={!reason.trim() || replay.isPending}
              >
                Replay {review.runs.length} runs
              </button>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
