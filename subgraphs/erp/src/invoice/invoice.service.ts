import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, type EntityManager, type Repository } from 'typeorm';
import {
  addDays,
  assertFound,
  BadInputError,
  ConflictError,
  decimal,
  groupByKeys,
  loadByIds,
  loadChildren,
  money,
  paginate,
  sumAmounts,
  toAmount,
  yearOf,
  type DecimalValue,
  type Page,
} from '@concord/common';
import { childListLoader, CLOCK, WritePoint, type Clock, type Money, type WriteTransaction } from '@concord/graphql';
import { BillingScheduleLineEntity, BillingScheduleLineStatus } from '../billing-schedule/billing-schedule-line.entity';
import { billingScheduleLineStates } from '../billing-schedule/billing-schedule.states';
import { lockRow } from '../common/lock';
import { ContractLineEntity } from '../contract/contract-line.entity';
import { FxRateService } from '../currency/fx-rate.service';
import { ContractEntity, ContractStatus } from '../contract/contract.entity';
import { LegalCustomerEntity } from '../legal-customer/legal-customer.entity';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import {
  InvoiceLineSortField,
  InvoiceSortField,
  type CreateInvoiceInput,
  type CreateInvoiceLineInput,
  type InvoiceFilter,
  type InvoiceLineInput,
  type InvoiceLinesArgs,
  type InvoiceListArgs,
  type InvoicesArgs,
  type UpdateInvoiceInput,
  type UpdateInvoiceLineInput,
} from './dtos/invoice.input';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceNumberSequenceEntity } from './invoice-number-sequence.entity';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceLineSourceType, InvoicePaymentStatus, InvoiceStatus, invoicePaymentStatus, invoiceStates } from './invoice.states';

/** Contracts an invoice may bill: signed ones (a DRAFT contract is not yet an agreement, a CANCELLED one never was). */
const BILLABLE_CONTRACT_STATUSES: readonly ContractStatus[] = [
  ContractStatus.ACTIVE,
  ContractStatus.SUSPENDED,
  ContractStatus.COMPLETED,
  ContractStatus.TERMINATED,
];

interface Totals {
  subtotalAmount: string;
  taxAmount: string;
  totalAmount: string;
}

@Injectable()
export class InvoiceService {
  private readonly byId = new DataLoader<string, InvoiceEntity | null>((ids) => loadByIds(this.invoices, ids), { cache: false });

  private readonly linesByInvoice = new DataLoader<string, InvoiceLineEntity[]>(
    async (invoiceIds) => {
      const rows = await this.lines
        .createQueryBuilder('line')
        .where('line.invoiceId = ANY(:invoiceIds)', { invoiceIds: [...invoiceIds] })
        .orderBy('line.id')
        .getMany();
      return groupByKeys(invoiceIds, rows, (row) => row.invoiceId);
    },
    { cache: false },
  );

  private readonly byClient = childListLoader<InvoiceListArgs, InvoiceEntity>((clientIds, args) =>
    this.loadInvoiceLists('clientId', clientIds, args),
  );

  private readonly byProject = childListLoader<InvoiceListArgs, InvoiceEntity>((projectIds, args) =>
    this.loadInvoiceLists('projectId', projectIds, args),
  );

  private readonly arBalanceByClient = new DataLoader<string, Money[]>(
    async (clientIds) => {
      const rows: { clientId: string; currency: string; amount: string }[] = await this.invoices
        .createQueryBuilder('invoice')
        .select('invoice.clientId', 'clientId')
        .addSelect('invoice.currency', 'currency')
        .addSelect('SUM(invoice.amountDueAmount)', 'amount')
        .where('invoice.clientId = ANY(:clientIds)', { clientIds: [...clientIds] })
        .andWhere('invoice.status = :posted', { posted: InvoiceStatus.POSTED })
        .andWhere('invoice.amountDueAmount > 0')
        .groupBy('invoice.clientId')
        .addGroupBy('invoice.currency')
        .orderBy('invoice.currency')
        .getRawMany();
      return groupByKeys(clientIds, rows, (row) => row.clientId).map((group) => group.map((row) => money(row.amount, row.currency)));
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(InvoiceEntity) private readonly invoices: Repository<InvoiceEntity>,
    @InjectRepository(InvoiceLineEntity) private readonly lines: Repository<InvoiceLineEntity>,
    private readonly writePoint: WritePoint,
    private readonly fxRateService: FxRateService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ── reads ────────────────────────────────────────────────────────────────────────────────────────────

  findById(id: string): Promise<InvoiceEntity | null> {
    return this.byId.load(id);
  }

  async findLineById(id: string): Promise<InvoiceLineEntity | null> {
    return this.lines.findOne({ where: { id } });
  }

  linesOf(invoice: InvoiceEntity): Promise<InvoiceLineEntity[]> {
    return this.linesByInvoice.load(invoice.id);
  }

  invoicesOfClient(clientId: string, args: InvoiceListArgs): Promise<InvoiceEntity[]> {
    return this.byClient.load({ parentId: clientId, args: { first: args.first, statusIn: args.statusIn ?? undefined } });
  }

  invoicesOfProject(projectId: string, args: InvoiceListArgs): Promise<InvoiceEntity[]> {
    return this.byProject.load({ parentId: projectId, args: { first: args.first, statusIn: args.statusIn ?? undefined } });
  }

  /** Sum of amountDue of the client's POSTED invoices per currency (SQL numeric sums: exact decimals). */
  arBalanceOf(clientId: string): Promise<Money[]> {
    return this.arBalanceByClient.load(clientId);
  }

  /** UNPAID / PARTIALLY_PAID / PAID / OVERDUE of a POSTED invoice as of `asOf` (default today); null otherwise. */
  paymentStatusOf(invoice: InvoiceEntity, asOf?: string | null): InvoicePaymentStatus | null {
    return invoicePaymentStatus(invoice, asOf ?? this.clock.today());
  }

  list({ filter = {}, orderBy, ...page }: InvoicesArgs): Promise<Page<InvoiceEntity>> {
    const query = this.invoices.createQueryBuilder('invoice');
    this.applyFilter(query, filter);
    const field = orderBy?.field ?? InvoiceSortField.ISSUE_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? (orderBy ? 'ASC' : 'DESC') });
  }

  listLines({ filter = {}, orderBy, ...page }: InvoiceLinesArgs): Promise<Page<InvoiceLineEntity>> {
    const query = this.lines.createQueryBuilder('line');
    if (filter.invoiceId) {
      query.andWhere('line.invoiceId = :invoiceId', { invoiceId: filter.invoiceId });
    }
    if (filter.sourceTypeIn?.length) {
      query.andWhere('line.sourceType = ANY(:sourceTypes)', { sourceTypes: filter.sourceTypeIn });
    }
    if (filter.contractLineId) {
      query.andWhere('line.contractLineId = :contractLineId', { contractLineId: filter.contractLineId });
    }
    if (filter.billingScheduleLineId) {
      query.andWhere('line.billingScheduleLineId = :billingScheduleLineId', { billingScheduleLineId: filter.billingScheduleLineId });
    }
    if (filter.sourceId) {
      query.andWhere(':sourceId = ANY(line.sourceIds)', { sourceId: filter.sourceId });
    }
    const field = orderBy?.field ?? InvoiceLineSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /**
   * The ids among `sourceIds` that a live (DRAFT or POSTED) invoice already bills: what an invoice run leaves out, so
   * work on an earlier draft is not billed twice while that draft waits for posting.
   */
  billedSourceIds(sourceType: InvoiceLineSourceType, sourceIds: readonly string[]): Promise<string[]> {
    if (sourceType !== InvoiceLineSourceType.TIME && sourceType !== InvoiceLineSourceType.EXPENSE) {
      throw new BadInputError('only TIME and EXPENSE sources are tracked per id', { field: 'sourceType' });
    }
    return sourceIds.length ? this.billedSources(this.invoices.manager, sourceType, sourceIds) : Promise.resolve([]);
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────────────

  create(input: CreateInvoiceInput): Promise<InvoiceEntity> {
    const { lines = [], ...fields } = input;
    return this.writePoint.run(async (tx) => {
      const customer = await this.requireCustomer(tx.manager, fields.customerId);
      await this.requireLegalEntity(tx.manager, fields.legalEntityId);
      const contract = fields.contractId
        ? await this.requireContract(tx.manager, fields.contractId, fields.customerId, fields.legalEntityId)
        : null;
      const currency = fields.currency ?? contract?.currency ?? customer.defaultCurrency;
      if (contract && contract.currency !== currency) {
        throw new BadInputError(`an invoice of contract ${contract.number} must be in the contract currency ${contract.currency}`, {
          field: 'currency',
        });
      }
      const issueDate = fields.issueDate ?? this.clock.today();
      assertDueDate(issueDate, fields.dueDate ?? null);
      const invoice = await tx.create(InvoiceEntity, {
        customerId: customer.id,
        clientId: customer.clientId,
        legalEntityId: fields.legalEntityId,
        contractId: contract?.id ?? null,
        projectId: fields.projectId ?? null,
        issueDate,
        dueDate: fields.dueDate ?? null,
        currency,
        taxRate: fields.taxRate ?? '0',
        billingPeriodEnd: fields.billingPeriodEnd ?? null,
        status: InvoiceStatus.DRAFT,
      });
      if (lines.length > 0) {
        // the contract's invoices are made one at a time, so two runs cannot both bill the same source
        if (contract) {
          await lockRow(tx.manager, ContractEntity, contract.id, 'Contract');
        }
        const values = await this.linesValues(tx.manager, invoice, lines, null);
        for (const line of values) {
          await tx.create<InvoiceLineEntity>(InvoiceLineEntity, { ...line, invoiceId: invoice.id });
        }
      }
      return this.refreshTotals(tx, invoice.id);
    });
  }

  update(id: string, input: UpdateInvoiceInput): Promise<InvoiceEntity> {
    return this.writePoint.run(async (tx) => {
      const invoice = await this.lockDraft(tx.manager, id);
      const patch: Partial<InvoiceEntity> = {};
      if (input.contractId !== undefined) {
        const contract = input.contractId
          ? await this.requireContract(tx.manager, input.contractId, invoice.customerId, invoice.legalEntityId)
          : null;
        if (contract && contract.currency !== (input.currency ?? invoice.currency)) {
          throw new BadInputError(`an invoice of contract ${contract.number} must be in the contract currency ${contract.currency}`, {
            field: 'contractId',
          });
        }
        if ((contract?.id ?? null) !== invoice.contractId) {
          const [{ count }] = await tx.manager.query(
            `SELECT count(*)::int AS count FROM erp.invoice_line
             WHERE invoice_id = $1 AND (contract_line_id IS NOT NULL OR billing_schedule_line_id IS NOT NULL)`,
            [id],
          );
          if (count > 0) {
            throw new BadInputError('lines of this invoice bill the current contract: remove them before changing the contract', {
              field: 'contractId',
            });
          }
        }
        patch.contractId = contract?.id ?? null;
      }
      if (input.currency !== undefined && input.currency !== invoice.currency) {
        if ((await tx.manager.count(InvoiceLineEntity, { where: { invoiceId: id } })) > 0) {
          throw new BadInputError('the currency of an invoice with lines cannot change: remove the lines first', { field: 'currency' });
        }
        patch.currency = input.currency;
      }
      if (input.projectId !== undefined) {
        patch.projectId = input.projectId;
      }
      if (input.issueDate !== undefined) {
        patch.issueDate = input.issueDate;
      }
      if (input.dueDate !== undefined) {
        patch.dueDate = input.dueDate;
      }
      if (input.taxRate !== undefined) {
        patch.taxRate = input.taxRate;
      }
      if (input.billingPeriodEnd !== undefined) {
        patch.billingPeriodEnd = input.billingPeriodEnd;
      }
      assertDueDate(patch.issueDate ?? invoice.issueDate, patch.dueDate !== undefined ? patch.dueDate : invoice.dueDate);
      await tx.update(InvoiceEntity, id, patch);
      return this.refreshTotals(tx, id);
    });
  }

  addLine(input: CreateInvoiceLineInput): Promise<InvoiceLineEntity> {
    const { invoiceId, ...line } = input;
    return this.writePoint.run(async (tx) => {
      const invoice = await this.lockDraft(tx.manager, invoiceId);
      const created = await this.insertLine(tx, invoice, line);
      await this.refreshTotals(tx, invoiceId);
      return created;
    });
  }

  updateLine(id: string, input: UpdateInvoiceLineInput): Promise<InvoiceLineEntity> {
    return this.writePoint.run(async (tx) => {
      const current = await tx.manager.findOne(InvoiceLineEntity, { where: { id } });
      assertFound(current, 'InvoiceLine', id);
      const invoice = await this.lockDraft(tx.manager, current.invoiceId);
      const repriced = input.qty !== undefined || input.rate !== undefined || input.sourceIds !== undefined || input.sourceType !== undefined;
      const merged: InvoiceLineInput = {
        sourceType: input.sourceType ?? current.sourceType,
        sourceIds: input.sourceIds ?? current.sourceIds,
        description: input.description ?? current.description,
        qty: input.qty ?? current.qty,
        rate: input.rate ?? current.rateAmount,
        // a line billed at its sources' own amounts keeps that amount until what it bills changes
        amount: repriced ? null : current.amountAmount,
        contractLineId: input.contractLineId !== undefined ? input.contractLineId : current.contractLineId,
        billingScheduleLineId: input.billingScheduleLineId !== undefined ? input.billingScheduleLineId : current.billingScheduleLineId,
      };
      const [values] = await this.linesValues(tx.manager, invoice, [merged], id);
      const updated = await tx.update(InvoiceLineEntity, id, values);
      await this.refreshTotals(tx, invoice.id);
      return updated;
    });
  }

  removeLine(id: string): Promise<InvoiceEntity> {
    return this.writePoint.run(async (tx) => {
      const line = await tx.manager.findOne(InvoiceLineEntity, { where: { id } });
      assertFound(line, 'InvoiceLine', id);
      await this.lockDraft(tx.manager, line.invoiceId);
      await tx.delete(InvoiceLineEntity, id);
      return this.refreshTotals(tx, line.invoiceId);
    });
  }

  /**
   * DRAFT → POSTED: needs at least one line; fixes the totals (decimals), the due date (issue date + customer
   * payment terms unless set), the FX rate to the legal entity currency, and takes the next number of the legal
   * entity's yearly sequence. Billing schedule lines it bills become INVOICED; the contract's consumption grows.
   */
  post(id: string): Promise<InvoiceEntity> {
    return this.writePoint.run(async (tx) => {
      const invoice = await lockRow(tx.manager, InvoiceEntity, id, 'Invoice');
      invoiceStates.assertTransition(invoice.status, InvoiceStatus.POSTED);
      const lines = await tx.manager.find(InvoiceLineEntity, { where: { invoiceId: id }, order: { id: 'ASC' } });
      if (lines.length === 0) {
        throw new BadInputError('an invoice needs at least one line to be posted', { invoiceId: id });
      }
      const totals = computeTotals(lines, invoice.taxRate);
      if (decimal(totals.totalAmount).isNegative()) {
        throw new BadInputError('an invoice total cannot be negative: issue a credit note instead', { total: totals.totalAmount });
      }
      const customer = await this.requireCustomer(tx.manager, invoice.customerId);
      const legalEntity = await lockRow(tx.manager, LegalEntityEntity, invoice.legalEntityId, 'LegalEntity');
      const { rate: fxRate } = await this.fxRateService.rateOn(
        invoice.currency,
        legalEntity.functionalCurrency,
        invoice.issueDate,
        tx.manager,
      );
      const dueDate = invoice.dueDate ?? addDays(invoice.issueDate, customer.paymentTermsDays);
      const number = await this.nextNumber(tx, legalEntity, yearOf(invoice.issueDate));

      for (const line of lines) {
        if (line.billingScheduleLineId) {
          await tx.transition(
            BillingScheduleLineEntity,
            line.billingScheduleLineId,
            billingScheduleLineStates,
            BillingScheduleLineStatus.INVOICED,
            () => ({
              invoiceId: id,
            }),
          );
        }
      }
      if (invoice.contractId) {
        await this.addConsumption(tx, invoice.contractId, decimal(totals.subtotalAmount));
      }

      return tx.transition(InvoiceEntity, id, invoiceStates, InvoiceStatus.POSTED, () => ({
        ...totals,
        amountDueAmount: totals.totalAmount,
        number,
        dueDate,
        fxRate,
        baseCurrency: legalEntity.functionalCurrency,
        baseTotalAmount: toAmount(decimal(totals.totalAmount).times(fxRate)),
        postedAt: this.clock.now(),
      }));
    });
  }

  /**
   * → CANCELLED. A posted invoice is voided: refused while posted payments are allocated to it (cancel them
   * first); its billing schedule lines are READY to bill again and the contract consumption is given back.
   */
  cancel(id: string): Promise<InvoiceEntity> {
    return this.writePoint.run(async (tx) => {
      const invoice = await lockRow(tx.manager, InvoiceEntity, id, 'Invoice');
      invoiceStates.assertTransition(invoice.status, InvoiceStatus.CANCELLED);
      if (decimal(invoice.creditedTotalAmount).greaterThan(0) || decimal(invoice.writtenOffTotalAmount).greaterThan(0)) {
        throw new ConflictError(`invoice ${invoice.number} has credit notes or write-offs: credit what is left instead of voiding it`, {
          invoiceId: id,
        });
      }
      if (invoice.status === InvoiceStatus.POSTED) {
        const [{ count }] = await tx.manager.query(
          `SELECT count(*)::int AS count FROM erp.payment_allocation allocation JOIN erp.payment payment ON payment.id = allocation.payment_id
           WHERE allocation.invoice_id = $1 AND payment.status = 'POSTED'`,
          [id],
        );
        if (count > 0) {
          throw new ConflictError(`invoice ${invoice.number} has posted payments allocated: cancel those payments first`, {
            invoiceId: id,
            payments: count,
          });
        }
        const billed = await tx.manager.find(BillingScheduleLineEntity, {
          where: { invoiceId: id, status: BillingScheduleLineStatus.INVOICED },
        });
        // Reopens what this invoice billed, the reverse of its own INVOICED step, so it can be billed again.
        for (const line of billed) {
          await tx.transition(BillingScheduleLineEntity, line.id, billingScheduleLineStates, BillingScheduleLineStatus.READY, () => ({
            invoiceId: null,
          }));
        }
        if (invoice.contractId) {
          await this.addConsumption(tx, invoice.contractId, decimal(invoice.subtotalAmount).negated());
        }
      }
      return tx.transition(InvoiceEntity, id, invoiceStates, InvoiceStatus.CANCELLED, () => ({
        amountDueAmount: '0.00',
        cancelledAt: this.clock.now(),
      }));
    });
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────

  private applyFilter(query: ReturnType<Repository<InvoiceEntity>['createQueryBuilder']>, filter: InvoiceFilter): void {
    if (filter.customerId) {
      query.andWhere('invoice.customerId = :customerId', { customerId: filter.customerId });
    }
    if (filter.clientId) {
      query.andWhere('invoice.clientId = :clientId', { clientId: filter.clientId });
    }
    if (filter.legalEntityId) {
      query.andWhere('invoice.legalEntityId = :legalEntityId', { legalEntityId: filter.legalEntityId });
    }
    if (filter.contractId) {
      query.andWhere('invoice.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.projectId) {
      query.andWhere('invoice.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('invoice.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.issueDateFrom) {
      query.andWhere('invoice.issueDate >= :issueDateFrom', { issueDateFrom: filter.issueDateFrom });
    }
    if (filter.issueDateTo) {
      query.andWhere('invoice.issueDate <= :issueDateTo', { issueDateTo: filter.issueDateTo });
    }
    if (filter.dueDateFrom) {
      query.andWhere('invoice.dueDate >= :dueDateFrom', { dueDateFrom: filter.dueDateFrom });
    }
    if (filter.dueDateTo) {
      query.andWhere('invoice.dueDate <= :dueDateTo', { dueDateTo: filter.dueDateTo });
    }
    if (filter.billingPeriodEnd) {
      query.andWhere('invoice.billingPeriodEnd = :billingPeriodEnd', { billingPeriodEnd: filter.billingPeriodEnd });
    }
    if (filter.paymentStatusIn?.length) {
      // The SQL twin of invoicePaymentStatus(): keep the two in step.
      const conditions = filter.paymentStatusIn.map((status) => PAYMENT_STATUS_SQL[status]);
      query.andWhere(`invoice.status = 'POSTED' AND (${conditions.join(' OR ')})`, { asOf: filter.asOf ?? this.clock.today() });
    }
  }

  private loadInvoiceLists(
    parentProperty: 'clientId' | 'projectId',
    parentIds: string[],
    args: InvoiceListArgs,
  ): Promise<InvoiceEntity[][]> {
    return loadChildren(this.invoices, parentIds, {
      parentProperty,
      limitPerParent: args.first,
      orderBy: 'issueDate',
      direction: 'DESC',
      where: args.statusIn?.length ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses: args.statusIn ?? [] },
    });
  }

  private async insertLine(tx: WriteTransaction, invoice: InvoiceEntity, line: InvoiceLineInput): Promise<InvoiceLineEntity> {
    const [values] = await this.linesValues(tx.manager, invoice, [line], null);
    return tx.create<InvoiceLineEntity>(InvoiceLineEntity, { ...values, invoiceId: invoice.id });
  }

  /**
   * Validates lines against their invoice and returns their columns; amount = qty × rate to cents half-even, or the
   * given amount of a sourced TIME/EXPENSE line. A constant number of queries whatever the number of lines (an
   * invoice run's invoice carries hundreds): contract lines, schedule lines, their open invoices and the sources
   * already billed are each read once. `lineId` is the line being replaced (updateLine), which conflicts with nothing.
   */
  private async linesValues(
    manager: EntityManager,
    invoice: InvoiceEntity,
    lines: readonly InvoiceLineInput[],
    lineId: string | null,
  ): Promise<Partial<InvoiceLineEntity>[]> {
    const contractLineIds = unique(lines.map((line) => line.contractLineId));
    const scheduleLineIds = unique(lines.map((line) => line.billingScheduleLineId));
    const contractLines = new Map(
      (contractLineIds.length ? await manager.find(ContractLineEntity, { where: { id: In(contractLineIds) } }) : []).map((row) => [row.id, row]),
    );
    const scheduleLines = new Map(
      (scheduleLineIds.length ? await manager.find(BillingScheduleLineEntity, { where: { id: In(scheduleLineIds) } }) : []).map((row) => [
        row.id,
        row,
      ]),
    );
    const onOpenInvoices = new Set<string>(
      scheduleLineIds.length
        ? (
            await manager.query(
              `SELECT DISTINCT line.billing_schedule_line_id AS id FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id
                WHERE line.billing_schedule_line_id = ANY($1::uuid[]) AND invoice.status <> 'CANCELLED' AND line.id IS DISTINCT FROM $2`,
              [scheduleLineIds, lineId],
            )
          ).map((row: { id: string }) => row.id)
        : [],
    );
    await this.assertSourcesUnbilled(manager, lines, lineId);
    const seenScheduleLines = new Set<string>();
    return lines.map((line) => {
      if (decimal(line.rate).isNegative() && line.sourceType !== InvoiceLineSourceType.ADJUSTMENT) {
        throw new BadInputError('only ADJUSTMENT lines may have a negative rate', { field: 'rate', sourceType: line.sourceType });
      }
      if (line.contractLineId) {
        const contractLine = contractLines.get(line.contractLineId);
        if (!contractLine) {
          throw new BadInputError(`contract line ${line.contractLineId} does not exist`, { field: 'contractLineId' });
        }
        if (contractLine.contractId !== invoice.contractId) {
          throw new BadInputError("the contract line must belong to the invoice's contract", { field: 'contractLineId' });
        }
      }
      if (line.billingScheduleLineId) {
        const scheduled = scheduleLines.get(line.billingScheduleLineId);
        if (!scheduled) {
          throw new BadInputError(`billing schedule line ${line.billingScheduleLineId} does not exist`, { field: 'billingScheduleLineId' });
        }
        if (scheduled.contractId !== invoice.contractId) {
          throw new BadInputError("the billing schedule line must belong to the invoice's contract", { field: 'billingScheduleLineId' });
        }
        if (scheduled.status !== BillingScheduleLineStatus.READY) {
          throw new BadInputError(`only a READY billing schedule line can be billed (this one is ${scheduled.status})`, {
            field: 'billingScheduleLineId',
          });
        }
        if (onOpenInvoices.has(scheduled.id) || seenScheduleLines.has(scheduled.id)) {
          throw new ConflictError('this billing schedule line is already on another open invoice', {
            billingScheduleLineId: line.billingScheduleLineId,
          });
        }
        seenScheduleLines.add(scheduled.id);
      }
      return {
        sourceType: line.sourceType,
        sourceIds: line.sourceIds ?? [],
        description: line.description,
        qty: toAmount(line.qty),
        rateAmount: toAmount(line.rate),
        amountAmount: lineAmount(line),
        currency: invoice.currency,
        contractLineId: line.contractLineId ?? null,
        billingScheduleLineId: line.billingScheduleLineId ?? null,
      };
    });
  }

  /**
   * A PSA time entry or expense is billed by one live invoice at most (DOMAIN.md §2: never bill a source twice): a
   * source already listed by a line of a DRAFT or POSTED invoice, or twice in these lines, is a CONFLICT. PSA marks
   * sources INVOICED only once an invoice is posted, so a draft's sources are still APPROVED there: this is the check
   * that keeps two drafts from billing the same work. One query over the GIN index of invoice_line.source_ids.
   */
  private async assertSourcesUnbilled(manager: EntityManager, lines: readonly InvoiceLineInput[], lineId: string | null): Promise<void> {
    for (const sourceType of [InvoiceLineSourceType.TIME, InvoiceLineSourceType.EXPENSE]) {
      const ids = lines.filter((line) => line.sourceType === sourceType).flatMap((line) => line.sourceIds ?? []);
      if (ids.length === 0) {
        continue;
      }
      const seen = new Set<string>();
      const repeated = ids.filter((id) => seen.size === seen.add(id).size);
      if (repeated.length > 0) {
        throw new ConflictError(`a ${sourceType} source is listed twice`, { sourceType, sourceIds: unique(repeated).slice(0, 20) });
      }
      const billed = await this.billedSources(manager, sourceType, ids, lineId);
      if (billed.length > 0) {
        throw new ConflictError(`${billed.length} ${sourceType} source(s) are already on a live invoice`, {
          sourceType,
          sourceIds: billed.slice(0, 20),
        });
      }
    }
  }

  /** The ids among `ids` that a line of a live (DRAFT or POSTED) invoice lists as sources of this type. */
  private async billedSources(
    manager: EntityManager,
    sourceType: InvoiceLineSourceType,
    ids: readonly string[],
    lineId: string | null = null,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT DISTINCT source.id::text AS id
         FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id
         CROSS JOIN LATERAL unnest(line.source_ids) AS source(id)
        WHERE line.source_ids && $1::uuid[] AND line.source_type = $2 AND invoice.status <> 'CANCELLED'
          AND line.id IS DISTINCT FROM $3 AND source.id = ANY($1::uuid[])
        ORDER BY 1`,
      [ids, sourceType, lineId],
    );
    return rows.map((row) => row.id);
  }

  /** Recomputes a draft's subtotal, tax, total and amount due from its lines, in the same transaction. */
  private async refreshTotals(tx: WriteTransaction, invoiceId: string): Promise<InvoiceEntity> {
    const invoice = await lockRow(tx.manager, InvoiceEntity, invoiceId, 'Invoice');
    const lines = await tx.manager.find(InvoiceLineEntity, { where: { invoiceId } });
    const totals = computeTotals(lines, invoice.taxRate);
    // A draft whose adjustments exceed its charges cannot be posted; it owes nothing meanwhile.
    const amountDue = decimal(totals.totalAmount).isNegative() ? '0.00' : totals.totalAmount;
    return tx.update(InvoiceEntity, invoiceId, { ...totals, amountDueAmount: amountDue });
  }

  private async lockDraft(manager: EntityManager, id: string): Promise<InvoiceEntity> {
    const invoice = await lockRow(manager, InvoiceEntity, id, 'Invoice');
    if (invoice.status !== InvoiceStatus.DRAFT) {
      throw new ConflictError(`invoice ${invoice.number ?? id} is ${invoice.status}: only DRAFT invoices can be edited`, {
        invoiceId: id,
        status: invoice.status,
      });
    }
    return invoice;
  }

  /** Next number of the legal entity's sequence for the year, under the legal entity row lock taken by post(). */
  private async nextNumber(tx: WriteTransaction, legalEntity: LegalEntityEntity, year: number): Promise<string> {
    const sequence = await tx.manager.findOne(InvoiceNumberSequenceEntity, { where: { legalEntityId: legalEntity.id, year } });
    const next = sequence
      ? (await tx.update(InvoiceNumberSequenceEntity, sequence.id, { lastNumber: sequence.lastNumber + 1 })).lastNumber
      : (await tx.create(InvoiceNumberSequenceEntity, { legalEntityId: legalEntity.id, year, lastNumber: 1 })).lastNumber;
    return `${legalEntity.code}-${year}-${String(next).padStart(5, '0')}`;
  }

  private async addConsumption(tx: WriteTransaction, contractId: string, delta: DecimalValue): Promise<void> {
    const contract = await lockRow(tx.manager, ContractEntity, contractId, 'Contract');
    const consumed = decimal(contract.consumedAmountAmount).plus(delta);
    await tx.update(ContractEntity, contractId, { consumedAmountAmount: toAmount(consumed.isNegative() ? decimal(0) : consumed) });
  }

  private async requireCustomer(manager: EntityManager, id: string): Promise<LegalCustomerEntity> {
    const customer = await manager.findOne(LegalCustomerEntity, { where: { id } });
    if (!customer) {
      throw new BadInputError(`legal customer ${id} does not exist`, { field: 'customerId', id });
    }
    return customer;
  }

  private async requireLegalEntity(manager: EntityManager, id: string): Promise<LegalEntityEntity> {
    const legalEntity = await manager.findOne(LegalEntityEntity, { where: { id } });
    if (!legalEntity) {
      throw new BadInputError(`legal entity ${id} does not exist`, { field: 'legalEntityId', id });
    }
    return legalEntity;
  }

  private async requireContract(manager: EntityManager, id: string, customerId: string, legalEntityId: string): Promise<ContractEntity> {
    const contract = await manager.findOne(ContractEntity, { where: { id } });
    if (!contract) {
      throw new BadInputError(`contract ${id} does not exist`, { field: 'contractId', id });
    }
    if (contract.customerId !== customerId || contract.legalEntityId !== legalEntityId) {
      throw new BadInputError(`contract ${contract.number} belongs to another customer or legal entity`, { field: 'contractId' });
    }
    if (!BILLABLE_CONTRACT_STATUSES.includes(contract.status)) {
      throw new BadInputError(`contract ${contract.number} is ${contract.status} and cannot be billed`, {
        field: 'contractId',
        status: contract.status,
      });
    }
    return contract;
  }
}

const PAYMENT_STATUS_SQL: Record<InvoicePaymentStatus, string> = {
  [InvoicePaymentStatus.PAID]: 'invoice.amountDueAmount <= 0',
  [InvoicePaymentStatus.OVERDUE]: '(invoice.amountDueAmount > 0 AND invoice.dueDate < :asOf)',
  [InvoicePaymentStatus.PARTIALLY_PAID]:
    '(invoice.amountDueAmount > 0 AND invoice.dueDate >= :asOf AND invoice.amountDueAmount < invoice.totalAmount)',
  [InvoicePaymentStatus.UNPAID]:
    '(invoice.amountDueAmount > 0 AND invoice.dueDate >= :asOf AND invoice.amountDueAmount >= invoice.totalAmount)',
};

function computeTotals(lines: readonly InvoiceLineEntity[], taxRate: string): Totals {
  const subtotal = sumAmounts(lines.map((line) => line.amountAmount));
  const tax = decimal(toAmount(subtotal.times(taxRate).dividedBy(100)));
  return { subtotalAmount: toAmount(subtotal), taxAmount: toAmount(tax), totalAmount: toAmount(subtotal.plus(tax)) };
}

function assertDueDate(issueDate: string, dueDate: string | null): void {
  if (dueDate && dueDate < issueDate) {
    throw new BadInputError('dueDate cannot be before issueDate', { field: 'dueDate', issueDate, dueDate });
  }
}

function unique(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}

/**
 * qty × rate to cents, or the given amount of a TIME/EXPENSE line with sources: the sum of its sources' own rounded
 * amounts (what PSA and the reconciliation hold the line to). That sum may differ from qty × rate by the rounding of
 * each source to the cent and of the rate to the cent: at most ½ cent per source and per unit of qty, no more.
 */
function lineAmount(line: InvoiceLineInput): string {
  const computed = decimal(line.qty).times(line.rate);
  if (line.amount === undefined || line.amount === null) {
    return toAmount(computed);
  }
  const sources = line.sourceIds?.length ?? 0;
  if ((line.sourceType !== InvoiceLineSourceType.TIME && line.sourceType !== InvoiceLineSourceType.EXPENSE) || sources === 0) {
    throw new BadInputError('only TIME and EXPENSE lines with sourceIds may give their amount', { field: 'amount' });
  }
  const tolerance = decimal('0.005').times(decimal(sources).plus(decimal(line.qty).abs()));
  if (decimal(line.amount).minus(computed).abs().greaterThan(tolerance)) {
    throw new BadInputError(`amount ${line.amount} is not qty × rate (${toAmount(computed)}) up to the rounding of its ${sources} source(s)`, {
      field: 'amount',
    });
  }
  return toAmount(line.amount);
}
