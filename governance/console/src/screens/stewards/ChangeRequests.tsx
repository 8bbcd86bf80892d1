import * as Tabs from '@radix-ui/react-tabs';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useGraphQL, useGraphQLMutation } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { instant } from '../../components/instant';
import { ReasonDialog } from '../../components/ReasonDialog';

export const CHANGE_STATUSES = ['PENDING', 'APPLIED', 'REJECTED'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export const IMPACT_WINDOWS = [7, 30, 90] as const;

export interface ChangeRequestsSearch {
  status?: ChangeStatus;
  days?: number;
}

const CHANGES = `query ConsoleOwnershipChanges($status: OwnershipChangeStatus) {
  ownershipChanges(status: $status) { id entity field ownerBefore ownerAfter reason requestedBy requestedByTeams onBehalfOfTeam
    requestedAt status approvedBy rejectedBy rejectionReason decidedAt bundleVersion selfApprovalReason }
}`;

const IMPACT = `query ConsoleOwnershipImpact($changeId: ID!, $days: Int!) {
  ownershipImpact(changeId: $changeId, days: $days, sampleLimit: 10) {
    days from refusedCount writesExamined sampleLimit samples { position occurredAt service action entityId actorSub refusedFields }
  }
}`;

interface Change {
  id: string;
  entity: string;
  field: string | null;
  ownerBefore: string;
  ownerAfter: string;
  reason: string;
  requestedBy: string;
  requestedByTeams: string[];
  onBehalfOfTeam: string | null;
  requestedAt: string;
  status: ChangeStatus;
  approvedBy: string | null;
  rejectedBy: string | null;
  rejectionReason: string | null;
  decidedAt: string | null;
  bundleVersion: number | null;
  selfApprovalReason: string | null;
}

interface Impact {
  days: number;
  from: string;
  refusedCount: number;
  writesExamined: number;
  sampleLimit: number;
  samples: {
    position: string;
    occurredAt: string;
    service: string;
    action: string;
    entityId: string;
    actorSub: string | null;
    refusedFields: string[];
  }[];
}

function ImpactPreview({ change, days }: { change: Change; days: number }) {
  const impact = useGraphQL<{ ownershipImpact: Impact }>(IMPACT, { changeId: change.id, days });
  if (impact.error) {
    return <ErrorState error={impact.error} retry={() => void impact.refetch()} />;
  }
  if (impact.isPending) {
    return <Loading rows={2} label="Loading the impact preview" />;
  }
  const result = impact.data.data.ownershipImpact;
  return (
    <div className="impact" aria-label={`impact of ${change.id}`}>
      <p className="impact-summary">
        <strong className={result.refusedCount > 0 ? 'impact-count impact-count-hit' : 'impact-count'}>{result.refusedCount}</strong> of{' '}
        {result.writesExamined} {change.entity} writes in the last {result.days} days would have been refused
        {result.refusedCount > result.samples.length ? <span className="muted"> (latest {result.samples.length} shown)</span> : null}
      </p>
      {result.samples.length ? (
        <table className="table compact" aria-label="refused writes">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">System</th>
              <th scope="col">Action</th>
              <th scope="col">Record</th>
              <th scope="col">Refused fields</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {result.samples.map((sample) => (
              <tr key={sample.position}>
                <td className="small nowrap">{instant(sample.occurredAt)}</td>
                <td className="small">{sample.service.toUpperCase()}</td>
                <td className="small">{sample.action}</td>
                <td className="mono small ellipsis" title={sample.entityId}>
                  {sample.entityId}
                </td>
                <td className="mono small">{sample.refusedFields.join(', ')}</td>
                <td className="small">{sample.actorSub ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function ChangeCard({ change, days }: { change: Change; days: number }) {
  const [rejecting, setRejecting] = useState(false);
  const approve = useGraphQLMutation<unknown, { id: string }>(
    `mutation ConsoleApproveOwnershipChange($id: ID!) { approveOwnershipChange(id: $id) { id status } }`,
  );
  const reject = useGraphQLMutation<unknown, { id: string; reason: string }>(
    `mutation ConsoleRejectOwnershipChange($id: ID!, $reason: String!) { rejectOwnershipChange(id: $id, reason: $reason) { id status } }`,
  );
  const rule = change.field ? `${change.entity}.${change.field}` : `${change.entity} (every field)`;
  return (
    <li className="row-card change-card" aria-label={`change ${rule}`}>
      <div className="row-card-head">
        <span className="strong mono">{rule}</span>
        <Badge value={change.status} />
        <span className="muted small">
          asked by {change.requestedBy}
          {change.onBehalfOfTeam ? ` for team ${change.onBehalfOfTeam}` : ''} · {instant(change.requestedAt)}
        </span>
      </div>
      <div className="compare">
        <div className="compare-side">
          <span className="card-label">Previous</span>
          <span className={`system system-${change.ownerBefore}`}>{change.ownerBefore.toUpperCase()}</span>
        </div>
        <span className="compare-arrow" aria-hidden>
          →
        </span>
        <div className="compare-side">
          <span className="card-label">New</span>
          <span className={`system system-${change.ownerAfter}`}>{change.ownerAfter.toUpperCase()}</span>
        </div>
        <p className="compare-reason">“{change.reason}”</p>
      </div>
      {change.status === 'PENDING' ? (
        <>
          <ImpactPreview change={change} days={days} />
          <div className="change-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={change.selfApprovalReason !== null || approve.isPending}
              title={change.selfApprovalReason ?? undefined}
              onClick={() => approve.mutate({ id: change.id })}
            >
              Approve
            </button>
            <button type="button" className="button" onClick={() => setRejecting(true)}>
              Reject…
            </button>
            {change.selfApprovalReason ? (
              <span className="muted small" role="note">
                You cannot approve this: {change.selfApprovalReason}.
              </span>
            ) : null}
          </div>
          {approve.error ? (
            <p className="notice notice-error" role="alert">
              {approve.error.message}
            </p>
          ) : null}
        </>
      ) : (
        <p className="small muted">
          {change.status === 'APPLIED'
            ? `Applied as policy version ${change.bundleVersion ?? '—'}${change.approvedBy ? `, approved by ${change.approvedBy}` : ''} · ${instant(change.decidedAt)}`
            : `Rejected by ${change.rejectedBy ?? '—'}: ${change.rejectionReason ?? ''} · ${instant(change.decidedAt)}`}
        </p>
      )}
      {rejecting ? (
        <ReasonDialog
          title="Reject this change"
          description={`${rule}: ${change.ownerBefore.toUpperCase()} stays the system of record.`}
          action="Reject"
          pending={reject.isPending}
          error={reject.error}
          onSubmit={(reason) => reject.mutate({ id: change.id, reason }, { onSuccess: () => setRejecting(false) })}
          onClose={() => setRejecting(false)}
        />
      ) : null}
    </li>
  );
}

/** Ownership change requests by status: previous vs new, the impact preview, four-eyes approval or rejection. */
export function ChangeRequests({ search }: { search: ChangeRequestsSearch }) {
  const navigate = useNavigate();
  const status: ChangeStatus = search.status ?? 'PENDING';
  const days = search.days ?? 30;
  const changes = useGraphQL<{ ownershipChanges: Change[] }>(CHANGES, { status });
  const go = (next: ChangeRequestsSearch) => void navigate({ to: '/stewards/changes', search: { ...search, ...next } });
  const list = changes.data?.data.ownershipChanges ?? [];
  return (
    <section>
      <header className="page-header">
        <h1>Ownership change requests</h1>
        <p className="muted">
          A change to a rule that needs approval waits for a second steward: never the requester, nor anyone approving through the
          requester’s team.
        </p>
      </header>
      <Tabs.Root value={status} onValueChange={(value) => go({ status: value as ChangeStatus })}>
        <Tabs.List className="tabs" aria-label="Request status">
          {CHANGE_STATUSES.map((value) => (
            <Tabs.Trigger key={value} value={value} className="tab">
              {value.charAt(0) + value.slice(1).toLowerCase()}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
      </Tabs.Root>
      {status === 'PENDING' ? (
        <div className="filters">
          <label className="field field-inline">
            <span>Impact window</span>
            <select value={days} onChange={(event) => go({ days: Number(event.target.value) })} aria-label="Impact window">
              {IMPACT_WINDOWS.map((value) => (
                <option key={value} value={value}>
                  last {value} days
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">The preview replays the ledger’s writes of the window against the new rule.</p>
        </div>
      ) : null}
      {changes.error ? (
        <ErrorState error={changes.error} retry={() => void changes.refetch()} />
      ) : changes.isPending ? (
        <Loading label="Loading change requests" />
      ) : list.length === 0 ? (
        <Empty title={status === 'PENDING' ? 'Nothing waits for approval' : `No ${status.toLowerCase()} requests`}>
          Requests are made from the ownership matrix.
        </Empty>
      ) : (
        <ul className="stack">
          {list.map((change) => (
            <ChangeCard key={change.id} change={change} days={days} />
          ))}
        </ul>
      )}
    </section>
  );
}
