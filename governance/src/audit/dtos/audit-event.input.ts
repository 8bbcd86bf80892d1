import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';

/** An instant with its zone (`2026-11-23T10:00:00Z`, `…+02:00`) or a date (`2026-11-23`, midnight UTC). */
const ISO_INSTANT_OR_DATE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;

/** An optional exact-match text filter. */
function TextFilter(description: string): PropertyDecorator {
  return applyDecorators(
    Field(() => String, { nullable: true, description }),
    IsOptional(),
    IsString(),
    Length(1, 4000),
  );
}

/** An optional instant bound. */
function InstantFilter(description: string): PropertyDecorator {
  return applyDecorators(
    Field(() => String, { nullable: true, description }),
    IsOptional(),
    Matches(ISO_INSTANT_OR_DATE, {
      message: '$property must be an ISO-8601 instant with a time zone (…Z or …+02:00) or a date (YYYY-MM-DD)',
    }),
  );
}

/** Which ledger entries to return; every given condition must hold. Also the query string of GET /audit/export. */
@InputType('AuditEventFilter')
export class AuditEventFilter {
  @TextFilter('The GraphQL type of the changed record, e.g. Client.')
  entity?: string | null;

  @TextFilter('The id of the changed record.')
  entityId?: string | null;

  @TextFilter("The actor's subject.")
  actorSub?: string | null;

  @TextFilter(
    'create, update, delete, transition, denied, read, policy.publish, ownership.change, schema.publish, schema.approve, schema.rollback, operation.register, slo.create, slo.update, incident.open, incident.update, incident.resolve, incident.note, workflow.exception, workflow.replay, workflow.dismiss or audit.export.',
  )
  action?: string | null;

  @TextFilter('crm, erp, psa, governance or gateway (access events).')
  service?: string | null;

  @TextFilter('Every entry of one request or workflow.')
  correlationId?: string | null;

  @InstantFilter('Entries that occurred at or after this instant.')
  occurredFrom?: string | null;

  @InstantFilter('Entries that occurred before this instant (exclusive).')
  occurredTo?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A field the entry concerns: one of its changed fields, or a coordinate it read or was denied (`margin` matches `Project.margin`; `Project.margin` only that one).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, { message: '$property must be a field name or a Type.field coordinate' })
  field?: string | null;

  @TextFilter("One of the actor's roles, e.g. finance.")
  role?: string | null;

  @Field(() => String, { nullable: true, description: 'denied (the action denied) or allowed (every other action).' })
  @IsOptional()
  @IsIn(['allowed', 'denied'], { message: '$property must be allowed or denied' })
  outcome?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Free text, case-insensitive, found in the entry's entity id, reason or changed fields.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  text?: string | null;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditEventFilter)
  filter?: AuditEventFilter | null;

  @Field(() => SortDirection, { nullable: true, description: 'By ledger position; newest first (DESC) by default.' })
  @IsOptional()
  @IsEnum(SortDirection)
  order?: SortDirection | null;
}

/** The auditors' ledger search: the filter with its time range required (the console's query box). */
@ArgsType()
export class AuditSearchArgs extends PageArgs {
  @Field(() => AuditEventFilter, { description: 'occurredFrom and occurredTo are required.' })
  @ValidateNested()
  @Type(() => AuditEventFilter)
  filter: AuditEventFilter;

  @Field(() => SortDirection, { nullable: true, description: 'By ledger position; newest first (DESC) by default.' })
  @IsOptional()
  @IsEnum(SortDirection)
  order?: SortDirection | null;
}

/** Which part of the chain to verify: positions, or the entries that occurred in a time range. */
@ArgsType()
export class AuditRangeArgs {
  @Field(() => String, { nullable: true, description: 'First position to check (inclusive).' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: '$property must be a ledger position' })
  fromPosition?: string | null;

  @Field(() => String, { nullable: true, description: 'Last position to check (inclusive).' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: '$property must be a ledger position' })
  toPosition?: string | null;

  @InstantFilter('From the first entry that occurred at or after this instant.')
  occurredFrom?: string | null;

  @InstantFilter('To the last entry that occurred before this instant (exclusive).')
  occurredTo?: string | null;
}

export enum MarginAccessPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(MarginAccessPeriod, { name: 'MarginAccessPeriod' });

@ArgsType()
export class MarginAccessArgs extends PageArgs {
  @Field(() => String)
  @Matches(ISO_INSTANT_OR_DATE, { message: '$property must be an ISO-8601 instant with a time zone or a date (YYYY-MM-DD)' })
  occurredFrom: string;

  @Field(() => String, { description: 'Exclusive.' })
  @Matches(ISO_INSTANT_OR_DATE, { message: '$property must be an ISO-8601 instant with a time zone or a date (YYYY-MM-DD)' })
  occurredTo: string;

  @Field(() => MarginAccessPeriod, { nullable: true, description: 'MONTH by default.' })
  @IsOptional()
  @IsEnum(MarginAccessPeriod)
  period?: MarginAccessPeriod | null;
}
