/** Where the console's built files are and what its sign-in offers (ConsoleModule). */
export interface ConsoleOptions {
  /** the built single-page app (governance/console/dist); without an index.html in it /console answers 503 */
  distDir: string;
  /** the gateway's GraphQL URL as the browser reaches it: the console talks to nothing else */
  gatewayUrl: string | null;
  /**
   * Dev sign-in (a role picker that mints a caller JWT with the dev caller key). Never in production: there the
   * console takes the user's token from the identity provider, and the gateway verifies it as it does any client's.
   */
  devSignIn: { privateKey: string; issuer: string; audience: string; ttlSeconds: number } | null;
  /**
   * Production sign-in: the identity provider the console sends people to (authorization code flow with PKCE, as a
   * public client). The access token it issues is what the console sends to the gateway, so the gateway's JWT
   * settings (issuer, audience, keys) must accept it.
   */
  oidc: { issuer: string; clientId: string; scope: string; audience: string | null } | null;
}

export const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');

/** The roles the dev role picker offers (the default bundle's people roles; not integration or system). */
export const CONSOLE_ROLES = [
  'executive',
  'finance',
  'delivery_manager',
  'sales',
  'consultant',
  'data_steward',
  'auditor',
  'operator',
] as const;
