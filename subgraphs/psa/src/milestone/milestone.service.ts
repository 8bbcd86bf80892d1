import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, ConflictError, loadByIds, loadChildren, pageSize, paginate, type Page } from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { definedOnly, normalizeDecimals } from '../common/input-formats';
import { ProjectService } from '../project/project.service';
import { MilestoneSortField, type CreateMilestoneInput, type MilestonesArgs, type UpdateMilestoneInput } from './dtos/milestone.input';
import { MilestoneEntity, MilestoneStatus } from './milestone.entity';
import { milestoneStates, SETTLED_MILESTONE_STATUSES } from './milestone.states';

const DECIMAL_FIELDS = ['amount', 'percentage'] as const;

@Injectable()
export class MilestoneService {
  private readonly byId = new DataLoader<string, MilestoneEntity | null>((ids) => loadByIds(this.milestones, ids), { cache: false });
  private readonly byProject = childListLoader<{ first: number }, MilestoneEntity>((projectIds, { first }) =>
    loadChildren(this.milestones, projectIds, {
      parentProperty: 'projectId',
      limitPerParent: first,
      orderBy: 'targetDate',
      direction: 'ASC',
    }),
  );

  constructor(
    @InjectRepository(MilestoneEntity) private readonly milestones: Repository<MilestoneEntity>,
    private readonly projectService: ProjectService,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<MilestoneEntity | null> {
    return this.byId.load(id);
  }

  /** `Project.milestones`: by target date, batched over every project asked for. */
  milestonesOfProject(projectId: string, first: number): Promise<MilestoneEntity[]> {
    return this.byProject.load({ parentId: projectId, args: { first: pageSize(first) } });
  }

  list({ filter = {}, orderBy, ...page }: MilestonesArgs): Promise<Page<MilestoneEntity>> {
    const query = this.milestones.createQueryBuilder('milestone');
    if (filter.projectId) {
      query.andWhere('milestone.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('milestone.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.targetDateFrom) {
      query.andWhere('milestone.targetDate >= :targetDateFrom', { targetDateFrom: filter.targetDateFrom });
    }
    if (filter.targetDateTo) {
      query.andWhere('milestone.targetDate <= :targetDateTo', { targetDateTo: filter.targetDateTo });
    }
    const field = orderBy?.field ?? MilestoneSortField.TARGET_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateMilestoneInput): Promise<MilestoneEntity> {
    const { amount, ...fields } = normalizeDecimals(input, DECIMAL_FIELDS);
    assertAmountOrPercentage(amount ?? null, input.percentage ?? null);
    return this.writePoint.run(async (tx) => {
      const project = await this.projectService.lockEditable(tx, input.projectId);
      return tx.create(MilestoneEntity, {
        ...definedOnly(fields),
        status: MilestoneStatus.PLANNED,
        amountAmount: amount ?? null,
        currency: project.currency,
      });
    });
  }

  /** Terms change only before the milestone is settled (ACCEPTED or CANCELLED): ERP bills from them. */
  update(id: string, input: UpdateMilestoneInput): Promise<MilestoneEntity> {
    const { amount, ...fields } = definedOnly(normalizeDecimals(input, DECIMAL_FIELDS));
    return this.writePoint.run(async (tx) => {
      const milestone = await this.lockOpen(tx, id);
      assertAmountOrPercentage(
        amount !== undefined ? amount : milestone.amountAmount,
        fields.percentage !== undefined ? fields.percentage : milestone.percentage,
      );
      const patch: Partial<MilestoneEntity> = { ...fields };
      if (amount !== undefined) {
        patch.amountAmount = amount;
      }
      return tx.update(MilestoneEntity, id, patch);
    });
  }

  /**
   * PLANNED → REACHED → ACCEPTED, CANCELLED from PLANNED/REACHED. Our choice for requiresSignOff = false:
   * reaching the milestone also accepts it, in the same transaction (two audited transitions).
   */
  transition(id: string, to: MilestoneStatus): Promise<MilestoneEntity> {
    return this.writePoint.run(async (tx) => {
      const current = await tx.manager.getRepository(MilestoneEntity).findOneBy({ id });
      assertFound(current, 'Milestone', id);
      await this.projectService.lockEditable(tx, current.projectId);
      const milestone = await tx.transition(MilestoneEntity, id, milestoneStates, to, () => stamps(to));
      if (to === MilestoneStatus.REACHED && !milestone.requiresSignOff) {
        return tx.transition(MilestoneEntity, id, milestoneStates, MilestoneStatus.ACCEPTED, () => stamps(MilestoneStatus.ACCEPTED));
      }
      return milestone;
    });
  }

  private async lockOpen(tx: WriteTransaction, id: string): Promise<MilestoneEntity> {
    const milestone = await tx.manager.getRepository(MilestoneEntity).findOneBy({ id });
    assertFound(milestone, 'Milestone', id);
    await this.projectService.lockEditable(tx, milestone.projectId);
    if (SETTLED_MILESTONE_STATUSES.includes(milestone.status)) {
      throw new ConflictError(`milestone ${milestone.name} is ${milestone.status} and can no longer change`, {
        milestoneId: id,
        status: milestone.status,
      });
    }
    return milestone;
  }
}

function stamps(to: MilestoneStatus): Partial<MilestoneEntity> | undefined {
  if (to === MilestoneStatus.REACHED) {
    return { reachedAt: new Date() };
  }
  if (to === MilestoneStatus.ACCEPTED) {
    return { acceptedAt: new Date() };
  }
  return undefined;
}

function assertAmountOrPercentage(amount: string | null | undefined, percentage: string | null | undefined): void {
  if (amount !== null && amount !== undefined && percentage !== null && percentage !== undefined) {
    throw new BadInputError('a milestone has an amount or a percentage, not both', { fields: ['amount', 'percentage'] });
  }
}
