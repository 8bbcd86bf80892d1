import { registerEnumType } from '@nestjs/graphql';
import { decimal, StateMachine } from '@concord/common';

export enum InvoiceStatus {
  DRAFT = 'DRAFT',
  POSTED = 'POSTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });

/** DOMAIN.md §2 Invoice: DRAFT → POSTED → CANCELLED (void after posting); a draft may be cancelled too. */
export const invoiceStates = new StateMachine<InvoiceStatus>('Invoice', {
  [InvoiceStatus.DRAFT]: [InvoiceStatus.POSTED, InvoiceStatus.CANCELLED],
  [InvoiceStatus.POSTED]: [InvoiceStatus.CANCELLED],
  [InvoiceStatus.CANCELLED]: [],
});

/** Derived from amountDue, total and dueDate of a POSTED invoice (ERPNext `set_indicator`, Odoo payment_state). */
export enum InvoicePaymentStatus {
  UNPAID = 'UNPAID',
  PARTIALLY_PAID = 'PARTIALLY_PAID',
  PAID = 'PAID',
  OVERDUE = 'OVERDUE',
}
registerEnumType(InvoicePaymentStatus, {
  name: 'InvoicePaymentStatus',
  description: 'Payment status of a POSTED invoice, derived from amountDue, total and dueDate.',
});

export enum InvoiceLineSourceType {
  TIME = 'TIME',
  EXPENSE = 'EXPENSE',
  MILESTONE = 'MILESTONE',
  FIXED = 'FIXED',
  ADJUSTMENT = 'ADJUSTMENT',
}
registerEnumType(InvoiceLineSourceType, { name: 'InvoiceLineSourceType' });

interface PayableInvoice {
  status: InvoiceStatus;
  totalAmount: string;
  amountDueAmount: string;
  dueDate: string | null;
}

/**
 * Payment status of an invoice as of a day (ISO date): null unless POSTED; PAID when nothing is due; OVERDUE
 * when something is due and the due date has passed; PARTIALLY_PAID when part of the total was paid; else UNPAID.
 * Its SQL twin is the paymentStatusIn filter of InvoiceService.
 */
export function invoicePaymentStatus(invoice: PayableInvoice, asOf: string): InvoicePaymentStatus | null {
  if (invoice.status !== InvoiceStatus.POSTED) {
    return null;
  }
  const due = decimal(invoice.amountDueAmount);
  if (due.lessThanOrEqualTo(0)) {
    return InvoicePaymentStatus.PAID;
  }
  if (invoice.dueDate !== null && invoice.dueDate < asOf) {
    return InvoicePaymentStatus.OVERDUE;
  }
  return due.lessThan(invoice.totalAmount) ? InvoicePaymentStatus.PARTIALLY_PAID : InvoicePaymentStatus.UNPAID;
}
