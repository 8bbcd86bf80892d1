import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useConnection, useGraphQLMutation, type PageInfo } from '../../api/client';
import { hasRole } from '../../auth/session';
import { useSession } from '../../auth/session-context';
import { Badge } from '../../components/Badge';
import { Withheld } from '../../components/Money';
import { Empty, ErrorState, Loading } from '../../components/States';
import { burnLabel, when } from './format';

export const INCIDENT_STATUSES = ['OPEN', 'RESOLVED'] as const;
export type IncidentStatusFilter = (typeof INCIDENT_STATUSES)[number];

export interface IncidentsSearch {
  status?: IncidentStatusFilter;
}

const INCIDENTS = `query ConsoleIncidents($first: Int, $after: String, $status: IncidentStatus) {
  incidents(first: $first, after: $after, status: $status) {
    edges { node { id status severity burnFactor burnRate peakBurnRate summary openedAt resolvedAt
      slo { id name kind target }
      timeline { at kind severity burnRate message actor }
      changes { at action actor entity entityId reason } } }
    pageInfo { hasNextPage endCursor } } }`;

interface Incident {
  id: string;
  status: string;
  severity: string;
  burnFactor: number;
  burnRate: number;
  peakBurnRate: number;
  summary: string;
  openedAt: string;
  resolvedAt: string | null;
  slo: { id: string; name: string; kind: string; target: string };
  timeline: { at: string; kind: string; severity: string | null; burnRate: number | null; message: string; actor: string }[];
  /** actor: null when the policy withholds it (personal data) */
  changes: { at: string; action: string; actor: string | null; entity: string; entityId: string; reason: string | null }[];
}

export interface TimelineEntry {
  at: string;
  kind: string;
  tone: 'red' | 'amber' | 'green' | 'blue' | 'grey';
  text: string;
  /** null: withheld by the policy */
  actor: string | null;
}

const CHANGE_LABELS: Record<string, string> = {
  'schema.publish': 'Schema published',
  'schema.approve': 'Schema approved',
  'schema.rollback': 'Supergraph rolled back',
  'ownership.change': 'Ownership rule changed',
  'policy.publish': 'Policy published',
  'slo.create': 'SLO created',
  'slo.update': 'SLO changed',
};

/** Alerts, notes and the changes around the incident on one timeline, oldest first. */
export function timelineOf(incident: Pick<Incident, 'timeline' | 'changes'>): TimelineEntry[] {
  const alerts: TimelineEntry[] = incident.timeline.map((event) => ({
    at: event.at,
    kind: event.kind === 'NOTE' ? 'Note' : `Alert ${event.kind.toLowerCase()}`,
    tone: event.kind === 'NOTE' ? 'blue' : event.kind === 'RESOLVED' ? 'green' : event.severity === 'PAGE' ? 'red' : 'amber',
    text: event.message,
    actor: event.actor,
  }));
  const changes: TimelineEntry[] = incident.changes.map((change) => ({
    at: change.at,
    kind: CHANGE_LABELS[change.action] ?? change.action,
    tone: 'grey',
    text: `${change.entity} ${change.entityId}${change.reason ? `: ${change.reason}` : ''}`,
    actor: change.actor,
  }));
  return [...alerts, ...changes].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function NoteForm({ incidentId }: { incidentId: string }) {
  const [note, setNote] = useState('');
  const mutation = useGraphQLMutation<unknown, { id: string; note: string }>(
    `mutation ConsoleIncidentNote($id: ID!, $note: String!) { addIncidentNote(id: $id, note: $note) { id } }`,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ id: incidentId, note: note.trim() }, { onSuccess: () => setNote('') });
  };
  return (
    <form className="note-form" onSubmit={submit}>
      <label className="field">
        <span>Add a note</span>
        <input value={note} onChange={(event) => setNote(event.target.value)} placeholder="What you found or did" />
      </label>
      <button type="submit" className="button" disabled={!note.trim() || mutation.isPending}>
        Add note
      </button>
      {mutation.error ? (
        <p className="notice notice-error" role="alert">
          {mutation.error.message}
        </p>
      ) : null}
    </form>
  );
}

function IncidentCard({ incident, canNote }: { incident: Incident; canNote: boolean }) {
  const entries = timelineOf(incident);
  return (
    <article className="row-card incident" aria-label={`incident ${incident.slo.name}`}>
      <div className="row-card-head">
        <div className="title-row">
          <Badge value={incident.status} tone={incident.status === 'OPEN' ? 'red' : 'green'} />
          <Badge value={incident.severity} tone={incident.severity === 'PAGE' ? 'red' : 'amber'} />
          <Link to="/ops/slos/$sloId" params={{ sloId: incident.slo.id }} className="link strong">
            {incident.slo.name}
          </Link>
        </div>
        <span className="muted small nowrap">
          opened {when(incident.openedAt)} UTC{incident.resolvedAt ? ` · resolved ${when(incident.resolvedAt)} UTC` : ''}
        </span>
      </div>
      <p className="small">{incident.summary}</p>
      <p className="small muted">
        burn {burnLabel(incident.burnRate)} (threshold {burnLabel(incident.burnFactor)}, peak {burnLabel(incident.peakBurnRate)})
      </p>
      <ol className="timeline incident-timeline" aria-label="timeline">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <span className="mono small nowrap">{when(entry.at)}</span>
            <Badge value={entry.kind} tone={entry.tone} />
            <span className="small">{entry.text}</span>
            <span className="muted small nowrap">{entry.actor ?? <Withheld what="who made this change" />}</span>
          </li>
        ))}
      </ol>
      {canNote ? <NoteForm incidentId={incident.id} /> : null}
    </article>
  );
}

/** Incidents, latest first, each with its timeline: alerts, notes, schema publishes and rule changes around it. */
export function Incidents({ search }: { search: IncidentsSearch }) {
  const { session } = useSession();
  const incidents = useConnection<{ incidents: { edges: { node: Incident }[]; pageInfo: PageInfo } }, Incident>(
    INCIDENTS,
    { first: 20, status: search.status ?? null },
    (data) => data.incidents,
  );
  return (
    <section>
      <header className="page-header">
        <h1>Incidents</h1>
        <p className="muted">SLOs burning their error budget too fast, with what happened around them.</p>
      </header>
      <div className="filters">
        <Link to="/ops/incidents" search={{}} className={search.status ? 'tab' : 'tab tab-active'}>
          All
        </Link>
        {INCIDENT_STATUSES.map((status) => (
          <Link key={status} to="/ops/incidents" search={{ status }} className={search.status === status ? 'tab tab-active' : 'tab'}>
            {status.toLowerCase()}
          </Link>
        ))}
      </div>
      {incidents.error ? (
        <ErrorState error={incidents.error} retry={() => void incidents.refetch()} />
      ) : incidents.isPending ? (
        <Loading label="Loading incidents" />
      ) : incidents.nodes.length === 0 ? (
        <Empty title={search.status === 'OPEN' ? 'No open incident' : 'No incidents'}>Every SLO is within its burn thresholds.</Empty>
      ) : (
        <div className="stack">
          {incidents.nodes.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} canNote={hasRole(session, 'operator')} />
          ))}
          {incidents.hasNextPage ? (
            <button type="button" className="button" onClick={() => void incidents.fetchNextPage()} disabled={incidents.isFetchingNextPage}>
              {incidents.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}
