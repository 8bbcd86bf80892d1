import { approvalFlow } from '../common/billable-records';
import { ExpenseStatus } from './expense.entity';

const { SUBMITTED, APPROVED, INVOICED } = ExpenseStatus;

/** The same flow as a time entry (DOMAIN.md §2); the INVOICED edges belong to the billing workflow. */
export const expenseStates = approvalFlow('Expense', ExpenseStatus);

/** Statuses whose amount counts as incurred cost (Project.costToDate). */
export const INCURRED_EXPENSE_STATUSES: readonly ExpenseStatus[] = [SUBMITTED, APPROVED, INVOICED];
