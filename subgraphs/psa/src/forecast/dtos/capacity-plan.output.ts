import { ArgsType, Directive, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsoDateField } from '@concord/graphql';

export const DEFAULT_PLAN_WEEKS = 12;
export const MAX_PLAN_WEEKS = 52;

@ArgsType()
export class CapacityPlanArgs {
  @IsoDateField({
    nullable: true,
    description: 'A day of the first week (ISO date); default today. The plan starts on that week’s Monday.',
  })
  from?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PLAN_WEEKS, description: 'Number of weeks, 1 to 52 (default 12).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PLAN_WEEKS)
  weeks?: number;
}

/** Hours of one role in one week (the same type in CRM and PSA). */
@ObjectType('RoleWeekHours', { description: 'Hours of one role in one week.' })
@Directive('@shareable')
export class RoleWeekHours {
  @Field()
  role: string;

  @Field({ description: 'Monday of the week, YYYY-MM-DD.' })
  week: string;

  @Field({ description: 'Hours, decimal string with 2 decimals.' })
  hours: string;
}

/** Capacity against demand of one role in one week; every figure is hours, decimal strings with 2 decimals. */
@ObjectType('CapacityDemandRow', { description: 'Capacity against demand of one role in one week (hours, decimal strings).' })
export class CapacityDemandRow {
  @Field()
  role: string;

  @Field({ description: 'Monday of the week, YYYY-MM-DD.' })
  week: string;

  @Field({ description: 'Σ weekly capacity of the active resources whose primary role this is.' })
  capacityHours: string;

  @Field({ description: 'SOFT and HARD assignments: scheduled hours spread evenly over their days.' })
  assignedHours: string;

  @Field({ description: 'OPEN resource requests (a won deal’s staffing needs included): hours spread evenly over their dates.' })
  requestedHours: string;

  @Field({ description: 'assignedHours + requestedHours (the weighted pipeline is the plan’s pipelineDemand).' })
  demandHours: string;

  @Field({ description: 'capacityHours − demandHours; negative when the role is over-booked.' })
  availableHours: string;
}

/** Capacity against demand per role over some weeks: PSA owns it, CRM adds the weighted pipeline demand. */
@ObjectType('CapacityPlan', { description: 'Capacity against demand per role and week, from a Monday for some weeks.' })
@Directive('@key(fields: "from weeks")')
export class CapacityPlan {
  @Field({ description: 'Monday of the first week, YYYY-MM-DD.' })
  from: string;

  @Field(() => Int)
  weeks: number;
}
