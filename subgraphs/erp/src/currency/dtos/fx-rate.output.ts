import { Field, ObjectType } from '@nestjs/graphql';

/** The rate that applies to a pair on a day: a stored rate, or the inverse of the opposite pair's. */
@ObjectType('ExchangeRate', { description: 'The rate that applies to a currency pair on a date.' })
export class ExchangeRate {
  @Field()
  fromCurrency: string;

  @Field()
  toCurrency: string;

  @Field({ description: 'The date asked for (YYYY-MM-DD).' })
  date: string;

  @Field({ description: '1 fromCurrency = rate toCurrency, 6 decimals.' })
  rate: string;

  @Field({ description: 'Date of the stored rate used (the latest on or before date).' })
  rateDate: string;

  @Field({ description: 'True when derived as 1 / rate of the opposite pair.' })
  inverse: boolean;
}
