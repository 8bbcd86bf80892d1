import { Controller, Get, Headers, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ContextExceptionFilter } from '../common/context-exception';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { PolicyBundleService, type PolicyBundleDocument } from './policy-bundle.service';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  send(body: string): void;
  end(): void;
}

/** True when `If-None-Match` names the ETag (a list, weak validators and `*` included). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) {
    return false;
  }
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function send(response: HttpResponse, document: PolicyBundleDocument, ifNoneMatch: string | undefined, cacheControl: string): void {
  response.setHeader('etag', document.etag);
  response.setHeader('cache-control', cacheControl);
  response.setHeader('x-policy-version', String(document.version));
  response.setHeader('x-policy-sha256', document.sha256);
  if (etagMatches(ifNoneMatch, document.etag)) {
    response.status(304).end();
    return;
  }
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.status(200).send(document.json);
}

/**
 * The bundle for the enforcement points' PolicyStore: the latest version with `ETag: "v<version>"` (304 when the
 * caller has it) and any stored version by number. Read-only; with GOVERNANCE_TOKEN set, for Concord's services only.
 */
@Controller('policy')
@UseFilters(ContextExceptionFilter)
@UseGuards(InternalTokenGuard)
export class PolicyController {
  constructor(private readonly policies: PolicyBundleService) {}

  @Get('bundle')
  async latest(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: HttpResponse): Promise<void> {
    send(response, await this.policies.latestDocument(), ifNoneMatch, 'no-cache');
  }

  @Get('bundle/:version')
  async byVersion(
    @Param('version') version: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: HttpResponse,
  ): Promise<void> {
    if (!/^[1-9][0-9]{0,8}$/.test(version)) {
      throw new PolicyException(PolicyExceptionCode.INVALID_VERSION, 'the version is a positive integer');
    }
    send(response, await this.policies.document(Number(version)), ifNoneMatch, 'public, max-age=31536000, immutable');
  }
}
