import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ContractLineEntity } from '../contract/contract-line.entity';
import { ContractService } from '../contract/contract.service';
import { MilestoneReference, milestoneReference } from '../references/milestone.reference';
import { BillingScheduleLineEntity } from './billing-schedule-line.entity';
import { BillingScheduleEntity } from './billing-schedule.entity';
import { BillingScheduleService } from './billing-schedule.service';
import {
  BillingScheduleLinesArgs,
  BillingSchedulesArgs,
  CreateBillingScheduleInput,
  CreateBillingScheduleLineInput,
  TransitionBillingScheduleLineArgs,
  ReadyBillingScheduleLinesArgs,
  UpdateBillingScheduleInput,
  UpdateBillingScheduleLineInput,
} from './dtos/billing-schedule.input';

export const BillingScheduleConnection = Connection(BillingScheduleEntity, 'BillingSchedule');
export const BillingScheduleLineConnection = Connection(BillingScheduleLineEntity, 'BillingScheduleLine');

@Resolver(() => BillingScheduleEntity)
export class BillingScheduleResolver {
  constructor(
    private readonly billingScheduleService: BillingScheduleService,
    private readonly contractService: ContractService,
  ) {}

  @Query(() => BillingScheduleEntity, { nullable: true })
  billingSchedule(@Args('id', { type: () => ID }) id: string): Promise<BillingScheduleEntity | null> {
    return this.billingScheduleService.findById(id);
  }

  @Query(() => BillingScheduleConnection)
  async billingSchedules(@Args() args: BillingSchedulesArgs): Promise<ConnectionShape<BillingScheduleEntity>> {
    return toConnection(await this.billingScheduleService.list(args));
  }

  @Mutation(() => BillingScheduleEntity)
  createBillingSchedule(@Args('input') input: CreateBillingScheduleInput): Promise<BillingScheduleEntity> {
    return this.billingScheduleService.create(input);
  }

  @Mutation(() => BillingScheduleEntity)
  updateBillingSchedule(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateBillingScheduleInput,
  ): Promise<BillingScheduleEntity> {
    return this.billingScheduleService.update(id, input);
  }

  @ResolveField(() => [BillingScheduleLineEntity], { description: 'All lines by planned date.' })
  lines(@Parent() schedule: BillingScheduleEntity): Promise<BillingScheduleLineEntity[]> {
    return this.billingScheduleService.linesOf(schedule.id);
  }

  @ResolveField(() => ContractLineEntity)
  contractLine(@Parent() schedule: BillingScheduleEntity): Promise<ContractLineEntity> {
    return this.contractService.getLineById(schedule.contractLineId);
  }
}

@Resolver(() => BillingScheduleLineEntity)
export class BillingScheduleLineResolver {
  constructor(private readonly billingScheduleService: BillingScheduleService) {}

  @Query(() => BillingScheduleLineEntity, { nullable: true })
  billingScheduleLine(@Args('id', { type: () => ID }) id: string): Promise<BillingScheduleLineEntity | null> {
    return this.billingScheduleService.findLineById(id);
  }

  @Query(() => BillingScheduleLineConnection)
  async billingScheduleLines(@Args() args: BillingScheduleLinesArgs): Promise<ConnectionShape<BillingScheduleLineEntity>> {
    return toConnection(await this.billingScheduleService.listLines(args));
  }

  @Mutation(() => BillingScheduleLineEntity)
  createBillingScheduleLine(@Args('input') input: CreateBillingScheduleLineInput): Promise<BillingScheduleLineEntity> {
    return this.billingScheduleService.createLine(input);
  }

  @Mutation(() => BillingScheduleLineEntity)
  updateBillingScheduleLine(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateBillingScheduleLineInput,
  ): Promise<BillingScheduleLineEntity> {
    return this.billingScheduleService.updateLine(id, input);
  }

  @Mutation(() => BillingScheduleLineEntity, {
    description: 'PLANNED → READY → INVOICED (with invoiceId); CANCELLED from PLANNED or READY.',
  })
  transitionBillingScheduleLine(@Args() args: TransitionBillingScheduleLineArgs): Promise<BillingScheduleLineEntity> {
    return this.billingScheduleService.transitionLine(args);
  }

  @Mutation(() => [BillingScheduleLineEntity], {
    description:
      'PLANNED → READY for the lines whose time has come: with asOf the date-based lines (no milestone) planned by then, with milestoneId the lines of that accepted milestone. Answers the lines it moved; a repeat moves nothing.',
  })
  readyBillingScheduleLines(@Args() args: ReadyBillingScheduleLinesArgs): Promise<BillingScheduleLineEntity[]> {
    return this.billingScheduleService.readyLines(args);
  }

  @ResolveField(() => BillingScheduleEntity)
  billingSchedule(@Parent() line: BillingScheduleLineEntity): Promise<BillingScheduleEntity> {
    return this.billingScheduleService.getById(line.billingScheduleId);
  }

  @ResolveField(() => MilestoneReference, { nullable: true, description: 'The PSA Milestone.' })
  milestone(@Parent() line: BillingScheduleLineEntity): MilestoneReference | null {
    return milestoneReference(line.milestoneId);
  }
}

/** ContractLine.billingSchedules lives here so the contract context does not depend on billing schedules. */
@Resolver(() => ContractLineEntity)
export class ContractLineBillingSchedulesResolver {
  constructor(private readonly billingScheduleService: BillingScheduleService) {}

  @ResolveField(() => [BillingScheduleEntity])
  billingSchedules(@Parent() line: ContractLineEntity): Promise<BillingScheduleEntity[]> {
    return this.billingScheduleService.schedulesOf(line.id);
  }
}
