import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { SchemaCheckReport } from './schema-check';

export enum SchemaVersionStatus {
  /** passed its check: part of the supergraph until a later version replaces it */
  PUBLISHED = 'PUBLISHED',
  /** failed its check: kept with the reasons, never served */
  REJECTED = 'REJECTED',
}

/** One SDL a subgraph tried to publish, with its check result. Never updated: a change is a new version. */
@Entity({ name: 'schema_version', schema: 'governance' })
@Unique('uq_schema_version_subgraph_version', ['subgraph', 'version'])
// a partial index (published versions only) that entities cannot describe: the migration owns it
@Index('ix_schema_version_published', { synchronize: false })
export class SchemaVersionEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** the subgraph's name, e.g. `crm` */
  @Column('text')
  subgraph: string;

  /** 1, 2, 3, … per subgraph, rejected attempts included */
  @Column('integer')
  version: number;

  @Column('text')
  sdl: string;

  /** sha256_hex of the SDL text as published */
  @Column('text')
  sha256: string;

  /** who published it (a CI identity, a service, a person) */
  @Column('text')
  author: string;

  /** where gateways reach this version (null: published without one, gateways use their own URL) */
  @Column('text', { nullable: true })
  routingUrl: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column('jsonb')
  checkResult: SchemaCheckReport;

  @Column('text')
  status: SchemaVersionStatus;
}
