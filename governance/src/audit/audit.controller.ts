import { Body, Catch, Controller, Get, Header, HttpCode, Post, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AuditIngestResponse } from '@concord/common';
import { AuditException, httpErrorOf } from './audit.exception';
import { parseIngestRequest } from './audit-event.validation';
import { AuditLedgerService, type AuditCheckpoint } from './audit-ledger.service';
import type { VerifyResult } from './audit-verifier';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** `{ error: { code, message, problems } }` with the code's HTTP status. */
@Catch(AuditException)
class AuditExceptionFilter implements ExceptionFilter {
  catch(exception: AuditException, host: ArgumentsHost): void {
    const { status, errorCode } = httpErrorOf(exception.code);
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(status)
      .json({ error: { code: errorCode, message: exception.message, problems: exception.problems } });
  }
}

/** The ledger's HTTP API: append (idempotent), read checkpoints and the public key, verify. Nothing alters it. */
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class AuditController {
  constructor(private readonly ledger: AuditLedgerService) {}

  @Post('events')
  @HttpCode(200)
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
}
