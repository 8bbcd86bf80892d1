import { Body, Catch, Controller, HttpCode, Post, UseFilters, UseGuards, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { SlaException, httpErrorOf } from './sla.exception';
import { SlaSampleService } from './sla-sample.service';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** `{ error: { code, reason, message, problems } }` with the code's HTTP status. */
@Catch(SlaException)
class SlaExceptionFilter implements ExceptionFilter {
  catch(exception: SlaException, host: ArgumentsHost): void {
    const { status, errorCode } = httpErrorOf(exception.code);
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(status)
      .json({ error: { code: errorCode, reason: exception.code, message: exception.message, ...exception.details } });
  }
}

/** The gateways' SLA samples (every few seconds from every gateway: kept to validation and one upsert). */
@Controller('sla')
@UseFilters(SlaExceptionFilter)
@UseGuards(InternalTokenGuard)
export class SlaController {
  constructor(private readonly samples: SlaSampleService) {}

  /** `{ samples: SlaSample[] }` (at most 5,000): `{ accepted }`. */
  @Post('samples')
  @HttpCode(200)
  ingest(@Body() body: unknown): Promise<{ accepted: number }> {
    return this.samples.accept(body);
  }
}
