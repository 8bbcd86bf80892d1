import { approvalFlow } from '../common/billable-records';
import { TimeEntryStatus } from './time-entry.entity';

const { SUBMITTED, APPROVED, INVOICED } = TimeEntryStatus;

/**
 * DOMAIN.md §2: DRAFT → SUBMITTED → APPROVED → INVOICED; SUBMITTED → REJECTED → DRAFT; CANCELLED from every
 * status but INVOICED; INVOICED → APPROVED when the invoice is cancelled. The INVOICED edges belong to the
 * billing workflow (markTimeEntriesInvoiced / unmarkTimeEntriesInvoiced), not to transitionTimeEntry.
 */
export const timeEntryStates = approvalFlow('TimeEntry', TimeEntryStatus);

/** Statuses whose hours and cost count as delivered (Project.costToDate, hoursToDate). */
export const DELIVERED_TIME_STATUSES: readonly TimeEntryStatus[] = [SUBMITTED, APPROVED, INVOICED];

/** Statuses that count in utilization (approved time only). */
export const UTILIZED_TIME_STATUSES: readonly TimeEntryStatus[] = [APPROVED, INVOICED];
