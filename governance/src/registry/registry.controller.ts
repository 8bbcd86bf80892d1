import {
  Body,
  Catch,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { RegistryException, httpErrorOf } from './registry.exception';
import {
  RegistryService,
  type PublishInput,
  type PublishResult,
  type SchemaInput,
  type SchemaVersionSummary,
  type Supergraph,
} from './registry.service';
import type { CoordinateUsage } from './client-usage';
import type { SchemaCheckReport } from './schema-check';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** `{ error: { code, reason, message, …details } }` with the code's HTTP status (a failed check carries its report). */
@Catch(RegistryException)
class RegistryExceptionFilter implements ExceptionFilter {
  catch(exception: RegistryException, host: ArgumentsHost): void {
    const { status, errorCode } = httpErrorOf(exception.code);
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(status)
      .json({ error: { code: errorCode, reason: exception.code, message: exception.message, ...exception.details } });
  }
}

/** The schema registry for subgraphs and CI (`schema:check`, `schema:publish`) and for gateways (the supergraph). */
@Controller('registry')
@UseFilters(RegistryExceptionFilter)
@UseGuards(InternalTokenGuard)
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Post('check')
  @HttpCode(200)
  check(@Body() body: SchemaInput): Promise<SchemaCheckReport> {
    return this.registry.check(body);
  }

  @Post('publish')
  @HttpCode(200)
  publish(@Body() body: PublishInput): Promise<PublishResult> {
    return this.registry.publish(body);
  }

  @Get('subgraphs/:name/versions')
  versions(@Param('name') name: string): Promise<SchemaVersionSummary[]> {
    return this.registry.versions(name);
  }

  /** The gateways' client usage reports (`{ reports: [...] }`, at most 5,000): `{ accepted }`. */
  @Post('usage')
  @HttpCode(200)
  reportUsage(@Body() body: unknown): Promise<{ accepted: number }> {
    return this.registry.reportUsage(body);
  }

  /** Who uses a coordinate: `?coordinate=Project.margin&days=7`. */
  @Get('usage')
  usage(@Query('coordinate') coordinate?: string, @Query('days') days?: string): Promise<CoordinateUsage> {
    return this.registry.whoUses(coordinate, days);
  }

  @Get('supergraph')
  supergraph(): Promise<Supergraph> {
    return this.registry.supergraph();
  }
}
