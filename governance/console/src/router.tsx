import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import type { Session } from './auth/session';
import { hasRole } from './auth/session';
import { Layout } from './components/Layout';
import type { ConsoleConfig } from './config';
import { Client360 } from './screens/Client360';
import { CLIENT_TIERS, ClientList, type ClientListSearch } from './screens/ClientList';
import { Portfolio, type PortfolioSearch } from './screens/Portfolio';
import { OidcCallback } from './screens/OidcCallback';
import { DeprecatedFields, type DeprecatedFieldsSearch } from './screens/api/DeprecatedFields';
import { FieldUsage, USAGE_DAYS, type FieldUsageSearch } from './screens/api/FieldUsage';
import { SchemaApprovals } from './screens/api/SchemaApprovals';
import { SchemaChecks, type SchemaChecksSearch } from './screens/api/SchemaChecks';
import { SchemaHistory, type SchemaHistorySearch } from './screens/api/SchemaHistory';
import { Incidents, INCIDENT_STATUSES, type IncidentsSearch } from './screens/ops/Incidents';
import { SloDetail } from './screens/ops/SloDetail';
import { SLO_KINDS, SloGrid, type SloGridSearch } from './screens/ops/SloGrid';
import { HEALTH_RANGES, TargetHealth, type HealthRange, type TargetHealthSearch } from './screens/ops/TargetHealth';
import { SignIn } from './screens/SignIn';
import { LedgerSearch, type LedgerSearchParams } from './screens/audit/LedgerSearch';
import { MARGIN_PERIODS, MarginAccess, type MarginAccessSearch } from './screens/audit/MarginAccess';
import { WORKFLOW_KINDS, WORKFLOW_TABS, WorkflowRuns, type WorkflowRunsSearch, type WorkflowTab } from './screens/WorkflowRuns';
import { BULK_STEPS } from './screens/stewards/BulkReplay';
import { CHANGE_STATUSES, ChangeRequests, IMPACT_WINDOWS, type ChangeRequestsSearch } from './screens/stewards/ChangeRequests';
import { CASE_VIEWS, ExceptionQueue, type CaseView, type ExceptionQueueSearch } from './screens/stewards/ExceptionQueue';
import { OwnershipMatrix, SYSTEMS, type OwnershipMatrixSearch } from './screens/stewards/OwnershipMatrix';

export interface RouterContext {
  config: ConsoleConfig;
  session: Session | null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const version = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(number) && number > 0 ? number : undefined;
};
const days = (value: unknown): number | undefined => (USAGE_DAYS as readonly number[]).find((allowed) => allowed === version(value));
const hours = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
};
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    // only a path of this app: never a URL elsewhere
    redirect:
      typeof search.redirect === 'string' && search.redirect.startsWith('/') && !search.redirect.startsWith('//')
        ? search.redirect
        : undefined,
  }),
  // signed in (now, or in another tab of this session): back to the page asked for, else the first screen
  beforeLoad: ({ context, search }) => {
    if (context.session) {
      throw redirect({ href: search.redirect ?? '/' });
    }
  },
  component: function SignInScreen() {
    return <SignIn config={signInRoute.useRouteContext().config} redirect={signInRoute.useSearch().redirect ?? null} />;
  },
});

/** The identity provider's way back (outside the guard: there is no session yet). */
const oidcCallbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/oidc-callback',
  component: function OidcCallbackScreen() {
    return <OidcCallback oidc={rootRoute.useRouteContext().config.oidc} />;
  },
});

/** Every screen but sign-in needs a session. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: ({ context, location }) => {
    if (!context.session) {
      throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    }
  },
  component: Layout,
});

/** The first screen of a role. */
const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    const first = hasRole(context.session, 'auditor')
      ? '/audit'
      : hasRole(context.session, 'data_steward', 'operator')
        ? '/workflows'
        : hasRole(context.session, 'executive', 'finance')
          ? '/portfolio'
          : '/clients';
    throw redirect({ to: first });
  },
});

const clientsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients',
  validateSearch: (search: Record<string, unknown>): ClientListSearch => ({
    q: text(search.q),
    tier: oneOf(search.tier, CLIENT_TIERS),
  }),
  component: function ClientsScreen() {
    return <ClientList search={clientsRoute.useSearch()} />;
  },
});

const clientRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients/$clientId',
  component: function ClientScreen() {
    const { clientId } = clientRoute.useParams();
    return <Client360 key={clientId} clientId={clientId} />;
  },
});

const portfolioRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/portfolio',
  validateSearch: (search: Record<string, unknown>): PortfolioSearch => ({
    currency: typeof search.currency === 'string' && /^[A-Z]{3}$/.test(search.currency) ? search.currency : undefined,
  }),
  component: function PortfolioScreen() {
    return <Portfolio search={portfolioRoute.useSearch()} />;
  },
});

const workflowsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/workflows',
  validateSearch: (search: Record<string, unknown>): WorkflowRunsSearch => ({
    tab: oneOf(search.tab, Object.keys(WORKFLOW_TABS) as WorkflowTab[]),
    kind: text(search.kind),
    bulk: oneOf(search.bulk, BULK_STEPS),
    bulkKind: oneOf(search.bulkKind, WORKFLOW_KINDS),
    // a code of digits arrives as a number: the router parses search values as JSON
    bulkErrorCode: typeof search.bulkErrorCode === 'number' ? String(search.bulkErrorCode) : text(search.bulkErrorCode),
    bulkMinAgeHours: hours(search.bulkMinAgeHours),
  }),
  component: function WorkflowsScreen() {
    return <WorkflowRuns search={workflowsRoute.useSearch()} />;
  },
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (value: unknown): string | undefined => (typeof value === 'string' && DATE.test(value) ? value : undefined);

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/audit',
  validateSearch: (search: Record<string, unknown>): LedgerSearchParams => ({
    q: text(search.q),
    from: date(search.from),
    to: date(search.to),
  }),
  component: function AuditScreen() {
    return <LedgerSearch search={auditRoute.useSearch()} />;
  },
});

const marginAccessRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/audit/margin-access',
  validateSearch: (search: Record<string, unknown>): MarginAccessSearch => ({
    from: date(search.from),
    to: date(search.to),
    period: oneOf(search.period, MARGIN_PERIODS),
  }),
  component: function MarginAccessScreen() {
    return <MarginAccess search={marginAccessRoute.useSearch()} />;
  },
});

const ownershipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/stewards/ownership',
  validateSearch: (search: Record<string, unknown>): OwnershipMatrixSearch => ({
    entity: text(search.entity),
    field: text(search.field),
    system: oneOf(search.system, SYSTEMS),
  }),
  component: function OwnershipScreen() {
    return <OwnershipMatrix search={ownershipRoute.useSearch()} />;
  },
});

const changesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/stewards/changes',
  validateSearch: (search: Record<string, unknown>): ChangeRequestsSearch => ({
    status: oneOf(search.status, CHANGE_STATUSES),
    days: IMPACT_WINDOWS.find((days) => String(days) === String(search.days)),
  }),
  component: function ChangesScreen() {
    return <ChangeRequests search={changesRoute.useSearch()} />;
  },
});

const exceptionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/stewards/exceptions',
  validateSearch: (search: Record<string, unknown>): ExceptionQueueSearch => ({
    view: oneOf(search.view, Object.keys(CASE_VIEWS) as CaseView[]),
    kind: text(search.kind),
  }),
  component: function ExceptionsScreen() {
    return <ExceptionQueue search={exceptionsRoute.useSearch()} />;
  },
});

const sloGridRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/slos',
  validateSearch: (search: Record<string, unknown>): SloGridSearch => ({ kind: oneOf(search.kind, SLO_KINDS) }),
  component: function SloGridScreen() {
    return <SloGrid search={sloGridRoute.useSearch()} />;
  },
});

const sloDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/slos/$sloId',
  component: function SloDetailScreen() {
    const { sloId } = sloDetailRoute.useParams();
    return <SloDetail key={sloId} sloId={sloId} />;
  },
});

const incidentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/incidents',
  validateSearch: (search: Record<string, unknown>): IncidentsSearch => ({ status: oneOf(search.status, INCIDENT_STATUSES) }),
  component: function IncidentsScreen() {
    return <Incidents search={incidentsRoute.useSearch()} />;
  },
});

const targetHealthRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/health',
  validateSearch: (search: Record<string, unknown>): TargetHealthSearch => ({
    kind: oneOf(search.kind, SLO_KINDS),
    range: oneOf(search.range, Object.keys(HEALTH_RANGES) as HealthRange[]),
  }),
  component: function TargetHealthScreen() {
    return <TargetHealth search={targetHealthRoute.useSearch()} />;
  },
});

const schemaHistoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/api/schemas',
  validateSearch: (search: Record<string, unknown>): SchemaHistorySearch => ({
    subgraph: text(search.subgraph),
    author: text(search.author),
    from: version(search.from),
    to: version(search.to),
  }),
  component: function SchemaHistoryScreen() {
    return <SchemaHistory search={schemaHistoryRoute.useSearch()} />;
  },
});

const schemaChecksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/api/checks',
  validateSearch: (search: Record<string, unknown>): SchemaChecksSearch => ({ subgraph: text(search.subgraph) }),
  component: function SchemaChecksScreen() {
    return <SchemaChecks search={schemaChecksRoute.useSearch()} />;
  },
});

const schemaApprovalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/api/approvals',
  component: SchemaApprovals,
});

const fieldUsageRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/api/usage',
  validateSearch: (search: Record<string, unknown>): FieldUsageSearch => ({
    type: text(search.type),
    coordinate: text(search.coordinate),
    days: days(search.days),
  }),
  component: function FieldUsageScreen() {
    return <FieldUsage search={fieldUsageRoute.useSearch()} />;
  },
});

const deprecatedFieldsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/api/deprecated',
  validateSearch: (search: Record<string, unknown>): DeprecatedFieldsSearch => ({ days: days(search.days) }),
  component: function DeprecatedFieldsScreen() {
    return <DeprecatedFields search={deprecatedFieldsRoute.useSearch()} />;
  },
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  oidcCallbackRoute,
  appRoute.addChildren([
    homeRoute,
    clientsRoute,
    clientRoute,
    portfolioRoute,
    workflowsRoute,
    auditRoute,
    marginAccessRoute,
    ownershipRoute,
    changesRoute,
    exceptionsRoute,
    sloGridRoute,
    sloDetailRoute,
    incidentsRoute,
    targetHealthRoute,
    schemaHistoryRoute,
    schemaChecksRoute,
    schemaApprovalsRoute,
    fieldUsageRoute,
    deprecatedFieldsRoute,
  ]),
]);

export function createConsoleRouter(context: RouterContext) {
  return createRouter({ routeTree, basepath: '/console', context, defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
