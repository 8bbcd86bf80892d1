import { newId } from '@concord/common';
import { queryData } from '@concord/testing';

type Values = Record<string, unknown>;
type Row = Record<string, any>;

const PROJECT_FIELDS = `id code name clientId contractId status health percentComplete percentCompleteMethod plannedStart plannedEnd actualStart actualEnd activatedAt budgetHours budget { amount currency } managerId currency`;
const TASK_FIELDS = `id projectId parentTaskId milestoneId name status allocatedHours progress weight billable`;
const MILESTONE_FIELDS = `id projectId name targetDate status reachedAt acceptedAt requiresSignOff amount { amount currency } percentage currency`;
const CHANGE_ORDER_FIELDS = `id projectId contractId number status delta { amount currency } deltaHours newEndDate reason approvedBy approvedAt appliedAt`;

/**
 * Builds complete projects, tasks, milestones and change orders through the API (STYLE.md §17), with unique
 * codes per factory so test files can share a database.
 */
export class ProjectStructureFactory {
  private sequence = 0;
  private readonly tag = newId().slice(-6);

  constructor(private readonly graphqlUrl: string) {}

  static readonly fields = { project: PROJECT_FIELDS, task: TASK_FIELDS, milestone: MILESTONE_FIELDS, changeOrder: CHANGE_ORDER_FIELDS };

  projectInput(overrides: Values = {}): Values {
    this.sequence++;
    const number = String(this.sequence).padStart(3, '0');
    return {
      code: `P-${this.tag}-${number}`,
      name: `Project ${this.tag} ${number}`,
      clientId: newId(),
      currency: 'EUR',
      plannedStart: '2025-01-06',
      managerId: 'dm-1',
      ...overrides,
    };
  }

  async project(overrides: Values = {}): Promise<Row> {
    const { createProject } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`,
      {
        input: this.projectInput(overrides),
      },
    );
    return createProject;
  }

  /** A project moved along the given statuses (e.g. ['ACTIVE', 'COMPLETED']). */
  async projectIn(statuses: string[], overrides: Values = {}): Promise<Row> {
    let project = await this.project(overrides);
    for (const to of statuses) {
      project = await this.transitionProject(project.id, to);
    }
    return project;
  }

  async transitionProject(id: string, to: string): Promise<Row> {
    const { transitionProject } = await queryData(
      this.graphqlUrl,
      `mutation($id: ID!, $to: ProjectStatus!) { transitionProject(id: $id, to: $to) { ${PROJECT_FIELDS} } }`,
      { id, to },
    );
    return transitionProject;
  }

  async task(projectId: string, overrides: Values = {}): Promise<Row> {
    this.sequence++;
    const { createTask } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${TASK_FIELDS} } }`,
      {
        input: { projectId, name: `Task ${String(this.sequence).padStart(3, '0')}`, ...overrides },
      },
    );
    return createTask;
  }

  async milestone(projectId: string, overrides: Values = {}): Promise<Row> {
    this.sequence++;
    const { createMilestone } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { ${MILESTONE_FIELDS} } }`,
      {
        input: { projectId, name: `Milestone ${String(this.sequence).padStart(3, '0')}`, targetDate: '2025-03-31', ...overrides },
      },
    );
    return createMilestone;
  }

  async changeOrder(projectId: string, overrides: Values = {}): Promise<Row> {
    const { createChangeOrder } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateChangeOrderInput!) { createChangeOrder(input: $input) { ${CHANGE_ORDER_FIELDS} } }`,
      {
        input: { projectId, reason: 'Extra reporting module', delta: '5000.00', deltaHours: '40', ...overrides },
      },
    );
    return createChangeOrder;
  }

  async getProject(id: string): Promise<Row> {
    const { project } = await queryData(this.graphqlUrl, `query($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } }`, { id });
    return project;
  }
}
