import { Args, Query, Resolver } from '@nestjs/graphql';
import { BillableWorkService } from './billable-work.service';
import { BillableWorkArgs } from './dtos/billable-work.input';
import { BillableWorkGroup } from './dtos/billable-work.output';

@Resolver(() => BillableWorkGroup)
export class BillableWorkResolver {
  constructor(private readonly billableWorkService: BillableWorkService) {}

  @Query(() => [BillableWorkGroup], {
    description:
      'APPROVED billable uninvoiced time and expenses dated up to periodEnd on T&M projects of ERP contracts, one row per invoice line to be (project + bill rate for time, project + category for expenses), with exact sums and the source ids.',
  })
  billableWork(@Args() args: BillableWorkArgs): Promise<BillableWorkGroup[]> {
    return this.billableWorkService.groups(args);
  }
}
