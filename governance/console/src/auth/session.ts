/** Who is signed in: the caller JWT the gateway verifies, and what the UI reads from it (never trusted by a server). */
export interface Session {
  token: string;
  sub: string;
  roles: string[];
  /** ms since the epoch */
  expiresAt: number;
}

const KEY = 'concord.console.session';

function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  return decodeURIComponent(Array.from(atob(base64), (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
}

/** The session a JWT carries; throws on a token that is not a JWT with a subject, roles and an expiry. */
export function sessionOf(token: string): Session {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    throw new Error('this is not a JWT (three dot-separated parts)');
  }
  let claims: { sub?: unknown; roles?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(base64UrlDecode(parts[1])) as typeof claims;
  } catch {
    throw new Error('the token payload is not JSON');
  }
  if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.exp !== 'number') {
    throw new Error('the token has no sub, roles or exp claim');
  }
  return { token: token.trim(), sub: claims.sub, roles: claims.roles.map(String), expiresAt: claims.exp * 1000 };
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt <= now;
}

/** The session kept for this browser tab, unless it expired. */
export function readSession(storage: Storage = sessionStorage): Session | null {
  const token = storage.getItem(KEY);
  if (!token) {
    return null;
  }
  try {
    const session = sessionOf(token);
    return isExpired(session) ? null : session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, session.token);
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}

/** Whether the session has one of `roles`: for navigation only, the gateway decides what data a role gets. */
export const hasRole = (session: Session | null, ...roles: string[]): boolean =>
  Boolean(session?.roles.some((role) => roles.includes(role)));
