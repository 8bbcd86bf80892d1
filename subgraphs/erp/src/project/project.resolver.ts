import { Args, Directive, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { InvoiceListArgs } from '../invoice/dtos/invoice.input';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { InvoiceService } from '../invoice/invoice.service';
import { RevenueEntryListArgs } from '../revenue-entry/dtos/revenue-entry.input';
import { RevenueEntryEntity } from '../revenue-entry/revenue-entry.entity';
import { RevenueEntryService } from '../revenue-entry/revenue-entry.service';
import { ProjectService } from './project.service';
import { ProjectExtension } from './project.type';

const REQUIRES_COST = '@requires(fields: "costToDate { amount currency } managerId")';

/** The ERP side of a PSA Project; every field is batched over the projects of a request. */
// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ProjectExtension)
export class ProjectResolver {
  constructor(
    private readonly projectService: ProjectService,
    private readonly invoiceService: InvoiceService,
    private readonly revenueEntryService: RevenueEntryService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string; costToDate?: Money | null; managerId?: string | null }): ProjectExtension {
    return { id: reference.id, costToDate: reference.costToDate, managerId: reference.managerId };
  }

  @ResolveField(() => Money, {
    nullable: true,
    description: "Revenue recognised on the project (sum of its revenue entries), in its contract's currency.",
  })
  revenueRecognized(@Parent() project: ProjectExtension): Promise<Money | null> {
    return this.projectService.revenueRecognized(project);
  }

  @ResolveField(() => Money, { nullable: true, description: 'Sum of the totals of the POSTED invoices of the project.' })
  billedToDate(@Parent() project: ProjectExtension): Promise<Money | null> {
    return this.projectService.billedToDate(project);
  }

  @ResolveField(() => Money, {
    nullable: true,
    description:
      'revenueRecognized − costToDate (converted with FxRate when the currencies differ). Null with FORBIDDEN_FIELD where the caller may not see margin.',
  })
  @Directive(REQUIRES_COST)
  margin(@Parent() project: ProjectExtension): Promise<Money | null> {
    this.policy.assertCanRead('Project', { id: project.id, managerId: project.managerId ?? null }, 'margin');
    return this.projectService.margin(project);
  }

  @ResolveField(() => String, { nullable: true, description: 'margin / revenueRecognized × 100, 2 decimals; null when revenue is 0.' })
  @Directive(REQUIRES_COST)
  marginPct(@Parent() project: ProjectExtension): Promise<string | null> {
    this.policy.assertCanRead('Project', { id: project.id, managerId: project.managerId ?? null }, 'marginPct');
    return this.projectService.marginPct(project);
  }

  @ResolveField(() => [InvoiceEntity], { nullable: true, description: "The project's invoices, latest issue date first." })
  invoices(@Parent() project: ProjectExtension, @Args() args: InvoiceListArgs): Promise<InvoiceEntity[]> {
    return this.invoiceService.invoicesOfProject(project.id, args);
  }

  @ResolveField(() => [RevenueEntryEntity], { nullable: true, description: "The project's revenue entries, latest period first." })
  revenueEntries(@Parent() project: ProjectExtension, @Args() args: RevenueEntryListArgs): Promise<RevenueEntryEntity[]> {
    return this.revenueEntryService.entriesOfProject(project.id, args);
  }
}
