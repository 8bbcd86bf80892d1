import { Args, Query, Resolver } from '@nestjs/graphql';
import { BillableWorkService } from './billable-work.service';
import { BillableWorkArgs } from './dtos/billable-work.input';
import { BillableWorkGroup } from './dtos/billable-work.output';
import { RevenueDeliveriesArgs } from './dtos/revenue-deliveries.input';
import { RevenueDeliveries } from './dtos/revenue-deliveries.output';
import { RevenueDeliveryService } from './revenue-delivery.service';

@Resolver(() => BillableWorkGroup)
export class BillableWorkResolver {
  constructor(
    private readonly billableWorkService: BillableWorkService,
    private readonly revenueDeliveryService: RevenueDeliveryService,
  ) {}

  @Query(() => [BillableWorkGroup], {
    description:
      'APPROVED billable uninvoiced time and expenses dated up to periodEnd on T&M projects of ERP contracts, one row per invoice line to be (project + bill rate for time, project + category for expenses), with exact sums and the source ids.',
  })
  billableWork(@Args() args: BillableWorkArgs): Promise<BillableWorkGroup[]> {
    return this.billableWorkService.groups(args);
  }

  @Query(() => RevenueDeliveries, {
    description:
      "What revenue recognition reads for a period: APPROVED and INVOICED billable time and expenses dated from `from` to `to` on the projects of ERP contracts, summed per project, contract line (the time entry's task's) and currency; and each project's percent complete with the contract lines its tasks deliver.",
  })
  revenueDeliveries(@Args() args: RevenueDeliveriesArgs): Promise<RevenueDeliveries> {
    return this.revenueDeliveryService.deliveries(args);
  }
}
