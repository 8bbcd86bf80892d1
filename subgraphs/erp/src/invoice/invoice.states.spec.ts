import { InvoicePaymentStatus, InvoiceStatus, invoicePaymentStatus, invoiceStates } from './invoice.states';

describe('invoicePaymentStatus', () => {
  const posted = { status: InvoiceStatus.POSTED, totalAmount: '100.00', amountDueAmount: '100.00', dueDate: '2025-04-09' };

  it.each([
    ['nothing paid, not yet due', posted, '2025-04-09', InvoicePaymentStatus.UNPAID],
    ['part paid, not yet due', { ...posted, amountDueAmount: '0.01' }, '2025-04-01', InvoicePaymentStatus.PARTIALLY_PAID],
    ['something due after the due date', { ...posted, amountDueAmount: '40.00' }, '2025-04-10', InvoicePaymentStatus.OVERDUE],
    ['fully paid, even late', { ...posted, amountDueAmount: '0.00' }, '2026-01-01', InvoicePaymentStatus.PAID],
    ['a zero invoice', { ...posted, totalAmount: '0.00', amountDueAmount: '0.00' }, '2025-01-01', InvoicePaymentStatus.PAID],
  ])('should be derived for %s', (_case, invoice, asOf, expected) => {
    expect(invoicePaymentStatus(invoice, asOf)).toBe(expected);
  });

  it('should be null for invoices that are not POSTED', () => {
    expect(
      [InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED].map((status) => invoicePaymentStatus({ ...posted, status }, '2030-01-01')),
    ).toEqual([null, null]);
  });
});

describe('invoiceStates', () => {
  it('should allow DRAFT → POSTED → CANCELLED and DRAFT → CANCELLED only', () => {
    expect(invoiceStates.canTransition(InvoiceStatus.DRAFT, InvoiceStatus.POSTED)).toBe(true);
    expect(invoiceStates.canTransition(InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED)).toBe(true);
    expect(invoiceStates.canTransition(InvoiceStatus.POSTED, InvoiceStatus.CANCELLED)).toBe(true);
    expect(invoiceStates.canTransition(InvoiceStatus.POSTED, InvoiceStatus.DRAFT)).toBe(false);
    expect(invoiceStates.canTransition(InvoiceStatus.CANCELLED, InvoiceStatus.POSTED)).toBe(false);
  });
});
