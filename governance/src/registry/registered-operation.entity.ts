import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One operation document a client version registered for the safelist (issue 5). Registering the same document again
 * (same operationId) is a no-op, so the first registration's text, name and author stay.
 */
@Entity({ name: 'registered_operation', schema: 'governance' })
export class RegisteredOperationEntity {
  /** `apollographql-client-name` */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_registered_operation' })
  clientName: string;

  /** `apollographql-client-version` */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_registered_operation' })
  clientVersion: string;

  /** `operationId` of @concord/common: sha256 hex of the document as graphql-js prints it */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_registered_operation' })
  operationId: string;

  /** a label for people: the given name, else the document's operation names */
  @Column('text', { nullable: true })
  operationName: string | null;

  /** the document text as registered */
  @Column('text')
  document: string;

  /** who registered it (a CI identity, a person) */
  @Column('text')
  registeredBy: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  registeredAt: Date;
}
