import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@concord/graphql';
import { IncidentSeverity } from '../burn-rate';
import { IncidentEventKind, IncidentStatus } from '../incident.entity';
import { SlaKind, SloIndicator } from '../slo.entity';
import { SloHealth } from '../slo-status';

registerEnumType(SlaKind, { name: 'SlaTargetKind', description: 'What an SLO measures: subgraph fetches, operations or workflow runs.' });
registerEnumType(SloIndicator, { name: 'SloIndicator' });
registerEnumType(IncidentStatus, { name: 'IncidentStatus' });
registerEnumType(IncidentSeverity, {
  name: 'IncidentSeverity',
  description: 'PAGE: act now (14.4× or 6× burn); TICKET: act within days (1×).',
});
registerEnumType(IncidentEventKind, { name: 'IncidentEventKind' });

@ObjectType('ServiceLevelObjective', { description: 'A promise about a subgraph, operation or workflow, evaluated every minute.' })
export class ServiceLevelObjectiveOutput {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => SlaKind)
  kind: SlaKind;

  @Field({ description: 'A subgraph, operation or workflow name; * for every one of the kind.' })
  target: string;

  @Field(() => SloIndicator)
  indicator: SloIndicator;

  @Field(() => Float, { description: 'The share of good events promised (0.999: 99.9 %).' })
  objective: number;

  @Field(() => Int, { nullable: true, description: 'Latency SLOs: an event slower than this (ms) is bad.' })
  latencyThresholdMs: number | null;

  @Field(() => Int, { description: 'The error budget’s window.' })
  windowDays: number;

  @Field()
  enabled: boolean;

  @Field()
  createdBy: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedBy: string;

  @Field()
  updatedAt: Date;
}

@ObjectType('IncidentEvent', { description: 'One entry of an incident’s timeline.' })
export class IncidentEventOutput {
  @Field()
  at: Date;

  @Field(() => IncidentEventKind)
  kind: IncidentEventKind;

  @Field(() => IncidentSeverity, { nullable: true })
  severity: IncidentSeverity | null;

  @Field(() => Float, { nullable: true })
  burnRate: number | null;

  @Field()
  message: string;

  @Field({ description: 'sla-evaluator, or the operator who wrote a note.' })
  actor: string;
}

@ObjectType('Incident', { description: 'An SLO burning its error budget too fast; at most one open per SLO.' })
export class IncidentOutput {
  @Field(() => ID)
  id: string;

  @Field(() => ServiceLevelObjectiveOutput)
  slo: ServiceLevelObjectiveOutput;

  @Field(() => IncidentStatus)
  status: IncidentStatus;

  @Field(() => IncidentSeverity, { description: 'The most severe firing burn-rate pair’s (the last one, once resolved).' })
  severity: IncidentSeverity;

  @Field(() => Float, { description: 'The factor of the deciding pair: 14.4, 6 or 1.' })
  burnFactor: number;

  @Field(() => Float, { description: 'The deciding pair’s long-window burn rate when last recorded on the timeline.' })
  burnRate: number;

  @Field(() => Float)
  peakBurnRate: number;

  @Field()
  summary: string;

  @Field()
  openedAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field(() => [IncidentEventOutput], { description: 'Oldest first.' })
  timeline: IncidentEventOutput[];
}

export const IncidentConnection = Connection(IncidentOutput, 'Incident');

@ObjectType('SloBudget', { description: 'An SLO’s error budget over its window ending with a day.' })
export class SloBudgetOutput {
  @Field(() => ServiceLevelObjectiveOutput)
  slo: ServiceLevelObjectiveOutput;

  @Field(() => Float, { description: 'Events in the window (a whole number).' })
  events: number;

  @Field(() => Float, { description: 'Bad events in the window (a whole number).' })
  bad: number;

  @Field(() => Float, { description: 'Share of the budget left: 1 untouched, 0 spent, below 0 overspent.' })
  remaining: number;
}

@ObjectType('SlaDay', { description: 'One UTC day of a target, every gateway summed.' })
export class SlaDayOutput {
  @Field({ description: 'YYYY-MM-DD' })
  date: string;

  @Field(() => Float, { description: 'Events (fetches, operations or runs; a whole number).' })
  total: number;

  @Field(() => Float, { description: 'Failed events (a whole number).' })
  errors: number;

  @Field(() => Float, { nullable: true, description: '(total − errors) ÷ total; null without traffic.' })
  availability: number | null;

  @Field(() => Float, { nullable: true, description: 'Median latency (ms), interpolated within its bucket.' })
  p50: number | null;

  @Field(() => Float, { nullable: true })
  p95: number | null;

  @Field(() => Float, { nullable: true })
  p99: number | null;

  @Field(() => [SloBudgetOutput], { description: 'Per SLO on this kind and target, as of the day’s end (now, today).' })
  budgets: SloBudgetOutput[];

  @Field(() => [IncidentOutput], { description: 'Incidents of those SLOs open at some time of the day.' })
  incidents: IncidentOutput[];
}

@ObjectType('SlaReport')
export class SlaReportOutput {
  @Field(() => SlaKind)
  kind: SlaKind;

  @Field()
  target: string;

  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => [ServiceLevelObjectiveOutput], { description: 'The SLOs on exactly this kind and target.' })
  objectives: ServiceLevelObjectiveOutput[];

  @Field(() => [SlaDayOutput], { description: 'Every day from from to to, days without traffic included.' })
  days: SlaDayOutput[];
}

registerEnumType(SloHealth, {
  name: 'SloHealth',
  description: 'FIRING: an alert fires; AT_RISK: over half the budget spent; LOW_TRAFFIC: too few events to alert; NO_DATA: no events.',
});

@ObjectType('SloBurnPair', { description: 'One multi-window burn-rate pair of an SLO now: both windows’ burn against the pair’s threshold.' })
export class SloBurnPairOutput {
  @Field(() => IncidentSeverity)
  severity: IncidentSeverity;

  @Field(() => Float, { description: 'The threshold both windows must burn faster than to fire: 14.4, 6 or 1.' })
  factor: number;

  @Field(() => Int)
  longWindowMinutes: number;

  @Field(() => Int)
  shortWindowMinutes: number;

  @Field(() => Float)
  longBurnRate: number;

  @Field(() => Float)
  shortBurnRate: number;

  @Field(() => Float, { description: 'Events in the long window (a whole number).' })
  longEvents: number;

  @Field(() => Float, { description: 'Events in the short window (a whole number).' })
  shortEvents: number;

  @Field()
  firing: boolean;

  @Field({ description: 'Fewer events than the minimum in the long window: never fires.' })
  lowTraffic: boolean;

  @Field({ description: 'One line, e.g. “burn 20× over 1 h and 31.5× over 5 min (page above 14.4×)”.' })
  description: string;
}

@ObjectType('SloStatus', { description: 'Where an SLO stands now: its burn-rate pairs, budget left and time to exhaustion.' })
export class SloStatusOutput {
  @Field(() => ServiceLevelObjectiveOutput)
  slo: ServiceLevelObjectiveOutput;

  @Field(() => SloHealth)
  health: SloHealth;

  @Field({ description: 'The end (exclusive) of every window: the start of the current minute.' })
  windowEnd: Date;

  @Field(() => Float, { description: 'Events over the SLO’s whole window (a whole number).' })
  windowEvents: number;

  @Field(() => Float, { description: 'Bad events over the SLO’s whole window (a whole number).' })
  windowBad: number;

  @Field(() => Float, { nullable: true, description: 'Share of the error budget left over the window; null without events.' })
  budgetRemaining: number | null;

  @Field(() => Float, { description: 'The 1 h burn rate: how fast the budget goes now.' })
  currentBurnRate: number;

  @Field(() => Date, { nullable: true, description: 'When the budget runs out at the current burn; null when not burning.' })
  exhaustsAt: Date | null;

  @Field(() => Int, { nullable: true })
  minutesToExhaustion: number | null;

  @Field({ description: 'Some pair has too few events to alert.' })
  lowTraffic: boolean;

  @Field({ description: 'One line on what the figures mean.' })
  explanation: string;

  @Field(() => [SloBurnPairOutput], { description: 'Most severe first.' })
  pairs: SloBurnPairOutput[];
}

@ObjectType('ErrorCodeCount')
export class ErrorCodeCountOutput {
  @Field({ description: 'GraphQL extensions.code, or HTTP_5XX / TIMEOUT / NETWORK, or WORKFLOW_EXCEPTION.' })
  code: string;

  @Field(() => Float, { description: 'A whole number.' })
  count: number;
}

@ObjectType('TargetHealthHour')
export class TargetHealthHourOutput {
  @Field()
  hour: Date;

  @Field(() => Float)
  events: number;

  @Field(() => Float)
  errors: number;

  @Field(() => Float, { nullable: true })
  p95: number | null;
}

@ObjectType('TargetHealth', { description: 'A subgraph’s, operation’s or workflow’s traffic over a range, every gateway summed.' })
export class TargetHealthOutput {
  @Field(() => SlaKind)
  kind: SlaKind;

  @Field()
  target: string;

  @Field(() => Float, { description: 'Fetches, operations or runs (a whole number).' })
  events: number;

  @Field(() => Float)
  errors: number;

  @Field(() => Float)
  timeouts: number;

  @Field(() => Float, { nullable: true })
  availability: number | null;

  @Field(() => Float, { nullable: true, description: 'Milliseconds, interpolated within the latency buckets.' })
  p50: number | null;

  @Field(() => Float, { nullable: true })
  p95: number | null;

  @Field(() => Float, { nullable: true })
  p99: number | null;

  @Field(() => [ErrorCodeCountOutput], { description: 'Most frequent first.' })
  errorCodes: ErrorCodeCountOutput[];

  @Field(() => [TargetHealthHourOutput], { description: 'Hours with traffic, oldest first.' })
  hours: TargetHealthHourOutput[];
}

@ObjectType('IncidentChange', { description: 'A change the ledger recorded around an incident: a schema publish, an ownership rule …' })
export class IncidentChangeOutput {
  @Field()
  at: Date;

  @Field({ description: 'The ledger action, e.g. schema.publish, ownership.change.' })
  action: string;

  @Field(() => String, {
    nullable: true,
    description: 'Who made the change (the ledger actor): personal data, withheld from roles without PII.',
  })
  actor: string | null;

  @Field()
  entity: string;

  @Field()
  entityId: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}
