import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ContextExceptionFilter } from '../common/context-exception';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { etagMatches } from '../policy/policy.controller';
import { OperationSafelistService, type RegisterOperationsResult, type RegisteredOperation } from './operation-safelist.service';
import {
  RegistryService,
  type CheckInput,
  type PublishInput,
  type PublishResult,
  type RollbackInput,
  type SchemaVersionSummary,
} from './registry.service';
import type { Supergraph } from './supergraph-history';
import type { CoordinateUsage } from './client-usage';
import type { SchemaCheckReport } from './schema-check';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  end(): void;
}

function supergraphEtag(version: number): string {
  return `"sg-${version}"`;
}

/**
 * The schema registry for subgraphs and CI (`schema:check`, `schema:publish`, `operations:register`) and for gateways
 * (the supergraph, the operation safelist, client usage).
 */
@Controller('registry')
@UseFilters(ContextExceptionFilter)
@UseGuards(InternalTokenGuard)
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly safelist: OperationSafelistService,
  ) {}

  @Post('check')
  @HttpCode(200)
  check(@Body() body: CheckInput): Promise<SchemaCheckReport> {
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

  /**
   * The supergraph gateways serve, `ETag: "sg-<version>"` (304 when the caller has it: gateways poll this), or an
   * earlier one with `?version=`.
   */
  @Get('supergraph')
  async supergraph(
    @Query('version') version: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: HttpResponse,
  ): Promise<void> {
    if (version === undefined && ifNoneMatch) {
      const latest = await this.registry.latestSupergraphVersion();
      if (latest !== null && etagMatches(ifNoneMatch, supergraphEtag(latest))) {
        response.setHeader('etag', supergraphEtag(latest));
        response.status(304).end();
        return;
      }
    }
    const supergraph = await this.registry.supergraph(version);
    response.setHeader('etag', supergraphEtag(supergraph.version));
    response.setHeader('cache-control', version === undefined ? 'no-cache' : 'public, max-age=31536000, immutable');
    response.status(200).json(supergraph);
  }

  /** Supergraph versions, latest first, without their SDL (`?limit=`, default 100). */
  @Get('supergraphs')
  supergraphs(@Query('limit') limit?: string): Promise<Supergraph[]> {
    return this.registry.supergraphs(limit && /^\d+$/.test(limit) ? Number(limit) : undefined);
  }

  /** `{ to, author, reason }`: serves the subgraph versions of supergraph version `to` again, as a new version. */
  @Post('rollback')
  @HttpCode(200)
  rollback(@Body() body: RollbackInput): Promise<Supergraph> {
    return this.registry.rollback(body);
  }

  /** A client version's operations for the safelist: `{ clientName, clientVersion, author, operations: [{ document, name? }] }`. */
  @Post('operations')
  @HttpCode(200)
  registerOperations(@Body() body: unknown): Promise<RegisterOperationsResult> {
    return this.safelist.register(body);
  }

  /** The registered operations with their documents: `?clientName=web&clientVersion=2.1.0` (both optional). */
  @Get('operations')
  operations(@Query('clientName') clientName?: string, @Query('clientVersion') clientVersion?: string): Promise<RegisteredOperation[]> {
    return this.safelist.list(clientName, clientVersion);
  }

  /** Every client version's operation ids, for the gateways' SafelistStore: `ETag`, 304 on a matching `If-None-Match`. */
  @Get('safelist')
  async operationSafelist(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: HttpResponse): Promise<void> {
    response.setHeader('cache-control', 'no-cache');
    if (ifNoneMatch) {
      const etag = await this.safelist.safelistTag();
      if (etagMatches(ifNoneMatch, etag)) {
        response.setHeader('etag', etag);
        response.status(304).end();
        return;
      }
    }
    const { etag, safelist } = await this.safelist.safelist();
    response.setHeader('etag', etag);
    response.status(200).json(safelist);
  }
}
