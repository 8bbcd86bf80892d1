import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/** One exchange rate: 1 fromCurrency = rate toCurrency, valid from `date` until the next rate of the pair. */
@ObjectType('FxRate', { description: 'Exchange rate: 1 unit of fromCurrency = rate units of toCurrency, from date on.' })
@Entity({ name: 'fx_rate', schema: 'erp' })
@Index('ux_fx_rate_from_currency_to_currency_date', ['fromCurrency', 'toCurrency', 'date'], { unique: true })
@Index('ix_fx_rate_date_id', ['date', 'id'])
export class FxRateEntity extends RecordEntity {
  @Field()
  @Column('char', { length: 3 })
  fromCurrency: string;

  @Field()
  @Column('char', { length: 3 })
  toCurrency: string;

  @Field({ description: 'ISO date (YYYY-MM-DD) the rate applies from.' })
  @Column('date')
  date: string;

  @Field({ description: 'Decimal string with 6 decimals.' })
  @Column('numeric', { precision: 18, scale: 6 })
  rate: string;
}
