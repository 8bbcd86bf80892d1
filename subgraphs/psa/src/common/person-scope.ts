import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { ConcordError, createLogger, currentContext, ErrorCode, type RequestContext } from '@concord/common';
import { SubgraphPolicyService } from '@concord/graphql';

/** PSA entities that belong to one person through their resource. */
export type PersonScopedType = 'Assignment' | 'TimeEntry' | 'Expense';

interface ResourceRow {
  resourceId: string;
}

const logger = createLogger('psa');

/**
 * The row half of the read policy for people's own records (ARCHITECTURE.md §5.3): a role with a row scope
 * `{ personId: "${caller.sub}" }` on assignments, time entries or expenses (the default `consultant`) sees only the
 * rows of the resources whose `personId` is the caller — in lists (a SQL condition, so pages stay full), by id and in
 * nested lists (filtered after loading) — and may write only those. Other callers are not touched. The caller's
 * resources are looked up once per request.
 */
@Injectable()
export class PersonScope {
  private readonly resourcesByRequest = new WeakMap<RequestContext, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly policy: SubgraphPolicyService,
    private readonly dataSource: DataSource,
  ) {}

  /** Adds the scope to a list query over `alias` (an entity with `resourceId`); no-op for unscoped callers. */
  restrict<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, type: PersonScopedType): SelectQueryBuilder<T> {
    const persons = this.personsFor(type);
    if (persons) {
      query.andWhere(
        `${alias}.resourceId IN (SELECT scope_resource.id FROM psa.resource scope_resource WHERE scope_resource.person_id = ANY(:scopePersons))`,
        {
          scopePersons: persons,
        },
      );
    }
    return query;
  }

  /** The rows the caller may see, in order. */
  async filter<T extends ResourceRow>(type: PersonScopedType, rows: T[]): Promise<T[]> {
    if (!rows.length || !this.personsFor(type)) {
      return rows;
    }
    const own = await this.resourcesOfCaller(type);
    return rows.filter((row) => own.has(row.resourceId));
  }

  /** One row, or null when it is out of the caller's scope (as if it did not exist). */
  async visible<T extends ResourceRow>(type: PersonScopedType, row: T | null): Promise<T | null> {
    return row ? ((await this.filter(type, [row]))[0] ?? null) : null;
  }

  /** Refuses a write on a resource outside the caller's scope (a consultant logging time for someone else). */
  async assertWritable(type: PersonScopedType, resourceId: string): Promise<void> {
    if (!this.personsFor(type)) {
      return;
    }
    if (!(await this.resourcesOfCaller(type)).has(resourceId)) {
      throw new ConcordError(ErrorCode.FORBIDDEN, `you may only write your own ${type} records`, { entity: type, resourceId });
    }
  }

  /** Like assertWritable for an existing row, read in the write's transaction; no read for unscoped callers. */
  async assertWritableRow(type: PersonScopedType, manager: EntityManager, target: EntityTarget<ResourceRow>, id: string): Promise<void> {
    if (!this.personsFor(type)) {
      return;
    }
    const row = await manager.findOne(target, { where: { id } as never, select: { resourceId: true } as never });
    if (row) {
      await this.assertWritable(type, row.resourceId);
    }
  }

  /** undefined = every row; otherwise the person ids whose rows the caller sees (empty: none). */
  private personsFor(type: PersonScopedType): string[] | undefined {
    const engine = this.policy.engine();
    const caller = currentContext()?.actor;
    if (!engine || !caller) {
      return [];
    }
    const scopes = engine.rowScopes(caller, type);
    if (!scopes) {
      return undefined;
    }
    const persons: string[] = [];
    for (const scope of scopes) {
      const keys = Object.keys(scope);
      if (keys.length === 1 && keys[0] === 'personId' && typeof scope.personId === 'string') {
        persons.push(scope.personId);
      } else {
        // fail closed: a scope this subgraph cannot apply grants no rows
        logger.warn({ type, scope }, 'row scope not supported by PSA (only { personId }): it grants no rows');
      }
    }
    return persons;
  }

  private resourcesOfCaller(type: PersonScopedType): Promise<ReadonlySet<string>> {
    const context = currentContext();
    const persons = this.personsFor(type) ?? [];
    const load = async () => {
      const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM psa.resource WHERE person_id = ANY($1)', [persons]);
      return new Set(rows.map((row) => row.id));
    };
    if (!context) {
      return load();
    }
    let resources = this.resourcesByRequest.get(context);
    if (!resources) {
      resources = load();
      this.resourcesByRequest.set(context, resources);
    }
    return resources;
  }
}
