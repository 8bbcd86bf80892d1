import * as Dialog from '@radix-ui/react-dialog';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState, type FormEvent } from 'react';
import { useGraphQL, useGraphQLMutation } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { instant } from '../../components/instant';

export const SYSTEMS = ['crm', 'erp', 'psa'] as const;
export type System = (typeof SYSTEMS)[number];

export interface OwnershipMatrixSearch {
  entity?: string;
  field?: string;
  system?: System;
}

const MATRIX = `query ConsoleOwnershipMatrix {
  ownershipRules { entity owner approvalRequired fields { field owner } }
  ownershipChanges(status: APPLIED) { id entity field ownerBefore ownerAfter requestedBy approvedBy decidedAt bundleVersion reason }
}`;

interface Rule {
  entity: string;
  owner: string;
  approvalRequired: boolean;
  fields: { field: string; owner: string }[];
}

interface AppliedChange {
  id: string;
  entity: string;
  field: string | null;
  ownerBefore: string;
  ownerAfter: string;
  requestedBy: string;
  approvedBy: string | null;
  decidedAt: string | null;
  bundleVersion: number | null;
  reason: string;
}

export interface MatrixRow {
  entity: string;
  /** null: the entity's own owner (every field not listed) */
  field: string | null;
  owner: string;
  approvalRequired: boolean;
  /** the last applied change of this rule: version, who, when */
  last: AppliedChange | null;
}

/** One row per entity and per field exception, with the change that put it in force (latest first in `changes`). */
export function matrixRows(rules: Rule[], changes: AppliedChange[]): MatrixRow[] {
  const lastOf = (entity: string, field: string | null) =>
    changes.find((change) => change.entity === entity && change.field === field) ?? null;
  return rules.flatMap((rule) => [
    { entity: rule.entity, field: null, owner: rule.owner, approvalRequired: rule.approvalRequired, last: lastOf(rule.entity, null) },
    ...rule.fields.map((field) => ({
      entity: rule.entity,
      field: field.field,
      owner: field.owner,
      approvalRequired: rule.approvalRequired,
      last: lastOf(rule.entity, field.field),
    })),
  ]);
}

const PROPOSAL_IMPACT = `query ConsoleProposalImpact($entity: String!, $field: String, $owner: String!) {
  ownershipImpact(entity: $entity, field: $field, owner: $owner, days: 30, sampleLimit: 0) { refusedCount writesExamined days }
}`;

/** What the proposal would have refused of the last 30 days' writes, before it is asked. */
function ProposalImpact({ entity, field, owner }: { entity: string; field: string | null; owner: string }) {
  const impact = useGraphQL<{ ownershipImpact: { refusedCount: number; writesExamined: number; days: number } }>(
    PROPOSAL_IMPACT,
    { entity, field, owner },
    { retry: false },
  );
  if (impact.isPending) {
    return <p className="muted small proposal-impact">Previewing the impact…</p>;
  }
  if (impact.error) {
    return <p className="muted small proposal-impact">No preview: {impact.error.message}</p>;
  }
  const result = impact.data.data.ownershipImpact;
  return (
    <p className="small proposal-impact" role="status" aria-label="proposal impact">
      Impact: <strong>{result.refusedCount}</strong> of {result.writesExamined} {entity} writes in the last {result.days} days would have
      been refused.
    </p>
  );
}

function RequestChangeDialog({ rows, initial, onClose }: { rows: MatrixRow[]; initial: MatrixRow | null; onClose: () => void }) {
  const entities = [...new Set(rows.map((row) => row.entity))];
  const [entity, setEntity] = useState(initial?.entity ?? entities[0] ?? '');
  const [field, setField] = useState(initial?.field ?? '');
  const [owner, setOwner] = useState<string>('');
  const [reason, setReason] = useState('');
  const [team, setTeam] = useState('');
  const navigate = useNavigate();
  const mutation = useGraphQLMutation<{ requestOwnershipChange: { id: string; status: string } }, { input: Record<string, unknown> }>(
    `mutation ConsoleRequestOwnershipChange($input: RequestOwnershipChangeInput!) { requestOwnershipChange(input: $input) { id status } }`,
  );
  const current =
    rows.find((row) => row.entity === entity && row.field === (field.trim() || null))?.owner ??
    rows.find((row) => row.entity === entity && row.field === null)?.owner;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(
      { input: { entity, field: field.trim() || null, owner, reason: reason.trim(), onBehalfOfTeam: team.trim() || null } },
      // a pending request waits on the change requests screen; an applied one shows in the matrix
      {
        onSuccess: (result) => {
          onClose();
          if (result.data.requestOwnershipChange.status === 'PENDING') {
            void navigate({ to: '/stewards/changes', search: { status: 'PENDING' } });
          }
        },
      },
    );
  };
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Request an ownership change</Dialog.Title>
          <Dialog.Description className="muted">
            Rules that need approval wait for a second steward; the others apply at once as a new policy version. Either way the ledger
            keeps it.
          </Dialog.Description>
          <form onSubmit={submit} className="form steward-dialog-form">
            <label className="field">
              <span>Entity</span>
              <select value={entity} onChange={(event) => setEntity(event.target.value)} aria-label="Entity">
                {entities.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Field (empty: the whole entity)</span>
              <input
                value={field}
                onChange={(event) => setField(event.target.value)}
                placeholder="e.g. renewalThresholdPct"
                aria-label="Field"
              />
            </label>
            <label className="field">
              <span>New system of record {current ? <span className="muted">(now {current.toUpperCase()})</span> : null}</span>
              <select value={owner} onChange={(event) => setOwner(event.target.value)} aria-label="New owner" required>
                <option value="">Choose…</option>
                {SYSTEMS.map((system) => (
                  <option key={system} value={system} disabled={system === current}>
                    {system.toUpperCase()}
                  </option>
                ))}
              </select>
            </label>
            {owner && entity ? <ProposalImpact entity={entity} field={field.trim() || null} owner={owner} /> : null}
            <label className="field">
              <span>On behalf of team (optional)</span>
              <input value={team} onChange={(event) => setTeam(event.target.value)} aria-label="On behalf of team" />
            </label>
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
              <button type="submit" className="button button-primary" disabled={!owner || !reason.trim() || mutation.isPending}>
                Request change
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The systems of record: entity × field × system, with the version, who and when of the change behind each rule. */
export function OwnershipMatrix({ search }: { search: OwnershipMatrixSearch }) {
  const navigate = useNavigate();
  const query = useGraphQL<{ ownershipRules: Rule[]; ownershipChanges: AppliedChange[] }>(MATRIX);
  const [requesting, setRequesting] = useState<{ row: MatrixRow | null } | null>(null);
  const go = (next: OwnershipMatrixSearch) => void navigate({ to: '/stewards/ownership', search: { ...search, ...next } });
  const all = useMemo(
    () => (query.data?.data ? matrixRows(query.data.data.ownershipRules, query.data.data.ownershipChanges) : []),
    [query.data],
  );
  const rows = all.filter(
    (row) =>
      (!search.entity || row.entity.toLowerCase().includes(search.entity.toLowerCase())) &&
      (!search.field || (row.field ?? '').toLowerCase().includes(search.field.toLowerCase())) &&
      (!search.system || row.owner === search.system),
  );
  return (
    <section>
      <header className="page-header title-row">
        <div>
          <h1>Ownership matrix</h1>
          <p className="muted">
            Which system is the record for each entity and field. A write from any other system is refused (OWNERSHIP_VIOLATION).
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setRequesting({ row: null })} disabled={all.length === 0}>
          Request a change
        </button>
      </header>
      <div className="filters">
        <label className="field field-inline">
          <span>Entity</span>
          <input
            defaultValue={search.entity ?? ''}
            onChange={(event) => go({ entity: event.target.value.trim() || undefined })}
            aria-label="Entity filter"
          />
        </label>
        <label className="field field-inline">
          <span>Field</span>
          <input
            defaultValue={search.field ?? ''}
            onChange={(event) => go({ field: event.target.value.trim() || undefined })}
            aria-label="Field filter"
          />
        </label>
        <label className="field field-inline">
          <span>System</span>
          <select
            value={search.system ?? ''}
            onChange={(event) => go({ system: (event.target.value || undefined) as System | undefined })}
            aria-label="System filter"
          >
            <option value="">Any</option>
            {SYSTEMS.map((system) => (
              <option key={system} value={system}>
                {system.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      {query.error ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Loading label="Loading the ownership matrix" />
      ) : rows.length === 0 ? (
        <Empty title="No rule matches">Clear a filter to see more of the matrix.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="ownership matrix">
            <thead>
              <tr>
                <th scope="col">Entity</th>
                <th scope="col">Field</th>
                <th scope="col">System of record</th>
                <th scope="col">Approval</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">Changed by</th>
                <th scope="col">When</th>
                <th scope="col" aria-label="actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.entity}.${row.field ?? ''}`}>
                  <td className="strong">{row.entity}</td>
                  <td className="mono small">{row.field ?? <span className="muted">whole entity</span>}</td>
                  <td>
                    <span className={`system system-${row.owner}`}>{row.owner.toUpperCase()}</span>
                  </td>
                  <td>{row.approvalRequired ? <Badge value="FOUR_EYES" tone="amber" /> : <span className="muted small">direct</span>}</td>
                  <td className="num small">{row.last?.bundleVersion ?? <span className="muted">default</span>}</td>
                  <td className="small">
                    {row.last ? (
                      <>
                        {row.last.requestedBy}
                        {row.last.approvedBy ? <span className="muted"> · approved by {row.last.approvedBy}</span> : null}
                      </>
                    ) : (
                      <span className="muted">default bundle</span>
                    )}
                  </td>
                  <td className="small nowrap">{row.last ? instant(row.last.decidedAt) : <span className="muted">—</span>}</td>
                  <td className="actions">
                    <button type="button" className="button button-small button-quiet" onClick={() => setRequesting({ row })}>
                      Change…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <span className="muted">
              {rows.length} of {all.length} rules
            </span>
          </div>
        </div>
      )}
      {requesting ? <RequestChangeDialog rows={all} initial={requesting.row} onClose={() => setRequesting(null)} /> : null}
    </section>
  );
}
