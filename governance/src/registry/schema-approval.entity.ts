import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { SchemaCheckReport } from './schema-check';

/**
 * A data steward's approval of a subgraph version that failed its check (never by its publisher): the version joins
 * the supergraph anyway. Keeps the check as re-run at approval time, which is what the steward approved.
 */
@Entity({ name: 'schema_approval', schema: 'governance' })
@Unique('uq_schema_approval_schema_version', ['schemaVersionId'])
export class SchemaApprovalEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  schemaVersionId: string;

  @Column('text')
  approvedBy: string;

  @Column('text', { array: true })
  approverRoles: string[];

  @Column('text')
  reason: string;

  @Column('jsonb')
  checkResult: SchemaCheckReport;

  /** the supergraph version the approval produced */
  @Column('integer')
  supergraphVersion: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
