import { Link } from '@tanstack/react-router';
import { useGraphQL } from '../api/client';
import { forbiddenPaths, otherErrors } from '../api/graphql';
import { Badge } from '../components/Badge';
import { cents, Money, MoneyList, Withheld, type MoneyValue } from '../components/Money';
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
          <div className="table-wrap">
            <table className="table" aria-label="projects">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Status</th>
                  <th scope="col">Health</th>
                  <th scope="col" className="num">
                    Complete
                  </th>
                  <th scope="col" className="num">
                    Budget used
                  </th>
                  <th scope="col" className="num">
                    Revenue
                  </th>
                  <th scope="col" className="num">
                    Margin
                  </th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((project, index) => (
                  <tr key={project.id} id={`project-${project.id}`}>
                    <td>
                      <span className="strong">{project.code}</span> <span className="muted">{project.name}</span>
                    </td>
                    <td>
                      <Badge value={project.status} />
                    </td>
                    <td>
                      <Badge value={project.health} />
                    </td>
                    <td className="num">{pct(project.percentComplete)}</td>
                    <td className="num">
                      {hidden(`client.projects.${index}.earnedValue`) ? (
                        <Withheld what="cost" />
                      ) : (
                        pct(project.earnedValue?.budgetConsumedPct)
                      )}
                    </td>
                    <td className="num">
                      <Money
                        value={project.revenueRecognized}
                        withheld={hidden(`client.projects.${index}.revenueRecognized`)}
                        what="revenue"
                      />
                    </td>
                    <td className="num" data-testid="project-margin">
                      {hidden(`client.projects.${index}.margin`) ? (
                        <Withheld what="margin" />
                      ) : (
                        <>
                          <Money value={project.margin} />{' '}
                          <span className="muted small">{project.marginPct ? `${project.marginPct} %` : ''}</span>
                        </>
                      )}
                    </td>
                    <td>
                      {project.anomalies.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="flags">
                          {project.anomalies.map((anomaly, flag) => (
                            <li key={flag} title={anomaly.explanation}>
                              <Badge value={anomaly.kind} tone={anomaly.severity === 'HIGH' ? 'red' : 'amber'} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
            <table className="table compact" aria-label="opportunities">
              <tbody>
                {client.opportunities!.map((opportunity, index) => (
                  <tr key={opportunity.id}>
                    <td>{opportunity.name}</td>
                    <td>
                      <Badge value={opportunity.stage} tone={opportunity.stage.startsWith('CLOSED') ? undefined : 'blue'} />
                    </td>
                    <td className="num">{opportunity.probability} %</td>
                    <td className="num">
                      <Money value={opportunity.amount} withheld={hidden(`client.opportunities.${index}.amount`)} what="deal amounts" />
                    </td>
                    <td className="muted small nowrap">{opportunity.closeDate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <div className="two-col">
        <section aria-labelledby="invoices-h">
          <h2 id="invoices-h">Invoices</h2>
          {(client.invoices ?? []).length === 0 ? (
            <Empty title="No invoices" />
          ) : (
            <table className="table compact" aria-label="invoices">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Due amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {client.invoices!.map((invoice, index) => (
                  <tr key={invoice.id}>
                    <td className="nowrap">{invoice.number ?? <span className="muted">draft</span>}</td>
                    <td>
                      <Badge value={invoice.paymentStatus ?? invoice.status} />
                    </td>
                    <td className="small nowrap">{invoice.dueDate ?? '—'}</td>
                    <td className="num">
                      <Money value={invoice.total} withheld={hidden(`client.invoices.${index}.total`)} what="invoice amounts" />
                    </td>
                    <td className="num">
                      <Money value={invoice.amountDue} withheld={hidden(`client.invoices.${index}.amountDue`)} what="invoice amounts" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="ageing-h">
          <h2 id="ageing-h">AR ageing</h2>
          {(client.financeKpis?.arAgeing ?? []).length === 0 ? (
            <Empty title="Nothing owed" />
          ) : (
            <table className="table compact" aria-label="AR ageing">
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col" className="num">
                    Current
                  </th>
                  <th scope="col" className="num">
                    1–30
                  </th>
                  <th scope="col" className="num">
                    31–60
                  </th>
                  <th scope="col" className="num">
                    61–90
                  </th>
                  <th scope="col" className="num">
                    90+
                  </th>
                </tr>
              </thead>
              <tbody>
                {client.financeKpis!.arAgeing.map((row, index) => (
                  <tr key={row.currency}>
                    <td>{row.currency}</td>
                    {AGEING_BUCKETS.map((bucket) => (
                      <td key={bucket} className="num">
                        <Money value={row[bucket]} withheld={hidden(`client.financeKpis.arAgeing.${index}.${bucket}`)} what="receivables" />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </article>
  );
}
