import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, containsPattern, loadByIds, orderByKeys, paginate, toAmount, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import {
  LegalCustomerSortField,
  type CreateLegalCustomerInput,
  type LegalCustomersArgs,
  type UpdateLegalCustomerInput,
} from './dtos/legal-customer.input';
import { LegalCustomerEntity, type BillingAddress, type LegalCustomerStatus } from './legal-customer.entity';
import { legalCustomerStates } from './legal-customer.states';

@Injectable()
export class LegalCustomerService {
  private readonly byId = new DataLoader<string, LegalCustomerEntity | null>((ids) => loadByIds(this.legalCustomers, ids), {
    cache: false,
  });

  /** One legal customer per client: every Client.legalCustomer of a page in one statement. */
  private readonly byClientId = new DataLoader<string, LegalCustomerEntity | null>(
    async (clientIds) => {
      const rows = await this.legalCustomers
        .createQueryBuilder('legalCustomer')
        .where('legalCustomer.clientId = ANY(:clientIds)', { clientIds: [...clientIds] })
        .getMany();
      return orderByKeys(clientIds, rows, (row) => row.clientId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(LegalCustomerEntity) private readonly legalCustomers: Repository<LegalCustomerEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<LegalCustomerEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<LegalCustomerEntity> {
    const legalCustomer = await this.findById(id);
    assertFound(legalCustomer, 'LegalCustomer', id);
    return legalCustomer;
  }

  findByClientId(clientId: string): Promise<LegalCustomerEntity | null> {
    return this.byClientId.load(clientId);
  }

  list({ filter = {}, orderBy, ...page }: LegalCustomersArgs): Promise<Page<LegalCustomerEntity>> {
    const query = this.legalCustomers.createQueryBuilder('legalCustomer');
    if (filter.search) {
      query.andWhere('(legalCustomer.legalName ILIKE :search OR legalCustomer.taxId ILIKE :search)', {
        search: containsPattern(filter.search),
      });
    }
    if (filter.clientIdIn) {
      query.andWhere('legalCustomer.clientId = ANY(:clientIds)', { clientIds: filter.clientIdIn });
    }
    if (filter.statusIn?.length) {
      query.andWhere('legalCustomer.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.defaultCurrency) {
      query.andWhere('legalCustomer.defaultCurrency = :currency', { currency: filter.defaultCurrency });
    }
    const field = orderBy?.field ?? LegalCustomerSortField.LEGAL_NAME;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateLegalCustomerInput): Promise<LegalCustomerEntity> {
    const { creditLimit, billingAddress, ...fields } = input;
    return this.writePoint.run((tx) =>
      tx.create(LegalCustomerEntity, {
        ...fields,
        taxId: fields.taxId ?? null,
        creditLimitAmount: creditLimit ? toAmount(creditLimit) : null,
        billingAddress: billingAddress ? toAddress(billingAddress) : null,
      }),
    );
  }

  update(id: string, input: UpdateLegalCustomerInput): Promise<LegalCustomerEntity> {
    const { creditLimit, billingAddress, ...fields } = input;
    const patch: Partial<LegalCustomerEntity> = { ...fields };
    if (creditLimit !== undefined) {
      patch.creditLimitAmount = creditLimit === null ? null : toAmount(creditLimit);
    }
    if (billingAddress !== undefined) {
      patch.billingAddress = billingAddress ? toAddress(billingAddress) : null;
    }
    return this.writePoint.run((tx) => tx.update(LegalCustomerEntity, id, patch));
  }

  /** ACTIVE ⇄ FROZEN; anything else is INVALID_TRANSITION. */
  transition(id: string, to: LegalCustomerStatus): Promise<LegalCustomerEntity> {
    return this.writePoint.run((tx) => tx.transition(LegalCustomerEntity, id, legalCustomerStates, to));
  }
}

/** A plain object (not the validated input class instance), so jsonb holds exactly these keys. */
function toAddress(input: BillingAddress): BillingAddress {
  return {
    line1: input.line1,
    line2: input.line2 ?? null,
    city: input.city,
    postalCode: input.postalCode ?? null,
    region: input.region ?? null,
    country: input.country,
  };
}
