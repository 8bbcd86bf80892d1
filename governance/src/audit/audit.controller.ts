import type { ServerResponse } from 'node:http';
import { InternalTokenGuard } from '../common/internal-token.guard';
import {
  Body,
  Catch,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { AuditIngestResponse } from '@concord/common';
import { AuditException, AuditExceptionCode, httpErrorOf } from './audit.exception';
import { parseIngestRequest } from './audit-event.validation';
import { AuditExportService } from './audit-export.service';
import { AuditorJwtGuard, auditCallerOf, type AuditCaller } from './auditor-jwt.guard';
import { AuditLedgerService, type AuditCheckpoint } from './audit-ledger.service';
import type { VerifyResult } from './audit-verifier';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** `{ error: { code, message, problems } }` with the code's HTTP status. */
@Catch(AuditException)
class AuditExceptionFilter implements ExceptionFilter {
  catch(exception: AuditException, host: ArgumentsHost): void {
    const { status, errorCode } = httpErrorOf(exception.code);
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (exception.code === AuditExceptionCode.UNAUTHENTICATED) {
      response.setHeader('www-authenticate', 'Bearer realm="concord"');
    }
    response.status(status).json({ error: { code: errorCode, message: exception.message, problems: exception.problems } });
  }
}

/**
 * The ledger's HTTP API: append (idempotent), read checkpoints and the public key, verify, and auditors' exports.
 * Nothing alters it.
 */
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class AuditController {
  constructor(
    private readonly ledger: AuditLedgerService,
    private readonly exporter: AuditExportService,
  ) {}

  @Post('events')
  @HttpCode(200)
  @UseGuards(InternalTokenGuard)
  ingest(@Body() body: unknown): Promise<AuditIngestResponse> {
    return this.ledger.ingest(parseIngestRequest(body));
  }

  @Get('checkpoints/latest')
  latestCheckpoint(): Promise<AuditCheckpoint> {
    return this.ledger.latestCheckpoint();
  }

  @Get('public-key')
  @Header('content-type', 'application/x-pem-file')
  publicKey(): string {
    return this.ledger.publicKeyPem;
  }

  @Get('verify')
  verify(): Promise<VerifyResult> {
    return this.ledger.verify();
  }

  /** `?format=ndjson|csv&order=ASC|DESC` and the AuditEventFilter fields; a caller JWT granting `read` on AuditEvent. */
  @Get('export')
  @UseGuards(AuditorJwtGuard)
  export(
    @Query() query: Record<string, unknown>,
    @Req() request: { auditCaller?: AuditCaller },
    @Res() response: ServerResponse,
  ): Promise<void> {
    return this.exporter.stream(query, auditCallerOf(request), response);
  }
}
