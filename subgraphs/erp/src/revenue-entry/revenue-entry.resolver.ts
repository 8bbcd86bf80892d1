import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectExtension } from '../project/project.type';
import { RecordRevenueEntryInput, RevenueEntriesArgs, UpdateRevenueEntryInput } from './dtos/revenue-entry.input';
import { RevenueEntryEntity } from './revenue-entry.entity';
import { RevenueEntryService } from './revenue-entry.service';

export const RevenueEntryConnection = Connection(RevenueEntryEntity, 'RevenueEntry');

@Resolver(() => RevenueEntryEntity)
export class RevenueEntryResolver {
  constructor(private readonly revenueEntryService: RevenueEntryService) {}

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
