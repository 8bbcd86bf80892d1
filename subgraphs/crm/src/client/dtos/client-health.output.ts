import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ClientHealthStatus {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
}
registerEnumType(ClientHealthStatus, { name: 'ClientHealthStatus' });

export enum ClientHealthReasonCode {
  PROJECT_RED = 'PROJECT_RED',
  PROJECT_AMBER = 'PROJECT_AMBER',
  AR_OVERDUE = 'AR_OVERDUE',
  MARGIN_BELOW_FLOOR = 'MARGIN_BELOW_FLOOR',
  MARGIN_BELOW_TARGET = 'MARGIN_BELOW_TARGET',
}
registerEnumType(ClientHealthReasonCode, { name: 'ClientHealthReasonCode' });

@ObjectType('ClientHealthReason', { description: 'One rule that made the client AMBER or RED.' })
export class ClientHealthReason {
  @Field(() => ClientHealthReasonCode)
  code: ClientHealthReasonCode;

  @Field(() => ClientHealthStatus, { description: 'The status this rule alone gives (AMBER or RED).' })
  status: ClientHealthStatus;

  @Field()
  message: string;
}

@ObjectType('ClientHealth', {
  description:
    'Client health (DOMAIN.md §2): RED if an ACTIVE project is RED, the oldest overdue receivable is more than CLIENT_HEALTH_OVERDUE_RED_DAYS past due, or margin is below CLIENT_HEALTH_MARGIN_FLOOR_PCT; AMBER for an AMBER project, overdue above CLIENT_HEALTH_OVERDUE_AMBER_DAYS or margin below CLIENT_HEALTH_MARGIN_TARGET_PCT; else GREEN. Computed without margin for callers who may not see margin.',
})
export class ClientHealth {
  @Field(() => ClientHealthStatus)
  status: ClientHealthStatus;

  @Field(() => [ClientHealthReason], { description: 'Worst first; empty when GREEN.' })
  reasons: ClientHealthReason[];

  @Field({ description: 'False when the caller may not see margin, or the ERP had no margin: the status was decided without it.' })
  marginConsidered: boolean;
}
