import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SchemaCheckReport } from './schema-check';

/** A check that did not publish (`POST /registry/check`), with its report; never changed. */
@Entity({ name: 'schema_check', schema: 'governance' })
@Index('ix_schema_check_subgraph_checked_at', ['subgraph', 'checkedAt'])
export class SchemaCheckEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  subgraph: string;

  /** sha256 of the normalised SDL, null when it did not parse */
  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('boolean')
  ok: boolean;

  @Column('jsonb')
  report: SchemaCheckReport;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  checkedAt: Date;
}
