import { Link, Outlet } from '@tanstack/react-router';
import { useState } from 'react';
import { useSession } from '../auth/session-context';
import { hasRole } from '../auth/session';
import { CommandPalette } from './CommandPalette';

interface NavItem {
  to: string;
  label: string;
  /** shown to these roles (the gateway still decides what each gets) */
  roles: string[];
  /** active only on this very path (a parent of another item's path) */
  exact?: boolean;
}

interface NavGroup {
  title: string;
  items: NavItem[];
}

/** The roles that read SLOs and incidents, and the schema registry (read on SubgraphSchemaVersion). */
const PLATFORM_READERS = ['operator', 'executive', 'data_steward', 'auditor'];

export const NAV: NavGroup[] = [
  {
    title: 'Clients',
    items: [
      { to: '/portfolio', label: 'Portfolio', roles: ['executive', 'finance', 'delivery_manager'] },
      { to: '/clients', label: 'Clients', roles: ['executive', 'finance', 'delivery_manager', 'sales', 'consultant'] },
    ],
  },
  {
    title: 'Stewardship',
    items: [
      { to: '/stewards/ownership', label: 'Ownership matrix', roles: ['data_steward'] },
      { to: '/stewards/changes', label: 'Change requests', roles: ['data_steward'] },
      { to: '/stewards/exceptions', label: 'Exception queue', roles: ['data_steward', 'auditor', 'executive', 'operator', 'finance'] },
      { to: '/workflows', label: 'Workflow runs', roles: ['data_steward', 'auditor', 'executive', 'operator', 'finance'] },
    ],
  },
  {
    title: 'Audit',
    items: [
      { to: '/audit', label: 'Audit ledger', roles: ['auditor'], exact: true },
      { to: '/audit/margin-access', label: 'Margin access', roles: ['auditor'] },
    ],
  },
  {
    title: 'Operations',
    items: [
      { to: '/ops/slos', label: 'Service levels', roles: PLATFORM_READERS },
      { to: '/ops/incidents', label: 'Incidents', roles: PLATFORM_READERS },
      { to: '/ops/health', label: 'Latency and errors', roles: PLATFORM_READERS },
    ],
  },
  {
    title: 'API',
    items: [
      { to: '/api/schemas', label: 'Schema history', roles: PLATFORM_READERS },
      { to: '/api/checks', label: 'Schema checks', roles: PLATFORM_READERS },
      { to: '/api/approvals', label: 'Schema approvals', roles: PLATFORM_READERS },
      { to: '/api/usage', label: 'Field usage', roles: PLATFORM_READERS },
      { to: '/api/deprecated', label: 'Deprecated fields', roles: PLATFORM_READERS },
    ],
  },
];

/** The frame of every signed-in screen: navigation for the user's roles, who they are, search (Ctrl/Cmd+K). */
export function Layout() {
  const { session, signOut } = useSession();
  const [searching, setSearching] = useState(false);
  const groups = NAV.map((group) => ({ ...group, items: group.items.filter((item) => hasRole(session, ...item.roles)) })).filter(
    (group) => group.items.length > 0,
  );
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          Concord <span className="brand-sub">console</span>
        </div>
        <nav aria-label="Screens">
          {groups.map((group) => (
            <div key={group.title} className="nav-group">
              {groups.length > 1 ? <p className="nav-group-title">{group.title}</p> : null}
              <ul>
                {group.items.map((item) => (
                  <li key={item.to}>
                    <Link
                      to={item.to}
                      className="nav-link"
                      activeProps={{ className: 'nav-link active' }}
                      activeOptions={{ exact: item.exact ?? false, includeSearch: false }}
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <button type="button" className="search-trigger" onClick={() => setSearching(true)} aria-keyshortcuts="Control+K Meta+K">
            Search clients and projects <kbd>Ctrl K</kbd>
          </button>
          <div className="whoami">
            <span className="whoami-sub">{session?.sub}</span>
            {session?.roles.map((role) => (
              <span key={role} className="role-chip">
                {role.replace(/_/g, ' ')}
              </span>
            ))}
            <button type="button" className="button button-quiet" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
      <CommandPalette open={searching} onOpenChange={setSearching} />
    </div>
  );
}
