import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConflictError,
  decimal,
  groupByKeys,
  loadByIds,
  paginate,
  sumAmounts,
  toAmount,
  type Page,
} from '@concord/common';
import { CLOCK, WritePoint, type Clock, type WriteTransaction } from '@concord/graphql';
import { lockRow } from '../common/lock';
import { FxRateService } from '../currency/fx-rate.service';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { InvoiceStatus } from '../invoice/invoice.states';
import { LegalCustomerEntity } from '../legal-customer/legal-customer.entity';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import {
  PaymentAllocationSortField,
  PaymentSortField,
  type CreatePaymentAllocationInput,
  type CreatePaymentInput,
  type PaymentAllocationInput,
  type PaymentAllocationsArgs,
  type PaymentsArgs,
  type UpdatePaymentAllocationInput,
  type UpdatePaymentInput,
} from './dtos/payment.input';
import { PaymentAllocationEntity } from './payment-allocation.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentStatus, paymentStates } from './payment.states';

/**
 * Payments and their allocations (DOMAIN.md §2 Payment). An allocation goes only to a POSTED invoice of the
 * payer, received by the same legal entity, in the same currency, for at most the invoice's amountDue; the
 * allocations of a payment never exceed its amount. Posting applies them (invoice amountDue falls) and keeps the
 * rest as unallocatedAmount; cancelling a posted payment gives the invoices their amountDue back.
 */
@Injectable()
export class PaymentService {
  private readonly byId = new DataLoader<string, PaymentEntity | null>((ids) => loadByIds(this.payments, ids), { cache: false });

  private readonly allocationsByPayment = new DataLoader<string, PaymentAllocationEntity[]>(
    async (paymentIds) => {
      const rows = await this.allocations
        .createQueryBuilder('allocation')
        .where('allocation.paymentId = ANY(:paymentIds)', { paymentIds: [...paymentIds] })
        .orderBy('allocation.id')
        .getMany();
      return groupByKeys(paymentIds, rows, (row) => row.paymentId);
    },
    { cache: false },
  );

  private readonly allocationsByInvoice = new DataLoader<string, PaymentAllocationEntity[]>(
    async (invoiceIds) => {
      const rows = await this.allocations
        .createQueryBuilder('allocation')
        .where('allocation.invoiceId = ANY(:invoiceIds)', { invoiceIds: [...invoiceIds] })
        .orderBy('allocation.id')
        .getMany();
      return groupByKeys(invoiceIds, rows, (row) => row.invoiceId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    @InjectRepository(PaymentAllocationEntity) private readonly allocations: Repository<PaymentAllocationEntity>,
    private readonly writePoint: WritePoint,
    private readonly fxRateService: FxRateService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ── reads ────────────────────────────────────────────────────────────────────────────────────────────

  findById(id: string): Promise<PaymentEntity | null> {
    return this.byId.load(id);
  }

  findAllocationById(id: string): Promise<PaymentAllocationEntity | null> {
    return this.allocations.findOne({ where: { id } });
  }

  allocationsOf(payment: PaymentEntity): Promise<PaymentAllocationEntity[]> {
    return this.allocationsByPayment.load(payment.id);
  }

  allocationsOfInvoice(invoice: InvoiceEntity): Promise<PaymentAllocationEntity[]> {
    return this.allocationsByInvoice.load(invoice.id);
  }

  list({ filter = {}, orderBy, ...page }: PaymentsArgs): Promise<Page<PaymentEntity>> {
    const query = this.payments.createQueryBuilder('payment');
    if (filter.customerId) {
      query.andWhere('payment.customerId = :customerId', { customerId: filter.customerId });
    }
    if (filter.legalEntityId) {
      query.andWhere('payment.legalEntityId = :legalEntityId', { legalEntityId: filter.legalEntityId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('payment.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.methodIn?.length) {
      query.andWhere('payment.method = ANY(:methods)', { methods: filter.methodIn });
    }
    if (filter.dateFrom) {
      query.andWhere('payment.date >= :dateFrom', { dateFrom: filter.dateFrom });
    }
    if (filter.dateTo) {
      query.andWhere('payment.date <= :dateTo', { dateTo: filter.dateTo });
    }
    if (filter.invoiceId) {
      query.andWhere(
        'payment.id IN (SELECT allocation.payment_id FROM erp.payment_allocation allocation WHERE allocation.invoice_id = :invoiceId)',
        {
          invoiceId: filter.invoiceId,
        },
      );
    }
    const field = orderBy?.field ?? PaymentSortField.DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? (orderBy ? 'ASC' : 'DESC') });
  }

  listAllocations({ filter = {}, orderBy, ...page }: PaymentAllocationsArgs): Promise<Page<PaymentAllocationEntity>> {
    const query = this.allocations.createQueryBuilder('allocation');
    if (filter.paymentId) {
      query.andWhere('allocation.paymentId = :paymentId', { paymentId: filter.paymentId });
    }
    if (filter.invoiceId) {
      query.andWhere('allocation.invoiceId = :invoiceId', { invoiceId: filter.invoiceId });
    }
    const field = orderBy?.field ?? PaymentAllocationSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────────────

  create(input: CreatePaymentInput): Promise<PaymentEntity> {
    const { allocations = [], ...fields } = input;
    return this.writePoint.run(async (tx) => {
      const customer = await tx.manager.findOne(LegalCustomerEntity, { where: { id: fields.customerId } });
      if (!customer) {
        throw new BadInputError(`legal customer ${fields.customerId} does not exist`, { field: 'customerId' });
      }
      const legalEntity = await tx.manager.findOne(LegalEntityEntity, { where: { id: fields.legalEntityId } });
      if (!legalEntity) {
        throw new BadInputError(`legal entity ${fields.legalEntityId} does not exist`, { field: 'legalEntityId' });
      }
      assertPositive(fields.amount, 'amount');
      const payment = await tx.create(PaymentEntity, {
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        date: fields.date ?? this.clock.today(),
        amountAmount: toAmount(fields.amount),
        currency: fields.currency ?? customer.defaultCurrency,
        fxRate: fields.fxRate ?? null,
        method: fields.method,
        reference: fields.reference ?? null,
        unallocatedAmountAmount: toAmount(fields.amount),
        status: PaymentStatus.DRAFT,
      });
      for (const allocation of allocations) {
        await this.allocate(tx, payment, allocation);
      }
      return this.refreshUnallocated(tx, payment.id);
    });
  }

  update(id: string, input: UpdatePaymentInput): Promise<PaymentEntity> {
    return this.writePoint.run(async (tx) => {
      const payment = await this.lockDraft(tx.manager, id);
      const allocations = await tx.manager.find(PaymentAllocationEntity, { where: { paymentId: id } });
      const patch: Partial<PaymentEntity> = {};
      if (input.date !== undefined) {
        patch.date = input.date;
      }
      if (input.method !== undefined) {
        patch.method = input.method;
      }
      if (input.reference !== undefined) {
        patch.reference = input.reference;
      }
      if (input.fxRate !== undefined) {
        patch.fxRate = input.fxRate;
      }
      if (input.currency !== undefined && input.currency !== payment.currency) {
        if (allocations.length > 0) {
          throw new BadInputError('the currency of a payment with allocations cannot change: remove them first', { field: 'currency' });
        }
        patch.currency = input.currency;
      }
      if (input.amount !== undefined) {
        assertPositive(input.amount, 'amount');
        const allocated = sumAmounts(allocations.map((allocation) => allocation.allocatedAmountAmount));
        if (allocated.greaterThan(input.amount)) {
          throw new BadInputError(`amount ${toAmount(input.amount)} is less than the ${toAmount(allocated)} already allocated`, {
            field: 'amount',
          });
        }
        patch.amountAmount = toAmount(input.amount);
      }
      await tx.update(PaymentEntity, id, patch);
      return this.refreshUnallocated(tx, id);
    });
  }

  addAllocation(input: CreatePaymentAllocationInput): Promise<PaymentAllocationEntity> {
    const { paymentId, ...allocation } = input;
    return this.writePoint.run(async (tx) => {
      const payment = await this.lockDraft(tx.manager, paymentId);
      const created = await this.allocate(tx, payment, allocation);
      await this.refreshUnallocated(tx, paymentId);
      return created;
    });
  }

  updateAllocation(id: string, input: UpdatePaymentAllocationInput): Promise<PaymentAllocationEntity> {
    return this.writePoint.run(async (tx) => {
      const current = await tx.manager.findOne(PaymentAllocationEntity, { where: { id } });
      assertFound(current, 'PaymentAllocation', id);
      const payment = await this.lockDraft(tx.manager, current.paymentId);
      const invoice = await tx.manager.findOneOrFail(InvoiceEntity, { where: { id: current.invoiceId } });
      await this.assertAllocation(tx.manager, payment, invoice, input.allocatedAmount, id);
      const updated = await tx.update(PaymentAllocationEntity, id, { allocatedAmountAmount: toAmount(input.allocatedAmount) });
      await this.refreshUnallocated(tx, payment.id);
      return updated;
    });
  }

  removeAllocation(id: string): Promise<PaymentEntity> {
    return this.writePoint.run(async (tx) => {
      const allocation = await tx.manager.findOne(PaymentAllocationEntity, { where: { id } });
      assertFound(allocation, 'PaymentAllocation', id);
      await this.lockDraft(tx.manager, allocation.paymentId);
      await tx.delete(PaymentAllocationEntity, id);
      return this.refreshUnallocated(tx, allocation.paymentId);
    });
  }

  /**
   * DRAFT → POSTED: re-checks every allocation against the invoice as it is now (another payment may have been
   * posted since), lowers each invoice's amountDue, fixes the FX rate and keeps the rest as unallocatedAmount.
   */
  post(id: string): Promise<PaymentEntity> {
    return this.writePoint.run(async (tx) => {
      const payment = await lockRow(tx.manager, PaymentEntity, id, 'Payment');
      paymentStates.assertTransition(payment.status, PaymentStatus.POSTED);
      const allocations = await this.lockedAllocations(tx.manager, id);
      for (const allocation of allocations) {
        const invoice = await lockRow(tx.manager, InvoiceEntity, allocation.invoiceId, 'Invoice');
        assertAllocatable(payment, invoice, allocation.allocatedAmountAmount);
        await tx.update(InvoiceEntity, invoice.id, {
          amountDueAmount: toAmount(decimal(invoice.amountDueAmount).minus(allocation.allocatedAmountAmount)),
        });
      }
      const legalEntity = await tx.manager.findOneOrFail(LegalEntityEntity, { where: { id: payment.legalEntityId } });
      const fxRate =
        payment.fxRate ??
        (await this.fxRateService.rateOn(payment.currency, legalEntity.functionalCurrency, payment.date, tx.manager)).rate;
      const allocated = sumAmounts(allocations.map((allocation) => allocation.allocatedAmountAmount));
      return tx.transition(PaymentEntity, id, paymentStates, PaymentStatus.POSTED, () => ({
        fxRate,
        baseCurrency: legalEntity.functionalCurrency,
        baseAmountAmount: toAmount(decimal(payment.amountAmount).times(fxRate)),
        unallocatedAmountAmount: toAmount(decimal(payment.amountAmount).minus(allocated)),
        postedAt: this.clock.now(),
      }));
    });
  }

  /** → CANCELLED; a posted payment's allocations are reversed (each invoice's amountDue rises back). */
  cancel(id: string): Promise<PaymentEntity> {
    return this.writePoint.run(async (tx) => {
      const payment = await lockRow(tx.manager, PaymentEntity, id, 'Payment');
      paymentStates.assertTransition(payment.status, PaymentStatus.CANCELLED);
      if (payment.status === PaymentStatus.POSTED) {
        for (const allocation of await this.lockedAllocations(tx.manager, id)) {
          const invoice = await lockRow(tx.manager, InvoiceEntity, allocation.invoiceId, 'Invoice');
          const restored = decimal(invoice.amountDueAmount).plus(allocation.allocatedAmountAmount);
          if (restored.greaterThan(invoice.totalAmount)) {
            throw new ConflictError(`reversing the payment would make invoice ${invoice.number} owe more than its total`, {
              invoiceId: invoice.id,
            });
          }
          await tx.update(InvoiceEntity, invoice.id, { amountDueAmount: toAmount(restored) });
        }
      }
      return tx.transition(PaymentEntity, id, paymentStates, PaymentStatus.CANCELLED, () => ({ cancelledAt: this.clock.now() }));
    });
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────

  private async allocate(tx: WriteTransaction, payment: PaymentEntity, input: PaymentAllocationInput): Promise<PaymentAllocationEntity> {
    const invoice = await tx.manager.findOne(InvoiceEntity, { where: { id: input.invoiceId } });
    if (!invoice) {
      throw new BadInputError(`invoice ${input.invoiceId} does not exist`, { field: 'invoiceId', invoiceId: input.invoiceId });
    }
    const existing = await tx.manager.findOne(PaymentAllocationEntity, { where: { paymentId: payment.id, invoiceId: invoice.id } });
    if (existing) {
      throw new ConflictError(`the payment already has an allocation to invoice ${invoice.number}: update it instead`, {
        allocationId: existing.id,
      });
    }
    await this.assertAllocation(tx.manager, payment, invoice, input.allocatedAmount, null);
    return tx.create(PaymentAllocationEntity, {
      paymentId: payment.id,
      invoiceId: invoice.id,
      allocatedAmountAmount: toAmount(input.allocatedAmount),
      currency: payment.currency,
    });
  }

  /** The allocation rules, plus: all allocations of the payment together stay within its amount. */
  private async assertAllocation(
    manager: EntityManager,
    payment: PaymentEntity,
    invoice: InvoiceEntity,
    amount: string,
    replacing: string | null,
  ): Promise<void> {
    assertPositive(amount, 'allocatedAmount');
    assertAllocatable(payment, invoice, amount);
    const others = await manager.find(PaymentAllocationEntity, { where: { paymentId: payment.id } });
    const allocated = sumAmounts(others.filter((other) => other.id !== replacing).map((other) => other.allocatedAmountAmount)).plus(amount);
    if (allocated.greaterThan(payment.amountAmount)) {
      throw new BadInputError(`allocations of ${toAmount(allocated)} would exceed the payment amount ${toAmount(payment.amountAmount)}`, {
        field: 'allocatedAmount',
        allocated: toAmount(allocated),
        amount: toAmount(payment.amountAmount),
      });
    }
  }

  private async refreshUnallocated(tx: WriteTransaction, paymentId: string): Promise<PaymentEntity> {
    const payment = await lockRow(tx.manager, PaymentEntity, paymentId, 'Payment');
    const allocations = await tx.manager.find(PaymentAllocationEntity, { where: { paymentId } });
    const allocated = sumAmounts(allocations.map((allocation) => allocation.allocatedAmountAmount));
    return tx.update(PaymentEntity, paymentId, { unallocatedAmountAmount: toAmount(decimal(payment.amountAmount).minus(allocated)) });
  }

  private async lockDraft(manager: EntityManager, id: string): Promise<PaymentEntity> {
    const payment = await lockRow(manager, PaymentEntity, id, 'Payment');
    if (payment.status !== PaymentStatus.DRAFT) {
      throw new ConflictError(`payment ${id} is ${payment.status}: only DRAFT payments and their allocations can be edited`, {
        paymentId: id,
        status: payment.status,
      });
    }
    return payment;
  }

  /** Allocations in invoice id order, so two payments touching the same invoices lock them in the same order. */
  private lockedAllocations(manager: EntityManager, paymentId: string): Promise<PaymentAllocationEntity[]> {
    return manager.find(PaymentAllocationEntity, { where: { paymentId }, order: { invoiceId: 'ASC' } });
  }
}

function assertPositive(amount: string, field: string): void {
  if (!decimal(amount).greaterThan(0)) {
    throw new BadInputError(`${field} must be greater than 0`, { field });
  }
}

/** An allocation goes to a POSTED invoice of the payer, of the same legal entity and currency, within its amountDue. */
function assertAllocatable(payment: PaymentEntity, invoice: InvoiceEntity, amount: string): void {
  const label = invoice.number ?? invoice.id;
  if (invoice.status !== InvoiceStatus.POSTED) {
    throw new BadInputError(`invoice ${label} is ${invoice.status}: only POSTED invoices can receive payments`, {
      field: 'invoiceId',
      invoiceId: invoice.id,
    });
  }
  if (invoice.customerId !== payment.customerId) {
    throw new BadInputError(`invoice ${label} belongs to another customer than the payer`, { field: 'invoiceId', invoiceId: invoice.id });
  }
  if (invoice.legalEntityId !== payment.legalEntityId) {
    throw new BadInputError(`invoice ${label} was issued by another legal entity than the one paid`, {
      field: 'invoiceId',
      invoiceId: invoice.id,
    });
  }
  if (invoice.currency !== payment.currency) {
    throw new BadInputError(`invoice ${label} is in ${invoice.currency}, the payment in ${payment.currency}`, {
      field: 'invoiceId',
      invoiceId: invoice.id,
    });
  }
  if (decimal(amount).greaterThan(invoice.amountDueAmount)) {
    throw new BadInputError(
      `allocation ${toAmount(amount)} exceeds the amount due ${toAmount(invoice.amountDueAmount)} of invoice ${label}`,
      {
        field: 'allocatedAmount',
        invoiceId: invoice.id,
        amountDue: toAmount(invoice.amountDueAmount),
      },
    );
  }
}
