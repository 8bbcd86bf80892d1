import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Money } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectCostService } from './project-cost.service';

/** PSA's delivery totals on Project; ERP `@requires(fields: "costToDate")` to compute margins. */
@Resolver(() => ProjectEntity)
export class ProjectCostResolver {
  constructor(private readonly projectCostService: ProjectCostService) {}

  @ResolveField(() => Money, {
    description:
      'Σ cost of SUBMITTED/APPROVED/INVOICED time entries + Σ amount of SUBMITTED/APPROVED/INVOICED expenses, in the project currency.',
  })
  costToDate(@Parent() project: ProjectEntity): Promise<Money> {
    return this.projectCostService.costToDate(project);
  }

  @ResolveField(() => String, { description: 'Σ hours of SUBMITTED/APPROVED/INVOICED time entries, decimal string.' })
  hoursToDate(@Parent() project: ProjectEntity): Promise<string> {
    return this.projectCostService.hoursToDate(project.id);
  }
}
