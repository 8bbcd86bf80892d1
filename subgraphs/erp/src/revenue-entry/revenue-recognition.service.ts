import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BadInputError, ConcordError, decimal, ErrorCode, lastDayOfMonth, toAmount, type DecimalValue } from '@concord/common';
import { WritePoint, type WriteTransaction } from '@concord/graphql';
import { ContractLineEntity, RevRecMethod } from '../contract/contract-line.entity';
import { ContractEntity, ContractStatus } from '../contract/contract.entity';
import { CurrencyService } from '../currency/currency.service';
import { FxRateService } from '../currency/fx-rate.service';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import type { ProjectProgressInput, RecognizeRevenueInput, RevenueDeliveredInput } from './dtos/revenue-recognition.input';
import type { RevenueRecognition, RevenueRecognitionSkip } from './dtos/revenue-recognition.output';
import { RevenueEntryEntity } from './revenue-entry.entity';
import { billedToDate, latestEntryOf, positions } from './revenue-entry.service';
import { asDelivered, milestones, percentComplete, straightLine } from './revenue-recognition.methods';

/** The contract states whose lines earn revenue: the ones an invoice run bills. */
export const RECOGNIZABLE_CONTRACT_STATUSES: readonly ContractStatus[] = [
  ContractStatus.ACTIVE,
  ContractStatus.SUSPENDED,
  ContractStatus.COMPLETED,
  ContractStatus.TERMINATED,
];

/** The facts of one run, indexed once. */
interface Facts {
  period: string;
  periodEnd: string;
  deliveredByLine: Map<string, RevenueDeliveredInput[]>;
  progressByLine: Map<string, ProjectProgressInput>;
  progressByContract: Map<string, ProjectProgressInput[]>;
  progressByProject: Map<string, ProjectProgressInput>;
}

/** The period's cumulative of one line, or why there is none. */
type Target = { cumulative: DecimalValue; projectId: string | null } | { skip: string };

interface FunctionalRate {
  currency: string;
  rate: string;
  places: number;
}

/**
 * Revenue recognition of a month (issue 6, DOMAIN.md §1 RevenueEntry): for every line of the contracts in a billable
 * state that started by the period end, the period's entry per the line's revRecMethod, from the PSA facts the
 * workflow passes (delivered work, percent complete) and the ERP's own (billing schedule lines, contract dates), with
 * the legal entity's functional-currency amount at the period end's FX rate. One transaction: a missing FX rate
 * writes nothing. Idempotent per line: an entry already there for the period is returned unchanged, and a line
 * with a later period recognised is left alone.
 */
@Injectable()
export class RevenueRecognitionService {
  constructor(
    private readonly writePoint: WritePoint,
    private readonly fxRateService: FxRateService,
    private readonly currencyService: CurrencyService,
  ) {}

  recognize(input: RecognizeRevenueInput): Promise<RevenueRecognition> {
    const facts = indexFacts(input);
    return this.writePoint.run(async (tx) => {
      const contracts = await this.contractsInScope(tx.manager, input.contractId ?? null, facts.periodEnd);
      const lines = await this.lockLines(
        tx.manager,
        contracts.map((contract) => contract.id),
      );
      const linesById = new Map(lines.map((line) => [line.id, line]));
      const skipped: RevenueRecognitionSkip[] = await this.deliveriesOutOfScope(tx.manager, input.delivered, linesById);
      const contractsById = new Map(contracts.map((contract) => [contract.id, contract]));
      const rates = new Map<string, FunctionalRate>();
      const entries: RevenueEntryEntity[] = [];

      for (const line of lines) {
        const contract = contractsById.get(line.contractId)!;
        for (const delivery of facts.deliveredByLine.get(line.id) ?? []) {
          if (delivery.currency !== contract.currency) {
            throw new BadInputError(
              `delivered work of contract line ${line.id} is in ${delivery.currency}, its contract ${contract.number} is in ${contract.currency}`,
              { field: 'delivered', contractLineId: line.id },
            );
          }
        }
        const ofPeriod = await tx.manager.findOne(RevenueEntryEntity, { where: { contractLineId: line.id, period: facts.period } });
        if (ofPeriod) {
          entries.push(ofPeriod);
          continue;
        }
        const previous = await latestEntryOf(tx.manager, line.id);
        if (previous && previous.period > facts.period) {
          skipped.push({ contractLineId: line.id, reason: `a later period (${previous.period}) is already recognised` });
          continue;
        }
        const target = await this.targetOf(tx.manager, line, contract, previous, facts);
        if ('skip' in target) {
          skipped.push({ contractLineId: line.id, reason: target.skip });
          continue;
        }
        const previousCumulative = decimal(previous?.cumulativeRecognizedAmount ?? 0);
        const recognized = target.cumulative.minus(previousCumulative);
        // a line's ledger starts with its first revenue; from then on every month gets its entry, 0 included
        if (!previous && recognized.isZero()) {
          skipped.push({ contractLineId: line.id, reason: 'nothing to recognise yet' });
          continue;
        }
        const functional = await this.functionalRate(tx.manager, contract, facts.periodEnd, rates);
        const billed = await billedToDate(tx.manager, line.id, contract.currency, facts.period);
        entries.push(
          await this.write(
            tx,
            line,
            contract,
            facts.period,
            target.projectId ?? previous?.projectId ?? null,
            recognized,
            functional,
            billed,
            target.cumulative,
          ),
        );
      }
      return { period: facts.period, entries, skipped };
    });
  }

  private async contractsInScope(manager: EntityManager, contractId: string | null, periodEnd: string): Promise<ContractEntity[]> {
    if (contractId && !(await manager.existsBy(ContractEntity, { id: contractId }))) {
      throw new BadInputError(`contract ${contractId} does not exist`, { field: 'contractId' });
    }
    const query = manager
      .getRepository(ContractEntity)
      .createQueryBuilder('contract')
      .where('contract.status IN (:...statuses)', { statuses: RECOGNIZABLE_CONTRACT_STATUSES })
      .andWhere('contract.startDate <= :periodEnd', { periodEnd })
      .orderBy('contract.number')
      .addOrderBy('contract.id');
    if (contractId) {
      query.andWhere('contract.id = :contractId', { contractId });
    }
    return query.getMany();
  }

  /** The lines of the contracts, locked so that a concurrent recognition or recording of a line waits for this one. */
  private lockLines(manager: EntityManager, contractIds: string[]): Promise<ContractLineEntity[]> {
    if (contractIds.length === 0) {
      return Promise.resolve([]);
    }
    return manager
      .getRepository(ContractLineEntity)
      .createQueryBuilder('line')
      .setLock('for_no_key_update')
      .where('line.contractId IN (:...contractIds)', { contractIds })
      .orderBy('line.contractId')
      .addOrderBy('line.createdAt')
      .addOrderBy('line.id')
      .getMany();
  }

  /** Deliveries naming a line outside the run: an unknown line is bad input, a line of another contract is skipped. */
  private async deliveriesOutOfScope(
    manager: EntityManager,
    delivered: readonly RevenueDeliveredInput[],
    linesInScope: ReadonlyMap<string, ContractLineEntity>,
  ): Promise<RevenueRecognitionSkip[]> {
    const outside = [...new Set(delivered.map((delivery) => delivery.contractLineId).filter((id) => !linesInScope.has(id)))];
    if (outside.length === 0) {
      return [];
    }
    const existing = new Set(
      (
        await manager.findBy(
          ContractLineEntity,
          outside.map((id) => ({ id })),
        )
      ).map((line) => line.id),
    );
    const unknown = outside.filter((id) => !existing.has(id));
    if (unknown.length > 0) {
      throw new BadInputError(`contract line ${unknown[0]} does not exist`, { field: 'delivered', contractLineIds: unknown });
    }
    return outside.map((contractLineId) => ({
      contractLineId,
      reason: 'not a line of a contract recognised for the period (out of scope, not billable or not started)',
    }));
  }

  private async targetOf(
    manager: EntityManager,
    line: ContractLineEntity,
    contract: ContractEntity,
    previous: RevenueEntryEntity | null,
    facts: Facts,
  ): Promise<Target> {
    const previousCumulative = decimal(previous?.cumulativeRecognizedAmount ?? 0);
    const progress = progressOf(line, previous, facts);
    switch (line.revRecMethod) {
      case RevRecMethod.TM_AS_DELIVERED: {
        const deliveries = facts.deliveredByLine.get(line.id) ?? [];
        const delivered = deliveries.reduce((sum, delivery) => sum.plus(delivery.amount), decimal(0));
        const projects = [...new Set(deliveries.map((delivery) => delivery.projectId).filter((id): id is string => Boolean(id)))];
        return {
          cumulative: asDelivered(previousCumulative, delivered, line.amountAmount),
          projectId: projects.length === 1 ? projects[0] : null,
        };
      }
      case RevRecMethod.PCT_COMPLETE: {
        if (line.amountAmount === null) {
          return { skip: 'PCT_COMPLETE needs a line amount' };
        }
        if (!progress) {
          return previous
            ? { cumulative: previousCumulative, projectId: null }
            : { skip: 'no project progress for the line (no task names it and its contract has no single project)' };
        }
        return {
          cumulative: percentComplete(previousCumulative, line.amountAmount, progress.percentComplete),
          projectId: progress.projectId,
        };
      }
      case RevRecMethod.MILESTONE: {
        const accepted = await acceptedMilestones(manager, line.id, facts.periodEnd);
        return { cumulative: milestones(accepted, line.amountAmount), projectId: progress?.projectId ?? null };
      }
      case RevRecMethod.STRAIGHT_LINE: {
        if (line.amountAmount === null || contract.endDate === null) {
          return { skip: 'STRAIGHT_LINE needs a line amount and a contract end date' };
        }
        return {
          cumulative: straightLine(line.amountAmount, contract.startDate, contract.endDate, facts.periodEnd),
          projectId: progress?.projectId ?? null,
        };
      }
    }
  }

  /** The contract's legal entity's functional currency and the rate to it on the period end (one look-up per pair). */
  private async functionalRate(
    manager: EntityManager,
    contract: ContractEntity,
    periodEnd: string,
    rates: Map<string, FunctionalRate>,
  ): Promise<FunctionalRate> {
    const legalEntity = await manager.findOneByOrFail(LegalEntityEntity, { id: contract.legalEntityId });
    const key = `${contract.currency}:${legalEntity.functionalCurrency}`;
    const known = rates.get(key);
    if (known) {
      return known;
    }
    try {
      const { rate } = await this.fxRateService.rateOn(contract.currency, legalEntity.functionalCurrency, periodEnd, manager);
      const places = await this.currencyService.decimalsOf(legalEntity.functionalCurrency, manager);
      const resolved = { currency: legalEntity.functionalCurrency, rate, places };
      rates.set(key, resolved);
      return resolved;
    } catch (error) {
      if (error instanceof ConcordError && error.code === ErrorCode.NOT_FOUND) {
        throw new BadInputError(
          `no exchange rate ${contract.currency}→${legalEntity.functionalCurrency} on or before ${periodEnd} (contract ${contract.number}, legal entity ${legalEntity.code}): record one and recognise the period again`,
          { field: 'fxRate', reason: 'FX_RATE_MISSING', from: contract.currency, to: legalEntity.functionalCurrency, date: periodEnd },
        );
      }
      throw error;
    }
  }

  private write(
    tx: WriteTransaction,
    line: ContractLineEntity,
    contract: ContractEntity,
    period: string,
    projectId: string | null,
    recognized: DecimalValue,
    functional: FunctionalRate,
    billed: string,
    cumulative: DecimalValue,
  ): Promise<RevenueEntryEntity> {
    return tx.create<RevenueEntryEntity>(RevenueEntryEntity, {
      contractLineId: line.id,
      contractId: contract.id,
      projectId,
      period,
      method: line.revRecMethod,
      currency: contract.currency,
      recognizedAmountAmount: toAmount(recognized),
      functionalCurrency: functional.currency,
      fxRate: functional.rate,
      // the snapshotted rate, so recognizedFunctional = recognizedAmount × fxRate can be checked from the entry
      recognizedFunctionalAmount: toAmount(toAmount(recognized.times(functional.rate), functional.places)),
      ...positions(cumulative, decimal(billed)),
    });
  }
}

function indexFacts(input: RecognizeRevenueInput): Facts {
  const deliveredByLine = new Map<string, RevenueDeliveredInput[]>();
  for (const delivery of input.delivered ?? []) {
    deliveredByLine.set(delivery.contractLineId, [...(deliveredByLine.get(delivery.contractLineId) ?? []), delivery]);
  }
  const progressByLine = new Map<string, ProjectProgressInput>();
  const progressByContract = new Map<string, ProjectProgressInput[]>();
  const progressByProject = new Map<string, ProjectProgressInput>();
  for (const progress of input.progress ?? []) {
    progressByProject.set(progress.projectId, progress);
    for (const contractLineId of progress.contractLineIds ?? []) {
      progressByLine.set(contractLineId, progress);
    }
    if (progress.contractId) {
      progressByContract.set(progress.contractId, [...(progressByContract.get(progress.contractId) ?? []), progress]);
    }
  }
  return {
    period: input.period,
    periodEnd: lastDayOfMonth(input.period),
    deliveredByLine,
    progressByLine,
    progressByContract,
    progressByProject,
  };
}

/**
 * The project whose progress a line follows: the one whose tasks name the line, else the only project of the line's
 * contract, else the project of the line's previous entry.
 */
function progressOf(line: ContractLineEntity, previous: RevenueEntryEntity | null, facts: Facts): ProjectProgressInput | null {
  const ofContract = facts.progressByContract.get(line.contractId) ?? [];
  return (
    facts.progressByLine.get(line.id) ??
    (ofContract.length === 1 ? ofContract[0] : undefined) ??
    (previous?.projectId ? facts.progressByProject.get(previous.projectId) : undefined) ??
    null
  );
}

/** Σ amounts of the line's milestone schedule lines READY or INVOICED since before the end of the period end day (UTC). */
async function acceptedMilestones(manager: EntityManager, contractLineId: string, periodEnd: string): Promise<DecimalValue> {
  const [row]: { accepted: string }[] = await manager.query(
    `SELECT COALESCE(SUM(line.amount), 0)::text AS accepted
       FROM erp.billing_schedule_line line JOIN erp.billing_schedule schedule ON schedule.id = line.billing_schedule_id
      WHERE schedule.contract_line_id = $1 AND line.milestone_id IS NOT NULL AND line.amount IS NOT NULL
        AND line.status IN ('READY', 'INVOICED')
        AND COALESCE(line.ready_at, line.updated_at) < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')`,
    [contractLineId, periodEnd],
  );
  return decimal(row.accepted);
}
