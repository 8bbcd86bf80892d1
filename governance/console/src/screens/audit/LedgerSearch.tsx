import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useConnection, useGraphQLRequest, type PageInfo } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { Badge } from '../../components/Badge';
import { DateRangeFields } from '../../components/Filters';
import { Empty, ErrorState, Loading } from '../../components/States';
import { diffRecords } from './diff';
import { formatAuditQuery, parseAuditQuery, type FilterField } from './query';

export interface LedgerSearchParams {
  q?: string;
  /** YYYY-MM-DD, inclusive */
  from?: string;
  /** YYYY-MM-DD, inclusive (the API's bound is the next day, exclusive) */
  to?: string;
}

export const SEARCH = `query ConsoleAuditSearch($first: Int, $after: String, $filter: AuditEventFilter!) {
  auditSearch(first: $first, after: $after, filter: $filter) {
    edges { node { eventId position occurredAt service actor { sub roles } action entity entityId before after changedFields reason
      correlationId policyVersion hash prevHash } }
    pageInfo { hasNextPage endCursor } } }`;

const VERIFY = `query ConsoleAuditRange($occurredFrom: String, $occurredTo: String) {
  auditRangeVerification(occurredFrom: $occurredFrom, occurredTo: $occurredTo) {
    ok checked fromPosition toPosition firstBroken { position eventId reason expected actual } } }`;

export interface LedgerEntry {
  eventId: string;
  position: string;
  occurredAt: string;
  service: string;
  actor: { sub: string; roles: string[] } | null;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  reason: string | null;
  correlationId: string | null;
  policyVersion: string | null;
  hash: string;
  prevHash: string;
}

interface RangeCheck {
  ok: boolean;
  checked: number;
  fromPosition: string | null;
  toPosition: string | null;
  firstBroken: { position: string; eventId: string | null; reason: string; expected: string; actual: string } | null;
}

const DAY = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);
/** The exclusive end instant of an inclusive end date. */
export const endOf = (date: string) => isoDate(Date.parse(`${date}T00:00:00Z`) + DAY);

/** The API filter of the URL's search, or null while the time range is incomplete. */
export function filterOf(params: LedgerSearchParams): Partial<Record<FilterField | 'occurredFrom' | 'occurredTo', string>> | null {
  if (!params.from || !params.to) {
    return null;
  }
  return { ...parseAuditQuery(params.q ?? '').filter, occurredFrom: params.from, occurredTo: endOf(params.to) };
}

const tone = (action: string) => (action === 'denied' ? 'red' : action === 'read' ? 'blue' : action.includes('.') ? 'amber' : 'grey');

/** Before/after of one entry, key by key. */
export function EntryDiff({ entry }: { entry: LedgerEntry }) {
  const rows = diffRecords(entry.before, entry.after);
  return (
    <div className="audit-detail">
      <dl className="audit-facts small">
        <dt>Event</dt>
        <dd className="mono">{entry.eventId}</dd>
        <dt>Correlation</dt>
        <dd className="mono">{entry.correlationId ?? '—'}</dd>
        <dt>Reason</dt>
        <dd>{entry.reason ?? '—'}</dd>
        <dt>Hash</dt>
        <dd className="mono ellipsis" title={entry.hash}>
          {entry.hash}
        </dd>
      </dl>
      {rows.length === 0 ? (
        <p className="muted small">No before or after snapshot on this entry.</p>
      ) : (
        <table className="table diff-table" aria-label={`changes of ${entry.eventId}`}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={`diff-${row.kind}`}>
                <td className="mono small">{row.key}</td>
                <td className="mono small diff-before">{row.before ?? <span className="muted">—</span>}</td>
                <td className="mono small diff-after">{row.after ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Two entries side by side: their facts and snapshots, differences marked. */
export function CompareEntries({ left, right, onClose }: { left: LedgerEntry; right: LedgerEntry; onClose: () => void }) {
  const facts: [string, (entry: LedgerEntry) => string][] = [
    ['Position', (entry) => entry.position],
    ['Occurred', (entry) => entry.occurredAt],
    ['Actor', (entry) => (entry.actor ? `${entry.actor.sub} (${entry.actor.roles.join(', ')})` : 'system')],
    ['Action', (entry) => entry.action],
    ['Record', (entry) => `${entry.entity} ${entry.entityId}`],
    ['Service', (entry) => entry.service],
    ['Reason', (entry) => entry.reason ?? '—'],
  ];
  const after = diffRecords(left.after, right.after);
  return (
    <section className="card compare" aria-label="compare two entries">
      <div className="compare-head">
        <h2>
          Compare positions {left.position} and {right.position}
        </h2>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <table className="table diff-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">#{left.position}</th>
            <th scope="col">#{right.position}</th>
          </tr>
        </thead>
        <tbody>
          {facts.map(([label, of]) => (
            <tr key={label} className={of(left) === of(right) ? 'diff-same' : 'diff-changed'}>
              <th scope="row" className="small">
                {label}
              </th>
              <td className="small">{of(left)}</td>
              <td className="small">{of(right)}</td>
            </tr>
          ))}
          {after.map((row) => (
            <tr key={`after.${row.key}`} className={`diff-${row.kind}`}>
              <th scope="row" className="mono small">
                after.{row.key}
              </th>
              <td className="mono small">{row.before ?? <span className="muted">—</span>}</td>
              <td className="mono small">{row.after ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Downloads an export of exactly the filtered rows (same filter) with the user's token, from governance itself. */
function ExportButtons({ filter }: { filter: Record<string, string> }) {
  const { session } = useSession();
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: boolean }>({
    busy: false,
    message: null,
    error: false,
  });
  const download = async (format: 'ndjson' | 'csv') => {
    setState({ busy: true, message: null, error: false });
    try {
      const response = await fetch(`/audit/export?${new URLSearchParams({ format, ...filter }).toString()}`, {
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `the export answered HTTP ${response.status}`);
      }
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `audit-export.${format}`;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      const head = response.headers.get('x-audit-chain-head') ?? '';
      setState({
        busy: false,
        error: false,
        message: `${response.headers.get('x-audit-export-rows') ?? '?'} rows exported as ${name} · chain head #${head.split(':')[0]} ${head.split(':')[1]?.slice(0, 12) ?? ''}… · recorded in the ledger`,
      });
    } catch (error) {
      setState({ busy: false, error: true, message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <div className="audit-export">
      <button type="button" className="button" disabled={state.busy} onClick={() => void download('csv')}>
        Export CSV
      </button>
      <button type="button" className="button" disabled={state.busy} onClick={() => void download('ndjson')}>
        Export NDJSON
      </button>
      {state.message ? (
        <p className={state.error ? 'notice notice-error small' : 'muted small'} role={state.error ? 'alert' : 'status'}>
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

function IntegrityCheck({ occurredFrom, occurredTo }: { occurredFrom: string; occurredTo: string }) {
  const request = useGraphQLRequest();
  const [state, setState] = useState<{ busy: boolean; result: RangeCheck | null; error: string | null }>({
    busy: false,
    result: null,
    error: null,
  });
  useEffect(() => setState({ busy: false, result: null, error: null }), [occurredFrom, occurredTo]);
  const run = async () => {
    setState({ busy: true, result: null, error: null });
    try {
      const { data } = await request<{ auditRangeVerification: RangeCheck }>(VERIFY, { occurredFrom, occurredTo });
      setState({ busy: false, result: data.auditRangeVerification, error: null });
    } catch (error) {
      setState({ busy: false, result: null, error: error instanceof Error ? error.message : String(error) });
    }
  };
  const result = state.result;
  return (
    <div className="audit-integrity">
      <button type="button" className="button" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? 'Checking…' : 'Check integrity of this range'}
      </button>
      {state.error ? (
        <p className="notice notice-error small" role="alert">
          {state.error}
        </p>
      ) : null}
      {result ? (
        <p className="small" role="status">
          {result.ok ? <Badge value="INTACT" tone="green" /> : <Badge value="BROKEN" tone="red" />}{' '}
          {result.checked === 0 && result.ok
            ? 'No entries in this range.'
            : `${result.checked} entries recomputed, positions ${result.fromPosition ?? '?'}–${result.toPosition ?? '?'}.`}
          {result.firstBroken
            ? ` First broken link at position ${result.firstBroken.position}: ${result.firstBroken.reason.replace(/_/g, ' ')}.`
            : ''}
        </p>
      ) : null}
    </div>
  );
}

const LAST_DAYS = [1, 7, 30, 365];

/** The auditors' ledger search: qualifiers and free text within a required time range, diff, compare, export, integrity. */
export function LedgerSearch({ search }: { search: LedgerSearchParams }) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState(search.q ?? '');
  useEffect(() => setDraft(search.q ?? ''), [search.q]);
  const go = (next: LedgerSearchParams) => void navigate({ to: '/audit', search: { ...search, ...next } });
  const parsed = parseAuditQuery(search.q ?? '');
  const filter = filterOf(search);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ q: draft.trim() || undefined });
  };
  const today = isoDate(Date.now());
  return (
    <section>
      <header className="page-header">
        <h1>Audit ledger</h1>
        <p className="muted">Every change, read of classified data and denied attempt, hash-chained. Read-only.</p>
      </header>
      <form className="audit-query" onSubmit={submit} role="search">
        <label className="field audit-query-box">
          <span>Query</span>
          <input
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder='actor:ann action:update field:margin role:finance outcome:denied "free text"'
            aria-label="Ledger query"
            spellCheck={false}
          />
        </label>
        <DateRangeFields from={search.from} to={search.to} onChange={go} required />
        <button type="submit" className="button button-primary">
          Search
        </button>
      </form>
      <div className="filters audit-chips">
        <span className="muted small">Last</span>
        {LAST_DAYS.map((days) => (
          <button
            key={days}
            type="button"
            className="button button-small button-quiet"
            onClick={() => go({ from: isoDate(Date.now() - (days - 1) * DAY), to: today })}
          >
            {days === 1 ? 'today' : `${days} days`}
          </button>
        ))}
        {parsed.chips.map((chip) => (
          <span key={chip.key} className="chip">
            <span className="chip-key">{chip.key}</span> {chip.value}
            <button
              type="button"
              className="chip-remove"
              aria-label={`remove ${chip.key}`}
              onClick={() => go({ q: formatAuditQuery(parsed.chips.filter((other) => other !== chip)) || undefined })}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      {parsed.problems.length ? (
        <ul className="notice small" aria-label="query problems">
          {parsed.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {!filter ? (
        <Empty title="Choose a time range">
          The ledger is searched within a range of days: pick From and To, or one of the shortcuts above.
        </Empty>
      ) : (
        <>
          <div className="audit-tools">
            <ExportButtons filter={filter as Record<string, string>} />
            <IntegrityCheck occurredFrom={filter.occurredFrom!} occurredTo={filter.occurredTo!} />
          </div>
          <LedgerResults key={JSON.stringify(filter)} filter={filter} />
        </>
      )}
    </section>
  );
}

/** The entries of one search, page by page; a row opens its diff, two selected rows are compared. */
function LedgerResults({ filter }: { filter: Record<string, string | undefined> }) {
  const [open, setOpen] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const entries = useConnection<{ auditSearch: { edges: { node: LedgerEntry }[]; pageInfo: PageInfo } }, LedgerEntry>(
    SEARCH,
    { first: 50, filter },
    (data) => data.auditSearch,
  );
  const toggle = (eventId: string) =>
    setSelected((current) => (current.includes(eventId) ? current.filter((id) => id !== eventId) : [...current, eventId].slice(-2)));
  const compared = selected
    .map((id) => entries.nodes.find((entry) => entry.eventId === id))
    .filter((entry): entry is LedgerEntry => Boolean(entry));
  return (
    <>
      {compared.length === 2 ? <CompareEntries left={compared[0]} right={compared[1]} onClose={() => setSelected([])} /> : null}
      {entries.error ? (
        <ErrorState error={entries.error} retry={() => void entries.refetch()} />
      ) : entries.isPending ? (
        <Loading label="Loading ledger entries" />
      ) : entries.nodes.length === 0 ? (
        <Empty title="No entries match">Nothing in the ledger matches this query in this range.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table audit-table" aria-label="ledger entries">
            <thead>
              <tr>
                <th scope="col" aria-label="compare" />
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Occurred (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Fields</th>
                <th scope="col">System</th>
              </tr>
            </thead>
            <tbody>
              {entries.nodes.map((entry) => (
                <EntryRow
                  key={entry.eventId}
                  entry={entry}
                  open={open === entry.eventId}
                  onOpen={() => setOpen(open === entry.eventId ? null : entry.eventId)}
                  selected={selected.includes(entry.eventId)}
                  onSelect={() => toggle(entry.eventId)}
                />
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <span className="muted">
              {entries.nodes.length} entries{entries.hasNextPage ? ', more to load' : ''} · select two to compare
            </span>
            {entries.hasNextPage ? (
              <button type="button" className="button" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
                {entries.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

function EntryRow(props: { entry: LedgerEntry; open: boolean; onOpen: () => void; selected: boolean; onSelect: () => void }) {
  const { entry } = props;
  const fields = entry.changedFields.length
    ? entry.changedFields
    : Array.isArray(entry.after?.coordinates)
      ? (entry.after.coordinates as string[])
      : [];
  return (
    <>
      <tr className={props.open ? 'row-open' : undefined}>
        <td>
          <input type="checkbox" checked={props.selected} onChange={props.onSelect} aria-label={`compare position ${entry.position}`} />
        </td>
        <td className="num mono small">
          <button
            type="button"
            className="link"
            aria-expanded={props.open}
            onClick={props.onOpen}
            aria-label={`changes at position ${entry.position}`}
          >
            {entry.position}
          </button>
        </td>
        <td className="mono small nowrap">{entry.occurredAt.replace('T', ' ').slice(0, 19)}</td>
        <td className="small">
          {entry.actor ? (
            <>
              <span className="strong">{entry.actor.sub}</span> <span className="muted">{entry.actor.roles.join(', ')}</span>
            </>
          ) : (
            <span className="muted">system</span>
          )}
        </td>
        <td>
          <Badge value={entry.action} tone={tone(entry.action)} />
        </td>
        <td className="small ellipsis" title={`${entry.entity} ${entry.entityId}`}>
          {entry.entity} <span className="mono muted">{entry.entityId}</span>
        </td>
        <td className="small ellipsis" title={fields.join(', ')}>
          {fields.join(', ') || <span className="muted">—</span>}
        </td>
        <td className="small">{entry.service}</td>
      </tr>
      {props.open ? (
        <tr className="detail-row">
          <td />
          <td colSpan={7}>
            <EntryDiff entry={entry} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
