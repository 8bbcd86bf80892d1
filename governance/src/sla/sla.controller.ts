import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ContextExceptionFilter } from '../common/context-exception';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { SlaSampleService } from './sla-sample.service';

/** The gateways' SLA samples (every few seconds from every gateway: kept to validation and one upsert). */
@Controller('sla')
@UseFilters(ContextExceptionFilter)
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
