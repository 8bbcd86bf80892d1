import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SYSTEMS, type SystemOfRecord } from '@concord/policy';
import { newlyRefused } from './ownership-impact';
import { OwnershipService } from './ownership.service';
import { PolicyBundleService } from './policy-bundle.service';
import { ownerUnder, withOwner } from './policy-changes';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

/** The longest window a preview reads, and the most sample rows it returns. */
export const IMPACT_MAX_DAYS = 366;
export const IMPACT_MAX_SAMPLES = 100;
const BATCH = 1_000;
const WRITE_ACTIONS = ['create', 'update', 'delete', 'transition'];

export interface ImpactSample {
  position: string;
  occurredAt: Date;
  service: string;
  action: string;
  entityId: string;
  actorSub: string | null;
  /** the fields the new rule refuses (`*`: the whole record) */
  refusedFields: string[];
  correlationId: string | null;
}

export interface OwnershipImpact {
  entity: string;
  field: string | null;
  ownerBefore: SystemOfRecord;
  ownerAfter: SystemOfRecord;
  days: number;
  from: Date;
  to: Date;
  /** every write of the window the new rule would have refused */
  refusedCount: number;
  /** how many writes of the entity the window holds (the denominator) */
  writesExamined: number;
  sampleLimit: number;
  /** the latest refused writes, at most sampleLimit */
  samples: ImpactSample[];
}

interface LedgerRow {
  position: string;
  occurred_at: Date;
  service: string;
  action: string;
  entity_id: string;
  actor: { sub: string } | null;
  changed_fields: string[];
  reason: string | null;
  correlation_id: string | null;
}

/**
 * Impact preview of an ownership change (issue 7): the ledger's writes of the last `days` days that the rule after
 * the change would have refused (and the rule in force let through), judged as the write point judges, latest first.
 */
@Injectable()
export class OwnershipImpactService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyBundleService,
    private readonly ownership: OwnershipService,
  ) {}

  async preview(request: {
    changeId?: string | null;
    entity?: string | null;
    field?: string | null;
    owner?: string | null;
    days: number;
    sampleLimit?: number | null;
  }): Promise<OwnershipImpact> {
    const days = request.days;
    const sampleLimit = request.sampleLimit ?? 20;
    if (!Number.isInteger(days) || days < 1 || days > IMPACT_MAX_DAYS) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `days must be a whole number from 1 to ${IMPACT_MAX_DAYS}`);
    }
    if (!Number.isInteger(sampleLimit) || sampleLimit < 0 || sampleLimit > IMPACT_MAX_SAMPLES) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `sampleLimit must be from 0 to ${IMPACT_MAX_SAMPLES}`);
    }
    const proposal = await this.proposalOf(request);
    const bundle = await this.policies.current();
    const rule = bundle.ownership[proposal.entity];
    if (!rule) {
      throw new PolicyException(PolicyExceptionCode.UNKNOWN_ENTITY, `no ownership rule for ${proposal.entity}`, {
        entity: proposal.entity,
      });
    }
    if (proposal.field !== null && !Object.hasOwn(bundle.classifications, `${proposal.entity}.${proposal.field}`)) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `${proposal.entity}.${proposal.field} is not a field of the schema`);
    }
    if (!SYSTEMS.includes(proposal.owner as SystemOfRecord)) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `owner must be one of ${SYSTEMS.join(', ')}`);
    }
    const ownerAfter = proposal.owner as SystemOfRecord;
    // a stored request is judged from the owner it was asked against (an applied one is in force already)
    const before = proposal.ownerBefore ? withOwner(rule, proposal.field, proposal.ownerBefore) : rule;
    const after = withOwner(rule, proposal.field, ownerAfter);
    const isField = (coordinate: string) => Object.hasOwn(bundle.classifications, coordinate);
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const fieldFilter = proposal.field === null ? null : [proposal.field, `${proposal.field}Amount`];
    let refusedCount = 0;
    let writesExamined = 0;
    const samples: ImpactSample[] = [];
    // newest first, in batches by position: a bounded amount in memory whatever the window holds
    for (let below: string | null = null; ;) {
      const rows: LedgerRow[] = await this.dataSource.query(
        `SELECT position, occurred_at, service, action, entity_id, actor, changed_fields, reason, correlation_id
           FROM governance.audit_event
          WHERE entity = $1 AND occurred_at >= $2 AND occurred_at <= $3 AND action = ANY($4::text[]) AND service = ANY($5::text[])
            AND ($6::bigint IS NULL OR position < $6::bigint)
          ORDER BY position DESC LIMIT ${BATCH}`,
        [proposal.entity, from, to, WRITE_ACTIONS, SYSTEMS, below],
      );
      for (const row of rows) {
        writesExamined++;
        if (
          fieldFilter &&
          row.action !== 'create' &&
          row.action !== 'delete' &&
          !row.changed_fields.some((name) => fieldFilter.includes(name))
        ) {
          continue;
        }
        const write = { service: row.service, action: row.action, changedFields: row.changed_fields, reason: row.reason };
        const refused = newlyRefused(before, after, proposal.entity, write, isField);
        if (refused.length === 0) {
          continue;
        }
        refusedCount++;
        if (samples.length < sampleLimit) {
          samples.push({
            position: row.position,
            occurredAt: row.occurred_at,
            service: row.service,
            action: row.action,
            entityId: row.entity_id,
            actorSub: row.actor?.sub ?? null,
            refusedFields: refused,
            correlationId: row.correlation_id,
          });
        }
      }
      if (rows.length < BATCH) {
        break;
      }
      below = rows[rows.length - 1].position;
    }
    return {
      entity: proposal.entity,
      field: proposal.field,
      ownerBefore: ownerUnder(before, proposal.field),
      ownerAfter,
      days,
      from,
      to,
      refusedCount,
      writesExamined,
      sampleLimit,
      samples,
    };
  }

  /** The proposal: a stored change request's, or the one given (entity, optional field, owner). */
  private async proposalOf(request: {
    changeId?: string | null;
    entity?: string | null;
    field?: string | null;
    owner?: string | null;
  }): Promise<{ entity: string; field: string | null; owner: string; ownerBefore?: SystemOfRecord }> {
    if (request.changeId) {
      const change = await this.ownership.change(request.changeId);
      return { entity: change.entity, field: change.field, owner: change.ownerAfter, ownerBefore: change.ownerBefore };
    }
    if (!request.entity || !request.owner) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, 'give a changeId, or an entity and an owner (and optionally a field)');
    }
    return { entity: request.entity, field: request.field?.trim() || null, owner: request.owner };
  }
}
