import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { MoneyValue } from '@concord/common';
import { Connection, Money, toConnection, type ConnectionShape } from '@concord/graphql';
import { CreateFxRateInput, FxConvertArgs, FxRateLookupArgs, FxRatesArgs, UpdateFxRateInput } from './dtos/fx-rate.input';
import { ExchangeRate } from './dtos/fx-rate.output';
import { FxRateEntity } from './fx-rate.entity';
import { FxRateService, type ResolvedRate } from './fx-rate.service';

export const FxRateConnection = Connection(FxRateEntity, 'FxRate');

@Resolver(() => FxRateEntity)
export class FxRateResolver {
  constructor(private readonly fxRateService: FxRateService) {}

  @Query(() => FxRateEntity, { nullable: true, description: 'A stored rate by id.' })
  fxRateById(@Args('id', { type: () => ID }) id: string): Promise<FxRateEntity | null> {
    return this.fxRateService.findById(id);
  }

  @Query(() => FxRateConnection)
  async fxRates(@Args() args: FxRatesArgs): Promise<ConnectionShape<FxRateEntity>> {
    return toConnection(await this.fxRateService.list(args));
  }

  @Query(() => ExchangeRate, { description: 'The rate applying on date: latest on or before it, else the inverse of the opposite pair; NOT_FOUND if none.' })
  fxRate(@Args() args: FxRateLookupArgs): Promise<ResolvedRate> {
    return this.fxRateService.rateOn(args.from, args.to, args.date);
  }

  @Query(() => Money, { description: 'amount converted from → to with the rate of date, rounded to the target currency decimals.' })
  fxConvert(@Args() args: FxConvertArgs): Promise<MoneyValue> {
    return this.fxRateService.convert(args.amount, args.from, args.to, args.date);
  }

  @Mutation(() => FxRateEntity)
  createFxRate(@Args('input') input: CreateFxRateInput): Promise<FxRateEntity> {
    return this.fxRateService.create(input);
  }

  @Mutation(() => FxRateEntity)
  updateFxRate(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateFxRateInput): Promise<FxRateEntity> {
    return this.fxRateService.update(id, input);
  }
}
