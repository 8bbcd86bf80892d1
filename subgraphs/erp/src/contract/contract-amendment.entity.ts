import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

/**
 * One amendment of a signed contract: a line added or changed after DRAFT made a new contract version
 * (DOMAIN.md §2 change order). It records why (a reason, or the change order that carries it), who approved it
 * (the caller) and the contract total before and after.
 */
@ObjectType('ContractAmendment', { description: 'A change to the lines of a signed contract: its version, reason, approver and totals.' })
@Entity({ name: 'contract_amendment', schema: 'erp' })
@Index('ux_contract_amendment_contract_id_version', ['contractId', 'version'], { unique: true })
@Index('ix_contract_amendment_contract_line_id', ['contractLineId'])
export class ContractAmendmentEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  contractId: string;

  @Field(() => Int, { description: 'The contract version this amendment made.' })
  @Column('integer')
  version: number;

  @Field(() => ID, { description: 'The line added or changed.' })
  @Column('uuid')
  contractLineId: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  changeOrderNumber: string | null;

  @Field()
  @Column('text')
  reason: string;

  @Field({ description: 'The caller that made the amendment.' })
  @Column('text')
  approvedBy: string;

  @Field()
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'total_before', precision: 18, scale: 2 })
  totalBeforeAmount: string;

  @Column('numeric', { name: 'total_after', precision: 18, scale: 2 })
  totalAfterAmount: string;

  @Field(() => Money, { description: 'Contract totalValue before the amendment.' })
  get totalBefore(): Money | null {
    return moneyOf(this.totalBeforeAmount, this.currency);
  }

  @Field(() => Money, { description: 'Contract totalValue after the amendment.' })
  get totalAfter(): Money | null {
    return moneyOf(this.totalAfterAmount, this.currency);
  }
}
