import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Logger, SortDirection } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { EXPORT_CONTENT_TYPES, csvHeader, formatBatch, type AuditExportFormat } from './audit-export';
import { AuditQueryService } from './audit-query.service';
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

/**
 * GET /audit/export: the matching ledger entries streamed as NDJSON or CSV, one batch of rows read, formatted and
 * written at a time (with the socket's backpressure), so the ledger is never held in memory. The first batch is read
 * before anything is sent: a bad filter still gets its 400 rather than a cut-off 200.
 */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly audit: AuditQueryService,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async stream(query: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const { format, order, filter } = parseExportQuery(query);
    const batches = this.audit.batches(filter, order);
    let next = await batches.next();
    response.statusCode = 200;
    response.setHeader('content-type', EXPORT_CONTENT_TYPES[format]);
    response.setHeader('content-disposition', `attachment; filename="audit-events.${format}"`);
    response.setHeader('cache-control', 'no-store');
    let exported = 0;
    try {
      if (format === 'csv') {
        response.write(csvHeader());
      }
      while (!next.done && !response.destroyed) {
        exported += next.value.length;
        if (!response.write(formatBatch(format, next.value))) {
          await writable(response);
        }
        next = await batches.next();
      }
      response.end();
    } catch (error) {
      // the status line is gone: cut the connection, so the client sees an incomplete transfer, not a short export
      this.logger.error({ err: error, exported }, 'audit export failed midway');
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await batches.return(undefined);
    }
  }
}
