import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectExtension } from '../project/project.type';
import { RecordRevenueEntryInput, RevenueEntriesArgs, UpdateRevenueEntryInput } from './dtos/revenue-entry.input';
import { RecognizeRevenueInput } from './dtos/revenue-recognition.input';
import { RevenueRecognition } from './dtos/revenue-recognition.output';
import { RevenueEntryEntity } from './revenue-entry.entity';
import { RevenueEntryService } from './revenue-entry.service';
import { RevenueRecognitionService } from './revenue-recognition.service';

export const RevenueEntryConnection = Connection(RevenueEntryEntity, 'RevenueEntry');

@Resolver(() => RevenueEntryEntity)
export class RevenueEntryResolver {
  constructor(
    private readonly revenueEntryService: RevenueEntryService,
    private readonly revenueRecognitionService: RevenueRecognitionService,
  ) {}

  @Query(() => RevenueEntryEntity, { nullable: true })
  revenueEntry(@Args('id', { type: () => ID }) id: string): Promise<RevenueEntryEntity | null> {
    return this.revenueEntryService.findById(id);
  }

  @Query(() => RevenueEntryConnection)
  async revenueEntries(@Args() args: RevenueEntriesArgs): Promise<ConnectionShape<RevenueEntryEntity>> {
    return toConnection(await this.revenueEntryService.list(args));
  }

  @Mutation(() => RevenueEntryEntity, { description: "Records the next month of a contract line's recognised revenue." })
  recordRevenueEntry(@Args('input') input: RecordRevenueEntryInput): Promise<RevenueEntryEntity> {
    return this.revenueEntryService.record(input);
  }

  @Mutation(() => RevenueRecognition, {
    description:
      "Recognises a month's revenue of every line of the contracts (or contractId) in a billable state started by the period end, per the line's revRecMethod: TM_AS_DELIVERED from `delivered` (capped at the line amount), PCT_COMPLETE from the project's percent complete, MILESTONE from the line's milestone schedule lines READY or INVOICED by the period end, STRAIGHT_LINE per day over the contract dates; each entry also in the legal entity's functional currency at the period end's FX rate. A line whose period is already recognised keeps its entry (returned as it is); a line with a later period is skipped; a line without revenue yet gets no entry. One transaction; a missing FX rate is BAD_USER_INPUT and writes nothing.",
  })
  recognizeRevenue(@Args('input') input: RecognizeRevenueInput): Promise<RevenueRecognition> {
    return this.revenueRecognitionService.recognize(input);
  }

  @Mutation(() => RevenueEntryEntity, { description: 'Corrects the latest revenue entry of its contract line.' })
  updateRevenueEntry(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateRevenueEntryInput,
  ): Promise<RevenueEntryEntity> {
    return this.revenueEntryService.update(id, input);
  }

  @ResolveField(() => ProjectExtension, { nullable: true, description: 'The PSA Project that delivered the revenue.' })
  project(@Parent() entry: RevenueEntryEntity): ProjectExtension | null {
    return entry.projectId ? { id: entry.projectId } : null;
  }
}
