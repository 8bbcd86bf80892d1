import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, Money, toConnection, type ConnectionShape } from '@concord/graphql';
import { BillRateArgs, CreateRateCardInput, CreateRateCardLineInput, RateCardLinesArgs, RateCardsArgs, UpdateRateCardInput, UpdateRateCardLineInput } from './dtos/rate-card.input';
import { RateCardLineEntity } from './rate-card-line.entity';
import { RateCardEntity } from './rate-card.entity';
import { RateCardService } from './rate-card.service';

export const RateCardConnection = Connection(RateCardEntity, 'RateCard');
export const RateCardLineConnection = Connection(RateCardLineEntity, 'RateCardLine');

@Resolver(() => RateCardEntity)
export class RateCardResolver {
  constructor(private readonly rateCardService: RateCardService) {}

  @Query(() => RateCardEntity, { nullable: true })
  rateCard(@Args('id', { type: () => ID }) id: string): Promise<RateCardEntity | null> {
    return this.rateCardService.findById(id);
  }

  @Query(() => RateCardConnection)
  async rateCards(@Args() args: RateCardsArgs): Promise<ConnectionShape<RateCardEntity>> {
    return toConnection(await this.rateCardService.list(args));
  }

  @Query(() => Money, { nullable: true, description: 'Bill rate of a role on a date; null if the card is not effective then or has no rate for the role.' })
  billRate(@Args() args: BillRateArgs): Promise<Money | null> {
    return this.rateCardService.billRate(args);
  }

  @Mutation(() => RateCardEntity)
  createRateCard(@Args('input') input: CreateRateCardInput): Promise<RateCardEntity> {
    return this.rateCardService.create(input);
  }

  @Mutation(() => RateCardEntity)
  updateRateCard(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateRateCardInput): Promise<RateCardEntity> {
    return this.rateCardService.update(id, input);
  }

  @ResolveField(() => [RateCardLineEntity], { description: 'Lines by role, general rate before activity-specific ones.' })
  lines(@Parent() rateCard: RateCardEntity): Promise<RateCardLineEntity[]> {
    return this.rateCardService.linesOf(rateCard.id);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<RateCardEntity | null> {
    return this.rateCardService.findById(reference.id);
  }
}

@Resolver(() => RateCardLineEntity)
export class RateCardLineResolver {
  constructor(private readonly rateCardService: RateCardService) {}

  @Query(() => RateCardLineEntity, { nullable: true })
  rateCardLine(@Args('id', { type: () => ID }) id: string): Promise<RateCardLineEntity | null> {
    return this.rateCardService.findLineById(id);
  }

  @Query(() => RateCardLineConnection)
  async rateCardLines(@Args() args: RateCardLinesArgs): Promise<ConnectionShape<RateCardLineEntity>> {
    return toConnection(await this.rateCardService.listLines(args));
  }

  @Mutation(() => RateCardLineEntity)
  createRateCardLine(@Args('input') input: CreateRateCardLineInput): Promise<RateCardLineEntity> {
    return this.rateCardService.createLine(input);
  }

  @Mutation(() => RateCardLineEntity)
  updateRateCardLine(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateRateCardLineInput): Promise<RateCardLineEntity> {
    return this.rateCardService.updateLine(id, input);
  }

  @ResolveField(() => RateCardEntity)
  rateCard(@Parent() line: RateCardLineEntity): Promise<RateCardEntity> {
    return this.rateCardService.getById(line.rateCardId);
  }
}
