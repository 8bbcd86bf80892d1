import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { newId, type Logger, type SortDirection } from '@concord/common';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { governanceAuditEvent } from '../policy/policy-audit';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { EXPORT_CONTENT_TYPES, csvHeader, formatBatch, type AuditExportFormat } from './audit-export';
import {
  EXPORT_FILE_VERSION,
  EXPORT_HEADER_MARK,
  EXPORT_TRAILER_MARK,
  ExportDigest,
  exportStatement,
  type AuditExportHeader,
  type AuditExportTrailer,
} from './audit-export-file';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditQueryService } from './audit-query.service';
import type { AuditCaller } from './auditor-jwt.guard';
import { AuditEventFilter } from './dtos/audit-event.input';

export interface AuditExportRequest {
  format: AuditExportFormat;
  order: SortDirection;
  filter: AuditEventFilter;
}

const FORMATS: readonly AuditExportFormat[] = ['ndjson', 'csv'];
const ORDERS: readonly SortDirection[] = ['ASC', 'DESC'];

function problemsOf(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`));
}

/**
 * `?format=ndjson|csv&order=ASC|DESC&<AuditEventFilter fields>` checked like the GraphQL filter (same decorators):
 * an unknown parameter, a repeated one or a bad value is INVALID_QUERY naming each problem.
 */
export function parseExportQuery(query: Record<string, unknown>): AuditExportRequest {
  const { format = 'ndjson', order = 'DESC', ...rest } = query;
  const problems: string[] = [];
  if (!FORMATS.includes(format as AuditExportFormat)) {
    problems.push(`format: must be one of ${FORMATS.join(', ')}`);
  }
  if (!ORDERS.includes(order as SortDirection)) {
    problems.push(`order: must be one of ${ORDERS.join(', ')}`);
  }
  const filter = plainToInstance(AuditEventFilter, rest);
  problems.push(...problemsOf(validateSync(filter, { whitelist: true, forbidNonWhitelisted: true })));
  if (problems.length) {
    throw new AuditException(AuditExceptionCode.INVALID_QUERY, `invalid export query: ${problems[0]}`, problems);
  }
  return { format: format as AuditExportFormat, order: order as SortDirection, filter };
}

/** Resolves when the response can take more, or is gone (a client that hung up never drains). */
function writable(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

/** The filter as recorded and signed: only the conditions given. */
function givenConditions(filter: AuditEventFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

/**
 * GET /audit/export: the matching ledger entries streamed as NDJSON or CSV, one batch of rows read, formatted and
 * written at a time (with the socket's backpressure), so the ledger is never held in memory. The first batch is read
 * before anything is sent: a bad filter still gets its 400 rather than a cut-off 200. The export is bounded by the
 * ledger's head when it starts and is itself recorded in the ledger (`audit.export`: who, the filter, the format,
 * the head and the row count) before any row is sent. NDJSON carries a header and a signed trailer
 * (audit-export-file.ts) for `npm run audit:verify -- --file`; both formats carry the head in HTTP headers.
 */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly audit: AuditQueryService,
    private readonly ledger: AuditLedgerService,
    private readonly policies: PolicyBundleService,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async stream(query: Record<string, unknown>, caller: AuditCaller, response: ServerResponse): Promise<void> {
    const { format, order, filter } = parseExportQuery(query);
    const conditions = givenConditions(filter);
    const head = await this.audit.head();
    const rows = await this.audit.count(filter, head.position);
    const exportId = newId();
    const exportedAt = new Date().toISOString();
    const recordedAs = await this.record({ exportId, caller, format, order, filter: conditions, head, rows });
    const header: AuditExportHeader = {
      '@concord': EXPORT_HEADER_MARK,
      version: EXPORT_FILE_VERSION,
      exportId,
      exportedAt,
      exportedBy: { sub: caller.sub, roles: [...caller.roles] },
      format: 'ndjson',
      order,
      filter: conditions,
      head,
      rows,
      recordedAs,
    };
    const batches = this.audit.batches(filter, order, undefined, head.position);
    let next = await batches.next();
    response.statusCode = 200;
    response.setHeader('content-type', EXPORT_CONTENT_TYPES[format]);
    response.setHeader('content-disposition', `attachment; filename="audit-export-${exportId}.${format}"`);
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-audit-export-id', exportId);
    response.setHeader('x-audit-export-rows', String(rows));
    response.setHeader('x-audit-chain-head', `${head.position}:${head.hash}`);
    response.setHeader('access-control-expose-headers', 'x-audit-export-id, x-audit-export-rows, x-audit-chain-head, content-disposition');
    const digest = new ExportDigest();
    try {
      response.write(format === 'csv' ? csvHeader() : `${JSON.stringify(header)}\n`);
      while (!next.done && !response.destroyed) {
        next.value.forEach((event) => digest.add(event.hash));
        if (!response.write(formatBatch(format, next.value))) {
          await writable(response);
        }
        next = await batches.next();
      }
      if (format === 'ndjson' && !response.destroyed) {
        const sum = digest.hex();
        const { signature, keyId } = this.ledger.signStatement(exportStatement(header, digest.rows, sum));
        const trailer: AuditExportTrailer = { '@concord': EXPORT_TRAILER_MARK, rows: digest.rows, digest: sum, keyId, signature };
        response.write(`${JSON.stringify(trailer)}\n`);
      }
      response.end();
    } catch (error) {
      // the status line is gone: cut the connection, so the client sees an incomplete transfer, not a short export
      this.logger.error({ err: error, exported: digest.rows }, 'audit export failed midway');
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await batches.return(undefined);
    }
  }

  /** The export's own ledger entry, committed before any row leaves: an export nobody can see never happened. */
  private async record(facts: {
    exportId: string;
    caller: AuditCaller;
    format: AuditExportFormat;
    order: SortDirection;
    filter: Record<string, string>;
    head: { position: string; hash: string };
    rows: number;
  }): Promise<AuditExportHeader['recordedAs']> {
    const event = governanceAuditEvent({
      action: 'audit.export',
      actor: facts.caller,
      entity: 'AuditExport',
      entityId: facts.exportId,
      before: null,
      after: { format: facts.format, order: facts.order, filter: facts.filter, head: facts.head, rows: facts.rows },
      changedFields: [],
      reason: `export of ${facts.rows} ledger entries as ${facts.format}`,
      policyVersion: (await this.policies.latestVersion()) ?? 0,
    });
    await this.ledger.ingest([event]);
    const recorded = await this.audit.byEventId(event.eventId);
    return recorded ? { eventId: recorded.eventId, position: recorded.position, hash: recorded.hash } : null;
  }
}
