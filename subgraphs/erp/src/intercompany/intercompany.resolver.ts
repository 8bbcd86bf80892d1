import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { IntercompanyChargesArgs, RecordIntercompanyChargeInput } from './dtos/intercompany.input';
import { IntercompanyChargeEntity } from './intercompany-charge.entity';
import { IntercompanyService } from './intercompany.service';

export const IntercompanyChargeConnection = Connection(IntercompanyChargeEntity, 'IntercompanyCharge');

@Resolver(() => IntercompanyChargeEntity)
export class IntercompanyResolver {
  constructor(private readonly intercompany: IntercompanyService) {}

  @Query(() => IntercompanyChargeEntity, { nullable: true })
  intercompanyCharge(@Args('id', { type: () => ID }) id: string): Promise<IntercompanyChargeEntity | null> {
    return this.intercompany.findById(id);
  }

  @Query(() => IntercompanyChargeConnection, { description: 'Intercompany charges, the latest work first.' })
  async intercompanyCharges(@Args() args: IntercompanyChargesArgs): Promise<ConnectionShape<IntercompanyChargeEntity>> {
    return toConnection(await this.intercompany.list(args));
  }

  @Mutation(() => IntercompanyChargeEntity, {
    description:
      'Records the charge of cross-entity work (the INTERCOMPANY workflow does, as integration); the same source returns its charge.',
  })
  recordIntercompanyCharge(@Args('input') input: RecordIntercompanyChargeInput): Promise<IntercompanyChargeEntity> {
    return this.intercompany.record(input);
  }
}
