import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/** A price list of bill rates per role, valid for a period (DOMAIN.md §1 RateCard). */
@ObjectType('RateCard', { description: 'Bill rates per role (and activity) in one currency, valid from effectiveFrom to effectiveTo.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'rate_card', schema: 'erp' })
@Index('ix_rate_card_name_id', ['name', 'id'])
@Index('ix_rate_card_effective_from_id', ['effectiveFrom', 'id'])
export class RateCardEntity extends RecordEntity {
  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'ISO-4217 currency of every rate on the card.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field({ description: 'ISO date (YYYY-MM-DD), inclusive.' })
  @Column('date')
  effectiveFrom: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD), inclusive; null = open-ended.' })
  @Column('date', { nullable: true })
  effectiveTo: string | null;
}
