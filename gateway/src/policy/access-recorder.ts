import { newId, type AuditEvent, type Logger } from '@concord/common';
import { BatchShipper } from '../shipping/batch-shipper';
import type { GatewayResult, OperationStep } from '../pipeline/pipeline.types';
import { FIELD_POLICY_STEP, type ClassifiedRead, type FieldPolicyState } from './field-policy.step';

/** Most ids kept per access event; beyond it the event says how many more there were. */
const MAX_IDS_PER_EVENT = 1_000;

/**
 * One observed read: who read which classified coordinates of which rows of one entity type — or, `denied`, which
 * coordinates the field policy removed from their operation (ids unknown: the fields were never fetched).
 */
export interface AccessRead {
  kind?: 'read' | 'denied';
  /** denied in dry-run mode: the fields were let through */
  dryRun?: boolean;
  sub: string;
  roles: readonly string[];
  entity: string;
  coordinates: readonly string[];
  ids: readonly string[];
  operationHash: string | undefined;
  operationName: string | null;
  correlationId: string;
  policyVersion: number;
}

/** Where reads go: the ledger's ingest, batched (AccessEventShipper) or anything a test provides. */
export interface AccessSink {
  record(read: AccessRead): void;
}

export const ACCESS_RECORDER_STEP = 'access-recorder';

/**
 * Records every read of a FINANCIAL, MARGIN or PII field (ARCHITECTURE.md §5.5): who, which coordinates, which ids
 * (the `id` of each object the field was read on, where the operation selected it) and the operation hash. Runs
 * after the field policy step, from whose plan it knows the classified fields and their response paths; it only
 * observes the response.
 */
export function createAccessRecorderStep(sink: AccessSink): OperationStep {
  return {
    name: ACCESS_RECORDER_STEP,
    run({ context }) {
      const policy = context.state[FIELD_POLICY_STEP] as FieldPolicyState | undefined;
      if (!policy || !context.caller) {
        return undefined;
      }
      const caller = context.caller;
      for (const [entity, coordinates] of byType(policy.removed)) {
        sink.record({
          kind: 'denied',
          dryRun: policy.mode === 'dry-run',
          sub: caller.sub,
          roles: caller.roles,
          entity,
          coordinates,
          ids: [],
          operationHash: context.operationHash,
          operationName: context.operationName,
          correlationId: context.correlationId,
          policyVersion: policy.policyVersion,
        });
      }
      if (!policy.classifiedReads.length) {
        return undefined;
      }
      return {
        observeResult: (result) => {
          for (const [entity, read] of readsByEntity(policy.classifiedReads, result)) {
            sink.record({
              sub: caller.sub,
              roles: caller.roles,
              entity,
              coordinates: [...read.coordinates].sort(),
              ids: [...read.ids],
              operationHash: context.operationHash,
              operationName: context.operationName,
              correlationId: context.correlationId,
              policyVersion: policy.policyVersion,
            });
          }
        },
      };
    },
  };
}

function byType(coordinates: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const coordinate of new Set(coordinates)) {
    const type = coordinate.slice(0, coordinate.indexOf('.'));
    groups.set(type, [...(groups.get(type) ?? []), coordinate].sort());
  }
  return groups;
}

/** The coordinates actually answered (not null) and the ids of their objects, grouped by the coordinate's type. */
function readsByEntity(
  reads: readonly ClassifiedRead[],
  result: Readonly<GatewayResult>,
): Map<string, { coordinates: Set<string>; ids: Set<string> }> {
  const byEntity = new Map<string, { coordinates: Set<string>; ids: Set<string> }>();
  for (const read of reads) {
    const objects: Record<string, unknown>[] = [];
    collectParents(result.data, read.path, 0, objects);
    const key = read.path[read.path.length - 1]!;
    const answered = objects.filter((object) => object[key] !== null && object[key] !== undefined);
    if (!answered.length) {
      continue;
    }
    const entity = read.coordinate.slice(0, read.coordinate.indexOf('.'));
    const entry = byEntity.get(entity) ?? { coordinates: new Set<string>(), ids: new Set<string>() };
    entry.coordinates.add(read.coordinate);
    for (const object of answered) {
      if (typeof object.id === 'string') {
        entry.ids.add(object.id);
      }
    }
    byEntity.set(entity, entry);
  }
  return byEntity;
}

function collectParents(value: unknown, path: readonly string[], depth: number, into: Record<string, unknown>[]): void {
  if (value === null || typeof value !== 'object') {
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item) => collectParents(item, path, depth, into));
    return;
  }
  const object = value as Record<string, unknown>;
  if (depth === path.length - 1) {
    into.push(object);
    return;
  }
  collectParents(object[path[depth]!], path, depth + 1, into);
}

export interface AccessEventShipperOptions {
  /** governance's `POST /audit/events` */
  ingestUrl: string;
  /** e.g. the GOVERNANCE_TOKEN bearer */
  headers?: Record<string, string>;
  /** how often buffered reads are shipped (default 1 s) */
  flushIntervalMs?: number;
  /** reads kept while governance is unreachable; beyond it the oldest are dropped and counted (default 50,000) */
  maxBuffered?: number;
  logger: Logger;
}

/**
 * Ships access events to the ledger in batches. Reads of the same caller, operation, entity and coordinates within
 * one flush interval become one event (ids merged), so a hot query costs one ledger entry per second, not one per
 * request. Unlike writes (transactional outbox) reads are buffered in memory: a crashed gateway loses at most the
 * last interval's, and a governance outage longer than the buffer drops the oldest — both logged and counted.
 */
export class AccessEventShipper implements AccessSink {
  private pending = new Map<string, { read: AccessRead; ids: Set<string>; more: number; count: number; firstAt: string }>();
  private readonly shipper: BatchShipper<AuditEvent>;

  constructor(options: AccessEventShipperOptions) {
    this.shipper = new BatchShipper(
      {
        url: options.ingestUrl,
        field: 'events',
        headers: options.headers,
        flushIntervalMs: options.flushIntervalMs ?? 1_000,
        maxBuffered: options.maxBuffered ?? 50_000,
        what: 'access events',
        logger: options.logger,
      },
      () => this.drain(),
    );
  }

  /** reads dropped because governance was unreachable for too long */
  get dropped(): number {
    return this.shipper.dropped;
  }

  record(read: AccessRead): void {
    const key = [read.kind ?? 'read', read.sub, read.roles.join(','), read.operationHash, read.entity, read.coordinates.join(',')].join(
      '\u0000',
    );
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { read, ids: new Set(), more: 0, count: 0, firstAt: new Date().toISOString() };
      this.pending.set(key, entry);
    }
    entry.count++;
    for (const id of read.ids) {
      if (entry.ids.size < MAX_IDS_PER_EVENT) {
        entry.ids.add(id);
      } else if (!entry.ids.has(id)) {
        entry.more++;
      }
    }
  }

  /** Turns the pending reads into events and sends everything unsent. */
  flush(): Promise<void> {
    return this.shipper.flush();
  }

  close(): Promise<void> {
    return this.shipper.close();
  }

  private drain(): AuditEvent[] {
    const events: AuditEvent[] = [];
    for (const { read, ids, more, count, firstAt } of this.pending.values()) {
      events.push({
        eventId: newId(),
        occurredAt: firstAt,
        service: 'gateway',
        actor: { sub: read.sub, roles: [...read.roles] },
        action: read.kind ?? 'read',
        entity: read.entity,
        entityId: ids.size === 1 ? [...ids][0]! : '*',
        before: null,
        after: {
          coordinates: read.coordinates,
          ids: [...ids],
          ...(more ? { moreIds: more } : {}),
          requests: count,
          operationHash: read.operationHash ?? null,
          operationName: read.operationName,
        },
        changedFields: [],
        reason:
          read.kind !== 'denied'
            ? null
            : read.dryRun
              ? 'FORBIDDEN_FIELD (dry-run): would have been removed, let through'
              : 'FORBIDDEN_FIELD: removed by the field policy before planning',
        correlationId: read.correlationId,
        policyVersion: String(read.policyVersion),
      });
    }
    this.pending = new Map();
    return events;
  }
}
