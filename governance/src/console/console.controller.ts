import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { signCallerToken } from '@concord/policy';
import { ContextExceptionFilter } from '../common/context-exception';
import { ConsoleException, ConsoleExceptionCode } from './console.exception';
import { CONSOLE_OPTIONS, CONSOLE_ROLES, type ConsoleOptions } from './console.options';

interface FileResponse {
  status(code: number): FileResponse;
  setHeader(name: string, value: string): void;
  sendFile(path: string): void;
  json(body: unknown): void;
}

/** What the app reads before it renders: where the gateway is and how people sign in. */
export interface ConsoleConfig {
  gatewayUrl: string | null;
  devSignIn: { roles: readonly string[] } | null;
  oidc: ConsoleOptions['oidc'];
}

const SUB = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * The console (governance/console, a React single-page app) at /console: its built files, the SPA fallback (any path
 * without a file extension answers index.html, so deep links and reloads work), its runtime config and, in dev only,
 * the role picker's token mint. The app then talks GraphQL to the gateway with the user's token, nothing else.
 */
@Controller('console')
@UseFilters(ContextExceptionFilter)
export class ConsoleController {
  private readonly root: string;

  constructor(@Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions) {
    this.root = resolve(options.distDir);
  }

  @Get('config.json')
  config(): ConsoleConfig {
    return {
      gatewayUrl: this.options.gatewayUrl,
      devSignIn: this.options.devSignIn ? { roles: CONSOLE_ROLES } : null,
      oidc: this.options.oidc,
    };
  }

  /** `{ role, sub }` → `{ token, expiresAt }`: a caller JWT of one role, only with dev sign-in configured. */
  @Post('dev-token')
  @HttpCode(200)
  async devToken(@Body() body: unknown): Promise<{ token: string; expiresAt: string }> {
    const devSignIn = this.options.devSignIn;
    if (!devSignIn) {
      throw new ConsoleException(ConsoleExceptionCode.DEV_SIGN_IN_OFF, 'dev sign-in is off: sign in with your identity provider');
    }
    const { role, sub } = (body ?? {}) as { role?: unknown; sub?: unknown };
    const problems = [
      ...(typeof role === 'string' && (CONSOLE_ROLES as readonly string[]).includes(role)
        ? []
        : [`role must be one of ${CONSOLE_ROLES.join(', ')}`]),
      ...(sub === undefined || (typeof sub === 'string' && SUB.test(sub))
        ? []
        : ['sub must be 1-64 letters, digits, ".", "_", "@" or "-"']),
    ];
    if (problems.length > 0) {
      throw new ConsoleException(ConsoleExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
    }
    const token = await signCallerToken({
      privateKey: devSignIn.privateKey,
      sub: (sub as string | undefined) ?? `console-${role as string}`,
      roles: [role as string],
      issuer: devSignIn.issuer,
      audience: devSignIn.audience,
      ttlSeconds: devSignIn.ttlSeconds,
    });
    return { token, expiresAt: new Date(Date.now() + devSignIn.ttlSeconds * 1000).toISOString() };
  }

  @Get(['', '*path'])
  asset(@Req() request: { path: string }, @Res() response: FileResponse): void {
    const index = join(this.root, 'index.html');
    if (!existsSync(index)) {
      response.status(503).json({ error: { code: 'CONSOLE_NOT_BUILT', message: 'the console is not built: run `npm run build`' } });
      return;
    }
    const relative = decodeURIComponent(request.path.replace(/^\/console\/?/, ''));
    const file = resolve(this.root, normalize(relative));
    if (relative !== '' && (file === this.root || file.startsWith(this.root + sep)) && existsSync(file) && statSync(file).isFile()) {
      // Vite names assets by content hash: they never change; index.html must always be asked again
      response.setHeader('cache-control', relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      response.sendFile(file);
      return;
    }
    if (extname(relative) !== '') {
      response.status(404).json({ error: { code: 'NOT_FOUND', message: `no such console file: ${relative}` } });
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  }
}
