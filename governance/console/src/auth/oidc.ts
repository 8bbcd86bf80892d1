import * as oauth from 'oauth4webapi';

/** The identity provider the console signs people in with (governance's CONSOLE_OIDC_* settings). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
  /** the API audience some providers need to issue a JWT access token for the gateway */
  audience: string | null;
}

const PENDING = 'concord.console.oidc';
export const CALLBACK_PATH = '/console/oidc-callback';

interface Pending {
  verifier: string;
  state: string;
  /** the console path to return to */
  redirect: string | null;
}

/** Plain HTTP is accepted only for a provider on this machine (development); anywhere else it must be HTTPS. */
function options(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return issuer.protocol === 'http:' && local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(config: OidcConfig): Promise<{ as: oauth.AuthorizationServer; options: ReturnType<typeof options> }> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, { ...options(issuer), algorithm: 'oidc' });
  return { as: await oauth.processDiscoveryResponse(issuer, response), options: options(issuer) };
}

export const callbackUrl = (): string => `${window.location.origin}${CALLBACK_PATH}`;

/**
 * Sends the browser to the provider: authorization code flow with PKCE (S256) and a state, as a public client (no
 * secret in a browser). What the callback needs is kept in this tab's session storage.
 */
export async function startOidcSignIn(config: OidcConfig, redirect: string | null): Promise<void> {
  const { as } = await discover(config);
  if (!as.authorization_endpoint) {
    throw new Error(`${config.issuer} announces no authorization endpoint`);
  }
  const pending: Pending = { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), redirect };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', callbackUrl());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  if (config.audience) {
    url.searchParams.set('audience', config.audience);
  }
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** Back from the provider: checks state, trades the code (with the PKCE verifier) for the access token. */
export async function finishOidcSignIn(config: OidcConfig, current: URL): Promise<{ token: string; redirect: string | null }> {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!stored) {
    throw new Error('no sign-in was started in this tab: start again');
  }
  const pending = JSON.parse(stored) as Pending;
  const { as, options: requestOptions } = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const parameters = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    parameters,
    callbackUrl(),
    pending.verifier,
    requestOptions,
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { token: result.access_token, redirect: pending.redirect };
}
