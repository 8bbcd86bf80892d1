import { Link, useNavigate } from '@tanstack/react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { useConnection, type PageInfo } from '../api/client';
import { Badge } from '../components/Badge';
import { DataTable } from '../components/DataTable';
import { Money, type MoneyValue } from '../components/Money';

export const CLIENT_TIERS = ['STRATEGIC', 'ENTERPRISE', 'MID_MARKET', 'SMALL'] as const;

export interface ClientListSearch {
  q?: string;
  tier?: string;
}

const CLIENTS = `query ConsoleClients($first: Int, $after: String, $filter: ClientFilter) {
  clients(first: $first, after: $after, filter: $filter) {
    edges { node { id name industry tier currency ownerId arr { amount currency } health { status } } }
    pageInfo { hasNextPage endCursor } } }`;

interface ClientRow {
  id: string;
  name: string;
  industry: string | null;
  tier: string;
  currency: string;
  ownerId: string;
  arr: MoneyValue | null;
  health: { status: string } | null;
}

const column = createColumnHelper<ClientRow>();
const columns = [
  column.accessor('name', {
    header: 'Client',
    cell: (info) => (
      <Link to="/clients/$clientId" params={{ clientId: info.row.original.id }} className="link">
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor((row) => row.health?.status ?? null, {
    id: 'health',
    header: 'Health',
    cell: (info) => <Badge value={info.getValue()} />,
  }),
  column.accessor('tier', { header: 'Tier', cell: (info) => <Badge value={info.getValue()} tone="grey" /> }),
  column.accessor('industry', { header: 'Industry', cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
  column.accessor('arr', { header: 'ARR', cell: (info) => <Money value={info.getValue()} />, meta: { className: 'num' } }),
  column.accessor('ownerId', { header: 'Owner' }),
];

/** Clients by name; the filters live in the URL (?q=…&tier=…), so a filtered list can be shared or reloaded. */
export function ClientList({ search }: { search: ClientListSearch }) {
  const navigate = useNavigate();
  const [text, setText] = useState(search.q ?? '');
  useEffect(() => setText(search.q ?? ''), [search.q]);
  // the URL follows the typing after a short pause
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== text.trim()) {
        void navigate({ to: '/clients', search: { ...search, q: text.trim() || undefined }, replace: true });
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [text, search, navigate]);
  const filter = { ...(search.q ? { nameContains: search.q } : {}), ...(search.tier ? { tierIn: [search.tier] } : {}) };
  const clients = useConnection<{ clients: { edges: { node: ClientRow }[]; pageInfo: PageInfo } }, ClientRow>(
    CLIENTS,
    { first: 50, filter },
    (data) => data.clients,
  );
  return (
    <section>
      <header className="page-header">
        <h1>Clients</h1>
        <p className="muted">One client across CRM, ERP and PSA. Open one for its Client 360.</p>
      </header>
      <div className="filters" role="search">
        <label className="field field-inline">
          <span>Name</span>
          <input value={text} onChange={(event) => setText(event.target.value)} placeholder="Contains…" aria-label="Client name contains" />
        </label>
        <label className="field field-inline">
          <span>Tier</span>
          <select
            value={search.tier ?? ''}
            onChange={(event) => void navigate({ to: '/clients', search: { ...search, tier: event.target.value || undefined } })}
            aria-label="Tier"
          >
            <option value="">Any</option>
            {CLIENT_TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {tier.replace('_', ' ').toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <DataTable
        label="clients"
        columns={columns}
        rows={clients.nodes}
        rowKey={(row) => row.id}
        loading={clients.isPending}
        error={clients.error}
        retry={() => void clients.refetch()}
        empty={{ title: 'No client matches these filters', hint: 'Clear the name or the tier to see more.' }}
        hasMore={clients.hasNextPage}
        loadingMore={clients.isFetchingNextPage}
        loadMore={() => void clients.fetchNextPage()}
      />
    </section>
  );
}
