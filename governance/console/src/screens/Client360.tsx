import { Link } from '@tanstack/react-router';
import { useGraphQL } from '../api/client';
import { forbiddenPaths, otherErrors } from '../api/graphql';
import { Badge } from '../components/Badge';
import { cents, Money, MoneyList, Withheld, type MoneyValue } from '../components/Money';
import { ListTable, type ListColumn } from '../components/ListTable';
import { Empty, ErrorState, Loading } from '../components/States';

const CLIENT_360 = `query Client360($id: ID!, $from: String!, $to: String!) {
  client(id: $id) {
    id name industry tier currency ownerId arr { amount currency }
    health { status marginConsidered reasons { code status message } }
    opportunities(first: 20) { id name stage probability closeDate amount { amount currency } }
    contracts(first: 20) { id number status startDate endDate totalValue { amount currency } consumedAmount { amount currency } remainingAmount { amount currency } }
    projects(first: 50) {
      id code name status health percentComplete budget { amount currency } costToDate { amount currency }
      revenueRecognized { amount currency } margin { amount currency } marginPct
      earnedValue { budgetConsumedPct burnRatePerWeek { amount currency } }
      anomalies(from: $from, to: $to) { kind severity explanation }
    }
    invoices(first: 20) { id number status issueDate dueDate total { amount currency } amountDue { amount currency } paymentStatus }
    arBalance { amount currency }
    marginPct
    financeKpis(from: $from, to: $to) {
      arAgeing { currency current { amount currency } overdue1To30 { amount currency } overdue31To60 { amount currency }
        overdue61To90 { amount currency } overdueOver90 { amount currency } total { amount currency } }
      dso { currency days }
    }
  }
}`;

interface Project {
  id: string;
  code: string;
  name: string;
  status: string;
  health: string;
  percentComplete: string;
  budget: MoneyValue | null;
  costToDate: MoneyValue | null;
  revenueRecognized: MoneyValue | null;
  margin: MoneyValue | null;
  marginPct: string | null;
  earnedValue: { budgetConsumedPct: string | null; burnRatePerWeek: MoneyValue | null } | null;
  anomalies: { kind: string; severity: string; explanation: string }[];
}

interface AgeingRow {
  currency: string;
  current: MoneyValue | null;
  overdue1To30: MoneyValue | null;
  overdue31To60: MoneyValue | null;
  overdue61To90: MoneyValue | null;
  overdueOver90: MoneyValue | null;
  total: MoneyValue | null;
}

const AGEING_BUCKETS = ['current', 'overdue1To30', 'overdue31To60', 'overdue61To90', 'overdueOver90'] as const;
const AGEING_LABELS: Record<(typeof AGEING_BUCKETS)[number], string> = {
  current: 'Current',
  overdue1To30: '1–30',
  overdue31To60: '31–60',
  overdue61To90: '61–90',
  overdueOver90: '90+',
};

interface Client360Data {
  client: {
    id: string;
    name: string;
    industry: string | null;
    tier: string;
    currency: string;
    ownerId: string;
    arr: MoneyValue | null;
    health: { status: string; marginConsidered: boolean; reasons: { code: string; status: string; message: string }[] } | null;
    opportunities: { id: string; name: string; stage: string; probability: number; closeDate: string; amount: MoneyValue | null }[] | null;
    contracts:
      | {
          id: string;
          number: string;
          status: string;
          startDate: string;
          endDate: string | null;
          totalValue: MoneyValue | null;
          consumedAmount: MoneyValue | null;
          remainingAmount: MoneyValue | null;
        }[]
      | null;
    projects: Project[] | null;
    invoices:
      | {
          id: string;
          number: string | null;
          status: string;
          issueDate: string;
          dueDate: string | null;
          total: MoneyValue | null;
          amountDue: MoneyValue | null;
          paymentStatus: string | null;
        }[]
      | null;
    arBalance: MoneyValue[] | null;
    marginPct: string | null;
    financeKpis: { arAgeing: AgeingRow[]; dso: { currency: string; days: string | null }[] } | null;
  } | null;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The last 90 days: the window of anomalies, DSO and ageing (as of today). */
export function defaultWindow(today = new Date()): { from: string; to: string } {
  const from = new Date(today);
  from.setUTCDate(from.getUTCDate() - 89);
  return { from: iso(from), to: iso(today) };
}

const pct = (value: string | null | undefined) => (value === null || value === undefined ? <span className="muted">—</span> : `${value} %`);

/** consumed / total as a whole percent (0–100) for the meter, in integer cents: money never becomes a float. */
export function consumedPct(consumed: MoneyValue, total: MoneyValue): number {
  const totalCents = cents(total.amount);
  if (totalCents <= 0n) {
    return 0;
  }
  const percent = (cents(consumed.amount) * 100n) / totalCents;
  return Number(percent > 100n ? 100n : percent < 0n ? 0n : percent);
}

/**
 * One client across CRM (deals, health), ERP (contracts and consumption, invoices, AR, margin) and PSA (projects,
 * burn, anomalies), in one query through the gateway. Margin figures the caller's role may not see come back null
 * with FORBIDDEN_FIELD at their path: shown as "withheld", never as zero.
 */
export function Client360({ clientId }: { clientId: string }) {
  const window = defaultWindow();
  const result = useGraphQL<Client360Data>(CLIENT_360, { id: clientId, ...window });
  if (result.isPending) {
    return <Loading rows={8} label="Loading the client" />;
  }
  if (result.error) {
    return <ErrorState error={result.error} retry={() => void result.refetch()} />;
  }
  const { data, errors } = result.data;
  const client = data.client;
  if (!client) {
    return (
      <Empty title="No such client">
        It may have been merged or deleted. <Link to="/clients">Back to clients</Link>
      </Empty>
    );
  }
  const withheld = forbiddenPaths(errors);
  const hidden = (path: string) => withheld.has(path);
  const problems = otherErrors(errors);
  const projects = client.projects ?? [];
  type Client = NonNullable<Client360Data['client']>;
  const projectColumns: ListColumn<Project>[] = [
    {
      header: 'Project',
      cell: (project) => (
        <>
          <span className="strong">{project.code}</span> <span className="muted">{project.name}</span>
        </>
      ),
    },
    { header: 'Status', cell: (project) => <Badge value={project.status} /> },
    { header: 'Health', cell: (project) => <Badge value={project.health} /> },
    { header: 'Complete', numeric: true, cell: (project) => pct(project.percentComplete) },
    {
      header: 'Budget used',
      numeric: true,
      cell: (project, index) =>
        hidden(`client.projects.${index}.earnedValue`) ? <Withheld what="cost" /> : pct(project.earnedValue?.budgetConsumedPct),
    },
    {
      header: 'Revenue',
      numeric: true,
      cell: (project, index) => (
        <Money value={project.revenueRecognized} withheld={hidden(`client.projects.${index}.revenueRecognized`)} what="revenue" />
      ),
    },
    {
      header: 'Margin',
      numeric: true,
      testId: 'project-margin',
      cell: (project, index) =>
        hidden(`client.projects.${index}.margin`) ? (
          <Withheld what="margin" />
        ) : (
          <>
            <Money value={project.margin} /> <span className="muted small">{project.marginPct ? `${project.marginPct} %` : ''}</span>
          </>
        ),
    },
    {
      header: 'Flags',
      cell: (project) =>
        project.anomalies.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="flags">
            {project.anomalies.map((anomaly, flag) => (
              <li key={flag} title={anomaly.explanation}>
                <Badge value={anomaly.kind} tone={anomaly.severity === 'HIGH' ? 'red' : 'amber'} />
              </li>
            ))}
          </ul>
        ),
    },
  ];
  const opportunityColumns: ListColumn<NonNullable<Client['opportunities']>[number]>[] = [
    { header: 'Opportunity', cell: (opportunity) => opportunity.name },
    {
      header: 'Stage',
      cell: (opportunity) => <Badge value={opportunity.stage} tone={opportunity.stage.startsWith('CLOSED') ? undefined : 'blue'} />,
    },
    { header: 'Probability', numeric: true, cell: (opportunity) => `${opportunity.probability} %` },
    {
      header: 'Amount',
      numeric: true,
      cell: (opportunity, index) => (
        <Money value={opportunity.amount} withheld={hidden(`client.opportunities.${index}.amount`)} what="deal amounts" />
      ),
    },
    { header: 'Closes', cell: (opportunity) => <span className="muted small nowrap">{opportunity.closeDate}</span> },
  ];
  const invoiceColumns: ListColumn<NonNullable<Client['invoices']>[number]>[] = [
    { header: 'Number', cell: (invoice) => <span className="nowrap">{invoice.number ?? <span className="muted">draft</span>}</span> },
    { header: 'Status', cell: (invoice) => <Badge value={invoice.paymentStatus ?? invoice.status} /> },
    { header: 'Due', cell: (invoice) => <span className="small nowrap">{invoice.dueDate ?? '—'}</span> },
    {
      header: 'Total',
      numeric: true,
      cell: (invoice, index) => <Money value={invoice.total} withheld={hidden(`client.invoices.${index}.total`)} what="invoice amounts" />,
    },
    {
      header: 'Due amount',
      numeric: true,
      cell: (invoice, index) => (
        <Money value={invoice.amountDue} withheld={hidden(`client.invoices.${index}.amountDue`)} what="invoice amounts" />
      ),
    },
  ];
  const ageingColumns: ListColumn<AgeingRow>[] = [
    { header: 'Currency', cell: (row) => row.currency },
    ...AGEING_BUCKETS.map((bucket): ListColumn<AgeingRow> => ({
      header: AGEING_LABELS[bucket],
      numeric: true,
      cell: (row, index) => (
        <Money value={row[bucket]} withheld={hidden(`client.financeKpis.arAgeing.${index}.${bucket}`)} what="receivables" />
      ),
    })),
  ];
  return (
    <article className="client360">
      <header className="page-header">
        <p className="crumbs">
          <Link to="/clients" className="link">
            Clients
          </Link>{' '}
          /
        </p>
        <div className="title-row">
          <h1>{client.name}</h1>
          <Badge value={client.health?.status} />
        </div>
        <p className="muted">
          {client.tier.replace(/_/g, ' ').toLowerCase()} · {client.industry ?? 'no industry'} · owner {client.ownerId} · reports in{' '}
          {client.currency}
        </p>
      </header>
      {problems.length > 0 ? (
        <div className="notice notice-error" role="alert">
          Part of this page did not load: {problems.map((problem) => problem.message).join('; ')}
        </div>
      ) : null}

      <section className="cards" aria-label="Key figures">
        <div className="card">
          <p className="card-label">Health</p>
          <p className="card-value">
            <Badge value={client.health?.status} />
          </p>
          <ul className="reasons">
            {(client.health?.reasons ?? []).map((reason) => (
              <li key={reason.code}>
                <Badge value={reason.status} /> {reason.message}
              </li>
            ))}
            {client.health && client.health.reasons.length === 0 ? <li className="muted">No reason for concern</li> : null}
          </ul>
          {client.health && !client.health.marginConsidered ? <p className="muted small">Decided without margin.</p> : null}
        </div>
        <div className="card">
          <p className="card-label">Accounts receivable</p>
          <p className="card-value">
            <MoneyList values={client.arBalance} withheld={hidden('client.arBalance')} what="receivables" />
          </p>
          <p className="muted small">
            DSO:{' '}
            {(client.financeKpis?.dso ?? []).some((_, index) => hidden(`client.financeKpis.dso.${index}.days`)) ? (
              <Withheld what="DSO" />
            ) : (
              (client.financeKpis?.dso ?? [])
                .map((dso) => (dso.days === null ? `— (${dso.currency})` : `${dso.days} days (${dso.currency})`))
                .join(', ') || '—'
            )}
          </p>
        </div>
        <div className="card">
          <p className="card-label">Gross margin</p>
          <p className="card-value" data-testid="client-margin">
            {hidden('client.marginPct') ? <Withheld what="margin" /> : pct(client.marginPct)}
          </p>
          <p className="muted small">Revenue recognised less delivery cost, over the client’s contracts.</p>
        </div>
        <div className="card">
          <p className="card-label">ARR</p>
          <p className="card-value">
            <Money value={client.arr} withheld={hidden('client.arr')} what="ARR" />
          </p>
        </div>
      </section>

      <section aria-labelledby="projects-h">
        <h2 id="projects-h">Projects</h2>
        {projects.length === 0 ? (
          <Empty title="No projects yet" />
        ) : (
          <ListTable
            label="projects"
            rows={projects}
            columns={projectColumns}
            rowKey={(project) => project.id}
            rowId={(project) => `project-${project.id}`}
          />
        )}
      </section>

      <div className="two-col">
        <section aria-labelledby="contracts-h">
          <h2 id="contracts-h">Contracts and consumption</h2>
          {(client.contracts ?? []).length === 0 ? (
            <Empty title="No contracts" />
          ) : (
            <ul className="stack">
              {client.contracts!.map((contract, index) => {
                const used =
                  contract.consumedAmount && contract.totalValue ? consumedPct(contract.consumedAmount, contract.totalValue) : null;
                return (
                  <li key={contract.id} className="row-card">
                    <div className="row-card-head">
                      <span className="strong">{contract.number}</span> <Badge value={contract.status} />
                      <span className="muted small">
                        {contract.startDate} → {contract.endDate ?? 'open'}
                      </span>
                    </div>
                    {used === null ? (
                      <p className="small">
                        Consumption: <Withheld what="contract value" />
                      </p>
                    ) : (
                      <>
                        <div
                          className="meter"
                          role="meter"
                          aria-valuenow={used}
                          aria-valuemin={0}
                          aria-valuemax={100}
                          aria-label={`${contract.number} consumed`}
                        >
                          <div className="meter-fill" style={{ width: `${used}%` }} />
                        </div>
                        <p className="small">
                          <Money value={contract.consumedAmount} withheld={hidden(`client.contracts.${index}.consumedAmount`)} /> of{' '}
                          <Money value={contract.totalValue} withheld={hidden(`client.contracts.${index}.totalValue`)} /> consumed ({used}{' '}
                          %)
                        </p>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section aria-labelledby="pipeline-h">
          <h2 id="pipeline-h">Opportunities</h2>
          {(client.opportunities ?? []).length === 0 ? (
            <Empty title="No opportunities" />
          ) : (
            <ListTable
              label="opportunities"
              rows={client.opportunities!}
              columns={opportunityColumns}
              rowKey={(opportunity) => opportunity.id}
              compact
            />
          )}
        </section>
      </div>

      <section aria-labelledby="ageing-h">
        <h2 id="ageing-h">AR ageing</h2>
        {(client.financeKpis?.arAgeing ?? []).length === 0 ? (
          <Empty title="Nothing owed" />
        ) : (
          <ListTable label="AR ageing" rows={client.financeKpis!.arAgeing} columns={ageingColumns} rowKey={(row) => row.currency} compact />
        )}
      </section>

      <section aria-labelledby="invoices-h">
        <h2 id="invoices-h">Invoices</h2>
        {(client.invoices ?? []).length === 0 ? (
          <Empty title="No invoices" />
        ) : (
          <ListTable label="invoices" rows={client.invoices!} columns={invoiceColumns} rowKey={(invoice) => invoice.id} compact />
        )}
      </section>
    </article>
  );
}
