import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { CurrencyEntity } from './currency.entity';
import { CurrencyService } from './currency.service';
import { CreateCurrencyInput, CurrenciesArgs, UpdateCurrencyInput } from './dtos/currency.input';

export const CurrencyConnection = Connection(CurrencyEntity, 'Currency');

@Resolver(() => CurrencyEntity)
export class CurrencyResolver {
  constructor(private readonly currencyService: CurrencyService) {}

  @Query(() => CurrencyEntity, { nullable: true })
  currency(@Args('id', { type: () => ID }) id: string): Promise<CurrencyEntity | null> {
    return this.currencyService.findById(id);
  }

  @Query(() => CurrencyConnection)
  async currencies(@Args() args: CurrenciesArgs): Promise<ConnectionShape<CurrencyEntity>> {
    return toConnection(await this.currencyService.list(args));
  }

  @Mutation(() => CurrencyEntity)
  createCurrency(@Args('input') input: CreateCurrencyInput): Promise<CurrencyEntity> {
    return this.currencyService.create(input);
  }

  @Mutation(() => CurrencyEntity)
  updateCurrency(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateCurrencyInput): Promise<CurrencyEntity> {
    return this.currencyService.update(id, input);
  }
}
