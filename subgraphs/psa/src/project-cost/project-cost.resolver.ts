import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectCostService } from './project-cost.service';

/** PSA's delivery totals on Project; ERP `@requires(fields: "costToDate")` to compute margins. */
@Resolver(() => ProjectEntity)
export class ProjectCostResolver {
  constructor(
    private readonly projectCostService: ProjectCostService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  // Nullable: a caller whose row rule hides cost on this project (a delivery manager on a project they do not
  // manage) gets null and a FORBIDDEN_FIELD error here, not a null project.
  @ResolveField(() => Money, {
    nullable: true,
    description:
      'Σ cost of SUBMITTED/APPROVED/INVOICED time entries + Σ amount of SUBMITTED/APPROVED/INVOICED expenses, in the project currency. Null with FORBIDDEN_FIELD where the caller may not see cost.',
  })
  costToDate(@Parent() project: ProjectEntity): Promise<Money> {
    this.policy.assertCanRead('Project', project as unknown as Record<string, unknown>, 'costToDate');
    return this.projectCostService.costToDate(project);
  }

  @ResolveField(() => String, { description: 'Σ hours of SUBMITTED/APPROVED/INVOICED time entries, decimal string.' })
  hoursToDate(@Parent() project: ProjectEntity): Promise<string> {
    return this.projectCostService.hoursToDate(project.id);
  }
}
