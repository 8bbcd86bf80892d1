import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, containsPattern, decimal, loadByIds, paginate, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { assertCalendarDates } from '../common/delivery-rules';
import { definedOnly } from '../common/input-formats';
import { scaled } from '../common/rates';
import { ResourceEntity } from './resource.entity';
import { ResourceSortField, type CreateResourceInput, type ResourcesArgs, type UpdateResourceInput } from './dtos/resource.input';

const HOURS_PER_WEEK = 168;

@Injectable()
export class ResourceService {
  /** Batches every id asked for in one tick (federation `_entities`, nested lookups) into one query. */
  private readonly byId = new DataLoader<string, ResourceEntity | null>((ids) => loadByIds(this.resources, ids), { cache: false });

  constructor(
    @InjectRepository(ResourceEntity) private readonly resources: Repository<ResourceEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ResourceEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<ResourceEntity> {
    const resource = await this.findById(id);
    assertFound(resource, 'Resource', id);
    return resource;
  }

  list({ filter = {}, orderBy, ...page }: ResourcesArgs): Promise<Page<ResourceEntity>> {
    const query = this.resources.createQueryBuilder('resource');
    if (filter.nameContains) {
      query.andWhere('resource.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    if (filter.primaryRole) {
      query.andWhere('resource.primaryRole = :primaryRole', { primaryRole: filter.primaryRole });
    }
    if (filter.active !== undefined && filter.active !== null) {
      query.andWhere('resource.active = :active', { active: filter.active });
    }
    if (filter.legalEntityId) {
      query.andWhere('resource.legalEntityId = :legalEntityId', { legalEntityId: filter.legalEntityId });
    }
    if (filter.personId) {
      query.andWhere('resource.personId = :personId', { personId: filter.personId });
    }
    const field = orderBy?.field ?? ResourceSortField.NAME;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateResourceInput): Promise<ResourceEntity> {
    const { costRate, capacityHoursPerWeek, utilizationTargetPct, ...fields } = input;
    const values = {
      ...fields,
      costRateAmount: scaled(costRate, 6),
      capacityHoursPerWeek: scaled(capacityHoursPerWeek, 2),
      utilizationTargetPct: scaled(utilizationTargetPct, 2),
    };
    assertResourceRules(values);
    return this.writePoint.run((tx) => tx.create<ResourceEntity>(ResourceEntity, values));
  }

  update(id: string, input: UpdateResourceInput): Promise<ResourceEntity> {
    const { costRate, capacityHoursPerWeek, utilizationTargetPct, ...fields } = input;
    const patch: Partial<ResourceEntity> = definedOnly({
      ...fields,
      costRateAmount: scaled(costRate, 6),
      capacityHoursPerWeek: scaled(capacityHoursPerWeek, 2),
      utilizationTargetPct: scaled(utilizationTargetPct, 2),
    });
    return this.writePoint.run(async (tx) => {
      const before = await tx.manager.findOneBy(ResourceEntity, { id });
      assertFound(before, 'Resource', id);
      assertResourceRules({ ...before, ...patch });
      return tx.update(ResourceEntity, id, patch);
    });
  }
}

type ResourceRules = Pick<Partial<ResourceEntity>, 'capacityHoursPerWeek' | 'utilizationTargetPct' | 'utilizationTargetEffectiveDate'>;

function assertResourceRules({ capacityHoursPerWeek, utilizationTargetPct, utilizationTargetEffectiveDate }: ResourceRules): void {
  assertCalendarDates({ utilizationTargetEffectiveDate });
  if (capacityHoursPerWeek !== undefined && decimal(capacityHoursPerWeek).greaterThan(HOURS_PER_WEEK)) {
    throw new BadInputError(`capacityHoursPerWeek cannot exceed ${HOURS_PER_WEEK}`, {
      field: 'capacityHoursPerWeek',
      value: capacityHoursPerWeek,
    });
  }
  if (utilizationTargetPct !== null && utilizationTargetPct !== undefined && !utilizationTargetEffectiveDate) {
    throw new BadInputError('a utilization target needs utilizationTargetEffectiveDate', { field: 'utilizationTargetEffectiveDate' });
  }
}
