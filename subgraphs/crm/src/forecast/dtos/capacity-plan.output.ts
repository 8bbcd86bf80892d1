import { Directive, Field, Int, ObjectType } from '@nestjs/graphql';

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

/** PSA's capacity plan (see there), to which the CRM adds the weighted pipeline demand. */
@ObjectType('CapacityPlan', { description: 'Capacity against demand per role and week, from a Monday for some weeks.' })
@Directive('@key(fields: "from weeks")')
export class CapacityPlan {
  @Field({ description: 'Monday of the first week, YYYY-MM-DD.' })
  from: string;

  @Field(() => Int)
  weeks: number;
}
