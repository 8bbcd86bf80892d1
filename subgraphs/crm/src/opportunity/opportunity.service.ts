import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConflictError,
  containsPattern,
  loadByIds,
  loadChildren,
  pageSize,
  paginate,
  type Page,
} from '@concord/common';
import { childListLoader, WritePoint } from '@concord/graphql';
import { ClientEntity } from '../client/client.entity';
import { ContactEntity } from '../contact/contact.entity';
import { QuoteEntity } from '../quote/quote.entity';
import { QuoteStatus } from '../quote/quote.states';
import {
  OpportunitySortField,
  type CreateOpportunityInput,
  type MoveOpportunityArgs,
  type OpportunitiesArgs,
  type UpdateOpportunityInput,
} from './dtos/opportunity.input';
import { OpportunityEntity } from './opportunity.entity';
import { isClosed, opportunityStages, OpportunityStage, STAGE_PROBABILITY } from './opportunity.states';

interface ClientOpportunitiesArgs {
  first: number;
  stageIn: OpportunityStage[] | null;
}

/** The business rule a refused stage move broke, in `extensions.rule` next to BAD_USER_INPUT. */
export enum OpportunityRule {
  LOST_REASON_REQUIRED = 'LOST_REASON_REQUIRED',
  LOST_REASON_ONLY_WHEN_LOST = 'LOST_REASON_ONLY_WHEN_LOST',
  ACCEPTED_QUOTE_REQUIRED = 'ACCEPTED_QUOTE_REQUIRED',
  OPEN_QUOTES = 'OPEN_QUOTES',
  CLOSED_PROBABILITY = 'CLOSED_PROBABILITY',
  CONTACT_OF_ANOTHER_CLIENT = 'CONTACT_OF_ANOTHER_CLIENT',
}

@Injectable()
export class OpportunityService {
  private readonly byId = new DataLoader<string, OpportunityEntity | null>((ids) => loadByIds(this.opportunities, ids), { cache: false });

  /** `Client.opportunities(first, stageIn)`: the first N by close date of every client of one tick, one statement. */
  private readonly byClient = childListLoader<ClientOpportunitiesArgs, OpportunityEntity>((clientIds, { first, stageIn }) =>
    loadChildren(this.opportunities, clientIds, {
      parentProperty: 'clientId',
      limitPerParent: first,
      orderBy: 'closeDate',
      direction: 'ASC',
      where: stageIn ? 'stage = ANY(:stages)' : undefined,
      parameters: { stages: stageIn ?? [] },
    }),
  );

  constructor(
    @InjectRepository(OpportunityEntity) private readonly opportunities: Repository<OpportunityEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<OpportunityEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<OpportunityEntity> {
    const opportunity = await this.findById(id);
    assertFound(opportunity, 'Opportunity', id);
    return opportunity;
  }

  listOfClient(
    clientId: string,
    first: number | null | undefined,
    stageIn: OpportunityStage[] | null | undefined,
  ): Promise<OpportunityEntity[]> {
    const stages = stageIn?.length ? [...new Set(stageIn)].sort() : null;
    return this.byClient.load({ parentId: clientId, args: { first: pageSize(first), stageIn: stages } });
  }

  list({ filter = {}, orderBy, ...page }: OpportunitiesArgs): Promise<Page<OpportunityEntity>> {
    const query = this.opportunities.createQueryBuilder('opportunity');
    if (filter.clientId) {
      query.andWhere('opportunity.clientId = :clientId', { clientId: filter.clientId });
    }
    if (filter.ownerId) {
      query.andWhere('opportunity.ownerId = :ownerId', { ownerId: filter.ownerId });
    }
    if (filter.stageIn?.length) {
      query.andWhere('opportunity.status = ANY(:stages)', { stages: filter.stageIn });
    }
    if (filter.closeDateFrom) {
      query.andWhere('opportunity.closeDate >= :closeDateFrom', { closeDateFrom: filter.closeDateFrom });
    }
    if (filter.closeDateTo) {
      query.andWhere('opportunity.closeDate <= :closeDateTo', { closeDateTo: filter.closeDateTo });
    }
    if (filter.nameContains) {
      query.andWhere('opportunity.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    const field = orderBy?.field ?? OpportunitySortField.CLOSE_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateOpportunityInput): Promise<OpportunityEntity> {
    return this.writePoint.run(async (tx) => {
      const client = await tx.manager.getRepository(ClientEntity).findOneBy({ id: input.clientId });
      if (!client) {
        throw new BadInputError(`client ${input.clientId} does not exist`, { field: 'clientId', id: input.clientId });
      }
      if (input.primaryContactId) {
        await assertContactOfClient(tx.manager, input.primaryContactId, client.id);
      }
      return tx.create(OpportunityEntity, {
        name: input.name,
        clientId: client.id,
        primaryContactId: input.primaryContactId ?? null,
        ownerId: input.ownerId,
        status: OpportunityStage.PROSPECTING,
        probability: input.probability ?? STAGE_PROBABILITY.PROSPECTING,
        amountAmount: input.amount ?? '0',
        currency: input.currency ?? client.currency,
        closeDate: input.closeDate,
        expectedStartDate: input.expectedStartDate ?? null,
        billingModel: input.billingModel ?? null,
      });
    });
  }

  update(id: string, input: UpdateOpportunityInput): Promise<OpportunityEntity> {
    return this.writePoint.run(async (tx) => {
      const opportunity = await this.lock(tx.manager, id);
      if (input.probability !== undefined && isClosed(opportunity.status) && input.probability !== opportunity.probability) {
        throw new BadInputError(`a ${opportunity.status} opportunity keeps probability ${opportunity.probability}; reopen it first`, {
          rule: OpportunityRule.CLOSED_PROBABILITY,
          field: 'probability',
        });
      }
      if (input.primaryContactId) {
        await assertContactOfClient(tx.manager, input.primaryContactId, opportunity.clientId);
      }
      const { amount, ...fields } = input;
      const patch: Partial<OpportunityEntity> = { ...fields };
      if (amount !== undefined) {
        patch.amountAmount = amount;
      }
      return tx.update(OpportunityEntity, id, patch);
    });
  }

  /**
   * Records the ERP contract and PSA project a CLOSED_WON opportunity became (the closed-won workflow's last step;
   * CRM keeps them as stored references). Idempotent: the links it already has change nothing; a different contract
   * or project than the one recorded is a CONFLICT (a deal becomes one contract and at most one project).
   */
  linkDelivery(id: string, contractId: string, projectId: string | null): Promise<OpportunityEntity> {
    return this.writePoint.run(async (tx) => {
      const opportunity = await this.lock(tx.manager, id);
      if (opportunity.status !== OpportunityStage.CLOSED_WON) {
        throw new ConflictError(`opportunity ${id} is ${opportunity.status}; only a CLOSED_WON one has a contract and a project`, {
          opportunityId: id,
          stage: opportunity.status,
        });
      }
      for (const [field, current, given] of [
        ['contractId', opportunity.contractId, contractId],
        ['projectId', opportunity.projectId, projectId],
      ] as const) {
        if (current && given && current !== given) {
          throw new ConflictError(`opportunity ${id} is already linked to ${field} ${current}`, {
            opportunityId: id,
            field,
            current,
            given,
          });
        }
      }
      const patch = { contractId, projectId: projectId ?? opportunity.projectId };
      if (opportunity.contractId === patch.contractId && opportunity.projectId === patch.projectId) {
        return opportunity;
      }
      return tx.update(OpportunityEntity, id, patch);
    });
  }

  /**
   * Moves an opportunity to another stage (DOMAIN.md §2). An edge the state machine does not have is
   * INVALID_TRANSITION; a valid edge whose rule is not met is BAD_USER_INPUT with `extensions.rule`.
   */
  move({ id, stage, lostReason }: MoveOpportunityArgs): Promise<OpportunityEntity> {
    return this.writePoint.run(async (tx) => {
      const opportunity = await this.lock(tx.manager, id);
      opportunityStages.assertTransition(opportunity.status, stage);
      const reason = lostReason?.trim();
      if (stage === OpportunityStage.CLOSED_LOST) {
        if (!reason) {
          throw new BadInputError('lostReason is required to close an opportunity as lost', {
            rule: OpportunityRule.LOST_REASON_REQUIRED,
            field: 'lostReason',
          });
        }
        const open = await tx.manager
          .getRepository(QuoteEntity)
          .createQueryBuilder('quote')
          .where('quote.opportunityId = :id AND quote.status IN (:...open)', { id, open: [QuoteStatus.DRAFT, QuoteStatus.SENT] })
          .orderBy('quote.number')
          .getMany();
        if (open.length) {
          throw new BadInputError(
            `the opportunity still has open quotes (${open.map((quote) => quote.number).join(', ')}); cancel or decide them first`,
            {
              rule: OpportunityRule.OPEN_QUOTES,
              quoteIds: open.map((quote) => quote.id),
            },
          );
        }
      } else if (lostReason !== undefined && lostReason !== null) {
        throw new BadInputError('lostReason is only accepted with stage CLOSED_LOST', {
          rule: OpportunityRule.LOST_REASON_ONLY_WHEN_LOST,
          field: 'lostReason',
        });
      }
      if (stage === OpportunityStage.CLOSED_WON) {
        const accepted = await tx.manager.getRepository(QuoteEntity).existsBy({ opportunityId: id, status: QuoteStatus.ACCEPTED });
        if (!accepted) {
          throw new BadInputError('an opportunity can only be won with an ACCEPTED quote', {
            rule: OpportunityRule.ACCEPTED_QUOTE_REQUIRED,
          });
        }
      }
      return tx.transition(OpportunityEntity, id, opportunityStages, stage, () => ({
        probability: STAGE_PROBABILITY[stage],
        closedAt: isClosed(stage) ? new Date() : null,
        lostReason: stage === OpportunityStage.CLOSED_LOST ? (reason ?? null) : null,
      }));
    });
  }

  /**
   * Reads the opportunity FOR UPDATE for the rest of the transaction: stage moves and quote status changes of one
   * opportunity are serialized on this row, so "won needs an accepted quote" and "at most one accepted quote" hold
   * under concurrency.
   */
  lockRow(manager: EntityManager, id: string): Promise<OpportunityEntity | null> {
    return manager
      .getRepository(OpportunityEntity)
      .createQueryBuilder('opportunity')
      .setLock('pessimistic_write')
      .where('opportunity.id = :id', { id })
      .getOne();
  }

  private async lock(manager: EntityManager, id: string): Promise<OpportunityEntity> {
    const opportunity = await this.lockRow(manager, id);
    assertFound(opportunity, 'Opportunity', id);
    return opportunity;
  }
}

async function assertContactOfClient(manager: EntityManager, contactId: string, clientId: string): Promise<void> {
  const contact = await manager.getRepository(ContactEntity).findOneBy({ id: contactId });
  if (!contact) {
    throw new BadInputError(`contact ${contactId} does not exist`, { field: 'primaryContactId', id: contactId });
  }
  if (contact.clientId !== clientId) {
    throw new BadInputError(`contact ${contactId} belongs to another client`, {
      rule: OpportunityRule.CONTACT_OF_ANOTHER_CLIENT,
      field: 'primaryContactId',
    });
  }
}
