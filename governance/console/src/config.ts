import type { OidcConfig } from './auth/oidc';

/** What governance tells the app at /console/config.json (ConsoleController). */
export interface ConsoleConfig {
  /** the gateway's GraphQL URL: the console's only data source */
  gatewayUrl: string | null;
  /** dev only: the role picker, with the roles it offers */
  devSignIn: { roles: string[] } | null;
  /** production sign-in: the identity provider (authorization code flow with PKCE) */
  oidc: OidcConfig | null;
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  const response = await fetcher('/console/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the console configuration did not load (HTTP ${response.status})`);
  }
  return (await response.json()) as ConsoleConfig;
}
