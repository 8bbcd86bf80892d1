import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, decimal, paginate, toAmount, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import type { IntercompanyChargesArgs, RecordIntercompanyChargeInput } from './dtos/intercompany.input';
import { IntercompanyChargeEntity } from './intercompany-charge.entity';

/** Intercompany charges: one per source, recorded by the workflow that sees cross-entity work approved. */
@Injectable()
export class IntercompanyService {
  constructor(
    @InjectRepository(IntercompanyChargeEntity) private readonly charges: Repository<IntercompanyChargeEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<IntercompanyChargeEntity | null> {
    return this.charges.findOneBy({ id });
  }

  /** The charge of the source, created when it has none (retry-safe: the same source never makes two). */
  record(input: RecordIntercompanyChargeInput): Promise<IntercompanyChargeEntity> {
    if (input.fromLegalEntityId === input.toLegalEntityId) {
      throw new BadInputError('an intercompany charge needs two different legal entities', { field: 'toLegalEntityId' });
    }
    return this.writePoint.run(async (tx) => {
      const existing = await tx.manager.findOneBy(IntercompanyChargeEntity, { sourceType: input.sourceType, sourceId: input.sourceId });
      if (existing) {
        return existing;
      }
      for (const id of [input.fromLegalEntityId, input.toLegalEntityId]) {
        assertFound(await tx.manager.findOneBy(LegalEntityEntity, { id }), 'LegalEntity', id);
      }
      const markupPct = decimal(input.markupPct ?? 0);
      return tx.create(IntercompanyChargeEntity, {
        sourceType: input.sourceType,
        sourceId: input.sourceId,
        fromLegalEntityId: input.fromLegalEntityId,
        toLegalEntityId: input.toLegalEntityId,
        projectId: input.projectId,
        date: input.date,
        hours: input.hours ?? null,
        currency: input.currency,
        costAmount: toAmount(decimal(input.cost)),
        markupPct: toAmount(markupPct),
        amountAmount: toAmount(decimal(input.cost).times(markupPct.plus(100)).dividedBy(100)),
      });
    });
  }

  list({ filter = {}, ...page }: IntercompanyChargesArgs): Promise<Page<IntercompanyChargeEntity>> {
    const query = this.charges.createQueryBuilder('charge');
    if (filter.projectId) {
      query.andWhere('charge.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.legalEntityId) {
      query.andWhere('(charge.fromLegalEntityId = :legalEntityId OR charge.toLegalEntityId = :legalEntityId)', {
        legalEntityId: filter.legalEntityId,
      });
    }
    if (filter.dateFrom) {
      query.andWhere('charge.date >= :dateFrom', { dateFrom: filter.dateFrom });
    }
    if (filter.dateTo) {
      query.andWhere('charge.date <= :dateTo', { dateTo: filter.dateTo });
    }
    return paginate(query, page, { field: 'DATE', property: 'date', direction: 'DESC' });
  }
}
