import type { FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { assertFound, BadInputError, ConcordError, ConflictError, ErrorCode, StateMachine } from '@concord/common';
import type { WriteTransaction } from '@concord/graphql';

/**
 * Time entries and expenses share their approval flow and the billing workflow (DOMAIN.md §2): the same states,
 * the same rules for marking them invoiced and releasing them, the same immutability once INVOICED. This module
 * holds that logic once; each service passes the description of its record.
 */

/** DRAFT → SUBMITTED → APPROVED → INVOICED; SUBMITTED → REJECTED → DRAFT; CANCELLED from every status but INVOICED. */
export function approvalFlow<S extends string>(
  entity: string,
  {
    DRAFT,
    SUBMITTED,
    APPROVED,
    REJECTED,
    INVOICED,
    CANCELLED,
  }: Record<'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'INVOICED' | 'CANCELLED', S>,
): StateMachine<S> {
  return new StateMachine<S>(entity, {
    [DRAFT]: [SUBMITTED, CANCELLED],
    [SUBMITTED]: [APPROVED, REJECTED, CANCELLED],
    [APPROVED]: [INVOICED, CANCELLED],
    [REJECTED]: [DRAFT, CANCELLED],
    [INVOICED]: [APPROVED],
    [CANCELLED]: [],
  } as Record<S, S[]>);
}

/** The columns the billing workflow reads and writes. */
export interface BillableRecord extends ObjectLiteral {
  id: string;
  status: string;
  billable: boolean;
  currency: string;
  approvedAt: Date | null;
  invoiceId: string | null;
  invoiceLineId: string | null;
}

export interface BillableRecordKind<T extends BillableRecord> {
  target: new () => T;
  /** entity name in error details, e.g. `TimeEntry` */
  entity: string;
  states: StateMachine<string>;
  /** in messages: `time entry` / `time entries` */
  singular: string;
  plural: string;
  /** the billing workflow's mutations, named when another path tries the INVOICED edges */
  markMutation: string;
  unmarkMutation: string;
}

const INVOICED = 'INVOICED';
const APPROVED = 'APPROVED';
const CANCELLED = 'CANCELLED';

/**
 * Moves a record along its approval flow. INVOICED is entered and left only by the billing workflow, so those
 * edges are INVALID_TRANSITION here; APPROVED stamps approvedAt.
 */
export async function transitionRecord<T extends BillableRecord>(
  tx: WriteTransaction,
  kind: BillableRecordKind<T>,
  id: string,
  to: string,
): Promise<T> {
  const record = await tx.manager.findOneBy(kind.target, { id } as FindOptionsWhere<T>);
  assertFound(record, kind.entity, id);
  if (to === INVOICED || record.status === INVOICED) {
    throw new ConcordError(
      ErrorCode.INVALID_TRANSITION,
      `${kind.entity} cannot go from ${record.status} to ${to} here: invoicing is done by ${kind.markMutation} / ${kind.unmarkMutation}`,
      {
        entity: kind.entity,
        from: record.status,
        to,
      },
    );
  }
  return tx.transition(kind.target, id, kind.states, to, () => (to === APPROVED ? ({ approvedAt: new Date() } as Partial<T>) : undefined));
}

/**
 * Billing workflow (invoice POST): APPROVED, billable records in one currency become INVOICED on the invoice, all
 * or nothing. Records already INVOICED on the same invoice line are left as they are, so a retried call is harmless.
 */
export async function markRecordsInvoiced<T extends BillableRecord>(
  tx: WriteTransaction,
  kind: BillableRecordKind<T>,
  ids: string[],
  invoiceId: string,
  invoiceLineId: string | null | undefined,
): Promise<T[]> {
  const lineId = invoiceLineId ?? null;
  const records = await lockRecords(tx, kind, 'row.id = ANY(:ids)', { ids });
  const missing = ids.filter((id) => !records.some((record) => record.id === id));
  if (missing.length) {
    throw new ConcordError(ErrorCode.NOT_FOUND, `${kind.plural} not found: ${missing.join(', ')}`, { entity: kind.entity, ids: missing });
  }
  const done = (record: T) => record.status === INVOICED && record.invoiceId === invoiceId && record.invoiceLineId === lineId;
  const elsewhere = records.filter((record) => record.status === INVOICED && !done(record));
  if (elsewhere.length) {
    throw new ConflictError(`${kind.plural} already invoiced elsewhere: ${elsewhere.map((record) => record.id).join(', ')}`, {
      ids: elsewhere.map((record) => record.id),
    });
  }
  const notApproved = records.filter((record) => record.status !== APPROVED && !done(record));
  if (notApproved.length) {
    throw new ConcordError(
      ErrorCode.INVALID_TRANSITION,
      `only APPROVED ${kind.plural} can be invoiced: ${notApproved.map((record) => `${record.id} is ${record.status}`).join(', ')}`,
      {
        entity: kind.entity,
        to: INVOICED,
        ids: notApproved.map((record) => record.id),
      },
    );
  }
  const nonBillable = records.filter((record) => !record.billable);
  if (nonBillable.length) {
    throw new BadInputError(`non-billable ${kind.plural} cannot be invoiced: ${nonBillable.map((record) => record.id).join(', ')}`, {
      ids: nonBillable.map((record) => record.id),
    });
  }
  const currencies = [...new Set(records.map((record) => record.currency))];
  if (currencies.length > 1) {
    throw new BadInputError(`one invoice bills one currency; the ${kind.plural} are in ${currencies.join(', ')}`, { currencies });
  }
  const invoiced = new Map<string, T>();
  for (const record of records) {
    invoiced.set(
      record.id,
      done(record)
        ? record
        : await tx.transition(kind.target, record.id, kind.states, INVOICED, () => ({ invoiceId, invoiceLineId: lineId }) as Partial<T>),
    );
  }
  return ids.map((id) => invoiced.get(id) as T);
}

/** Billing workflow (invoice CANCEL): every record of the invoice goes back to APPROVED, unlinked; none is an empty list. */
export async function unmarkRecordsInvoiced<T extends BillableRecord>(
  tx: WriteTransaction,
  kind: BillableRecordKind<T>,
  invoiceId: string,
): Promise<T[]> {
  const records = await lockRecords(tx, kind, 'row.invoiceId = :invoiceId AND row.status = :invoiced', { invoiceId, invoiced: INVOICED });
  const released: T[] = [];
  for (const record of records) {
    released.push(
      await tx.transition(kind.target, record.id, kind.states, APPROVED, () => ({ invoiceId: null, invoiceLineId: null }) as Partial<T>),
    );
  }
  return released;
}

/** Locks a record that is about to change: refused (CONFLICT) once INVOICED — until its invoice is cancelled — or CANCELLED. */
export async function lockMutableRecord<T extends BillableRecord>(
  tx: WriteTransaction,
  kind: BillableRecordKind<T>,
  id: string,
): Promise<T> {
  const [record] = await lockRecords(tx, kind, 'row.id = :id', { id });
  assertFound(record, kind.entity, id);
  if (record.status === INVOICED) {
    throw new ConflictError(
      `${kind.singular} ${id} is INVOICED on invoice ${record.invoiceId} and cannot change until the invoice is cancelled`,
      {
        id,
        status: record.status,
        invoiceId: record.invoiceId,
      },
    );
  }
  if (record.status === CANCELLED) {
    throw new ConflictError(`${kind.singular} ${id} is CANCELLED and cannot change`, { id, status: record.status });
  }
  return record;
}

/** Locks rows in id order, so two billing calls over overlapping records cannot deadlock. */
function lockRecords<T extends BillableRecord>(
  tx: WriteTransaction,
  kind: BillableRecordKind<T>,
  where: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  return tx.manager
    .getRepository(kind.target)
    .createQueryBuilder('row')
    .setLock('pessimistic_write')
    .where(where, parameters)
    .orderBy('row.id', 'ASC')
    .getMany();
}

export interface InvoicingFilter {
  billable?: boolean | null;
  invoiced?: boolean | null;
  invoiceId?: string | null;
}

/** The invoicing filters of a record list: billable, invoiced (on an invoice or not) and a given invoice. */
export function filterByInvoicing<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, filter: InvoicingFilter): void {
  if (filter.billable !== null && filter.billable !== undefined) {
    query.andWhere(`${alias}.billable = :billable`, { billable: filter.billable });
  }
  if (filter.invoiced !== null && filter.invoiced !== undefined) {
    query.andWhere(filter.invoiced ? `${alias}.invoiceId IS NOT NULL` : `${alias}.invoiceId IS NULL`);
  }
  if (filter.invoiceId) {
    query.andWhere(`${alias}.invoiceId = :invoiceId`, { invoiceId: filter.invoiceId });
  }
}
