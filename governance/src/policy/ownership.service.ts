import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid, newId, type AuditActor } from '@concord/common';
import { SYSTEMS, type PolicyBundle, type SystemOfRecord } from '@concord/policy';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { OwnershipChangeStatus } from './ownership-change.entity';
import { governanceAuditEvent } from './policy-audit';
import { PolicyBundleService, requireActor, requireReason } from './policy-bundle.service';
import { ownerUnder, withOwner } from './policy-changes';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

export interface OwnershipChangeRequest {
  /** GraphQL type name of the entity, e.g. `TimeEntry` */
  entity: string;
  /** one field of the entity; left out, the entity's owner changes */
  field?: string | null;
  /** the new system of record */
  owner: string;
  reason: string;
  actor: AuditActor;
  /** the requester's teams (the caller's `teams` claim) */
  teams?: readonly string[];
  /** a team of the requester's the change is asked for; its members may not approve it */
  onBehalfOfTeam?: string | null;
}

/** An ownership change request as stored. */
export interface OwnershipChange {
  id: string;
  entity: string;
  field: string | null;
  ownerBefore: SystemOfRecord;
  ownerAfter: SystemOfRecord;
  reason: string;
  requestedBy: string;
  requestedByTeams: string[];
  onBehalfOfTeam: string | null;
  requestedAt: string;
  status: OwnershipChangeStatus;
  approvedBy: string | null;
  rejectedBy: string | null;
  rejectionReason: string | null;
  decidedAt: string | null;
  bundleVersion: number | null;
}

interface OwnershipChangeRow {
  id: string;
  entity: string;
  field: string | null;
  owner_before: SystemOfRecord;
  owner_after: SystemOfRecord;
  reason: string;
  requested_by: string;
  requested_by_teams: string[];
  on_behalf_of_team: string | null;
  requested_at: Date;
  status: OwnershipChangeStatus;
  approved_by: string | null;
  rejected_by: string | null;
  rejection_reason: string | null;
  decided_at: Date | null;
  bundle_version: number | null;
}

const COLUMNS = `id, entity, field, owner_before, owner_after, reason, requested_by, requested_by_teams, on_behalf_of_team, requested_at, status, approved_by, rejected_by,
  rejection_reason, decided_at, bundle_version`;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function changeOf(row: OwnershipChangeRow): OwnershipChange {
  return {
    id: row.id,
    entity: row.entity,
    field: row.field,
    ownerBefore: row.owner_before,
    ownerAfter: row.owner_after,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedByTeams: row.requested_by_teams,
    onBehalfOfTeam: row.on_behalf_of_team,
    requestedAt: row.requested_at.toISOString(),
    status: row.status,
    approvedBy: row.approved_by,
    rejectedBy: row.rejected_by,
    rejectionReason: row.rejection_reason,
    decidedAt: row.decided_at?.toISOString() ?? null,
    bundleVersion: row.bundle_version,
  };
}

/**
 * Four-eyes (issue 7): why `approver` (with their teams) may not approve `change`, or null when they may. Refused:
 * the requester themself (`via: self`); a member of the team the change was asked on behalf of; a team identity
 * the requester belongs to (a shared `team` account approving its member's request); and a member of a team
 * identity that made the request. Two stewards who merely share a team are two people: that stays allowed.
 */
export function selfApproval(
  change: Pick<OwnershipChange, 'requestedBy' | 'requestedByTeams' | 'onBehalfOfTeam'>,
  approver: string,
  approverTeams: readonly string[],
): { via: 'self' | 'team'; team?: string; message: string } | null {
  if (change.requestedBy === approver) {
    return { via: 'self', message: 'a data steward may not approve their own ownership change' };
  }
  if (change.onBehalfOfTeam !== null && approverTeams.includes(change.onBehalfOfTeam)) {
    return {
      via: 'team',
      team: change.onBehalfOfTeam,
      message: `the change was asked on behalf of team ${change.onBehalfOfTeam}, which the approver belongs to: a steward outside it must approve`,
    };
  }
  if (change.requestedByTeams.includes(approver)) {
    return {
      via: 'team',
      team: approver,
      message: `${approver} is a team of the requester's: a team may not approve its own member's change`,
    };
  }
  if (approverTeams.includes(change.requestedBy)) {
    return {
      via: 'team',
      team: change.requestedBy,
      message: `the change was asked by team ${change.requestedBy}, which the approver belongs to`,
    };
  }
  return null;
}

/** `Entity` or `Entity.field`: the rule a change is about. */
function ruleName(change: Pick<OwnershipChange, 'entity' | 'field'>): string {
  return change.field ? `${change.entity}.${change.field}` : change.entity;
}

/**
 * Data stewards' changes to the systems of record (issue 4, "Data ownership"). A change to a rule that requires
 * approval waits (PENDING) for a second steward; any other is applied at once. Applying one publishes a new bundle
 * version and records an `ownership.change` ledger event in the same transaction; every service picks the
 * version up with its PolicyStore.
 */
@Injectable()
export class OwnershipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyBundleService,
    private readonly ledger: AuditLedgerService,
  ) {}

  async requestOwnershipChange(request: OwnershipChangeRequest): Promise<OwnershipChange> {
    const actor = requireActor(request.actor);
    const reason = requireReason(request.reason);
    const field = request.field?.trim() || null;
    if (!SYSTEMS.includes(request.owner as SystemOfRecord)) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `owner must be one of ${SYSTEMS.join(', ')}`, {
        owner: request.owner,
      });
    }
    if (!NAME.test(request.entity) || (field !== null && !NAME.test(field))) {
      throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, 'entity and field are GraphQL names');
    }
    const teams = [...new Set(request.teams ?? [])].sort();
    const onBehalfOfTeam = request.onBehalfOfTeam?.trim() || null;
    if (onBehalfOfTeam !== null && !teams.includes(onBehalfOfTeam)) {
      throw new PolicyException(PolicyExceptionCode.NOT_A_TEAM_MEMBER, `${actor.sub} is not a member of team ${onBehalfOfTeam}`, {
        team: onBehalfOfTeam,
      });
    }
    const owner = request.owner as SystemOfRecord;
    return this.policies.withWriter(async (manager, current) => {
      const rule = current.ownership[request.entity];
      if (!rule) {
        throw new PolicyException(PolicyExceptionCode.UNKNOWN_ENTITY, `no ownership rule for ${request.entity}`, {
          entity: request.entity,
        });
      }
      if (field !== null && !Object.hasOwn(current.classifications, `${request.entity}.${field}`)) {
        throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `${request.entity}.${field} is not a field of the schema`, {
          entity: request.entity,
          field,
        });
      }
      const ownerBefore = ownerUnder(rule, field);
      if (ownerBefore === owner) {
        throw new PolicyException(
          PolicyExceptionCode.NOTHING_CHANGES,
          `${ruleName({ entity: request.entity, field })} is owned by ${owner} already`,
        );
      }
      const [pending]: { id: string }[] = await manager.query(
        `SELECT id FROM governance.ownership_change WHERE status = 'PENDING' AND entity = $1 AND coalesce(field, '') = coalesce($2, '')`,
        [request.entity, field],
      );
      if (pending) {
        throw new PolicyException(
          PolicyExceptionCode.PENDING_EXISTS,
          `a change of ${ruleName({ entity: request.entity, field })} waits for approval`,
          {
            id: pending.id,
          },
        );
      }
      const id = newId();
      await manager.query(
        `INSERT INTO governance.ownership_change (id, entity, field, owner_before, owner_after, reason, requested_by, requested_by_teams,
           on_behalf_of_team)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, request.entity, field, ownerBefore, owner, reason, actor.sub, teams, onBehalfOfTeam],
      );
      const change = await this.load(manager, id);
      if (rule.approvalRequired) {
        return change;
      }
      return this.apply(manager, current, change, actor, null);
    });
  }

  /**
   * Applies a pending change as a second steward: refused (SELF_APPROVAL, FORBIDDEN) to the requester and to anyone
   * approving through a team (see `selfApproval`), and once decided (CONFLICT).
   */
  async approve(id: string, actor: AuditActor, approverTeams: readonly string[] = []): Promise<OwnershipChange> {
    const approver = requireActor(actor);
    return this.policies.withWriter(async (manager, current) => {
      const change = await this.pending(manager, id);
      const refusal = selfApproval(change, approver.sub, approverTeams);
      if (refusal) {
        throw new PolicyException(PolicyExceptionCode.SELF_APPROVAL, refusal.message, {
          id,
          via: refusal.via,
          ...(refusal.team ? { team: refusal.team } : {}),
        });
      }
      const rule = current.ownership[change.entity];
      if (!rule || ownerUnder(rule, change.field) !== change.ownerBefore) {
        throw new PolicyException(
          PolicyExceptionCode.STALE_CHANGE,
          `${ruleName(change)} is no longer owned by ${change.ownerBefore}: reject this request and ask again`,
          { id },
        );
      }
      return this.apply(manager, current, change, approver, approver.sub);
    });
  }

  /** Closes a pending change without applying it (the requester may withdraw their own). Reason required. */
  async reject(id: string, actor: AuditActor, reason: string): Promise<OwnershipChange> {
    const rejecter = requireActor(actor);
    const why = requireReason(reason);
    return this.dataSource.transaction(async (manager) => {
      await this.pending(manager, id);
      await manager.query(
        `UPDATE governance.ownership_change SET status = 'REJECTED', rejected_by = $2, rejection_reason = $3, decided_at = now() WHERE id = $1`,
        [id, rejecter.sub, why],
      );
      return this.load(manager, id);
    });
  }

  /** The requests, latest first; optionally only those in one status. */
  async changes(filter: { status?: OwnershipChangeStatus } = {}): Promise<OwnershipChange[]> {
    const rows: OwnershipChangeRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM governance.ownership_change WHERE ($1::text IS NULL OR status = $1) ORDER BY requested_at DESC, id DESC`,
      [filter.status ?? null],
    );
    return rows.map(changeOf);
  }

  async change(id: string): Promise<OwnershipChange> {
    return this.load(this.dataSource.manager, id);
  }

  /** Publishes the version that makes the change and marks it APPLIED, with its ledger event. */
  private async apply(
    manager: EntityManager,
    current: PolicyBundle,
    change: OwnershipChange,
    actor: AuditActor,
    approvedBy: string | null,
  ): Promise<OwnershipChange> {
    const rule = current.ownership[change.entity];
    const bundle: PolicyBundle = {
      ...current,
      version: current.version + 1,
      createdAt: new Date().toISOString(),
      ownership: { ...current.ownership, [change.entity]: withOwner(rule, change.field, change.ownerAfter) },
    };
    const name = ruleName(change);
    await this.policies.insertVersion(
      manager,
      bundle,
      actor.sub,
      `ownership of ${name}: ${change.ownerBefore} → ${change.ownerAfter}: ${change.reason}`,
    );
    await manager.query(
      `UPDATE governance.ownership_change SET status = 'APPLIED', approved_by = $2, decided_at = now(), bundle_version = $3 WHERE id = $1`,
      [change.id, approvedBy, bundle.version],
    );
    await this.ledger.ingestWithin(manager, [
      governanceAuditEvent({
        action: 'ownership.change',
        actor,
        entity: 'OwnershipRule',
        entityId: name,
        before: { owner: change.ownerBefore },
        after: { owner: change.ownerAfter, changeId: change.id, requestedBy: change.requestedBy, approvedBy },
        changedFields: [change.field ? `fields.${change.field}` : 'owner'],
        reason: change.reason,
        policyVersion: bundle.version,
      }),
    ]);
    return this.load(manager, change.id);
  }

  /** The change, locked for the decision; CHANGE_NOT_FOUND or NOT_PENDING otherwise. */
  private async pending(manager: EntityManager, id: string): Promise<OwnershipChange> {
    const change = await this.load(manager, id, true);
    if (change.status !== OwnershipChangeStatus.PENDING) {
      throw new PolicyException(PolicyExceptionCode.NOT_PENDING, `ownership change ${id} is ${change.status} already`, {
        id,
        status: change.status,
      });
    }
    return change;
  }

  private async load(manager: EntityManager, id: string, forUpdate = false): Promise<OwnershipChange> {
    const rows: OwnershipChangeRow[] = isUuid(id)
      ? await manager.query(`SELECT ${COLUMNS} FROM governance.ownership_change WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id])
      : [];
    if (!rows[0]) {
      throw new PolicyException(PolicyExceptionCode.CHANGE_NOT_FOUND, `ownership change ${id} does not exist`, { id });
    }
    return changeOf(rows[0]);
  }
}
