import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';
import { ExpenseCategory } from '../../expense/expense.entity';

export enum BillableWorkSourceType {
  TIME = 'TIME',
  EXPENSE = 'EXPENSE',
}
registerEnumType(BillableWorkSourceType, {
  name: 'BillableWorkSourceType',
  description: 'TIME: time entries of one project at one bill rate; EXPENSE: expenses of one project in one category.',
});

@ObjectType('BillableWorkGroup', {
  description:
    'APPROVED billable work not yet invoiced of one T&M project, grouped as an invoice line bills it: time per bill rate, expenses per category.',
})
export class BillableWorkGroup {
  @Field(() => ID)
  contractId: string;

  @Field(() => ID)
  projectId: string;

  @Field()
  projectCode: string;

  @Field(() => BillableWorkSourceType)
  sourceType: BillableWorkSourceType;

  @Field(() => Money, { nullable: true, description: 'The bill rate snapshotted on the entries (TIME only).' })
  billRate: Money | null;

  @Field(() => ExpenseCategory, { nullable: true, description: 'EXPENSE only.' })
  category: ExpenseCategory | null;

  @Field(() => String, { nullable: true, description: 'Σ billableHours (TIME only), decimal string.' })
  hours: string | null;

  @Field(() => Money, { description: 'Σ billAmount of the sources: what the invoice line bills, exactly.' })
  amount: Money;

  @Field({ description: 'Earliest source date.' })
  from: string;

  @Field({ description: 'Latest source date.' })
  to: string;

  @Field(() => Int)
  count: number;

  @Field(() => [ID], { description: 'The time entries or expenses of the group, by date and id.' })
  sourceIds: string[];
}
