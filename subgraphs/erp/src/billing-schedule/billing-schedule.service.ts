import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConcordError,
  decimal,
  ErrorCode,
  groupByKeys,
  loadByIds,
  paginate,
  toAmount,
  type Page,
} from '@concord/common';
import { CLOCK, WritePoint, type Clock, type WriteTransaction } from '@concord/graphql';
import { ContractLineEntity } from '../contract/contract-line.entity';
import { ContractEntity } from '../contract/contract.entity';
import { percentOf } from '../contract/contract.service';
import { EDITABLE_CONTRACT_STATUSES } from '../contract/contract.states';
import { BillingScheduleLineEntity, BillingScheduleLineStatus } from './billing-schedule-line.entity';
import { BillingScheduleEntity } from './billing-schedule.entity';
import { billingScheduleLineStates } from './billing-schedule.states';
import {
  BillingScheduleLineSortField,
  BillingScheduleSortField,
  type BillingScheduleLineInput,
  type BillingScheduleLinesArgs,
  type BillingSchedulesArgs,
  type CreateBillingScheduleInput,
  type CreateBillingScheduleLineInput,
  type TransitionBillingScheduleLineArgs,
  type ReadyBillingScheduleLinesArgs,
  type UpdateBillingScheduleInput,
  type UpdateBillingScheduleLineInput,
} from './dtos/billing-schedule.input';

/** Lines that still count towards a schedule (its percentages may not exceed 100). */
const OPEN_OR_BILLED: readonly BillingScheduleLineStatus[] = [
  BillingScheduleLineStatus.PLANNED,
  BillingScheduleLineStatus.READY,
  BillingScheduleLineStatus.INVOICED,
];
const CHANGEABLE: readonly BillingScheduleLineStatus[] = [BillingScheduleLineStatus.PLANNED, BillingScheduleLineStatus.READY];

@Injectable()
export class BillingScheduleService {
  private readonly byId = new DataLoader<string, BillingScheduleEntity | null>((ids) => loadByIds(this.schedules, ids), { cache: false });
  private readonly lineById = new DataLoader<string, BillingScheduleLineEntity | null>((ids) => loadByIds(this.scheduleLines, ids), {
    cache: false,
  });

  /** ContractLine.billingSchedules of many contract lines in one statement. */
  private readonly byContractLineId = new DataLoader<string, BillingScheduleEntity[]>(
    async (contractLineIds) => {
      const rows = await this.schedules
        .createQueryBuilder('schedule')
        .where('schedule.contractLineId = ANY(:contractLineIds)', { contractLineIds: [...contractLineIds] })
        .orderBy('schedule.createdAt', 'ASC')
        .addOrderBy('schedule.id', 'ASC')
        .getMany();
      return groupByKeys(contractLineIds, rows, (row) => row.contractLineId);
    },
    { cache: false },
  );

  /** BillingSchedule.lines of many schedules in one statement. */
  private readonly linesByScheduleId = new DataLoader<string, BillingScheduleLineEntity[]>(
    async (scheduleIds) => {
      const rows = await this.scheduleLines
        .createQueryBuilder('line')
        .where('line.billingScheduleId = ANY(:scheduleIds)', { scheduleIds: [...scheduleIds] })
        .orderBy('line.plannedDate', 'ASC')
        .addOrderBy('line.id', 'ASC')
        .getMany();
      return groupByKeys(scheduleIds, rows, (row) => row.billingScheduleId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(BillingScheduleEntity) private readonly schedules: Repository<BillingScheduleEntity>,
    @InjectRepository(BillingScheduleLineEntity) private readonly scheduleLines: Repository<BillingScheduleLineEntity>,
    private readonly writePoint: WritePoint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<BillingScheduleEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<BillingScheduleEntity> {
    const schedule = await this.findById(id);
    assertFound(schedule, 'BillingSchedule', id);
    return schedule;
  }

  findLineById(id: string): Promise<BillingScheduleLineEntity | null> {
    return this.lineById.load(id);
  }

  schedulesOf(contractLineId: string): Promise<BillingScheduleEntity[]> {
    return this.byContractLineId.load(contractLineId);
  }

  linesOf(billingScheduleId: string): Promise<BillingScheduleLineEntity[]> {
    return this.linesByScheduleId.load(billingScheduleId);
  }

  list({ filter = {}, orderBy, ...page }: BillingSchedulesArgs): Promise<Page<BillingScheduleEntity>> {
    const query = this.schedules.createQueryBuilder('schedule');
    if (filter.contractId) {
      query.andWhere('schedule.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.contractLineId) {
      query.andWhere('schedule.contractLineId = :contractLineId', { contractLineId: filter.contractLineId });
    }
    if (filter.typeIn?.length) {
      query.andWhere('schedule.type = ANY(:types)', { types: filter.typeIn });
    }
    const field = orderBy?.field ?? BillingScheduleSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  listLines({ filter = {}, orderBy, ...page }: BillingScheduleLinesArgs): Promise<Page<BillingScheduleLineEntity>> {
    const query = this.scheduleLines.createQueryBuilder('line');
    if (filter.billingScheduleId) {
      query.andWhere('line.billingScheduleId = :scheduleId', { scheduleId: filter.billingScheduleId });
    }
    if (filter.contractId) {
      query.andWhere('line.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('line.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.plannedDateFrom) {
      query.andWhere('line.plannedDate >= :plannedDateFrom', { plannedDateFrom: filter.plannedDateFrom });
    }
    if (filter.plannedDateTo) {
      query.andWhere('line.plannedDate <= :plannedDateTo', { plannedDateTo: filter.plannedDateTo });
    }
    if (filter.milestoneId) {
      query.andWhere('line.milestoneId = :milestoneId', { milestoneId: filter.milestoneId });
    }
    if (filter.invoiceId) {
      query.andWhere('line.invoiceId = :invoiceId', { invoiceId: filter.invoiceId });
    }
    const field = orderBy?.field ?? BillingScheduleLineSortField.PLANNED_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /** A schedule for a line of a contract that is not final, optionally with its lines, in one transaction. */
  create(input: CreateBillingScheduleInput): Promise<BillingScheduleEntity> {
    const { lines = [], ...fields } = input;
    return this.writePoint.run(async (tx) => {
      const contractLine = await tx.manager.getRepository(ContractLineEntity).findOne({ where: { id: fields.contractLineId } });
      assertFound(contractLine, 'ContractLine', fields.contractLineId);
      await this.lockEditableContract(tx, contractLine.contractId);
      const schedule = await tx.create(BillingScheduleEntity, {
        ...fields,
        contractId: contractLine.contractId,
        description: fields.description ?? null,
      });
      for (const line of lines) {
        await this.insertLine(tx, schedule, contractLine, line);
      }
      await this.assertPercentTotal(tx, schedule.id);
      return schedule;
    });
  }

  update(id: string, input: UpdateBillingScheduleInput): Promise<BillingScheduleEntity> {
    return this.writePoint.run(async (tx) => {
      const schedule = await this.getScheduleIn(tx, id);
      await this.lockEditableContract(tx, schedule.contractId);
      return tx.update(BillingScheduleEntity, id, { ...input });
    });
  }

  createLine(input: CreateBillingScheduleLineInput): Promise<BillingScheduleLineEntity> {
    const { billingScheduleId, ...fields } = input;
    return this.writePoint.run(async (tx) => {
      const schedule = await this.getScheduleIn(tx, billingScheduleId);
      await this.lockEditableContract(tx, schedule.contractId);
      const contractLine = await tx.manager.getRepository(ContractLineEntity).findOneOrFail({ where: { id: schedule.contractLineId } });
      const line = await this.insertLine(tx, schedule, contractLine, fields);
      await this.assertPercentTotal(tx, schedule.id);
      return line;
    });
  }

  /** Changes a PLANNED or READY line; giving amount clears pct and the other way round. */
  updateLine(id: string, input: UpdateBillingScheduleLineInput): Promise<BillingScheduleLineEntity> {
    return this.writePoint.run(async (tx) => {
      const line = await tx.manager.getRepository(BillingScheduleLineEntity).findOne({ where: { id } });
      assertFound(line, 'BillingScheduleLine', id);
      await this.lockEditableContract(tx, line.contractId);
      if (!CHANGEABLE.includes(line.status)) {
        throw new BadInputError(`a ${line.status} billing schedule line cannot be changed`, { id, status: line.status });
      }
      const { amount, pct, ...fields } = input;
      const patch: Partial<BillingScheduleLineEntity> = { ...fields };
      if ((amount ?? null) !== null && (pct ?? null) !== null) {
        throw new BadInputError('give either amount or pct, not both', { id });
      }
      if (amount) {
        Object.assign(patch, { amountAmount: toAmount(amount), pct: null });
      }
      if (pct) {
        const schedule = await this.getScheduleIn(tx, line.billingScheduleId);
        const contractLine = await tx.manager.getRepository(ContractLineEntity).findOneOrFail({ where: { id: schedule.contractLineId } });
        Object.assign(patch, { pct: toAmount(pct), amountAmount: percentOf(contractLine.amountAmount, pct) });
      }
      const updated = await tx.update(BillingScheduleLineEntity, id, patch);
      await this.assertPercentTotal(tx, line.billingScheduleId);
      return updated;
    });
  }

  /**
   * Moves a line along billing-schedule.states.ts. INVOICED needs the invoiceId (and only INVOICED takes one);
   * READY needs an amount to bill. An invalid edge is INVALID_TRANSITION and writes nothing.
   */
  transitionLine({ id, to, invoiceId }: TransitionBillingScheduleLineArgs): Promise<BillingScheduleLineEntity> {
    return this.writePoint.run((tx) => this.transitionLineIn(tx, id, to, invoiceId ?? null));
  }

  /**
   * PLANNED → READY (DOMAIN.md §2: date reached or milestone accepted). Lines with a milestone wait for its acceptance
   * whatever their date; lines without one are due on their planned date. A line without an amount (a percentage of a
   * line without amount) stays PLANNED. Idempotent: only PLANNED lines move, so a repeat answers [].
   */
  readyLines({ asOf, milestoneId, contractId }: ReadyBillingScheduleLinesArgs): Promise<BillingScheduleLineEntity[]> {
    if (Boolean(asOf) === Boolean(milestoneId)) {
      throw new BadInputError('give either asOf (date-based lines) or milestoneId (the lines of an accepted milestone)', {
        field: asOf ? 'milestoneId' : 'asOf',
      });
    }
    return this.writePoint.run(async (tx) => {
      const query = tx.manager
        .getRepository(BillingScheduleLineEntity)
        .createQueryBuilder('line')
        .where('line.status = :planned', { planned: BillingScheduleLineStatus.PLANNED })
        .andWhere('line.amountAmount IS NOT NULL')
        .orderBy('line.plannedDate')
        .addOrderBy('line.id');
      if (milestoneId) {
        query.andWhere('line.milestoneId = :milestoneId', { milestoneId });
      } else {
        query.andWhere('line.milestoneId IS NULL').andWhere('line.plannedDate <= :asOf', { asOf });
      }
      if (contractId) {
        query.andWhere('line.contractId = :contractId', { contractId });
      }
      const due = await query.getMany();
      const ready: BillingScheduleLineEntity[] = [];
      for (const line of due) {
        ready.push(
          await tx.transition(BillingScheduleLineEntity, line.id, billingScheduleLineStates, BillingScheduleLineStatus.READY, (row) =>
            this.readySince(row),
          ),
        );
      }
      return ready;
    });
  }

  /** For the invoicing side of the ERP: marks a READY line INVOICED by `invoiceId` inside the caller's transaction. */
  markInvoiced(tx: WriteTransaction, id: string, invoiceId: string): Promise<BillingScheduleLineEntity> {
    return this.transitionLineIn(tx, id, BillingScheduleLineStatus.INVOICED, invoiceId);
  }

  private async transitionLineIn(
    tx: WriteTransaction,
    id: string,
    to: BillingScheduleLineStatus,
    invoiceId: string | null,
  ): Promise<BillingScheduleLineEntity> {
    const line = await tx.manager
      .getRepository(BillingScheduleLineEntity)
      .createQueryBuilder('line')
      .setLock('pessimistic_write')
      .where('line.id = :id', { id })
      .getOne();
    assertFound(line, 'BillingScheduleLine', id);
    billingScheduleLineStates.assertTransition(line.status, to);
    if (line.status === BillingScheduleLineStatus.INVOICED) {
      throw new ConcordError(ErrorCode.INVALID_TRANSITION, 'an INVOICED line is reopened only by cancelling its invoice', {
        entity: 'BillingScheduleLine',
        from: line.status,
        to,
        invoiceId: line.invoiceId,
      });
    }
    if (to === BillingScheduleLineStatus.INVOICED && !invoiceId) {
      throw new BadInputError('invoiceId is required to mark a line INVOICED', { id });
    }
    if (to !== BillingScheduleLineStatus.INVOICED && invoiceId) {
      throw new BadInputError(`invoiceId is only given when marking a line INVOICED, not ${to}`, { id });
    }
    if (to === BillingScheduleLineStatus.READY && line.amountAmount === null) {
      throw new BadInputError('the line has no amount to bill (a percentage of a line without amount)', { id });
    }
    return tx.transition(BillingScheduleLineEntity, id, billingScheduleLineStates, to, (row) => ({
      ...(invoiceId ? { invoiceId } : {}),
      ...(to === BillingScheduleLineStatus.READY ? this.readySince(row) : {}),
    }));
  }

  private async insertLine(
    tx: WriteTransaction,
    schedule: BillingScheduleEntity,
    contractLine: ContractLineEntity,
    input: BillingScheduleLineInput,
  ): Promise<BillingScheduleLineEntity> {
    const amount = input.amount ?? null;
    const pct = input.pct ?? null;
    if ((amount === null) === (pct === null)) {
      throw new BadInputError('give either amount or pct (of the contract line amount)', { plannedDate: input.plannedDate });
    }
    if (pct !== null && decimal(pct).isZero()) {
      throw new BadInputError('pct must be above 0', { pct });
    }
    return tx.create(BillingScheduleLineEntity, {
      billingScheduleId: schedule.id,
      contractId: schedule.contractId,
      plannedDate: input.plannedDate,
      description: input.description ?? null,
      amountAmount: amount !== null ? toAmount(amount) : percentOf(contractLine.amountAmount, pct),
      pct: pct !== null ? toAmount(pct) : null,
      currency: contractLine.currency,
      milestoneId: input.milestoneId ?? null,
      status: BillingScheduleLineStatus.PLANNED,
      invoiceId: null,
    });
  }

  /** The percentages of a schedule's lines that are not cancelled may not add up to more than 100. */
  private async assertPercentTotal(tx: WriteTransaction, scheduleId: string): Promise<void> {
    const raw = await tx.manager
      .getRepository(BillingScheduleLineEntity)
      .createQueryBuilder('line')
      .select('COALESCE(SUM(line.pct), 0)', 'total')
      .where('line.billingScheduleId = :scheduleId', { scheduleId })
      .andWhere('line.status = ANY(:statuses)', { statuses: OPEN_OR_BILLED })
      .getRawOne<{ total: string }>();
    const total = decimal(raw?.total ?? '0');
    if (total.greaterThan(100)) {
      throw new BadInputError(`the percentages of billing schedule ${scheduleId} add up to ${toAmount(total)}, more than 100`, {
        billingScheduleId: scheduleId,
        total: toAmount(total),
      });
    }
  }

  private async getScheduleIn(tx: WriteTransaction, id: string): Promise<BillingScheduleEntity> {
    const schedule = await tx.manager.getRepository(BillingScheduleEntity).findOne({ where: { id } });
    assertFound(schedule, 'BillingSchedule', id);
    return schedule;
  }

  /** Locks the contract (serialising with contract line changes) and refuses a final one. */
  private async lockEditableContract(tx: WriteTransaction, contractId: string): Promise<ContractEntity> {
    const contract = await tx.manager
      .getRepository(ContractEntity)
      .createQueryBuilder('contract')
      .setLock('pessimistic_write')
      .where('contract.id = :id', { id: contractId })
      .getOne();
    assertFound(contract, 'Contract', contractId);
    if (!EDITABLE_CONTRACT_STATUSES.includes(contract.status)) {
      throw new BadInputError(`billing schedules of a ${contract.status} contract cannot be changed`, {
        contractId,
        status: contract.status,
      });
    }
    return contract;
  }

  /** The first time a line becomes READY is when it became billable (a cancelled invoice's READY keeps it). */
  private readySince(row: BillingScheduleLineEntity): Partial<BillingScheduleLineEntity> {
    return row.readyAt ? {} : { readyAt: this.clock.now() };
  }
}
