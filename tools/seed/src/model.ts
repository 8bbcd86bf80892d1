import type { Cents } from './amounts';
import type { Day } from './calendar';
import type { LegalEntity, Resource } from './world';

/**
 * In-memory shapes of one client's generated records. A client's whole graph is built first, then written,
 * because later facts (an invoice) decide earlier rows (the time entry's status and invoice ids).
 */
export type BillingModel = 'TM' | 'FIXED' | 'MILESTONE';
export type WorkStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'INVOICED' | 'CANCELLED';
export type ProjectStatus = 'SETUP' | 'ACTIVE' | 'ON_HOLD' | 'COMPLETED' | 'CLOSED' | 'CANCELLED';

export interface Customer {
  id: string;
  clientId: string;
  paymentTermsDays: number;
}

export interface TeamLine {
  role: string;
  /** Planned hours, hundredths. */
  hours: number;
  /** Bill rate per hour in the deal currency, whole units. */
  billRate: number;
  /** Working days per week on the project and hours per working day (quarters). */
  daysPerWeek: number;
  quartersPerDay: [number, number];
  startDay: Day;
}

export interface PlannedMilestone {
  name: string;
  day: Day;
  amount: Cents;
}

/** What was sold: the accepted quote, and the plan the project delivers. */
export interface Deal {
  index: number;
  billingModel: BillingModel;
  currency: string;
  legalEntity: LegalEntity;
  closeDay: Day;
  startDay: Day;
  plannedEndDay: Day;
  team: TeamLine[];
  /** FIXED: the fee. */
  fee: Cents;
  discountPct: number;
  milestones: PlannedMilestone[];
  total: Cents;
  // filled as the records are made
  opportunityId: string;
  quoteId: string;
  quoteLineIds: string[];
  contractId: string;
  projectId: string;
}

export interface ContractLine {
  id: string;
  billingModel: BillingModel;
  amount: Cents;
  hoursCap: number | null;
  role: string | null;
  sourceQuoteLineId: string | null;
  changeOrderNumber: string | null;
  startDay: Day;
  milestone: Milestone | null;
  billingScheduleId: string | null;
}

export interface Milestone {
  id: string;
  name: string;
  targetDay: Day;
  status: 'PLANNED' | 'REACHED' | 'ACCEPTED' | 'CANCELLED';
  reachedDay: Day | null;
  acceptedDay: Day | null;
  amount: Cents | null;
  contractLine: ContractLine | null;
}

export interface Task {
  id: string;
  name: string;
  startDay: Day;
  endDay: Day;
  milestone: Milestone | null;
}

export interface Assignment {
  id: string;
  resource: Resource;
  role: string;
  /** Whole units per hour in the project currency (0 on non-billable projects' rates is not used: the entry decides). */
  billRate: number;
  /** Cost per hour in the project currency, 6 decimals, and as integer millionths. */
  costRate: string;
  costRateMicros: number;
  startDay: Day;
  endDay: Day;
  scheduledHours: number;
  contractLine: ContractLine | null;
  requestId: string;
  team: TeamLine;
}

export interface TimeEntry {
  id: string;
  assignment: Assignment;
  task: Task | null;
  day: Day;
  /** Hundredths of an hour (quarter hours). */
  hours: number;
  billable: boolean;
  billAmount: Cents;
  costAmount: Cents;
  status: WorkStatus;
  approvedDay: Day | null;
  invoiceId: string | null;
  invoiceLineId: string | null;
  invoicedDay: Day | null;
}

export interface Expense {
  id: string;
  resource: Resource;
  day: Day;
  category: string;
  amount: Cents;
  billable: boolean;
  markupPct: number;
  billAmount: Cents;
  description: string;
  status: WorkStatus;
  approvedDay: Day | null;
  invoiceId: string | null;
  invoiceLineId: string | null;
  invoicedDay: Day | null;
}

export interface Project {
  id: string;
  code: string;
  name: string;
  deal: Deal;
  status: ProjectStatus;
  /** Last day time can be logged (exclusive upper bound is the reference date). */
  stopDay: Day;
  actualStartDay: Day | null;
  actualEndDay: Day | null;
  activatedDay: Day | null;
  contractLines: ContractLine[];
  tasks: Task[];
  milestones: Milestone[];
  assignments: Assignment[];
  entries: TimeEntry[];
  expenses: Expense[];
  budgetHours: number;
  budget: Cents;
  managerId: string;
}
