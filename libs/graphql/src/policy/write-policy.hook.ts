import { ConcordError, currentContext, ErrorCode } from '@concord/common';
import type { PolicyCaller, PolicyEngine, SystemOfRecord } from '@concord/policy';
import type { WriteHook, WriteIntent } from '../write-point';

/** Where a subgraph gets the policy engine of the current bundle (undefined while none was ever loaded). */
export interface SubgraphPolicy {
  engine(): PolicyEngine | undefined;
}

export const SUBGRAPH_POLICY = Symbol('SUBGRAPH_POLICY');

/**
 * The write half of the policy enforcement point (ARCHITECTURE.md §6 a–b), first among the write hooks: inside the
 * write's transaction and before the row is written it refuses (a) a field whose system of record is another system
 * (OWNERSHIP_VIOLATION) and (b) an action or field the caller's CASL rules do not grant (FORBIDDEN). Either way
 * nothing is written; the write point then records the denied attempt.
 */
export class WritePolicyHook implements WriteHook {
  constructor(
    private readonly service: SystemOfRecord,
    private readonly policy: SubgraphPolicy,
  ) {}

  async beforeWrite(intent: WriteIntent): Promise<void> {
    const engine = this.policy.engine();
    if (!engine) {
      throw new ConcordError(ErrorCode.SERVICE_UNAVAILABLE, 'No policy bundle is loaded yet: writes are refused until one is');
    }
    if (engine.ownerOf(intent.entity) === undefined) {
      // not a governed entity (no ownership rule, no GraphQL type): internal bookkeeping such as invoice number
      // sequences, written only as part of a governed write that was checked itself
      return;
    }
    this.checkOwnership(engine, intent);
    this.checkAbility(engine, intent, currentContext()?.actor);
  }

  private checkOwnership(engine: PolicyEngine, intent: WriteIntent): void {
    const writable = (owner: SystemOfRecord | undefined) => owner === undefined || owner === this.service || owner === intent.onBehalfOf;
    const entityOwner = engine.ownerOf(intent.entity);
    if ((intent.action === 'create' || intent.action === 'delete') && !writable(entityOwner)) {
      throw ownershipViolation(intent, entityOwner!, []);
    }
    const foreign = intent.changedFields
      .map((field) => ({ field: fieldNameOf(engine, intent.entity, field), property: field }))
      .filter(({ field }) => !writable(engine.ownerOf(intent.entity, field)));
    if (foreign.length) {
      throw ownershipViolation(
        intent,
        engine.ownerOf(intent.entity, foreign[0]!.field)!,
        foreign.map(({ field }) => field),
      );
    }
  }

  private checkAbility(engine: PolicyEngine, intent: WriteIntent, caller: PolicyCaller | undefined): void {
    if (!caller) {
      throw new ConcordError(
        ErrorCode.FORBIDDEN,
        `${intent.action} of ${intent.entity} refused: the request carries no caller`,
        details(intent),
      );
    }
    const row = (intent.after ?? intent.before ?? {}) as Record<string, unknown>;
    const fields = intent.changedFields.map((field) => fieldNameOf(engine, intent.entity, field));
    const refused = engine.refusedWrite(caller, intent.action, intent.entity, row, fields);
    if (!refused.length) {
      return;
    }
    const what =
      refused[0] === '*'
        ? `${intent.action} of ${intent.entity}`
        : `changing ${refused.map((field) => `${intent.entity}.${field}`).join(', ')}`;
    throw new ConcordError(ErrorCode.FORBIDDEN, `${what} is not granted to roles ${caller.roles.join(', ') || '(none)'}`, {
      ...details(intent),
      ...(refused[0] === '*' ? {} : { fields: refused }),
    });
  }
}

function ownershipViolation(intent: WriteIntent, owner: SystemOfRecord, fields: string[]): ConcordError {
  const what = fields.length ? fields.map((field) => `${intent.entity}.${field}`).join(', ') : `${intent.entity} records`;
  return new ConcordError(ErrorCode.OWNERSHIP_VIOLATION, `${what}: the system of record is ${owner.toUpperCase()}; change it there`, {
    ...details(intent),
    owner,
    ...(fields.length ? { fields } : {}),
  });
}

function details(intent: WriteIntent): Record<string, unknown> {
  return { entity: intent.entity, id: intent.id, action: intent.action };
}

/**
 * Rules speak GraphQL field names; rows store money as `<field>Amount` + `currency`. A stored property maps to the
 * field the bundle classifies (`budgetAmount` → `budget`), else keeps its name.
 */
function fieldNameOf(engine: PolicyEngine, entity: string, property: string): string {
  if (property.endsWith('Amount') && !engine.isClassified(`${entity}.${property}`)) {
    const field = property.slice(0, -'Amount'.length);
    if (engine.isClassified(`${entity}.${field}`)) {
      return field;
    }
  }
  return property;
}
