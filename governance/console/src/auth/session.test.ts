import { hasRole, isExpired, readSession, saveSession, sessionOf } from './session';

const jwt = (claims: Record<string, unknown>) => ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'c2ln'].join('.');

describe('console session', () => {
  it('should read sub, roles and expiry from the token (UTF-8 included)', () => {
    const session = sessionOf(jwt({ sub: 'zoë', roles: ['finance', 'auditor'], exp: 2_000_000_000 }));

    expect(session).toMatchObject({ sub: 'zoë', roles: ['finance', 'auditor'], expiresAt: 2_000_000_000_000 });
    expect(hasRole(session, 'auditor')).toBe(true);
    expect(hasRole(session, 'data_steward')).toBe(false);
  });

  it('should refuse what is not a usable caller token', () => {
    expect(() => sessionOf('not-a-jwt')).toThrow('three dot-separated parts');
    expect(() => sessionOf(jwt({ sub: 'x', exp: 1 }))).toThrow('no sub, roles or exp');
  });

  it('should forget an expired session', () => {
    const expired = sessionOf(jwt({ sub: 'x', roles: [], exp: Math.floor(Date.now() / 1000) - 5 }));
    saveSession(expired, sessionStorage);

    expect(isExpired(expired)).toBe(true);
    expect(readSession(sessionStorage)).toBeNull();
  });
});
