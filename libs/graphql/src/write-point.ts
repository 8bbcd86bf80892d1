import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import {
  BadInputError,
  ConflictError,
  ConcordError,
  createLogger,
  ErrorCode,
  NotFoundError,
  newId,
  type StateMachine,
} from '@concord/common';

export type WriteAction = 'create' | 'update' | 'delete' | 'transition';

/** What one write is about to do; hooks see it inside the transaction, before the row is written. */
export interface WriteIntent<T extends ObjectLiteral = ObjectLiteral> {
  action: WriteAction;
  /** the GraphQL type name (`Client`): what policies and the audit ledger speak of */
  entity: string;
  /** the TypeORM entity name (`ClientEntity`), for metadata look-ups */
  target: string;
  id: string;
  before: T | null;
  after: T | null;
  changedFields: string[];
  transition?: { from: string; to: string };
  /** the system whose fact this write replicates (see WriteOptions.onBehalfOf) */
  onBehalfOf?: string;
}

export interface WriteOptions {
  /**
   * The write copies a fact whose system of record is another system (e.g. PSA stamping the ERP invoice on time
   * entries when ERP posts the invoice): the ownership check then lets that system's fields through. Only workflow
   * mutations, themselves restricted by CASL, pass it; the audit event says so.
   */
  onBehalfOf?: string;
}

/**
 * The enforcement point of every write (ARCHITECTURE.md §6): ownership and CASL checks throw from
 * `beforeWrite`, the audit outbox row is written in `afterWrite`, both in the write's own transaction.
 */
export interface WriteHook {
  beforeWrite?(intent: WriteIntent, manager: EntityManager): Promise<void>;
  afterWrite?(intent: WriteIntent, manager: EntityManager): Promise<void>;
  /** a write refused by policy (FORBIDDEN, OWNERSHIP_VIOLATION), after its transaction rolled back, in a new one */
  afterDenied?(intent: WriteIntent, error: ConcordError, manager: EntityManager): Promise<void>;
  /** once a unit of work's transaction committed (its writes, or a denied attempt's record), outside it */
  afterCommit?(): void;
}

/** Codes of writes refused by policy: recorded as denied attempts. */
export const DENIED_WRITE_CODES: ReadonlySet<string> = new Set([ErrorCode.FORBIDDEN, ErrorCode.OWNERSHIP_VIOLATION]);

export const WRITE_HOOKS = Symbol('WRITE_HOOKS');

type WithId = ObjectLiteral & { id: string };

/** The write API handed to a unit of work: every method runs the hooks in the same transaction. */
export class WriteTransaction {
  /** the write a hook refused, if any (the write point records it once the transaction rolled back) */
  denied: { intent: WriteIntent; error: ConcordError } | undefined;

  constructor(
    readonly manager: EntityManager,
    private readonly hooks: readonly WriteHook[],
    private readonly options: WriteOptions = {},
  ) {}

  async create<T extends WithId>(target: EntityTarget<T>, values: DeepPartial<T>): Promise<T> {
    const repository = this.manager.getRepository(target);
    const row = repository.create({ ...values, id: (values as Partial<T>).id ?? newId() } as DeepPartial<T>);
    const intent: WriteIntent<T> = {
      action: 'create',
      ...names(repository.metadata.name),
      id: row.id,
      before: null,
      after: row,
      changedFields: Object.keys(values as object),
    };
    return this.write(intent, () => repository.save(row));
  }

  /** Locks the row, applies the patch, and writes only if something changed. */
  async update<T extends WithId>(target: EntityTarget<T>, id: string, patch: Partial<T>): Promise<T> {
    const { repository, before } = await this.lock(target, id);
    const after = repository.merge(repository.create({ ...before } as DeepPartial<T>), patch as DeepPartial<T>);
    const changedFields = changed(before, after, Object.keys(patch));
    if (changedFields.length === 0) {
      return before;
    }
    return this.write({ action: 'update', ...names(repository.metadata.name), id, before, after, changedFields }, () =>
      repository.save(after),
    );
  }

  /**
   * Moves `row.status` along a state machine edge, applying the side fields the transition sets
   * (e.g. probability 100 on CLOSED_WON). An invalid edge throws INVALID_TRANSITION and writes nothing.
   */
  async transition<T extends WithId & { status: string }>(
    target: EntityTarget<T>,
    id: string,
    machine: StateMachine<string>,
    to: string,
    apply: (row: T) => Partial<T> | void = () => undefined,
  ): Promise<T> {
    const { repository, before } = await this.lock(target, id);
    machine.assertTransition(before.status, to);
    const after = repository.create({ ...before, status: to } as DeepPartial<T>);
    Object.assign(after, apply(after) ?? {});
    const changedFields = changed(before, after, Object.keys(after));
    const intent: WriteIntent<T> = {
      action: 'transition',
      ...names(repository.metadata.name),
      id,
      before,
      after,
      changedFields,
      transition: { from: before.status, to },
    };
    return this.write(intent, () => repository.save(after));
  }

  async delete<T extends WithId>(target: EntityTarget<T>, id: string): Promise<void> {
    const { repository, before } = await this.lock(target, id);
    await this.write({ action: 'delete', ...names(repository.metadata.name), id, before, after: null, changedFields: [] }, async () => {
      await repository.delete(id);
      return before;
    });
  }

  private async lock<T extends WithId>(target: EntityTarget<T>, id: string) {
    const repository = this.manager.getRepository(target);
    const before = await repository.createQueryBuilder('row').setLock('pessimistic_write').where('row.id = :id', { id }).getOne();
    if (!before) {
      throw new NotFoundError(repository.metadata.name, id);
    }
    return { repository, before };
  }

  private async write<T extends WithId>(intent: WriteIntent<T>, persist: () => Promise<T>): Promise<T> {
    if (this.options.onBehalfOf) {
      intent.onBehalfOf = this.options.onBehalfOf;
    }
    try {
      for (const hook of this.hooks) {
        await hook.beforeWrite?.(intent, this.manager);
      }
    } catch (error) {
      if (error instanceof ConcordError && DENIED_WRITE_CODES.has(error.code)) {
        this.denied = { intent, error };
      }
      throw error;
    }
    const saved = await persist();
    for (const hook of this.hooks) {
      await hook.afterWrite?.({ ...intent, after: intent.after ? saved : null }, this.manager);
    }
    return saved;
  }
}

/** `ClientEntity` → entity `Client` (its GraphQL type), target `ClientEntity`. */
function names(metadataName: string): { entity: string; target: string } {
  return { entity: metadataName.replace(/Entity$/, ''), target: metadataName };
}

function changed<T extends ObjectLiteral>(before: T, after: T, fields: string[]): string[] {
  return fields.filter((field) => !sameValue(before[field], after[field]));
}

function sameValue(left: unknown, right: unknown): boolean {
  if (left instanceof Date && right instanceof Date) {
    return left.getTime() === right.getTime();
  }
  if (left && right && typeof left === 'object' && typeof right === 'object') {
    return JSON.stringify(left) === JSON.stringify(right);
  }
  return left === right || (left === null && right === undefined) || (left === undefined && right === null);
}

/**
 * The single write point of a subgraph: all its mutations call `run`, which opens one transaction,
 * runs the governance hooks on every write and turns database constraint errors into coded errors.
 */
@Injectable()
export class WritePoint {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(WRITE_HOOKS) private readonly hooks: WriteHook[] = [],
  ) {}

  private readonly logger = createLogger('write-point');

  async run<R>(work: (transaction: WriteTransaction) => Promise<R>, options?: WriteOptions): Promise<R> {
    let transaction: WriteTransaction | undefined;
    try {
      const result = await this.dataSource.transaction((manager) =>
        work((transaction = new WriteTransaction(manager, this.hooks, options))),
      );
      this.committed();
      return result;
    } catch (error) {
      if (transaction?.denied) {
        await this.recordDenied(transaction.denied);
      }
      throw translateDatabaseError(error);
    }
  }

  private committed(): void {
    for (const hook of this.hooks) {
      hook.afterCommit?.();
    }
  }

  /** Denied attempts are audited too (ARCHITECTURE.md §6): in their own transaction, the write's having rolled back. */
  private async recordDenied({ intent, error }: NonNullable<WriteTransaction['denied']>): Promise<void> {
    const hooks = this.hooks.filter((hook) => hook.afterDenied);
    if (!hooks.length) {
      return;
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const hook of hooks) {
          await hook.afterDenied!(intent, error, manager);
        }
      });
      this.committed();
    } catch (recordError) {
      // the refusal is what the caller must see; a failed record is an operational problem, logged
      this.logger.error({ err: recordError, entity: intent.entity, id: intent.id }, 'could not record a denied write');
    }
  }
}

interface PostgresError {
  code?: string;
  constraint?: string;
  detail?: string;
  driverError?: PostgresError;
}

/** Constraint violations become coded, explainable errors; anything else is rethrown untouched. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof ConcordError) {
    return error;
  }
  const driver = (error as PostgresError)?.driverError ?? (error as PostgresError);
  const details = { constraint: driver?.constraint };
  switch (driver?.code) {
    case '23505':
      return new ConflictError(`a record with the same ${describe(driver.constraint)} already exists`, details);
    case '23503':
      return new BadInputError(`a referenced record does not exist (${driver.constraint ?? 'foreign key'})`, details);
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
      return new BadInputError(`the values break a rule of the data model (${driver.constraint ?? driver.code})`, details);
    case '40001':
    case '40P01':
      return new ConcordError(ErrorCode.CONFLICT, 'the record was changed concurrently; retry', details);
    default:
      return error;
  }
}

function describe(constraint: string | undefined): string {
  return constraint?.replace(/^(uq|ux)_[a-z]+_/, '').replace(/_/g, ' ') ?? 'key';
}
