import { StateMachine } from '@concord/common';
import { ExpenseStatus } from './expense.entity';

const { DRAFT, SUBMITTED, APPROVED, REJECTED, INVOICED, CANCELLED } = ExpenseStatus;

/** The same flow as a time entry (DOMAIN.md §2); the INVOICED edges belong to the billing workflow. */
export const expenseStates = new StateMachine<ExpenseStatus>('Expense', {
  [DRAFT]: [SUBMITTED, CANCELLED],
  [SUBMITTED]: [APPROVED, REJECTED, CANCELLED],
  [APPROVED]: [INVOICED, CANCELLED],
  [REJECTED]: [DRAFT, CANCELLED],
  [INVOICED]: [APPROVED],
  [CANCELLED]: [],
});

/** Statuses whose amount counts as incurred cost (Project.costToDate). */
export const INCURRED_EXPENSE_STATUSES: readonly ExpenseStatus[] = [SUBMITTED, APPROVED, INVOICED];
