import { assertFound, BadInputError, ConflictError, decimal, isIsoDate } from '@concord/common';
import type { WriteTransaction } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { FINAL_PROJECT_STATUSES } from '../project/project.states';

/**
 * Reads the project a delivery record (request, assignment, time, expense) is written against, holding a
 * share lock until the transaction ends so the project cannot be closed meanwhile; CLOSED or CANCELLED
 * projects take no new delivery facts (CONFLICT).
 */
export async function deliveryProject(tx: WriteTransaction, projectId: string): Promise<ProjectEntity> {
  const project = await tx.manager
    .getRepository(ProjectEntity)
    .createQueryBuilder('project')
    .setLock('pessimistic_read')
    .where('project.id = :projectId', { projectId })
    .getOne();
  assertFound(project, 'Project', projectId);
  if (FINAL_PROJECT_STATUSES.includes(project.status)) {
    throw new ConflictError(`project ${project.code} is ${project.status} and takes no new delivery records`, {
      projectId,
      status: project.status,
    });
  }
  return project;
}

/** ISO dates compare as strings; a period ends on or after it starts. */
export function assertPeriod(startDate: string, endDate: string): void {
  if (endDate < startDate) {
    throw new BadInputError(`endDate ${endDate} is before startDate ${startDate}`, { field: 'endDate', startDate, endDate });
  }
}

export function assertPositive(value: string, field: string): void {
  if (!decimal(value).greaterThan(0)) {
    throw new BadInputError(`${field} must be greater than 0`, { field, value });
  }
}

/** The ISO_DATE pattern lets 2025-02-30 through; the database would refuse it late and badly, so refuse it here. */
export function assertCalendarDates(dates: Record<string, string | null | undefined>): void {
  for (const [field, value] of Object.entries(dates)) {
    if (value === null || value === undefined) {
      continue;
    }
    if (!isIsoDate(value)) {
      throw new BadInputError(`${field} ${value} is not a calendar date`, { field, value });
    }
  }
}
