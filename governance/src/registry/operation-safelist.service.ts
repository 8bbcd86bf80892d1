import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Supergraph } from '@apollo/federation-internals';
import { GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import {
  MAX_CLIENT_IDENTIFIER_CHARS,
  operationId,
  safelistClientKey,
  type Logger,
  type OperationSafelist,
  type SafelistedClientVersion,
} from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { governanceAuditEvent } from '../policy/policy-audit';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import { REGISTRY_OPTIONS, type RegistryOptions } from './registry.options';
import { RegistryService } from './registry.service';

/** The most operations one `POST /registry/operations` may carry. */
export const MAX_OPERATIONS_PER_REGISTRATION = 1000;
const MAX_DOCUMENT_CHARS = 100_000;
const MAX_LABEL_CHARS = 256;
/** problems listed in a 400 before "… and N more" */
const MAX_PROBLEMS = 50;
/** operation ids a ledger event lists */
const MAX_AUDITED_IDS = 500;

export interface OperationInput {
  document: string;
  name?: string | null;
}

export interface RegisterOperationsInput {
  clientName: string;
  clientVersion: string;
  author: string;
  operations: OperationInput[];
}

export enum RegistrationStatus {
  /** stored by this registration */
  REGISTERED = 'REGISTERED',
  /** the client version had it already (or it came twice in this registration): nothing stored */
  UNCHANGED = 'UNCHANGED',
}

export interface RegisterOperationsResult {
  clientName: string;
  clientVersion: string;
  /** how many operations were new */
  registered: number;
  /** how many the client version had already */
  unchanged: number;
  /** sha256 of the supergraph the documents were validated against; null while nothing is published */
  validatedAgainst: string | null;
  /** one per operation given, in order */
  operations: { operationId: string; operationName: string | null; status: RegistrationStatus }[];
}

export interface RegisteredOperation {
  clientName: string;
  clientVersion: string;
  operationId: string;
  operationName: string | null;
  document: string;
  registeredBy: string;
  registeredAt: string;
}

/** `GET /registry/safelist`: the list and its entity tag. */
export interface SafelistDocument {
  etag: string;
  safelist: OperationSafelist;
}

interface ValidOperation {
  operationId: string;
  operationName: string | null;
  document: string;
}

function clientIdentifier(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The request, shaped (documents not parsed yet); INVALID_INPUT lists every problem. */
function requireRegistration(body: unknown): RegisterOperationsInput {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Partial<Record<keyof RegisterOperationsInput, unknown>>;
  const problems: string[] = [];
  const clientName = clientIdentifier(input.clientName);
  const clientVersion = clientIdentifier(input.clientVersion);
  const author = typeof input.author === 'string' ? input.author.trim() : '';
  if (!clientName || clientName.length > MAX_CLIENT_IDENTIFIER_CHARS) {
    problems.push(`clientName is the apollographql-client-name of the client (1 to ${MAX_CLIENT_IDENTIFIER_CHARS} characters)`);
  }
  if (!clientVersion || clientVersion.length > MAX_CLIENT_IDENTIFIER_CHARS) {
    problems.push(`clientVersion is the apollographql-client-version of the client (1 to ${MAX_CLIENT_IDENTIFIER_CHARS} characters)`);
  }
  if (!author || author.length > MAX_LABEL_CHARS) {
    problems.push(`author is who registers the operations (1 to ${MAX_LABEL_CHARS} characters)`);
  }
  const operations = input.operations;
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS_PER_REGISTRATION) {
    problems.push(`operations is an array of 1 to ${MAX_OPERATIONS_PER_REGISTRATION} { document, name? } objects`);
  } else {
    operations.forEach((operation: Partial<Record<keyof OperationInput, unknown>> | null, index) => {
      const at = `operations[${index}]`;
      if (typeof operation !== 'object' || operation === null) {
        problems.push(`${at} is an object { document, name? }`);
        return;
      }
      if (typeof operation.document !== 'string' || !operation.document.trim() || operation.document.length > MAX_DOCUMENT_CHARS) {
        problems.push(`${at}.document is a GraphQL document of 1 to ${MAX_DOCUMENT_CHARS} characters`);
      }
      if (
        operation.name !== undefined &&
        operation.name !== null &&
        (typeof operation.name !== 'string' || !operation.name.trim() || operation.name.length > MAX_LABEL_CHARS)
      ) {
        problems.push(`${at}.name is null or a label of 1 to ${MAX_LABEL_CHARS} characters`);
      }
    });
  }
  if (problems.length) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, listed(problems).join('; '), { problems: listed(problems) });
  }
  return { clientName, clientVersion, author, operations: operations as OperationInput[] };
}

function listed(problems: string[]): string[] {
  return problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more`] : problems;
}

function located(error: GraphQLError): string {
  const at = error.locations?.[0];
  return at ? `${error.message} (line ${at.line}, column ${at.column})` : error.message;
}

/** The names of the document's operations, for a label ("anonymous" ones left out); null when none has a name. */
function operationNamesOf(document: DocumentNode): string | null {
  const names = document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
  );
  return names.length ? names.join(', ').slice(0, MAX_LABEL_CHARS) : null;
}

/** Why a parsed document cannot be registered, without a schema: it must be executable and hold an operation. */
function shapeProblems(document: DocumentNode): string[] {
  const problems = document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION
      ? []
      : [`a ${definition.kind} is not an operation or fragment: register executable documents only`],
  );
  if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) {
    problems.push('the document holds no operation');
  }
  return problems;
}

/**
 * The operation safelist (issue 5, "Clients and usage"): client versions register the operation documents they
 * send (`POST /registry/operations`, audited), and gateways with `SAFELIST=on` follow `GET /registry/safelist` and
 * refuse every other operation. A document is identified by `operationId` (@concord/common): the sha256 of its
 * graphql-js print, so formatting and comments do not matter. Registration is all or nothing: one document that does
 * not parse, or does not validate against the current supergraph, and nothing is stored.
 */
@Injectable()
export class OperationSafelistService {
  private apiSchema: { key: string; sha256: string; schema: GraphQLSchema } | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly policies: PolicyBundleService,
    private readonly ledger: AuditLedgerService,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Registers the operations of one client version; those it has already are counted as unchanged. New ones and an
   * `operation.register` ledger event are stored in one transaction; a registration that adds nothing writes nothing.
   */
  async register(body: unknown): Promise<RegisterOperationsResult> {
    const input = requireRegistration(body);
    const supergraph = await this.currentApiSchema();
    const operations = this.validOperations(input.operations, supergraph?.schema);
    const unique = [...new Map(operations.map((operation) => [operation.operationId, operation])).values()];
    const bundle = await this.policies.current();
    const inserted = await this.dataSource.transaction(async (manager) => {
      const rows: { operation_id: string }[] = await manager.query(
        `INSERT INTO governance.registered_operation
           (client_name, client_version, operation_id, operation_name, document, registered_by, registered_at)
         SELECT $1, $2, operation.id, operation.name, operation.document, $3, $4
         FROM unnest($5::text[], $6::text[], $7::text[]) AS operation(id, name, document)
         ON CONFLICT (client_name, client_version, operation_id) DO NOTHING
         RETURNING operation_id`,
        [
          input.clientName,
          input.clientVersion,
          input.author,
          this.options.now(),
          unique.map((operation) => operation.operationId),
          unique.map((operation) => operation.operationName),
          unique.map((operation) => operation.document),
        ],
      );
      const ids = new Set(rows.map((row) => row.operation_id));
      if (ids.size) {
        const registered = unique.filter((operation) => ids.has(operation.operationId));
        await this.ledger.ingestWithin(manager, [
          governanceAuditEvent({
            action: 'operation.register',
            actor: { sub: input.author, roles: [] },
            entity: 'OperationSafelist',
            entityId: `${input.clientName}@${input.clientVersion}`,
            before: null,
            after: {
              registered: registered.length,
              operationIds: registered.slice(0, MAX_AUDITED_IDS).map((operation) => operation.operationId),
              operationNames: registered.slice(0, MAX_AUDITED_IDS).map((operation) => operation.operationName),
              validatedAgainst: supergraph?.sha256 ?? null,
            },
            changedFields: [],
            reason: `register ${registered.length} operation(s) for client ${input.clientName}@${input.clientVersion}`,
            policyVersion: bundle.version,
          }),
        ]);
      }
      return ids;
    });
    if (inserted.size) {
      this.logger.info(
        { clientName: input.clientName, clientVersion: input.clientVersion, registered: inserted.size, author: input.author },
        'registered client operations',
      );
    }
    const firstOccurrence = new Set<string>();
    const results = operations.map((operation) => {
      const isNew = inserted.has(operation.operationId) && !firstOccurrence.has(operation.operationId);
      firstOccurrence.add(operation.operationId);
      return {
        operationId: operation.operationId,
        operationName: operation.operationName,
        status: isNew ? RegistrationStatus.REGISTERED : RegistrationStatus.UNCHANGED,
      };
    });
    return {
      clientName: input.clientName,
      clientVersion: input.clientVersion,
      registered: inserted.size,
      unchanged: operations.length - inserted.size,
      validatedAgainst: supergraph?.sha256 ?? null,
      operations: results,
    };
  }

  /** The registered operations, documents included, of one client (and version), or of everyone. */
  async list(clientName?: unknown, clientVersion?: unknown): Promise<RegisteredOperation[]> {
    const name = clientIdentifier(clientName);
    const version = clientIdentifier(clientVersion);
    if (version && !name) {
      throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, 'clientVersion needs clientName', {
        problems: ['clientVersion needs clientName'],
      });
    }
    const rows: {
      client_name: string;
      client_version: string;
      operation_id: string;
      operation_name: string | null;
      document: string;
      registered_by: string;
      registered_at: Date;
    }[] = await this.dataSource.query(
      `SELECT client_name, client_version, operation_id, operation_name, document, registered_by, registered_at
       FROM governance.registered_operation
       WHERE ($1::text IS NULL OR client_name = $1) AND ($2::text IS NULL OR client_version = $2)
       ORDER BY client_name, client_version, registered_at, operation_id`,
      [name || null, version || null],
    );
    return rows.map((row) => ({
      clientName: row.client_name,
      clientVersion: row.client_version,
      operationId: row.operation_id,
      operationName: row.operation_name,
      document: row.document,
      registeredBy: row.registered_by,
      registeredAt: row.registered_at.toISOString(),
    }));
  }

  /**
   * The entity tag of the safelist as it stands: a fingerprint of the set of (client name, version, operation id), so
   * it moves with any insert or delete. Cheap next to the list itself: what a gateway's poll costs when nothing changed.
   */
  async safelistTag(): Promise<string> {
    return this.fingerprint(this.dataSource.manager);
  }

  /** Every client version's operation ids, with their entity tag (read in one snapshot). */
  async safelist(): Promise<SafelistDocument> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const rows: { client_name: string; client_version: string; operation_id: string }[] = await manager.query(
        `SELECT client_name, client_version, operation_id FROM governance.registered_operation
         ORDER BY client_name, client_version, operation_id`,
      );
      const clients = new Map<string, SafelistedClientVersion>();
      for (const row of rows) {
        const key = safelistClientKey(row.client_name, row.client_version);
        const client = clients.get(key) ?? { clientName: row.client_name, clientVersion: row.client_version, operationIds: [] };
        client.operationIds.push(row.operation_id);
        clients.set(key, client);
      }
      return { etag: await this.fingerprint(manager), safelist: { clients: [...clients.values()] } };
    });
  }

  private async fingerprint(manager: DataSource['manager']): Promise<string> {
    const [{ count, sum }]: { count: string; sum: string | null }[] = await manager.query(
      `SELECT count(*)::text AS count,
              sum(hashtextextended(client_name || chr(31) || client_version || chr(31) || operation_id, 0))::text AS sum
       FROM governance.registered_operation`,
    );
    return `"${createHash('sha256')
      .update(`${count}:${sum ?? 0}`)
      .digest('hex')
      .slice(0, 32)}"`;
  }

  /** Every operation parsed, shaped and (with a supergraph) validated; INVALID_OPERATIONS lists every problem. */
  private validOperations(operations: OperationInput[], schema: GraphQLSchema | undefined): ValidOperation[] {
    const problems: string[] = [];
    const valid = operations.map((operation, index): ValidOperation | undefined => {
      const label = operation.name?.trim() ? `operations[${index}] (${operation.name.trim()})` : `operations[${index}]`;
      let document: DocumentNode;
      try {
        document = parse(operation.document);
      } catch (error) {
        problems.push(`${label}: ${error instanceof GraphQLError ? located(error) : String(error)}`);
        return undefined;
      }
      const errors = schema ? validate(schema, document, undefined, { maxErrors: 10 }).map(located) : [];
      const found = [...shapeProblems(document), ...errors];
      if (found.length) {
        problems.push(...found.map((problem) => `${label}: ${problem}`));
        return undefined;
      }
      return {
        operationId: operationId(document),
        operationName: operation.name?.trim() || operationNamesOf(document),
        document: operation.document,
      };
    });
    if (problems.length) {
      const shown = listed(problems);
      throw new RegistryException(
        RegistryExceptionCode.INVALID_OPERATIONS,
        `${problems.length} problem(s) in the operations, nothing was registered:\n  ${shown.join('\n  ')}`,
        { problems: shown },
      );
    }
    return valid as ValidOperation[];
  }

  /**
   * The client-facing schema of the latest published supergraph, recomposed only when a subgraph published since;
   * undefined while nothing is published (documents are then only parsed).
   */
  private async currentApiSchema(): Promise<{ sha256: string; schema: GraphQLSchema } | undefined> {
    const latest: { subgraph: string; sha256: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (subgraph) subgraph, sha256 FROM governance.schema_version
       WHERE status = 'PUBLISHED' ORDER BY subgraph, version DESC`,
    );
    if (latest.length === 0) {
      return undefined;
    }
    const key = JSON.stringify(latest);
    if (this.apiSchema?.key !== key) {
      const supergraph = await this.registry.supergraph();
      this.apiSchema = {
        key,
        sha256: supergraph.sha256,
        schema: Supergraph.build(supergraph.supergraphSdl).apiSchema().toGraphQLJSSchema(),
      };
    }
    return this.apiSchema;
  }
}
