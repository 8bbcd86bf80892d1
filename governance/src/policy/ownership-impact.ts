import type { OwnershipRule, SystemOfRecord } from '@concord/policy';
import { ownerUnder } from './policy-changes';

/** The part of a ledger write event an ownership rule decides on. */
export interface LedgerWrite {
  service: string;
  action: string;
  changedFields: readonly string[];
  /** the outbox writes `on behalf of ERP` for a write that replicates another system's fact */
  reason: string | null;
}

const ON_BEHALF = /^on behalf of ([A-Za-z]+)/;

/**
 * The rule's field name of a stored property, as the write point maps it (`budgetAmount` → `budget` when only
 * `budget` is a classified field), so the preview judges a past write exactly as the write point would.
 */
export function fieldNameOf(entity: string, property: string, isField: (coordinate: string) => boolean): string {
  if (property.endsWith('Amount') && !isField(`${entity}.${property}`)) {
    const field = property.slice(0, -'Amount'.length);
    if (isField(`${entity}.${field}`)) {
      return field;
    }
  }
  return property;
}

/**
 * What `rule` refuses of a past write (the write policy hook's ownership check, replayed): `['*']` for a create or
 * delete by a system that does not own the entity, else the changed fields another system owns; empty when allowed.
 */
export function refusedByRule(rule: OwnershipRule, entity: string, write: LedgerWrite, isField: (coordinate: string) => boolean): string[] {
  const onBehalfOf = ON_BEHALF.exec(write.reason ?? '')?.[1]?.toLowerCase();
  const writable = (owner: SystemOfRecord) => owner === write.service || owner === onBehalfOf;
  if ((write.action === 'create' || write.action === 'delete') && !writable(rule.owner)) {
    return ['*'];
  }
  return write.changedFields
    .map((property) => fieldNameOf(entity, property, isField))
    .filter((field) => !writable(ownerUnder(rule, field)));
}

/**
 * The fields (or `*`) a write allowed under `before` would have been refused under `after`; empty when the change
 * of rule makes no difference to it.
 */
export function newlyRefused(
  before: OwnershipRule,
  after: OwnershipRule,
  entity: string,
  write: LedgerWrite,
  isField: (coordinate: string) => boolean,
): string[] {
  const already = new Set(refusedByRule(before, entity, write, isField));
  return refusedByRule(after, entity, write, isField).filter((field) => !already.has(field));
}
