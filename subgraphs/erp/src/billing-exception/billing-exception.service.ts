import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, type EntityManager } from 'typeorm';
import {
  BadInputError,
  ConcordError,
  ConflictError,
  currentContext,
  decimal,
  ErrorCode,
  groupByKeys,
  toAmount,
  type DecimalValue,
} from '@concord/common';
import { CLOCK, WritePoint, type Clock, type WriteTransaction } from '@concord/graphql';
import { lockRow } from '../common/lock';
import { ContractLineEntity, RevRecMethod } from '../contract/contract-line.entity';
import { ContractEntity } from '../contract/contract.entity';
import { InvoiceLineEntity } from '../invoice/invoice-line.entity';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { InvoiceStatus, invoiceStates } from '../invoice/invoice.states';
import { RevenueEntryEntity } from '../revenue-entry/revenue-entry.entity';
import { CreditNoteEntity } from './credit-note.entity';
import type { CreateCreditNoteInput, CreateWriteOffInput } from './dtos/billing-exception.input';
import { WriteOffEntity } from './write-off.entity';

/**
 * Billing exceptions of POSTED invoices (DOMAIN.md §2 Invoice), each through the ERP write point with a reason
 * and the caller as approver:
 * - a credit note reduces the invoice's amount due, the contract's consumption and, on contract lines whose revenue
 *   follows billing (TM_AS_DELIVERED), the revenue recognised; crediting the whole total voids the invoice;
 * - a write-off reduces the amount due only (the work stays billed): revenue leakage.
 */
@Injectable()
export class BillingExceptionService {
  private readonly creditNotesByInvoice = new DataLoader<string, CreditNoteEntity[]>(
    async (invoiceIds) => {
      const rows = await this.dataSource
        .getRepository(CreditNoteEntity)
        .createQueryBuilder('creditNote')
        .where('creditNote.invoiceId = ANY(:invoiceIds)', { invoiceIds: [...invoiceIds] })
        .orderBy('creditNote.createdAt')
        .addOrderBy('creditNote.id')
        .getMany();
      return groupByKeys(invoiceIds, rows, (row) => row.invoiceId);
    },
    { cache: false },
  );

  private readonly writeOffsByInvoice = new DataLoader<string, WriteOffEntity[]>(
    async (invoiceIds) => {
      const rows = await this.dataSource
        .getRepository(WriteOffEntity)
        .createQueryBuilder('writeOff')
        .where('writeOff.invoiceId = ANY(:invoiceIds)', { invoiceIds: [...invoiceIds] })
        .orderBy('writeOff.createdAt')
        .addOrderBy('writeOff.id')
        .getMany();
      return groupByKeys(invoiceIds, rows, (row) => row.invoiceId);
    },
    { cache: false },
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly writePoint: WritePoint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  creditNotesOf(invoiceId: string): Promise<CreditNoteEntity[]> {
    return this.creditNotesByInvoice.load(invoiceId);
  }

  writeOffsOf(invoiceId: string): Promise<WriteOffEntity[]> {
    return this.writeOffsByInvoice.load(invoiceId);
  }

  findCreditNote(id: string): Promise<CreditNoteEntity | null> {
    return this.dataSource.getRepository(CreditNoteEntity).findOne({ where: { id } });
  }

  findWriteOff(id: string): Promise<WriteOffEntity | null> {
    return this.dataSource.getRepository(WriteOffEntity).findOne({ where: { id } });
  }

  createCreditNote(input: CreateCreditNoteInput): Promise<CreditNoteEntity> {
    const approvedBy = approver();
    const reason = requireReason(input.reason);
    return this.writePoint.run(async (tx) => {
      const invoice = await this.lockPosted(tx.manager, input.invoiceId, 'credited');
      const issueDate = input.issueDate ?? this.clock.today();
      assertNotBefore(issueDate, invoice, 'issueDate');
      const previous = await tx.manager.find(CreditNoteEntity, { where: { invoiceId: invoice.id } });
      const creditedSubtotal = sum(previous.map((note) => note.subtotalAmount));
      const creditable = decimal(invoice.subtotalAmount).minus(creditedSubtotal);
      const subtotal = decimal(input.subtotal ?? creditable);
      if (subtotal.lessThanOrEqualTo(0) || subtotal.greaterThan(creditable)) {
        throw new BadInputError(`a credit note of invoice ${invoice.number} must credit more than 0 and at most ${toAmount(creditable)}`, {
          field: 'subtotal',
          creditable: toAmount(creditable),
        });
      }
      // The last credit takes the tax that is left, so credit notes add up to the invoice to the cent.
      const tax = subtotal.equals(creditable)
        ? decimal(invoice.taxAmount).minus(sum(previous.map((note) => note.taxAmount)))
        : decimal(toAmount(subtotal.times(invoice.taxRate).dividedBy(100)));
      const total = subtotal.plus(tax);
      if (total.greaterThan(invoice.amountDueAmount)) {
        throw new ConflictError(
          `invoice ${invoice.number} has ${toAmount(invoice.amountDueAmount)} due: a credit note of ${toAmount(total)} would exceed it (cancel payments or write-offs first)`,
          { invoiceId: invoice.id, amountDue: toAmount(invoice.amountDueAmount), total: toAmount(total) },
        );
      }
      const fxRate = invoice.fxRate as string;
      const creditNote = await tx.create(CreditNoteEntity, {
        number: `${invoice.number}-CN${previous.length + 1}`,
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        clientId: invoice.clientId,
        legalEntityId: invoice.legalEntityId,
        contractId: invoice.contractId,
        projectId: invoice.projectId,
        issueDate,
        currency: invoice.currency,
        subtotalAmount: toAmount(subtotal),
        taxAmount: toAmount(tax),
        totalAmount: toAmount(total),
        fxRate,
        baseCurrency: invoice.baseCurrency as string,
        baseTotalAmount: toAmount(total.times(fxRate)),
        reason,
        approvedBy,
      });
      const credited = decimal(invoice.creditedTotalAmount).plus(total);
      const amountDue = toAmount(decimal(invoice.amountDueAmount).minus(total));
      if (credited.equals(invoice.totalAmount)) {
        await tx.transition(InvoiceEntity, invoice.id, invoiceStates, InvoiceStatus.CANCELLED, () => ({
          amountDueAmount: amountDue,
          creditedTotalAmount: toAmount(credited),
          cancelledAt: this.clock.now(),
        }));
      } else {
        await tx.update(InvoiceEntity, invoice.id, { amountDueAmount: amountDue, creditedTotalAmount: toAmount(credited) });
      }
      if (invoice.contractId) {
        await this.reduceConsumption(tx, invoice.contractId, subtotal);
      }
      await this.reverseRevenue(tx, invoice, subtotal, issueDate);
      return creditNote;
    });
  }

  createWriteOff(input: CreateWriteOffInput): Promise<WriteOffEntity> {
    const approvedBy = approver();
    const reason = requireReason(input.reason);
    return this.writePoint.run(async (tx) => {
      const invoice = await this.lockPosted(tx.manager, input.invoiceId, 'written off');
      const date = input.date ?? this.clock.today();
      assertNotBefore(date, invoice, 'date');
      const due = decimal(invoice.amountDueAmount);
      const amount = decimal(input.amount ?? due);
      if (due.lessThanOrEqualTo(0)) {
        throw new ConflictError(`invoice ${invoice.number} has nothing due to write off`, { invoiceId: invoice.id });
      }
      if (amount.lessThanOrEqualTo(0) || amount.greaterThan(due)) {
        throw new BadInputError(
          `a write-off of invoice ${invoice.number} must be more than 0 and at most its amount due ${toAmount(due)}`,
          {
            field: 'amount',
            amountDue: toAmount(due),
          },
        );
      }
      const writeOff = await tx.create(WriteOffEntity, {
        invoiceId: invoice.id,
        clientId: invoice.clientId,
        legalEntityId: invoice.legalEntityId,
        contractId: invoice.contractId,
        projectId: invoice.projectId,
        date,
        currency: invoice.currency,
        amountAmount: toAmount(amount),
        reason,
        approvedBy,
      });
      await tx.update(InvoiceEntity, invoice.id, {
        amountDueAmount: toAmount(due.minus(amount)),
        writtenOffTotalAmount: toAmount(decimal(invoice.writtenOffTotalAmount).plus(amount)),
      });
      return writeOff;
    });
  }

  private async lockPosted(manager: EntityManager, invoiceId: string, what: string): Promise<InvoiceEntity> {
    const invoice = await lockRow(manager, InvoiceEntity, invoiceId, 'Invoice');
    if (invoice.status !== InvoiceStatus.POSTED) {
      throw new ConflictError(`invoice ${invoice.number ?? invoice.id} is ${invoice.status}: only POSTED invoices can be ${what}`, {
        invoiceId,
        status: invoice.status,
      });
    }
    return invoice;
  }

  private async reduceConsumption(tx: WriteTransaction, contractId: string, amount: DecimalValue): Promise<void> {
    const contract = await lockRow(tx.manager, ContractEntity, contractId, 'Contract');
    const consumed = decimal(contract.consumedAmountAmount).minus(amount);
    await tx.update(ContractEntity, contractId, { consumedAmountAmount: toAmount(consumed.isNegative() ? decimal(0) : consumed) });
  }

  /**
   * Revenue that followed billing (contract lines recognised TM_AS_DELIVERED) falls with the credit: the credit is
   * shared over the invoice's lines in proportion to their amounts (the last line takes the rounding rest), and each
   * share of such a line is reversed in its revenue ledger, in the credit note's month (or in its latest recorded
   * month when that is later, so the ledger stays in order), never below zero cumulative.
   */
  private async reverseRevenue(tx: WriteTransaction, invoice: InvoiceEntity, credit: DecimalValue, issueDate: string): Promise<void> {
    const lines = await tx.manager.find(InvoiceLineEntity, { where: { invoiceId: invoice.id }, order: { id: 'ASC' } });
    const subtotal = decimal(invoice.subtotalAmount);
    if (subtotal.isZero()) {
      return;
    }
    let rest = credit;
    const shares = new Map<string, DecimalValue>();
    lines.forEach((line, index) => {
      const share = index === lines.length - 1 ? rest : decimal(toAmount(credit.times(line.amountAmount).dividedBy(subtotal)));
      rest = rest.minus(share);
      if (line.contractLineId) {
        shares.set(line.contractLineId, (shares.get(line.contractLineId) ?? decimal(0)).plus(share));
      }
    });
    const month = `${issueDate.slice(0, 7)}-01`;
    for (const [contractLineId, share] of shares) {
      const contractLine = await lockRow(tx.manager, ContractLineEntity, contractLineId, 'ContractLine');
      if (contractLine.revRecMethod !== RevRecMethod.TM_AS_DELIVERED || share.lessThanOrEqualTo(0)) {
        continue;
      }
      const latest = await tx.manager.findOne(RevenueEntryEntity, { where: { contractLineId }, order: { period: 'DESC' } });
      if (!latest) {
        continue;
      }
      const reversal = share.greaterThan(latest.cumulativeRecognizedAmount) ? decimal(latest.cumulativeRecognizedAmount) : share;
      if (reversal.isZero()) {
        continue;
      }
      const cumulative = decimal(latest.cumulativeRecognizedAmount).minus(reversal);
      const billedLeft = decimal(latest.billedToDateAmount).minus(share);
      const billed = billedLeft.isNegative() ? decimal(0) : billedLeft;
      if (latest.period >= month) {
        await tx.update(RevenueEntryEntity, latest.id, {
          recognizedAmountAmount: toAmount(decimal(latest.recognizedAmountAmount).minus(reversal)),
          ...positions(cumulative, billed),
        });
      } else {
        await tx.create(RevenueEntryEntity, {
          contractLineId,
          contractId: latest.contractId,
          projectId: latest.projectId,
          period: month,
          method: latest.method,
          currency: latest.currency,
          recognizedAmountAmount: toAmount(reversal.negated()),
          ...positions(cumulative, billed),
        });
      }
    }
  }
}

/** The caller approves the exception; the write point refuses callerless writes, this says why up front. */
function approver(): string {
  const sub = currentContext()?.actor?.sub;
  if (!sub) {
    throw new ConcordError(ErrorCode.FORBIDDEN, 'a billing exception needs an identified caller to approve it');
  }
  return sub;
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) {
    throw new BadInputError('a reason is required', { field: 'reason' });
  }
  return trimmed;
}

function assertNotBefore(date: string, invoice: InvoiceEntity, field: string): void {
  if (date < invoice.issueDate) {
    throw new BadInputError(`${field} cannot be before the invoice issue date ${invoice.issueDate}`, {
      field,
      issueDate: invoice.issueDate,
    });
  }
}

function sum(amounts: readonly string[]): DecimalValue {
  return amounts.reduce((total, amount) => total.plus(amount), decimal(0));
}

/** unbilled (WIP) = max(cumulative − billed, 0); deferred = max(billed − cumulative, 0) (as RevenueEntryService). */
function positions(cumulative: DecimalValue, billed: DecimalValue): Partial<RevenueEntryEntity> {
  const difference = cumulative.minus(billed);
  return {
    cumulativeRecognizedAmount: toAmount(cumulative),
    billedToDateAmount: toAmount(billed),
    unbilledAmount: toAmount(difference.isPositive() ? difference : decimal(0)),
    deferredAmount: toAmount(difference.isNegative() ? difference.negated() : decimal(0)),
  };
}
