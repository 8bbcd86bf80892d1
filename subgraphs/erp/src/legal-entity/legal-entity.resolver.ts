import { Args, ID, Mutation, Query, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape, type Money } from '@concord/graphql';
import { CreateLegalEntityInput, LegalEntitiesArgs, UpdateLegalEntityInput } from './dtos/legal-entity.input';
import { LegalEntityEntity } from './legal-entity.entity';
import { LegalEntityService } from './legal-entity.service';

export const LegalEntityConnection = Connection(LegalEntityEntity, 'LegalEntity');

@Resolver(() => LegalEntityEntity)
export class LegalEntityResolver {
  constructor(private readonly legalEntityService: LegalEntityService) {}

  @Query(() => LegalEntityEntity, { nullable: true })
  legalEntity(@Args('id', { type: () => ID }) id: string): Promise<LegalEntityEntity | null> {
    return this.legalEntityService.findById(id);
  }

  @Query(() => LegalEntityConnection)
  async legalEntities(@Args() args: LegalEntitiesArgs): Promise<ConnectionShape<LegalEntityEntity>> {
    return toConnection(await this.legalEntityService.list(args));
  }

  @Mutation(() => LegalEntityEntity)
  createLegalEntity(@Args('input') input: CreateLegalEntityInput): Promise<LegalEntityEntity> {
    return this.legalEntityService.create(input);
  }

  @Mutation(() => LegalEntityEntity)
  updateLegalEntity(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateLegalEntityInput): Promise<LegalEntityEntity> {
    return this.legalEntityService.update(id, input);
  }

  @ResolveReference()
  async resolveReference(reference: { id: string; costToDate?: Money[] | null }): Promise<LegalEntityEntity | null> {
    const legalEntity = await this.legalEntityService.findById(reference.id);
    // a copy: the representation's cost belongs to this request only
    return legalEntity && reference.costToDate !== undefined
      ? Object.assign(new LegalEntityEntity(), legalEntity, { costToDate: reference.costToDate })
      : legalEntity;
  }
}
