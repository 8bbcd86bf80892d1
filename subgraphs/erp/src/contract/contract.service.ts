import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConcordError,
  ConflictError,
  containsPattern,
  currentContext,
  ErrorCode,
  decimal,
  groupByKeys,
  loadByIds,
  loadChildren,
  paginate,
  toAmount,
  type Page,
} from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { BillingScheduleLineEntity, BillingScheduleLineStatus } from '../billing-schedule/billing-schedule-line.entity';
import { BillingScheduleEntity } from '../billing-schedule/billing-schedule.entity';
import { LegalCustomerEntity, LegalCustomerStatus } from '../legal-customer/legal-customer.entity';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import { RateCardEntity } from '../rate-card/rate-card.entity';
import { BillingModel, ContractLineEntity, InvoicePolicy, RevRecMethod } from './contract-line.entity';
import { ContractAmendmentEntity } from './contract-amendment.entity';
import { ContractEntity, ContractStatus } from './contract.entity';
import { contractStates, EDITABLE_CONTRACT_STATUSES } from './contract.states';
import {
  ContractLineSortField,
  ContractSortField,
  type ClientContractsArgs,
  type ContractLineInput,
  type ContractLinesArgs,
  type ContractsArgs,
  type CreateContractInput,
  type CreateContractLineInput,
  type UpdateContractInput,
  type UpdateContractLineInput,
} from './dtos/contract.input';

/** Billing models whose line amount is a fee (required), not an optional T&M cap. */
const FEE_MODELS: readonly BillingModel[] = [BillingModel.FIXED, BillingModel.MILESTONE, BillingModel.RETAINER];

const DEFAULT_REV_REC: Record<BillingModel, RevRecMethod> = {
  [BillingModel.TM]: RevRecMethod.TM_AS_DELIVERED,
  [BillingModel.FIXED]: RevRecMethod.PCT_COMPLETE,
  [BillingModel.MILESTONE]: RevRecMethod.MILESTONE,
  [BillingModel.RETAINER]: RevRecMethod.STRAIGHT_LINE,
};

const FINAL_STATUSES: readonly ContractStatus[] = [ContractStatus.COMPLETED, ContractStatus.TERMINATED, ContractStatus.CANCELLED];

@Injectable()
export class ContractService {
  private readonly byId = new DataLoader<string, ContractEntity | null>((ids) => loadByIds(this.contracts, ids), { cache: false });
  private readonly lineById = new DataLoader<string, ContractLineEntity | null>((ids) => loadByIds(this.contractLines, ids), {
    cache: false,
  });

  /** Contract.lines of many contracts in one statement. */
  private readonly linesByContractId = new DataLoader<string, ContractLineEntity[]>(
    async (contractIds) => {
      const rows = await this.contractLines
        .createQueryBuilder('line')
        .where('line.contractId = ANY(:contractIds)', { contractIds: [...contractIds] })
        .orderBy('line.createdAt', 'ASC')
        .addOrderBy('line.id', 'ASC')
        .getMany();
      return groupByKeys(contractIds, rows, (row) => row.contractId);
    },
    { cache: false },
  );

  private readonly amendmentsByContractId = new DataLoader<string, ContractAmendmentEntity[]>(
    async (contractIds) => {
      const rows = await this.contracts.manager
        .getRepository(ContractAmendmentEntity)
        .createQueryBuilder('amendment')
        .where('amendment.contractId = ANY(:contractIds)', { contractIds: [...contractIds] })
        .orderBy('amendment.version', 'DESC')
        .getMany();
      return groupByKeys(contractIds, rows, (row) => row.contractId);
    },
    { cache: false },
  );

  /** Client.contracts(first, statusIn): a page of clients asking the same arguments costs one statement. */
  private readonly byClient = childListLoader<{ first: number; statuses: string[] }, ContractEntity>((clientIds, { first, statuses }) =>
    loadChildren(this.contracts, clientIds, {
      parentProperty: 'clientId',
      limitPerParent: first,
      orderBy: 'createdAt',
      direction: 'DESC',
      where: statuses.length ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses },
    }),
  );

  constructor(
    @InjectRepository(ContractEntity) private readonly contracts: Repository<ContractEntity>,
    @InjectRepository(ContractLineEntity) private readonly contractLines: Repository<ContractLineEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ContractEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<ContractEntity> {
    const contract = await this.findById(id);
    assertFound(contract, 'Contract', id);
    return contract;
  }

  findLineById(id: string): Promise<ContractLineEntity | null> {
    return this.lineById.load(id);
  }

  async getLineById(id: string): Promise<ContractLineEntity> {
    const line = await this.findLineById(id);
    assertFound(line, 'ContractLine', id);
    return line;
  }

  linesOf(contractId: string): Promise<ContractLineEntity[]> {
    return this.linesByContractId.load(contractId);
  }

  contractsOfClient(clientId: string, { first, statusIn }: ClientContractsArgs): Promise<ContractEntity[]> {
    const statuses = [...new Set(statusIn ?? [])].sort();
    return this.byClient.load({ parentId: clientId, args: { first, statuses } });
  }

  list({ filter = {}, orderBy, ...page }: ContractsArgs): Promise<Page<ContractEntity>> {
    const query = this.contracts.createQueryBuilder('contract');
    if (filter.numberContains) {
      query.andWhere('contract.number ILIKE :number', { number: containsPattern(filter.numberContains) });
    }
    if (filter.customerId) {
      query.andWhere('contract.customerId = :customerId', { customerId: filter.customerId });
    }
    if (filter.clientId) {
      query.andWhere('contract.clientId = :clientId', { clientId: filter.clientId });
    }
    if (filter.legalEntityId) {
      query.andWhere('contract.legalEntityId = :legalEntityId', { legalEntityId: filter.legalEntityId });
    }
    if (filter.opportunityId) {
      query.andWhere('contract.opportunityId = :opportunityId', { opportunityId: filter.opportunityId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('contract.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.startDateFrom) {
      query.andWhere('contract.startDate >= :startDateFrom', { startDateFrom: filter.startDateFrom });
    }
    if (filter.startDateTo) {
      query.andWhere('contract.startDate <= :startDateTo', { startDateTo: filter.startDateTo });
    }
    if (filter.endDateTo) {
      query.andWhere('contract.endDate <= :endDateTo', { endDateTo: filter.endDateTo });
    }
    if (filter.currency) {
      query.andWhere('contract.currency = :currency', { currency: filter.currency });
    }
    const field = orderBy?.field ?? ContractSortField.NUMBER;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  listLines({ filter = {}, orderBy, ...page }: ContractLinesArgs): Promise<Page<ContractLineEntity>> {
    const query = this.contractLines.createQueryBuilder('line');
    if (filter.contractId) {
      query.andWhere('line.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.billingModelIn?.length) {
      query.andWhere('line.billingModel = ANY(:models)', { models: filter.billingModelIn });
    }
    if (filter.changeOrderNumber) {
      query.andWhere('line.changeOrderNumber = :changeOrderNumber', { changeOrderNumber: filter.changeOrderNumber });
    }
    if (filter.sourceQuoteLineId) {
      query.andWhere('line.sourceQuoteLineId = :sourceQuoteLineId', { sourceQuoteLineId: filter.sourceQuoteLineId });
    }
    const field = orderBy?.field ?? ContractLineSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /** A DRAFT contract of an ACTIVE customer, with its lines and total, in one transaction. */
  create(input: CreateContractInput): Promise<ContractEntity> {
    const { lines = [], ...fields } = input;
    assertPeriod(fields.startDate, fields.endDate ?? null);
    return this.writePoint.run(async (tx) => {
      const customer = await tx.manager.getRepository(LegalCustomerEntity).findOne({ where: { id: fields.customerId } });
      assertFound(customer, 'LegalCustomer', fields.customerId);
      if (customer.status === LegalCustomerStatus.FROZEN) {
        throw new BadInputError(`legal customer ${customer.id} is FROZEN: no new contracts`, {
          customerId: customer.id,
          status: customer.status,
        });
      }
      await this.assertLegalEntity(tx, fields.legalEntityId);
      const contract = await tx.create(ContractEntity, {
        ...fields,
        clientId: customer.clientId,
        opportunityId: fields.opportunityId ?? null,
        sourceQuoteId: fields.sourceQuoteId ?? null,
        endDate: fields.endDate ?? null,
        currency: fields.currency ?? customer.defaultCurrency,
        renewalThresholdPct: fields.renewalThresholdPct ? toAmount(fields.renewalThresholdPct) : null,
        status: ContractStatus.DRAFT,
        totalValueAmount: '0.00',
        consumedAmountAmount: '0.00',
        version: 1,
      });
      if (lines.length === 0) {
        return contract;
      }
      for (const line of lines) {
        await this.insertLine(tx, contract, line);
      }
      return this.recomputeTotal(tx, contract, false);
    });
  }

  update(id: string, input: UpdateContractInput): Promise<ContractEntity> {
    return this.writePoint.run(async (tx) => {
      const contract = await this.lockContract(tx, id);
      assertNotFinal(contract);
      const endDate = input.endDate === undefined ? contract.endDate : input.endDate;
      assertPeriod(input.startDate ?? contract.startDate, endDate);
      if (input.legalEntityId) {
        await this.assertLegalEntity(tx, input.legalEntityId);
      }
      const { renewalThresholdPct, ...fields } = input;
      const patch: Partial<ContractEntity> = { ...fields };
      if (renewalThresholdPct !== undefined) {
        patch.renewalThresholdPct = renewalThresholdPct === null ? null : toAmount(renewalThresholdPct);
      }
      return tx.update(ContractEntity, id, patch);
    });
  }

  /**
   * Moves a contract along contract.states.ts. Activation needs at least one line and startDate ≤ endDate, and an
   * ACTIVE customer. An invalid edge is INVALID_TRANSITION, checked first; nothing is written on any refusal.
   */
  transition(id: string, to: ContractStatus): Promise<ContractEntity> {
    return this.writePoint.run(async (tx) => {
      const contract = await this.lockContract(tx, id);
      contractStates.assertTransition(contract.status, to);
      if (to === ContractStatus.ACTIVE && contract.status === ContractStatus.DRAFT) {
        await this.assertActivatable(tx, contract);
      }
      return tx.transition(ContractEntity, id, contractStates, to);
    });
  }

  /** Adds a line and recomputes the contract total in the same transaction (a new version after DRAFT). */
  createLine(input: CreateContractLineInput): Promise<ContractLineEntity> {
    const { contractId, amendmentReason, ...fields } = input;
    return this.writePoint.run(async (tx) => {
      const contract = await this.lockContract(tx, contractId);
      assertEditable(contract);
      const amendment = amendmentOf(contract, amendmentReason, fields.changeOrderNumber);
      const line = await this.insertLine(tx, contract, fields);
      const updated = await this.recomputeTotal(tx, contract, amendment !== null);
      if (amendment) {
        await this.recordAmendment(tx, contract, updated, line, amendment);
      }
      return line;
    });
  }

  /** Changes a line; the contract total and percentage billing lines follow in the same transaction. */
  updateLine(id: string, input: UpdateContractLineInput): Promise<ContractLineEntity> {
    return this.writePoint.run(async (tx) => {
      const line = await tx.manager.getRepository(ContractLineEntity).findOne({ where: { id } });
      assertFound(line, 'ContractLine', id);
      const contract = await this.lockContract(tx, line.contractId);
      assertEditable(contract);
      const { amount, hoursCap, amendmentReason, ...fields } = input;
      const patch: Partial<ContractLineEntity> = { ...fields };
      if (amount !== undefined) {
        patch.amountAmount = amount === null ? null : toAmount(amount);
      }
      if (hoursCap !== undefined) {
        patch.hoursCap = hoursCap === null ? null : toAmount(hoursCap);
      }
      if (!changesAnything(line, patch)) {
        return line;
      }
      const merged = { ...line, ...patch };
      assertLineRules(merged.billingModel, merged.amountAmount);
      const amendment = amendmentOf(contract, amendmentReason, input.changeOrderNumber);
      if (input.rateCardId) {
        await this.assertRateCard(tx, input.rateCardId, contract.currency);
      }
      const updated = await tx.update(ContractLineEntity, id, patch);
      if (updated.amountAmount !== line.amountAmount) {
        await this.rescalePercentSchedules(tx, updated);
      }
      const amended = await this.recomputeTotal(tx, contract, amendment !== null);
      if (amendment) {
        await this.recordAmendment(tx, contract, amended, updated, amendment);
      }
      return updated;
    });
  }

  /** Only while DRAFT, and only a line without billing schedules (CONFLICT otherwise). */
  deleteLine(id: string): Promise<ContractEntity> {
    return this.writePoint.run(async (tx) => {
      const line = await tx.manager.getRepository(ContractLineEntity).findOne({ where: { id } });
      assertFound(line, 'ContractLine', id);
      const contract = await this.lockContract(tx, line.contractId);
      if (contract.status !== ContractStatus.DRAFT) {
        throw new BadInputError(`lines of a ${contract.status} contract cannot be deleted; change them (change order) instead`, {
          contractId: contract.id,
          status: contract.status,
        });
      }
      const schedules = await tx.manager.getRepository(BillingScheduleEntity).count({ where: { contractLineId: id } });
      if (schedules > 0) {
        throw new ConflictError(`contract line ${id} has billing schedules`, { contractLineId: id, billingSchedules: schedules });
      }
      await tx.delete(ContractLineEntity, id);
      return this.recomputeTotal(tx, contract, false);
    });
  }

  /**
   * Adds `amount` (negative to reverse, e.g. a cancelled invoice) to the contract's consumed amount, inside the
   * caller's transaction. Refuses to go below zero. For the invoicing side of the ERP.
   */
  async addConsumption(tx: WriteTransaction, contractId: string, amount: string): Promise<ContractEntity> {
    const contract = await this.lockContract(tx, contractId);
    const consumed = decimal(contract.consumedAmountAmount).plus(amount);
    if (consumed.isNegative()) {
      throw new BadInputError(`contract ${contractId} consumption cannot go below zero`, { contractId, consumed: toAmount(consumed) });
    }
    return tx.update(ContractEntity, contractId, { consumedAmountAmount: toAmount(consumed) });
  }

  /** Amendments of a contract, latest version first (one statement per contract). */
  amendmentsOf(contractId: string): Promise<ContractAmendmentEntity[]> {
    return this.amendmentsByContractId.load(contractId);
  }

  /** The amendment row of a line change after DRAFT: the new version, why, who approved, the totals around it. */
  private async recordAmendment(
    tx: WriteTransaction,
    before: ContractEntity,
    after: ContractEntity,
    line: ContractLineEntity,
    amendment: { reason: string; approvedBy: string },
  ): Promise<void> {
    await tx.create(ContractAmendmentEntity, {
      contractId: before.id,
      version: after.version,
      contractLineId: line.id,
      changeOrderNumber: line.changeOrderNumber,
      reason: amendment.reason,
      approvedBy: amendment.approvedBy,
      currency: before.currency,
      totalBeforeAmount: toAmount(before.totalValueAmount),
      totalAfterAmount: toAmount(after.totalValueAmount),
    });
  }

  private async insertLine(tx: WriteTransaction, contract: ContractEntity, input: ContractLineInput): Promise<ContractLineEntity> {
    const { amount, hoursCap, ...fields } = input;
    assertLineRules(fields.billingModel, amount ?? null);
    if (fields.rateCardId) {
      await this.assertRateCard(tx, fields.rateCardId, contract.currency);
    }
    return tx.create(ContractLineEntity, {
      ...fields,
      contractId: contract.id,
      rateCardId: fields.rateCardId ?? null,
      amountAmount: amount === undefined || amount === null ? null : toAmount(amount),
      currency: contract.currency,
      hoursCap: hoursCap === undefined || hoursCap === null ? null : toAmount(hoursCap),
      invoicePolicy: fields.invoicePolicy ?? (fields.billingModel === BillingModel.TM ? InvoicePolicy.DELIVERED : InvoicePolicy.ORDERED),
      revRecMethod: fields.revRecMethod ?? DEFAULT_REV_REC[fields.billingModel],
      changeOrderNumber: fields.changeOrderNumber ?? null,
      sourceQuoteLineId: fields.sourceQuoteLineId ?? null,
    });
  }

  /** totalValue = Σ line amounts, in the transaction that changed a line; after DRAFT a change is a new version. */
  private async recomputeTotal(tx: WriteTransaction, contract: ContractEntity, bumpVersion: boolean): Promise<ContractEntity> {
    const { total } = (await tx.manager
      .getRepository(ContractLineEntity)
      .createQueryBuilder('line')
      .select('COALESCE(SUM(line.amount), 0)', 'total')
      .where('line.contractId = :contractId', { contractId: contract.id })
      .getRawOne<{ total: string }>()) ?? { total: '0' };
    const patch: Partial<ContractEntity> = { totalValueAmount: toAmount(total) };
    if (bumpVersion) {
      patch.version = contract.version + 1;
    }
    return tx.update(ContractEntity, contract.id, patch);
  }

  /** Billing schedule lines given as a percentage follow the line amount while not yet invoiced or cancelled. */
  private async rescalePercentSchedules(tx: WriteTransaction, line: ContractLineEntity): Promise<void> {
    const scheduleLines = await tx.manager
      .getRepository(BillingScheduleLineEntity)
      .createQueryBuilder('scheduleLine')
      .innerJoin(BillingScheduleEntity, 'schedule', 'schedule.id = scheduleLine.billingScheduleId')
      .where('schedule.contractLineId = :lineId', { lineId: line.id })
      .andWhere('scheduleLine.pct IS NOT NULL')
      .andWhere('scheduleLine.status IN (:...statuses)', { statuses: [BillingScheduleLineStatus.PLANNED, BillingScheduleLineStatus.READY] })
      .getMany();
    for (const scheduleLine of scheduleLines) {
      await tx.update(BillingScheduleLineEntity, scheduleLine.id, { amountAmount: percentOf(line.amountAmount, scheduleLine.pct) });
    }
  }

  private async assertActivatable(tx: WriteTransaction, contract: ContractEntity): Promise<void> {
    const lines = await tx.manager.getRepository(ContractLineEntity).count({ where: { contractId: contract.id } });
    if (lines === 0) {
      throw new BadInputError('a contract needs at least one line to be activated', { contractId: contract.id });
    }
    assertPeriod(contract.startDate, contract.endDate);
    const customer = await tx.manager.getRepository(LegalCustomerEntity).findOne({ where: { id: contract.customerId } });
    if (customer?.status === LegalCustomerStatus.FROZEN) {
      throw new BadInputError(`legal customer ${customer.id} is FROZEN: the contract cannot be activated`, { customerId: customer.id });
    }
  }

  private async assertLegalEntity(tx: WriteTransaction, legalEntityId: string): Promise<void> {
    const exists = await tx.manager.getRepository(LegalEntityEntity).exists({ where: { id: legalEntityId } });
    if (!exists) {
      assertFound(null, 'LegalEntity', legalEntityId);
    }
  }

  private async assertRateCard(tx: WriteTransaction, rateCardId: string, currency: string): Promise<void> {
    const rateCard = await tx.manager.getRepository(RateCardEntity).findOne({ where: { id: rateCardId } });
    assertFound(rateCard, 'RateCard', rateCardId);
    if (rateCard.currency !== currency) {
      throw new BadInputError(`rate card ${rateCardId} is in ${rateCard.currency}, the contract in ${currency}`, {
        rateCardId,
        currency: rateCard.currency,
      });
    }
  }

  /** Locks the contract row for the rest of the transaction, so concurrent line writes serialise on it. */
  private async lockContract(tx: WriteTransaction, id: string): Promise<ContractEntity> {
    const contract = await tx.manager
      .getRepository(ContractEntity)
      .createQueryBuilder('contract')
      .setLock('pessimistic_write')
      .where('contract.id = :id', { id })
      .getOne();
    assertFound(contract, 'Contract', id);
    return contract;
  }
}

/** amount × pct / 100 rounded to cents; null when the line has no amount. */
export function percentOf(amount: string | null, pct: string | null): string | null {
  if (amount === null || pct === null) {
    return null;
  }
  return toAmount(decimal(amount).times(pct).div(100));
}

/** Whether a patch of plain values (strings, numbers, null) differs from the row. */
function changesAnything<T extends object>(row: T, patch: Partial<T>): boolean {
  return (Object.keys(patch) as (keyof T)[]).some((key) => patch[key] !== undefined && patch[key] !== row[key]);
}

function assertPeriod(startDate: string, endDate: string | null): void {
  if (endDate !== null && endDate < startDate) {
    throw new BadInputError('endDate must be on or after startDate', { startDate, endDate });
  }
}

function assertLineRules(billingModel: BillingModel, amount: string | null): void {
  if (FEE_MODELS.includes(billingModel) && amount === null) {
    throw new BadInputError(`a ${billingModel} line needs an amount`, { billingModel });
  }
}

/**
 * A line change of a signed (not DRAFT) contract is an amendment: it needs a reason, or a change order number that
 * carries one, and the caller approves it. Null for a DRAFT contract (still being drafted, no new version).
 */
function amendmentOf(
  contract: ContractEntity,
  reason: string | null | undefined,
  changeOrderNumber: string | null | undefined,
): { reason: string; approvedBy: string } | null {
  if (contract.status === ContractStatus.DRAFT) {
    return null;
  }
  const why = reason?.trim() || (changeOrderNumber ? `change order ${changeOrderNumber}` : '');
  if (!why) {
    throw new BadInputError(
      `a line change of a ${contract.status} contract is an amendment: give an amendmentReason or a changeOrderNumber`,
      {
        field: 'amendmentReason',
        contractId: contract.id,
      },
    );
  }
  const approvedBy = currentContext()?.actor?.sub;
  if (!approvedBy) {
    throw new ConcordError(ErrorCode.FORBIDDEN, 'a contract amendment needs an identified caller to approve it');
  }
  return { reason: why, approvedBy };
}

function assertNotFinal(contract: ContractEntity): void {
  if (FINAL_STATUSES.includes(contract.status)) {
    throw new BadInputError(`a ${contract.status} contract cannot be changed`, { contractId: contract.id, status: contract.status });
  }
}

function assertEditable(contract: ContractEntity): void {
  if (!EDITABLE_CONTRACT_STATUSES.includes(contract.status)) {
    throw new BadInputError(`lines of a ${contract.status} contract cannot be changed`, {
      contractId: contract.id,
      status: contract.status,
    });
  }
}
