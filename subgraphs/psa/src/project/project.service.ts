import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConflictError,
  containsPattern,
  decimal,
  loadByIds,
  loadChildren,
  pageSize,
  paginate,
  toAmount,
  type Page,
} from '@concord/common';
import { childListLoader, CLOCK, WritePoint, type Clock, type WriteTransaction } from '@concord/graphql';
import { definedOnly, normalizeDecimals } from '../common/input-formats';
import { TaskEntity } from '../task/task.entity';
import { ProjectSortField, type CreateProjectInput, type ProjectsArgs, type UpdateProjectInput } from './dtos/project.input';
import { computePercentComplete } from './percent-complete';
import { PercentCompleteMethod, ProjectEntity, ProjectStatus } from './project.entity';
import { FINAL_PROJECT_STATUSES, projectStates } from './project.states';

const DECIMAL_FIELDS = ['budget', 'budgetHours', 'percentComplete'] as const;

interface ClientProjectsOptions {
  first: number;
  statusIn: ProjectStatus[] | null;
}

/** What an applied change order does to its project (DOMAIN.md §2 "Change order"). */
export interface BudgetChange {
  deltaAmount: string;
  deltaHours: string;
  newEndDate: string | null;
}

@Injectable()
export class ProjectService {
  /** Batches every id asked for in one tick (federation `_entities`, nested lookups) into one query. */
  private readonly byId = new DataLoader<string, ProjectEntity | null>((ids) => loadByIds(this.projects, ids), { cache: false });
  private readonly byClient = childListLoader<ClientProjectsOptions, ProjectEntity>((clientIds, { first, statusIn }) =>
    loadChildren(this.projects, clientIds, {
      parentProperty: 'clientId',
      limitPerParent: first,
      orderBy: 'code',
      direction: 'ASC',
      where: statusIn ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses: statusIn ?? [] },
    }),
  );

  constructor(
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
    private readonly writePoint: WritePoint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<ProjectEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<ProjectEntity> {
    const project = await this.findById(id);
    assertFound(project, 'Project', id);
    return project;
  }

  list({ filter = {}, orderBy, ...page }: ProjectsArgs): Promise<Page<ProjectEntity>> {
    const query = this.projects.createQueryBuilder('project');
    if (filter.clientId) {
      query.andWhere('project.clientId = :clientId', { clientId: filter.clientId });
    }
    if (filter.contractId) {
      query.andWhere('project.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.opportunityId) {
      query.andWhere('project.opportunityId = :opportunityId', { opportunityId: filter.opportunityId });
    }
    if (filter.managerId) {
      query.andWhere('project.managerId = :managerId', { managerId: filter.managerId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('project.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.healthIn?.length) {
      query.andWhere('project.health = ANY(:healths)', { healths: filter.healthIn });
    }
    if (filter.codeOrNameContains) {
      query.andWhere('(project.code ILIKE :text OR project.name ILIKE :text)', { text: containsPattern(filter.codeOrNameContains) });
    }
    if (filter.plannedStartFrom) {
      query.andWhere('project.plannedStart >= :plannedStartFrom', { plannedStartFrom: filter.plannedStartFrom });
    }
    if (filter.plannedStartTo) {
      query.andWhere('project.plannedStart <= :plannedStartTo', { plannedStartTo: filter.plannedStartTo });
    }
    const field = orderBy?.field ?? ProjectSortField.CODE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /** `Client.projects`: the first projects (by code) of each client, batched over a page of clients. */
  projectsOfClient(clientId: string, first: number, statusIn: ProjectStatus[] | null | undefined): Promise<ProjectEntity[]> {
    const options: ClientProjectsOptions = { first: pageSize(first), statusIn: statusIn?.length ? [...new Set(statusIn)].sort() : null };
    return this.byClient.load({ parentId: clientId, args: options });
  }

  create(input: CreateProjectInput): Promise<ProjectEntity> {
    const { budget, percentComplete, ...fields } = normalizeDecimals(input, DECIMAL_FIELDS);
    const method = input.percentCompleteMethod ?? PercentCompleteMethod.MANUAL;
    assertManualPercent(method, percentComplete);
    return this.writePoint.run((tx) =>
      tx.create(ProjectEntity, {
        ...definedOnly(fields),
        status: ProjectStatus.SETUP,
        budgetAmount: budget ?? null,
        percentComplete: percentComplete ?? '0.00',
      }),
    );
  }

  update(id: string, input: UpdateProjectInput): Promise<ProjectEntity> {
    const { budget, ...fields } = definedOnly(normalizeDecimals(input, DECIMAL_FIELDS));
    return this.writePoint.run(async (tx) => {
      const project = await this.lockEditable(tx, id);
      const method = fields.percentCompleteMethod ?? project.percentCompleteMethod;
      assertManualPercent(method, fields.percentComplete);
      const patch: Partial<ProjectEntity> = { ...fields };
      if (budget !== undefined) {
        patch.budgetAmount = budget;
      }
      const updated = await tx.update(ProjectEntity, id, patch);
      return method === PercentCompleteMethod.MANUAL ? updated : this.recomputePercentComplete(tx, id);
    });
  }

  /**
   * Moves a project along DOMAIN.md §2. Activation needs a delivery manager and stamps activatedAt (and
   * actualStart when empty); completion stamps actualEnd. An invalid edge is INVALID_TRANSITION.
   */
  transition(id: string, to: ProjectStatus): Promise<ProjectEntity> {
    return this.writePoint.run((tx) =>
      tx.transition(ProjectEntity, id, projectStates, to, (project) => {
        if (to === ProjectStatus.ACTIVE) {
          if (!project.managerId) {
            throw new BadInputError('a project needs a managerId to become ACTIVE', { field: 'managerId' });
          }
          if (!project.activatedAt) {
            return { activatedAt: this.clock.now(), actualStart: project.actualStart ?? this.clock.today() };
          }
        }
        if (to === ProjectStatus.COMPLETED) {
          return { actualEnd: this.clock.today() };
        }
        return undefined;
      }),
    );
  }

  /**
   * Locks the project row for the rest of the transaction (so concurrent task writes recompute progress one at
   * a time) and refuses CLOSED or CANCELLED projects, whose delivery structure is frozen.
   */
  async lockEditable(tx: WriteTransaction, id: string): Promise<ProjectEntity> {
    const project = await tx.manager
      .getRepository(ProjectEntity)
      .createQueryBuilder('project')
      .setLock('pessimistic_write')
      .where('project.id = :id', { id })
      .getOne();
    assertFound(project, 'Project', id);
    if (FINAL_PROJECT_STATUSES.includes(project.status)) {
      throw new ConflictError(`project ${project.code} is ${project.status} and can no longer change`, {
        projectId: id,
        status: project.status,
      });
    }
    return project;
  }

  /** Recomputes percentComplete from the project's tasks per its method (MANUAL: untouched), in the caller's transaction. */
  async recomputePercentComplete(tx: WriteTransaction, projectId: string): Promise<ProjectEntity> {
    const project = await tx.manager.getRepository(ProjectEntity).findOneBy({ id: projectId });
    assertFound(project, 'Project', projectId);
    const tasks = await tx.manager
      .getRepository(TaskEntity)
      .find({ where: { projectId }, select: { id: true, status: true, progress: true, weight: true } });
    const percentComplete = computePercentComplete(project.percentCompleteMethod, tasks);
    return percentComplete === null ? project : tx.update(ProjectEntity, projectId, { percentComplete });
  }

  /** Adds an applied change order's deltas to the budget and moves the planned end, in the caller's transaction. */
  async applyBudgetChange(tx: WriteTransaction, projectId: string, change: BudgetChange): Promise<ProjectEntity> {
    const project = await this.lockEditable(tx, projectId);
    const patch: Partial<ProjectEntity> = {};
    if (!decimal(change.deltaAmount).isZero()) {
      patch.budgetAmount = addToBudget(project.budgetAmount, change.deltaAmount, 'budget');
    }
    if (!decimal(change.deltaHours).isZero()) {
      patch.budgetHours = addToBudget(project.budgetHours, change.deltaHours, 'budgetHours');
    }
    if (change.newEndDate) {
      patch.plannedEnd = change.newEndDate;
    }
    return tx.update(ProjectEntity, projectId, patch);
  }
}

function assertManualPercent(method: PercentCompleteMethod, percentComplete: string | undefined): void {
  if (percentComplete !== undefined && method !== PercentCompleteMethod.MANUAL) {
    throw new BadInputError(`percentComplete is computed from the tasks with the ${method} method; set it only with MANUAL`, {
      field: 'percentComplete',
    });
  }
}

function addToBudget(current: string | null, delta: string, field: string): string {
  const result = decimal(current ?? '0').plus(delta);
  if (result.isNegative()) {
    throw new BadInputError(`the change would make the project ${field} negative (${toAmount(result)})`, { field });
  }
  return toAmount(result);
}
