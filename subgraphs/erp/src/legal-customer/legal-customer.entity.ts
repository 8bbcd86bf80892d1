import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum LegalCustomerStatus {
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
}
registerEnumType(LegalCustomerStatus, { name: 'LegalCustomerStatus', description: 'FROZEN customers get no new contracts.' });

/** Postal billing address, stored as jsonb on the customer. */
@ObjectType('BillingAddress')
export class BillingAddress {
  @Field()
  line1: string;

  @Field(() => String, { nullable: true })
  line2?: string | null;

  @Field()
  city: string;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field({ description: 'ISO-3166 alpha-2 country code.' })
  country: string;
}

/** The legal/billing side of a CRM Client: one per client (DOMAIN.md §1 LegalCustomer). */
@ObjectType('LegalCustomer', { description: 'The legal and billing identity of a client, owned by the ERP.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'legal_customer', schema: 'erp' })
@Index('ix_legal_customer_legal_name_id', ['legalName', 'id'])
@Index('ix_legal_customer_created_at_id', ['createdAt', 'id'])
export class LegalCustomerEntity extends RecordEntity {
  @Field()
  @Column('text')
  legalName: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  taxId: string | null;

  @Field(() => ID, { description: 'The CRM Client this customer bills for (unique).' })
  @Column('uuid')
  @Index('ux_legal_customer_client_id', { unique: true })
  clientId: string;

  @Field({ description: 'ISO-4217 currency of new contracts and of the credit limit.' })
  @Column('char', { length: 3 })
  defaultCurrency: string;

  @Field(() => Int)
  @Column('integer', { default: 30 })
  paymentTermsDays: number;

  @Column('numeric', { name: 'credit_limit', precision: 18, scale: 2, nullable: true })
  creditLimitAmount: string | null;

  @Field(() => BillingAddress, { nullable: true })
  @Column('jsonb', { nullable: true })
  billingAddress: BillingAddress | null;

  @Field(() => LegalCustomerStatus)
  @Column('text', { default: LegalCustomerStatus.ACTIVE })
  status: LegalCustomerStatus;

  @Field(() => Money, { nullable: true, description: 'Credit limit in the default currency.' })
  get creditLimit(): Money | null {
    return moneyOf(this.creditLimitAmount, this.defaultCurrency);
  }
}
