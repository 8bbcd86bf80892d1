import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { QuoteLineInput, UpdateQuoteLineInput } from './dtos/quote-line.input';
import { QuoteLineEntity } from './quote-line.entity';
import { QuoteLineService } from './quote-line.service';
import { QuoteEntity } from './quote.entity';
import { QuoteService } from './quote.service';

const ID_ARG = { type: () => ID };

@Resolver(() => QuoteLineEntity)
export class QuoteLineResolver {
  constructor(
    private readonly quoteLineService: QuoteLineService,
    private readonly quoteService: QuoteService,
  ) {}

  @Query(() => QuoteLineEntity, { nullable: true })
  quoteLine(@Args('id', ID_ARG) id: string): Promise<QuoteLineEntity | null> {
    return this.quoteLineService.findById(id);
  }

  @Mutation(() => QuoteLineEntity, { description: 'Adds a line at the end of a DRAFT quote; the quote totals are recomputed.' })
  addQuoteLine(@Args('quoteId', ID_ARG) quoteId: string, @Args('input') input: QuoteLineInput): Promise<QuoteLineEntity> {
    return this.quoteLineService.add(quoteId, input);
  }

  @Mutation(() => QuoteLineEntity, { description: 'Changes and re-prices a line of a DRAFT quote; the quote totals are recomputed.' })
  updateQuoteLine(@Args('id', ID_ARG) id: string, @Args('input') input: UpdateQuoteLineInput): Promise<QuoteLineEntity> {
    return this.quoteLineService.update(id, input);
  }

  @Mutation(() => QuoteEntity, { description: 'Removes a line of a DRAFT quote; returns the quote with its totals recomputed.' })
  removeQuoteLine(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteLineService.remove(id);
  }

  @ResolveField(() => QuoteEntity)
  quote(@Parent() line: QuoteLineEntity): Promise<QuoteEntity> {
    return this.quoteService.getById(line.quoteId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<QuoteLineEntity | null> {
    return this.quoteLineService.findById(reference.id);
  }
}
