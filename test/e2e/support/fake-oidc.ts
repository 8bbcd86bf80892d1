import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { testCallerJwt } from '@concord/testing';

/**
 * A small OpenID provider for the console's sign-in journey: discovery, an authorization endpoint that signs in
 * `user` at once (no login form) and a token endpoint that checks the code, the redirect URI and the PKCE verifier,
 * then issues an access token the test identity's keys sign (so the gateway accepts it). Browsers call the token
 * endpoint cross-origin: it answers CORS.
 */
export class FakeOidcProvider {
  private server: Server | undefined;
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  /** every token request, for the test to check what the console sent */
  readonly tokenRequests: URLSearchParams[] = [];
  url = '';

  constructor(
    private readonly clientId: string,
    private readonly user: { sub: string; roles: string[] },
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'content-type, authorization, dpop');
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer: this.url,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (url.pathname === '/authorize') {
      const parameters = url.searchParams;
      if (parameters.get('client_id') !== this.clientId || parameters.get('code_challenge_method') !== 'S256') {
        return json(response, 400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, {
        clientId: parameters.get('client_id')!,
        redirectUri: parameters.get('redirect_uri')!,
        challenge: parameters.get('code_challenge')!,
      });
      const back = new URL(parameters.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', parameters.get('state') ?? '');
      response.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const body = new URLSearchParams(await text(request));
      this.tokenRequests.push(body);
      const grant = this.codes.get(body.get('code') ?? '');
      this.codes.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !grant ||
        grant.redirectUri !== body.get('redirect_uri') ||
        grant.clientId !== body.get('client_id') ||
        grant.challenge !== challenge
      ) {
        return json(response, 400, { error: 'invalid_grant' });
      }
      return json(response, 200, { access_token: await testCallerJwt(this.user), token_type: 'Bearer', expires_in: 600 });
    }
    json(response, 404, { error: 'not_found' });
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
