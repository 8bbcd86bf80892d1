import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimal, money } from '@concord/common';
import { Money, RecordEntity } from '@concord/graphql';

export enum ContractStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ContractStatus, { name: 'ContractStatus', description: 'See contract.states.ts for the allowed transitions.' });

/** The signed commercial agreement with a legal customer (DOMAIN.md §1 Contract). */
@ObjectType('Contract', { description: 'A customer contract, owned by the ERP: its lines are what the firm may bill.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'contract', schema: 'erp' })
@Index('ix_contract_customer_id', ['customerId'])
@Index('ix_contract_client_id_created_at_id', ['clientId', 'createdAt', 'id'])
@Index('ix_contract_legal_entity_id', ['legalEntityId'])
@Index('ix_contract_opportunity_id', ['opportunityId'])
@Index('ix_contract_start_date_id', ['startDate', 'id'])
@Index('ix_contract_created_at_id', ['createdAt', 'id'])
export class ContractEntity extends RecordEntity {
  @Field({ description: 'Unique contract number, e.g. "C-2025-0042".' })
  @Column('text')
  @Index('ux_contract_number', { unique: true })
  number: string;

  @Field(() => ID, { description: 'The LegalCustomer that signed.' })
  @Column('uuid')
  customerId: string;

  @Field(() => ID, { description: "The CRM Client (the customer's clientId, denormalised)." })
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  legalEntityId: string;

  @Field(() => ID, { nullable: true, description: 'The CRM Opportunity this contract was won from.' })
  @Column('uuid', { nullable: true })
  opportunityId: string | null;

  @Field(() => ID, { nullable: true, description: 'The CRM Quote this contract was created from.' })
  @Column('uuid', { nullable: true })
  sourceQuoteId: string | null;

  @Field(() => ContractStatus)
  @Column('text', { default: ContractStatus.DRAFT })
  status: ContractStatus;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column('date')
  startDate: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD); null for an open-ended contract.' })
  @Column('date', { nullable: true })
  endDate: string | null;

  @Field({ description: 'ISO-4217 currency of the contract and all its lines.' })
  @Column('char', { length: 3 })
  currency: string;

  /** Sum of the lines' amounts, recomputed in the transaction that changes a line. */
  @Column('numeric', { name: 'total_value', precision: 18, scale: 2, default: 0 })
  totalValueAmount: string;

  /** Invoiced (or otherwise consumed) so far; moved by the invoicing side of the ERP. */
  @Column('numeric', { name: 'consumed_amount', precision: 18, scale: 2, default: 0 })
  consumedAmountAmount: string;

  @Field(() => String, { nullable: true, description: 'Percent (0-100) of consumption that triggers a renewal.' })
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  renewalThresholdPct: string | null;

  @Field(() => Int, { description: 'Starts at 1; incremented by every line change after activation (change orders).' })
  @Column('integer', { default: 1 })
  version: number;

  @Field(() => Money, { description: 'Sum of the contract lines.' })
  get totalValue(): Money {
    return money(this.totalValueAmount ?? '0', this.currency);
  }

  @Field(() => Money)
  get consumedAmount(): Money {
    return money(this.consumedAmountAmount ?? '0', this.currency);
  }

  @Field(() => Money, { description: 'totalValue − consumedAmount, always computed, never stored.' })
  get remainingAmount(): Money {
    return money(decimal(this.totalValueAmount ?? '0').minus(this.consumedAmountAmount ?? '0'), this.currency);
  }
}

