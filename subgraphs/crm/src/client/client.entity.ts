import { Directive, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum ClientTier {
  STRATEGIC = 'STRATEGIC',
  ENTERPRISE = 'ENTERPRISE',
  MID_MARKET = 'MID_MARKET',
  SMALL = 'SMALL',
}
registerEnumType(ClientTier, { name: 'ClientTier' });

/** The CRM account: the customer relationship every other system hangs off (DOMAIN.md §1 "Account"). */
@ObjectType('Client', { description: 'A customer account, owned by the CRM and extended by ERP and PSA.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'client', schema: 'crm' })
@Index('ix_client_name_id', ['name', 'id'])
@Index('ix_client_created_at_id', ['createdAt', 'id'])
@Index('ix_client_owner_id', ['ownerId'])
export class ClientEntity extends RecordEntity {
  @Field()
  @Column('text')
  name: string;

  @Field()
  @Column('text')
  @Index('ux_client_domain', { unique: true })
  domain: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  industry: string | null;

  @Field(() => Int, { nullable: true })
  @Column('integer', { nullable: true })
  employees: number | null;

  @Field({ description: 'User id of the account owner (sales).' })
  @Column('text')
  ownerId: string;

  @Field(() => String, { nullable: true })
  @Column('uuid', { nullable: true })
  parentClientId: string | null;

  @Field(() => ClientTier)
  @Column('text', { default: ClientTier.MID_MARKET })
  tier: ClientTier;

  @Column('numeric', { name: 'arr', precision: 18, scale: 2, nullable: true })
  arrAmount: string | null;

  @Field({ description: 'Reporting currency of the account (ISO-4217).' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => Money, { nullable: true, description: 'Annual recurring revenue in the account currency.' })
  get arr(): Money | null {
    return moneyOf(this.arrAmount, this.currency);
  }

  // Provided by PSA and ERP; declared @external here so that health can @require them (never stored by the CRM).
  @Field(() => Int, { nullable: true })
  @Directive('@external')
  activeProjectsRed?: number | null;

  @Field(() => Int, { nullable: true })
  @Directive('@external')
  activeProjectsAmber?: number | null;

  @Field(() => Int, { nullable: true })
  @Directive('@external')
  oldestOverdueDays?: number | null;

  @Field(() => String, { nullable: true })
  @Directive('@external')
  marginPct?: string | null;
}
