import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RevenueEntryEntity } from '../revenue-entry.entity';

@ObjectType('RevenueRecognitionSkip', { description: 'A contract line the recognition wrote nothing for, and why.' })
export class RevenueRecognitionSkip {
  @Field(() => ID)
  contractLineId: string;

  @Field()
  reason: string;
}

@ObjectType('RevenueRecognition', { description: 'What one recognition of a month wrote or found already written.' })
export class RevenueRecognition {
  @Field({ description: 'First day of the month recognised.' })
  period: string;

  @Field(() => [RevenueEntryEntity], { description: "The period's entries: written now, or kept as they were (a repeat)." })
  entries: RevenueEntryEntity[];

  @Field(() => [RevenueRecognitionSkip], { description: 'Lines left without an entry for the period.' })
  skipped: RevenueRecognitionSkip[];
}
