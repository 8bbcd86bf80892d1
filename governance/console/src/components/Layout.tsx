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
}

export const NAV: NavItem[] = [
  { to: '/clients', label: 'Clients', roles: ['executive', 'finance', 'delivery_manager', 'sales', 'consultant'] },
  { to: '/workflows', label: 'Workflow runs', roles: ['data_steward', 'auditor', 'executive', 'operator', 'finance'] },
  // operators' area: the roles that read SLOs and incidents (serviceLevelObjectives, incidents)
  { to: '/ops/slos', label: 'Service levels', roles: ['operator', 'executive', 'data_steward', 'auditor'] },
  { to: '/ops/incidents', label: 'Incidents', roles: ['operator', 'executive', 'data_steward', 'auditor'] },
  { to: '/ops/health', label: 'Latency and errors', roles: ['operator', 'executive', 'data_steward', 'auditor'] },
  // API owners' area: the roles that read the schema registry (read on SubgraphSchemaVersion)
  { to: '/api/schemas', label: 'Schema history', roles: ['data_steward', 'operator', 'executive', 'auditor'] },
  { to: '/api/checks', label: 'Schema checks', roles: ['data_steward', 'operator', 'executive', 'auditor'] },
  { to: '/api/approvals', label: 'Schema approvals', roles: ['data_steward', 'operator', 'executive', 'auditor'] },
  { to: '/api/usage', label: 'Field usage', roles: ['data_steward', 'operator', 'executive', 'auditor'] },
  { to: '/api/deprecated', label: 'Deprecated fields', roles: ['data_steward', 'operator', 'executive', 'auditor'] },
];

/** The frame of every signed-in screen: navigation for the user's roles, who they are, search (Ctrl/Cmd+K). */
export function Layout() {
  const { session, signOut } = useSession();
  const [searching, setSearching] = useState(false);
  const items = NAV.filter((item) => hasRole(session, ...item.roles));
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          Concord <span className="brand-sub">console</span>
        </div>
        <nav aria-label="Screens">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} className="nav-link" activeProps={{ className: 'nav-link active' }}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
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
