import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, RecordEntity } from '@concord/graphql';

/** A company of the group that signs contracts and issues invoices (DOMAIN.md §1 LegalEntity). */
@ObjectType('LegalEntity', { description: 'A legal entity of the firm: signs contracts, issues invoices, keeps books in its functional currency.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'legal_entity', schema: 'erp' })
@Index('ix_legal_entity_name_id', ['name', 'id'])
export class LegalEntityEntity extends RecordEntity {
  @Field({ description: 'Short unique code, e.g. "ACME-FR".' })
  @Column('text')
  @Index('ux_legal_entity_code', { unique: true })
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'ISO-3166 alpha-2 country code.' })
  @Column('char', { length: 2 })
  country: string;

  @Field({ description: 'ISO-4217 currency the books are kept in.' })
  @Column('char', { length: 3 })
  functionalCurrency: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  taxId: string | null;

  /**
   * PSA's cost of the projects this entity delivers, per currency (not a column): LegalEntity.margin and marginPct
   * @require it, so the gateway passes it in `_entities`. Nullable as PSA hides cost from callers who may not see it.
   */
  @Field(() => [Money], { nullable: true })
  @Directive('@external')
  costToDate?: Money[] | null;
}
