import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { RateCardEntity } from '../rate-card/rate-card.entity';
import { RateCardService } from '../rate-card/rate-card.service';
import { ContractLineEntity } from './contract-line.entity';
import { ContractEntity } from './contract.entity';
import { ContractService } from './contract.service';
import { ContractLinesArgs, CreateContractLineInput, UpdateContractLineInput } from './dtos/contract.input';

export const ContractLineConnection = Connection(ContractLineEntity, 'ContractLine');

@Resolver(() => ContractLineEntity)
export class ContractLineResolver {
  constructor(
    private readonly contractService: ContractService,
    private readonly rateCardService: RateCardService,
  ) {}

  @Query(() => ContractLineEntity, { nullable: true })
  contractLine(@Args('id', { type: () => ID }) id: string): Promise<ContractLineEntity | null> {
    return this.contractService.findLineById(id);
  }

  @Query(() => ContractLineConnection)
  async contractLines(@Args() args: ContractLinesArgs): Promise<ConnectionShape<ContractLineEntity>> {
    return toConnection(await this.contractService.listLines(args));
  }

  @Mutation(() => ContractLineEntity, { description: 'Adds a line; the contract total is recomputed (and its version bumped after DRAFT).' })
  createContractLine(@Args('input') input: CreateContractLineInput): Promise<ContractLineEntity> {
    return this.contractService.createLine(input);
  }

  @Mutation(() => ContractLineEntity, { description: 'Changes a line; the contract total is recomputed (and its version bumped after DRAFT).' })
  updateContractLine(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateContractLineInput): Promise<ContractLineEntity> {
    return this.contractService.updateLine(id, input);
  }

  @Mutation(() => ContractEntity, { description: 'Deletes a line of a DRAFT contract that has no billing schedule; returns the contract.' })
  deleteContractLine(@Args('id', { type: () => ID }) id: string): Promise<ContractEntity> {
    return this.contractService.deleteLine(id);
  }

  @ResolveField(() => ContractEntity)
  contract(@Parent() line: ContractLineEntity): Promise<ContractEntity> {
    return this.contractService.getById(line.contractId);
  }

  @ResolveField(() => RateCardEntity, { nullable: true })
  rateCard(@Parent() line: ContractLineEntity): Promise<RateCardEntity | null> | null {
    return line.rateCardId ? this.rateCardService.findById(line.rateCardId) : null;
  }
}
