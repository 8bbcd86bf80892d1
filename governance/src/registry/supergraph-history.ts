import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { newId } from '@concord/common';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import { composeSubgraphs } from './schema-check';
import { SupergraphCause, type SupergraphMember } from './supergraph-version.entity';

/** A subgraph version of the served supergraph, with its SDL. */
export interface ServedSubgraph extends SupergraphMember {
  sdl: string;
  createdAt: Date;
}

/** What gateways serve now: the latest supergraph version's subgraphs (version null: none composed yet). */
export interface ServedState {
  version: number | null;
  subgraphs: ServedSubgraph[];
}

/** A supergraph version as the registry answers it. */
export interface Supergraph {
  version: number;
  supergraphSdl: string;
  sha256: string;
  subgraphs: SupergraphMember[];
  cause: SupergraphCause;
  author: string;
  reason: string;
  rollbackOf: number | null;
  createdAt: string;
}

interface SupergraphRow {
  version: number;
  sdl: string;
  sha256: string;
  subgraphs: SupergraphMember[];
  cause: SupergraphCause;
  author: string;
  reason: string;
  rollback_of: number | null;
  created_at: Date;
}

const SUPERGRAPH_COLUMNS = 'version, sdl, sha256, subgraphs, cause, author, reason, rollback_of, created_at';

function supergraphOf(row: SupergraphRow, withSdl = true): Supergraph {
  return {
    version: row.version,
    supergraphSdl: withSdl ? row.sdl : '',
    sha256: row.sha256,
    subgraphs: row.subgraphs,
    cause: row.cause,
    author: row.author,
    reason: row.reason,
    rollbackOf: row.rollback_of,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The subgraph versions gateways serve: those of the latest supergraph version. Before the first one exists (a
 * registry that published before supergraph history was kept), the latest PUBLISHED version of every subgraph.
 */
export async function servedState(manager: EntityManager): Promise<ServedState> {
  const [latest]: { version: number; subgraphs: SupergraphMember[] }[] = await manager.query(
    'SELECT version, subgraphs FROM governance.supergraph_version ORDER BY version DESC LIMIT 1',
  );
  if (!latest) {
    const rows: { name: string; version: number; sha256: string; routing_url: string | null; sdl: string; created_at: Date }[] =
      await manager.query(
        `SELECT DISTINCT ON (subgraph) subgraph AS name, version, sha256, routing_url, sdl, created_at FROM governance.schema_version
         WHERE status = 'PUBLISHED' ORDER BY subgraph, version DESC`,
      );
    return {
      version: null,
      subgraphs: rows.map((row) => ({
        name: row.name,
        version: row.version,
        sha256: row.sha256,
        routingUrl: row.routing_url,
        sdl: row.sdl,
        createdAt: row.created_at,
      })),
    };
  }
  const rows: { name: string; version: number; sdl: string; created_at: Date }[] = await manager.query(
    `SELECT s.subgraph AS name, s.version, s.sdl, s.created_at
     FROM jsonb_to_recordset($1::jsonb) AS m(name text, version integer)
     JOIN governance.schema_version s ON s.subgraph = m.name AND s.version = m.version`,
    [JSON.stringify(latest.subgraphs)],
  );
  const byName = new Map(rows.map((row) => [row.name, row]));
  return {
    version: latest.version,
    subgraphs: latest.subgraphs.map((member) => ({
      ...member,
      sdl: byName.get(member.name)!.sdl,
      createdAt: byName.get(member.name)!.created_at,
    })),
  };
}

/**
 * Composes the served subgraphs with `change` applied (a subgraph version replaced or added) and stores the result
 * as the next supergraph version. Runs inside the registry writer's transaction (advisory lock held).
 */
export async function advanceSupergraph(
  manager: EntityManager,
  served: ServedState,
  change: { member: SupergraphMember; sdl: string } | null,
  record: { cause: SupergraphCause; author: string; reason: string; now: Date },
): Promise<Supergraph> {
  const members = served.subgraphs
    .filter((subgraph) => subgraph.name !== change?.member.name)
    .map((subgraph) => ({ member: stripSdl(subgraph), sdl: subgraph.sdl }));
  if (change) {
    members.push(change);
  }
  members.sort((left, right) => (left.member.name < right.member.name ? -1 : 1));
  const { supergraphSdl, errors } = composeSubgraphs(
    members.map(({ member, sdl }) => ({ name: member.name, sdl, url: member.routingUrl })),
  );
  if (!supergraphSdl) {
    throw new RegistryException(RegistryExceptionCode.SUPERGRAPH_UNCOMPOSABLE, 'the subgraph versions do not compose', { errors });
  }
  return insertSupergraph(manager, {
    sdl: supergraphSdl,
    subgraphs: members.map(({ member }) => member),
    ...record,
    rollbackOf: null,
  });
}

function stripSdl({ name, version, sha256, routingUrl }: ServedSubgraph): SupergraphMember {
  return { name, version, sha256, routingUrl };
}

/** Serves an earlier supergraph again: its exact SDL and subgraph versions become the next version. */
export async function rollBackSupergraph(
  manager: EntityManager,
  to: number,
  record: { author: string; reason: string; now: Date },
): Promise<{ from: Supergraph; to: Supergraph; next: Supergraph }> {
  const rows: SupergraphRow[] = await manager.query(
    `SELECT ${SUPERGRAPH_COLUMNS} FROM governance.supergraph_version
     WHERE version = $1 OR version = (SELECT max(version) FROM governance.supergraph_version)`,
    [to],
  );
  const target = rows.find((row) => row.version === to);
  const current = rows.reduce<SupergraphRow | undefined>((max, row) => (!max || row.version > max.version ? row : max), undefined);
  if (!target || !current) {
    throw new RegistryException(RegistryExceptionCode.SUPERGRAPH_VERSION_NOT_FOUND, `supergraph version ${to} does not exist`, {
      version: to,
    });
  }
  if (target.sha256 === current.sha256) {
    throw new RegistryException(
      RegistryExceptionCode.NOTHING_TO_ROLL_BACK,
      `supergraph version ${to} is what gateways serve already (version ${current.version})`,
      { version: to, current: current.version },
    );
  }
  const next = await insertSupergraph(manager, {
    sdl: target.sdl,
    subgraphs: target.subgraphs,
    cause: SupergraphCause.ROLLBACK,
    author: record.author,
    reason: record.reason,
    now: record.now,
    rollbackOf: to,
  });
  return { from: supergraphOf(current, false), to: supergraphOf(target, false), next };
}

async function insertSupergraph(
  manager: EntityManager,
  row: {
    sdl: string;
    subgraphs: SupergraphMember[];
    cause: SupergraphCause;
    author: string;
    reason: string;
    now: Date;
    rollbackOf: number | null;
  },
): Promise<Supergraph> {
  const sha256 = createHash('sha256').update(row.sdl).digest('hex');
  const [inserted]: SupergraphRow[] = await manager.query(
    `INSERT INTO governance.supergraph_version (id, version, sdl, sha256, subgraphs, cause, author, reason, rollback_of, created_at)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9 FROM governance.supergraph_version
     RETURNING ${SUPERGRAPH_COLUMNS}`,
    [newId(), row.sdl, sha256, JSON.stringify(row.subgraphs), row.cause, row.author, row.reason, row.rollbackOf, row.now],
  );
  return supergraphOf(inserted);
}

/** A supergraph version (the latest without `version`), or undefined when there is none. */
export async function findSupergraph(manager: EntityManager, version?: number): Promise<Supergraph | undefined> {
  const [row]: SupergraphRow[] =
    version === undefined
      ? await manager.query(`SELECT ${SUPERGRAPH_COLUMNS} FROM governance.supergraph_version ORDER BY version DESC LIMIT 1`)
      : await manager.query(`SELECT ${SUPERGRAPH_COLUMNS} FROM governance.supergraph_version WHERE version = $1`, [version]);
  return row ? supergraphOf(row) : undefined;
}

/** Supergraph versions, latest first, without their SDL. */
export async function listSupergraphs(manager: EntityManager, limit: number): Promise<Supergraph[]> {
  const rows: SupergraphRow[] = await manager.query(
    `SELECT version, '' AS sdl, sha256, subgraphs, cause, author, reason, rollback_of, created_at
     FROM governance.supergraph_version ORDER BY version DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => supergraphOf(row, false));
}
