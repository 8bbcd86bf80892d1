import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/** An ISO-4217 currency the firm trades in, with its number of minor-unit decimals. */
@ObjectType('Currency', { description: 'An ISO-4217 currency and its number of decimals.' })
@Entity({ name: 'currency', schema: 'erp' })
export class CurrencyEntity extends RecordEntity {
  @Field({ description: 'ISO-4217 code, e.g. "EUR" (unique).' })
  @Column('char', { length: 3 })
  @Index('ux_currency_code', { unique: true })
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => Int, { description: 'Minor-unit decimals (2 for EUR, 0 for JPY).' })
  @Column('smallint', { default: 2 })
  decimals: number;
}
