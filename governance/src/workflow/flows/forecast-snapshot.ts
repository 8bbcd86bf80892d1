import { ISO_MONTH } from '@concord/common';
import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { nodes, type Edges } from './graph';

/**
 * The monthly revenue forecast snapshot (DOMAIN.md §3 forecast accuracy): at the start of each month the forecast of
 * that month is kept as it stood, so that revenue recognised later can be compared with it. The T&M part is PSA's
 * (Project.revenueForecast of the month, per currency); ERP adds the fixed fee from the project's contract's billing
 * schedule when it records the snapshot, in the same transaction. ERP keeps the first snapshot of a month and answers
 * it unchanged afterwards, so a repeated step (a crash after recording) changes nothing.
 *
 * Started by the hourly schedule (WorkflowCron) once per month, or by finance through the same business key.
 */

/** The projects that can still earn: a project that has not started, runs or waits. */
const FORECAST_STATUSES = ['SETUP', 'ACTIVE', 'ON_HOLD'];
const PAGE = 100;
/** ERP records at most this many project rows per call */
const MAX_PROJECT_ROWS = 5_000;

interface ProjectForecastView {
  id: string;
  contractId: string | null;
  currency: string;
  revenueForecast: { timeAndMaterials: { currency: string; amount: { amount: string } }[] | null };
}

interface ProjectPage {
  projects: Edges<ProjectForecastView> & { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface ProjectForecastInput {
  projectId: string;
  contractId: string | null;
  currency: string;
  timeAndMaterials: string;
}

export const forecastSnapshotKey = (month: string): string => `forecast-snapshot:${month}`;

/** One row per project and T&M currency; a project without T&M in the month still comes (in its currency) for its fixed fee. */
export function forecastRows(projects: readonly ProjectForecastView[]): ProjectForecastInput[] {
  return projects.flatMap((project) => {
    const parts = project.revenueForecast.timeAndMaterials ?? [];
    if (parts.length === 0) {
      return [{ projectId: project.id, contractId: project.contractId, currency: project.currency, timeAndMaterials: '0.00' }];
    }
    return parts.map((part) => ({
      projectId: project.id,
      contractId: project.contractId,
      currency: part.currency,
      timeAndMaterials: part.amount.amount,
    }));
  });
}

async function projectForecasts(context: StepContext, month: string): Promise<ProjectForecastView[]> {
  const projects: ProjectForecastView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ProjectPage = await context.gateway.request<ProjectPage>(
      `query ($statusIn: [ProjectStatus!], $month: String!, $after: String) {
         projects(filter: { statusIn: $statusIn }, first: ${PAGE}, after: $after) {
           edges { node { id contractId currency
             revenueForecast(from: $month, to: $month) { timeAndMaterials { currency amount { amount } } } } }
           pageInfo { hasNextPage endCursor } } }`,
      { statusIn: FORECAST_STATUSES, month, after },
    );
    projects.push(...nodes(page.projects));
    if (!page.projects.pageInfo.hasNextPage) {
      return projects;
    }
    after = page.projects.pageInfo.endCursor;
  }
}

async function recordSnapshot(context: StepContext): Promise<JsonObject> {
  const month = String(context.payload.month);
  if (!ISO_MONTH.test(month)) {
    throw new WorkflowStepError(`month must be YYYY-MM, not ${month}`, { permanent: true, code: 'BAD_INPUT' });
  }
  const rows = forecastRows(await projectForecasts(context, month));
  if (rows.length > MAX_PROJECT_ROWS) {
    // ERP keeps the first snapshot of a month: a month recorded in parts would keep only the first part
    throw new WorkflowStepError(`${rows.length} project forecasts exceed the ${MAX_PROJECT_ROWS} ERP records at once`, {
      permanent: true,
      code: 'TOO_MANY_PROJECTS',
    });
  }
  if (rows.length === 0) {
    return { month, projects: 0, rows: 0 };
  }
  const { recordRevenueForecastSnapshot } = await context.gateway.request<{ recordRevenueForecastSnapshot: { projectId: string }[] }>(
    `mutation ($input: RecordRevenueForecastSnapshotInput!) { recordRevenueForecastSnapshot(input: $input) { projectId } }`,
    { input: { month, projects: rows } },
  );
  return { month, projects: new Set(rows.map((row) => row.projectId)).size, rows: recordRevenueForecastSnapshot.length };
}

export const forecastSnapshot: WorkflowDefinition = {
  kind: WorkflowKind.FORECAST_SNAPSHOT,
  description: "Monthly revenue forecast snapshot: PSA's T&M forecast of the month per project, ERP adds the fixed fee and keeps it",
  steps: [{ name: 'record-snapshot', run: recordSnapshot }],
  trigger: () => null,
  scheduled: (now) => {
    const month = now.toISOString().slice(0, 7);
    return { kind: WorkflowKind.FORECAST_SNAPSHOT, businessKey: forecastSnapshotKey(month), payload: { month } };
  },
};
