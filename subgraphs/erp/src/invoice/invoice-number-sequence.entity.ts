import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/** Last invoice number issued per legal entity and year: gapless, taken under the legal entity's row lock. */
@Entity({ name: 'invoice_number_sequence', schema: 'erp' })
@Index('ux_invoice_number_sequence_legal_entity_id_year', ['legalEntityId', 'year'], { unique: true })
export class InvoiceNumberSequenceEntity extends RecordEntity {
  @Column('uuid')
  legalEntityId: string;

  @Column('integer')
  year: number;

  @Column('integer')
  lastNumber: number;
}
