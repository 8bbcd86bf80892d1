import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import {
  BadInputError,
  ConflictError,
  decimal,
  lastDayOfMonth,
  loadByIds,
  loadChildren,
  paginate,
  toAmount,
  type DecimalValue,
  type Page,
} from '@concord/common';
import { childListLoader, WritePoint } from '@concord/graphql';
import { ContractLineEntity } from '../contract/contract-line.entity';
import { ContractEntity } from '../contract/contract.entity';
import { lockRow } from '../common/lock';
import {
  RevenueEntrySortField,
  type RecordRevenueEntryInput,
  type RevenueEntriesArgs,
  type RevenueEntryListArgs,
  type UpdateRevenueEntryInput,
} from './dtos/revenue-entry.input';
import { RevenueEntryEntity } from './revenue-entry.entity';

@Injectable()
export class RevenueEntryService {
  private readonly byId = new DataLoader<string, RevenueEntryEntity | null>((ids) => loadByIds(this.entries, ids), { cache: false });

  private readonly byProject = childListLoader<RevenueEntryListArgs, RevenueEntryEntity>((projectIds, args) =>
    loadChildren(this.entries, projectIds, {
      parentProperty: 'projectId',
      limitPerParent: args.first,
      orderBy: 'period',
      direction: 'DESC',
    }),
  );

  constructor(
    @InjectRepository(RevenueEntryEntity) private readonly entries: Repository<RevenueEntryEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<RevenueEntryEntity | null> {
    return this.byId.load(id);
  }

  entriesOfProject(projectId: string, args: RevenueEntryListArgs): Promise<RevenueEntryEntity[]> {
    return this.byProject.load({ parentId: projectId, args: { first: args.first } });
  }

  list({ filter = {}, orderBy, ...page }: RevenueEntriesArgs): Promise<Page<RevenueEntryEntity>> {
    const query = this.entries.createQueryBuilder('entry');
    if (filter.contractLineId) {
      query.andWhere('entry.contractLineId = :contractLineId', { contractLineId: filter.contractLineId });
    }
    if (filter.contractId) {
      query.andWhere('entry.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.projectId) {
      query.andWhere('entry.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.methodIn?.length) {
      query.andWhere('entry.method = ANY(:methods)', { methods: filter.methodIn });
    }
    if (filter.periodFrom) {
      query.andWhere('entry.period >= :periodFrom', { periodFrom: filter.periodFrom });
    }
    if (filter.periodTo) {
      query.andWhere('entry.period <= :periodTo', { periodTo: filter.periodTo });
    }
    const field = orderBy?.field ?? RevenueEntrySortField.PERIOD;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /**
   * Records the next month of a contract line's revenue ledger: the period must follow the latest one,
   * cumulative = previous cumulative + recognised (never negative, never above the line amount when it has one),
   * and unbilled / deferred compare that cumulative with what was billed by the period end.
   */
  record(input: RecordRevenueEntryInput): Promise<RevenueEntryEntity> {
    return this.writePoint.run(async (tx) => {
      // The line lock serialises recordings of one line, so "previous" cannot change under us.
      const line = await tx.manager
        .getRepository(ContractLineEntity)
        .createQueryBuilder('line')
        .setLock('for_no_key_update')
        .where('line.id = :id', { id: input.contractLineId })
        .getOne();
      if (!line) {
        throw new BadInputError(`contract line ${input.contractLineId} does not exist`, { field: 'contractLineId' });
      }
      const contract = await tx.manager.findOneOrFail(ContractEntity, { where: { id: line.contractId } });
      const previous = await this.latestOf(tx.manager, line.id);
      if (previous && input.period === previous.period) {
        throw new ConflictError(`revenue for ${input.period} is already recorded on this contract line: update that entry instead`, {
          contractLineId: line.id,
          period: input.period,
        });
      }
      if (previous && input.period < previous.period) {
        throw new BadInputError(`period ${input.period} is before the latest recorded period ${previous.period} of this contract line`, {
          field: 'period',
        });
      }
      const cumulative = decimal(previous?.cumulativeRecognizedAmount ?? 0).plus(input.recognizedAmount);
      if (input.cumulativeRecognized !== undefined && !cumulative.equals(input.cumulativeRecognized)) {
        throw new BadInputError(
          `cumulativeRecognized must be the previous cumulative ${toAmount(previous?.cumulativeRecognizedAmount ?? '0')} + recognizedAmount ${toAmount(input.recognizedAmount)} = ${toAmount(cumulative)}`,
          { field: 'cumulativeRecognized', expected: toAmount(cumulative) },
        );
      }
      assertCumulative(cumulative, line);
      const billed = input.billedToDate ?? (await billedToDate(tx.manager, line.id, contract.currency, input.period));
      return tx.create<RevenueEntryEntity>(RevenueEntryEntity, {
        contractLineId: line.id,
        contractId: line.contractId,
        projectId: input.projectId !== undefined ? input.projectId : (previous?.projectId ?? null),
        period: input.period,
        method: input.method ?? line.revRecMethod,
        currency: contract.currency,
        recognizedAmountAmount: toAmount(input.recognizedAmount),
        ...positions(cumulative, decimal(billed)),
      });
    });
  }

  /** Corrects the latest entry of its contract line (an earlier one would break the later cumulatives). */
  update(id: string, input: UpdateRevenueEntryInput): Promise<RevenueEntryEntity> {
    return this.writePoint.run(async (tx) => {
      const entry = await lockRow(tx.manager, RevenueEntryEntity, id, 'RevenueEntry');
      const line = await lockRow(tx.manager, ContractLineEntity, entry.contractLineId, 'ContractLine');
      const latest = await this.latestOf(tx.manager, line.id);
      if (latest?.id !== entry.id) {
        throw new ConflictError(`only the latest revenue entry of a contract line can be corrected (latest is ${latest?.period})`, {
          revenueEntryId: id,
        });
      }
      const recognized = input.recognizedAmount ?? entry.recognizedAmountAmount;
      const cumulative = decimal(entry.cumulativeRecognizedAmount).minus(entry.recognizedAmountAmount).plus(recognized);
      assertCumulative(cumulative, line);
      const billed = decimal(input.billedToDate ?? entry.billedToDateAmount);
      const patch: Partial<RevenueEntryEntity> = { recognizedAmountAmount: toAmount(recognized), ...positions(cumulative, billed) };
      if (input.method !== undefined) {
        patch.method = input.method;
      }
      if (input.projectId !== undefined) {
        patch.projectId = input.projectId;
      }
      return tx.update(RevenueEntryEntity, id, patch);
    });
  }

  private latestOf(manager: EntityManager, contractLineId: string): Promise<RevenueEntryEntity | null> {
    return latestEntryOf(manager, contractLineId);
  }
}

/** The latest revenue entry of a contract line. */
export function latestEntryOf(manager: EntityManager, contractLineId: string): Promise<RevenueEntryEntity | null> {
  return manager.findOne(RevenueEntryEntity, { where: { contractLineId }, order: { period: 'DESC' } });
}

/** Posted invoice lines of the contract line issued by the end of the period, in the contract currency. */
export async function billedToDate(manager: EntityManager, contractLineId: string, currency: string, period: string): Promise<string> {
  const rows: { amount: string }[] = await manager.query(
    `SELECT line.amount FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id
     WHERE line.contract_line_id = $1 AND invoice.status = 'POSTED' AND invoice.currency = $2 AND invoice.issue_date <= $3`,
    [contractLineId, currency, lastDayOfMonth(period)],
  );
  const total = rows.reduce((sum, row) => sum.plus(row.amount), decimal(0));
  return toAmount(total.isNegative() ? decimal(0) : total);
}

function assertCumulative(cumulative: DecimalValue, line: ContractLineEntity): void {
  if (cumulative.isNegative()) {
    throw new BadInputError(`cumulative recognised revenue cannot become negative (${toAmount(cumulative)})`, {
      field: 'recognizedAmount',
    });
  }
  if (line.amountAmount !== null && cumulative.greaterThan(line.amountAmount)) {
    throw new BadInputError(
      `cumulative recognised revenue ${toAmount(cumulative)} exceeds the contract line amount ${toAmount(line.amountAmount)}`,
      {
        field: 'recognizedAmount',
      },
    );
  }
}

/** unbilled (WIP) = max(cumulative − billed, 0); deferred = max(billed − cumulative, 0). */
export function positions(cumulative: DecimalValue, billed: DecimalValue): Partial<RevenueEntryEntity> {
  const difference = cumulative.minus(billed);
  return {
    cumulativeRecognizedAmount: toAmount(cumulative),
    billedToDateAmount: toAmount(billed),
    unbilledAmount: toAmount(difference.isPositive() ? difference : decimal(0)),
    deferredAmount: toAmount(difference.isNegative() ? difference.negated() : decimal(0)),
  };
}
