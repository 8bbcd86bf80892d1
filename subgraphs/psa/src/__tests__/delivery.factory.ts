import { newId } from '@concord/common';
import { queryData } from '@concord/testing';
import { ProjectStructureFactory } from './project-structure.factory';

type Values = Record<string, unknown>;
type Row = Record<string, any>;

const RESOURCE_FIELDS = `id personId name primaryRole costRate { amount currency } currency capacityHoursPerWeek utilizationTargetPct utilizationTargetEffectiveDate legalEntityId active`;
const REQUEST_FIELDS = `id projectId role skills hours startDate endDate status sourceQuoteLineId assignmentId`;
const ASSIGNMENT_FIELDS = `id projectId resourceId resourceRequestId role billRate { amount currency } costRate { amount currency } currency scheduledHours startDate endDate status`;
const TIME_ENTRY_FIELDS = `id resourceId projectId taskId assignmentId date hours billable billableHours billRate { amount currency } costRate { amount currency }
  billAmount { amount currency } costAmount { amount currency } currency description status approvedAt invoiceId invoiceLineId`;
const EXPENSE_FIELDS = `id resourceId projectId date category amount { amount currency } currency billable markupPct billAmount { amount currency } description receiptUrl status invoiceId invoiceLineId`;

/**
 * Builds complete delivery records (resources, requests, assignments, time entries, expenses) through the API
 * (STYLE.md §17) on top of the project factory; person ids are unique per factory so test files can share a database.
 */
export class DeliveryFactory {
  readonly projects: ProjectStructureFactory;
  private sequence = 0;
  private readonly tag = newId().slice(-6);

  constructor(private readonly graphqlUrl: string) {
    this.projects = new ProjectStructureFactory(graphqlUrl);
  }

  static readonly fields = {
    resource: RESOURCE_FIELDS,
    request: REQUEST_FIELDS,
    assignment: ASSIGNMENT_FIELDS,
    timeEntry: TIME_ENTRY_FIELDS,
    expense: EXPENSE_FIELDS,
  };

  /** An ACTIVE project (EUR unless overridden). */
  project(overrides: Values = {}): Promise<Row> {
    return this.projects.projectIn(['ACTIVE'], overrides);
  }

  resourceInput(overrides: Values = {}): Values {
    this.sequence++;
    const number = String(this.sequence).padStart(3, '0');
    return {
      personId: `person-${this.tag}-${number}`,
      name: `Resource ${this.tag} ${number}`,
      primaryRole: 'Consultant',
      costRate: '60',
      currency: 'EUR',
      capacityHoursPerWeek: '40',
      ...overrides,
    };
  }

  async resource(overrides: Values = {}): Promise<Row> {
    const { createResource } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateResourceInput!) { createResource(input: $input) { ${RESOURCE_FIELDS} } }`,
      {
        input: this.resourceInput(overrides),
      },
    );
    return createResource;
  }

  async request(projectId: string, overrides: Values = {}): Promise<Row> {
    const { createResourceRequest } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateResourceRequestInput!) { createResourceRequest(input: $input) { ${REQUEST_FIELDS} } }`,
      {
        input: {
          projectId,
          role: 'Architect',
          skills: ['graphql'],
          hours: '80',
          startDate: '2025-03-03',
          endDate: '2025-03-28',
          ...overrides,
        },
      },
    );
    return createResourceRequest;
  }

  assignmentInput(projectId: string, resourceId: string, overrides: Values = {}): Values {
    return {
      projectId,
      resourceId,
      billRate: '150',
      scheduledHours: '160',
      startDate: '2025-03-03',
      endDate: '2025-03-31',
      status: 'HARD',
      ...overrides,
    };
  }

  async assignment(projectId: string, resourceId: string, overrides: Values = {}): Promise<Row> {
    const { createAssignment } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) { ${ASSIGNMENT_FIELDS} } }`,
      {
        input: this.assignmentInput(projectId, resourceId, overrides),
      },
    );
    return createAssignment;
  }

  /** A project, a resource and a HARD assignment of it in March 2025 (bill 150, cost 60 EUR). */
  async staffed(
    overrides: { project?: Values; resource?: Values; assignment?: Values } = {},
  ): Promise<{ project: Row; resource: Row; assignment: Row }> {
    const project = await this.project(overrides.project);
    const resource = await this.resource(overrides.resource);
    const assignment = await this.assignment(project.id, resource.id, overrides.assignment);
    return { project, resource, assignment };
  }

  async timeEntry(assignmentId: string, overrides: Values = {}): Promise<Row> {
    const { createTimeEntry } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { ${TIME_ENTRY_FIELDS} } }`,
      {
        input: { assignmentId, date: '2025-03-04', hours: '8', ...overrides },
      },
    );
    return createTimeEntry;
  }

  async transitionTimeEntry(id: string, ...statuses: string[]): Promise<Row> {
    let entry: Row = {};
    for (const to of statuses) {
      const { transitionTimeEntry } = await queryData(
        this.graphqlUrl,
        `mutation($id: ID!, $to: TimeEntryStatus!) { transitionTimeEntry(id: $id, to: $to) { ${TIME_ENTRY_FIELDS} } }`,
        { id, to },
      );
      entry = transitionTimeEntry;
    }
    return entry;
  }

  /** A time entry moved to APPROVED. */
  async approvedTimeEntry(assignmentId: string, overrides: Values = {}): Promise<Row> {
    const entry = await this.timeEntry(assignmentId, overrides);
    return this.transitionTimeEntry(entry.id, 'SUBMITTED', 'APPROVED');
  }

  async expense(projectId: string, resourceId: string, overrides: Values = {}): Promise<Row> {
    const { createExpense } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateExpenseInput!) { createExpense(input: $input) { ${EXPENSE_FIELDS} } }`,
      {
        input: { projectId, resourceId, date: '2025-03-05', category: 'TRAVEL', amount: '100.00', ...overrides },
      },
    );
    return createExpense;
  }

  async transitionExpense(id: string, ...statuses: string[]): Promise<Row> {
    let expense: Row = {};
    for (const to of statuses) {
      const { transitionExpense } = await queryData(
        this.graphqlUrl,
        `mutation($id: ID!, $to: ExpenseStatus!) { transitionExpense(id: $id, to: $to) { ${EXPENSE_FIELDS} } }`,
        {
          id,
          to,
        },
      );
      expense = transitionExpense;
    }
    return expense;
  }
}
