import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, ConflictError, groupByKeys, loadByIds, paginate, type Page } from '@concord/common';
import { WritePoint, type WriteTransaction } from '@concord/graphql';
import { assertCalendarDates, assertPeriod, assertPositive, deliveryProject } from '../common/delivery-rules';
import { definedOnly } from '../common/input-formats';
import { scaled } from '../common/rates';
import { ResourceRequestEntity, ResourceRequestStatus } from './resource-request.entity';
import { resourceRequestStates } from './resource-request.states';
import {
  ResourceRequestSortField,
  type CreateResourceRequestInput,
  type ResourceRequestsArgs,
  type UpdateResourceRequestInput,
} from './dtos/resource-request.input';

@Injectable()
export class ResourceRequestService {
  private readonly byId = new DataLoader<string, ResourceRequestEntity | null>((ids) => loadByIds(this.requests, ids), { cache: false });
  /** `Project.resourceRequests` for every project asked for in one tick, in one statement. */
  private readonly byProject = new DataLoader<string, ResourceRequestEntity[]>((projectIds) => this.loadOfProjects(projectIds), {
    cache: false,
  });

  constructor(
    @InjectRepository(ResourceRequestEntity) private readonly requests: Repository<ResourceRequestEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ResourceRequestEntity | null> {
    return this.byId.load(id);
  }

  ofProject(projectId: string): Promise<ResourceRequestEntity[]> {
    return this.byProject.load(projectId);
  }

  list({ filter = {}, orderBy, ...page }: ResourceRequestsArgs): Promise<Page<ResourceRequestEntity>> {
    const query = this.requests.createQueryBuilder('request');
    if (filter.projectId) {
      query.andWhere('request.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('request.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.role) {
      query.andWhere('request.role = :role', { role: filter.role });
    }
    if (filter.skill) {
      query.andWhere(':skill = ANY(request.skills)', { skill: filter.skill });
    }
    if (filter.from) {
      query.andWhere('request.endDate >= :from', { from: filter.from });
    }
    if (filter.to) {
      query.andWhere('request.startDate <= :to', { to: filter.to });
    }
    if (filter.sourceQuoteLineId) {
      query.andWhere('request.sourceQuoteLineId = :sourceQuoteLineId', { sourceQuoteLineId: filter.sourceQuoteLineId });
    }
    const field = orderBy?.field ?? ResourceRequestSortField.START_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateResourceRequestInput): Promise<ResourceRequestEntity> {
    assertPositive(input.hours, 'hours');
    assertCalendarDates({ startDate: input.startDate, endDate: input.endDate });
    assertPeriod(input.startDate, input.endDate);
    return this.writePoint.run(async (tx) => {
      await deliveryProject(tx, input.projectId);
      return tx.create<ResourceRequestEntity>(ResourceRequestEntity, {
        ...definedOnly(input),
        hours: scaled(input.hours, 2),
        skills: input.skills ?? [],
        status: ResourceRequestStatus.OPEN,
      });
    });
  }

  /** Only an OPEN request can change; a fulfilled one is described by its assignment. */
  update(id: string, input: UpdateResourceRequestInput): Promise<ResourceRequestEntity> {
    const patch: Partial<ResourceRequestEntity> = definedOnly({ ...input, hours: scaled(input.hours, 2) });
    if (patch.hours !== undefined) {
      assertPositive(patch.hours, 'hours');
    }
    assertCalendarDates({ startDate: patch.startDate, endDate: patch.endDate });
    return this.writePoint.run(async (tx) => {
      const request = await tx.manager.findOneBy(ResourceRequestEntity, { id });
      assertFound(request, 'ResourceRequest', id);
      if (request.status !== ResourceRequestStatus.OPEN) {
        throw new ConflictError(`resource request ${id} is ${request.status} and can no longer change`, { id, status: request.status });
      }
      assertPeriod(patch.startDate ?? request.startDate, patch.endDate ?? request.endDate);
      return tx.update(ResourceRequestEntity, id, patch);
    });
  }

  cancel(id: string): Promise<ResourceRequestEntity> {
    return this.writePoint.run((tx) => tx.transition(ResourceRequestEntity, id, resourceRequestStates, ResourceRequestStatus.CANCELLED));
  }

  /** OPEN → FULFILLED by the given assignment, in the caller's transaction (INVALID_TRANSITION unless OPEN). */
  fulfil(tx: WriteTransaction, id: string, assignmentId: string): Promise<ResourceRequestEntity> {
    return tx.transition(ResourceRequestEntity, id, resourceRequestStates, ResourceRequestStatus.FULFILLED, () => ({ assignmentId }));
  }

  private async loadOfProjects(projectIds: readonly string[]): Promise<ResourceRequestEntity[][]> {
    const rows = await this.requests
      .createQueryBuilder('request')
      .where('request.projectId = ANY(:projectIds)', { projectIds: [...projectIds] })
      .orderBy('request.startDate', 'ASC')
      .addOrderBy('request.id', 'ASC')
      .getMany();
    return groupByKeys(projectIds, rows, (row) => row.projectId);
  }
}
