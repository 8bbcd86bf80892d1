import { useState, type FormEvent } from 'react';
import { startOidcSignIn } from '../auth/oidc';
import { useSession } from '../auth/session-context';
import type { ConsoleConfig } from '../config';

/**
 * Sign-in. With an identity provider (CONSOLE_OIDC_*), the authorization code flow with PKCE; in dev (governance
 * has CONSOLE_DEV_SIGN_IN_KEY) a role picker that mints a caller token; and always a field for a JWT issued
 * elsewhere. The gateway verifies whatever token results with the same keys as for any client.
 */
export function SignIn({ config, redirect }: { config: ConsoleConfig; redirect: string | null }) {
  const { signIn, notice } = useSession();
  const [role, setRole] = useState(config.devSignIn?.roles[0] ?? '');
  const [sub, setSub] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // the sign-in route sends a signed-in user on to their first screen
  const enter = (jwt: string) => void signIn(jwt);

  const devSignIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/console/dev-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, ...(sub.trim() ? { sub: sub.trim() } : {}) }),
      });
      const body = (await response.json()) as { token?: string; error?: { message: string; code: string } };
      if (!response.ok || !body.token) {
        throw new Error(body.error ? `${body.error.message} (${body.error.code})` : `HTTP ${response.status}`);
      }
      enter(body.token);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const tokenSignIn = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      enter(token);
    } catch (failure) {
      setError(`That token cannot be used: ${(failure as Error).message}`);
    }
  };

  return (
    <div className="signin">
      <div className="signin-card">
        <h1>
          Concord <span className="brand-sub">console</span>
        </h1>
        <p className="muted">Stewardship, audit, API versions, SLOs and client health over CRM, ERP and PSA.</p>
        {notice ? <p className="notice">{notice}</p> : null}
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        {config.oidc ? (
          <div className="form">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                setError(null);
                startOidcSignIn(config.oidc!, redirect).catch((failure: Error) => {
                  setError(`The identity provider did not answer: ${failure.message}`);
                  setBusy(false);
                });
              }}
            >
              Sign in with {new URL(config.oidc.issuer).host}
            </button>
          </div>
        ) : null}
        {config.devSignIn ? (
          <form onSubmit={(event) => void devSignIn(event)} className="form">
            <h2>Development sign-in</h2>
            <label className="field">
              <span>Role</span>
              <select value={role} onChange={(event) => setRole(event.target.value)} name="role">
                {config.devSignIn.roles.map((option) => (
                  <option key={option} value={option}>
                    {option.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>User id (optional)</span>
              <input value={sub} onChange={(event) => setSub(event.target.value)} name="sub" placeholder={`console-${role}`} />
            </label>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        ) : null}
        <form onSubmit={tokenSignIn} className="form">
          <h2>{config.devSignIn || config.oidc ? 'Or sign in with a token' : 'Sign in with your token'}</h2>
          <label className="field">
            <span>JWT from your identity provider</span>
            <textarea value={token} onChange={(event) => setToken(event.target.value)} name="token" rows={3} spellCheck={false} />
          </label>
          <button type="submit" className="button" disabled={!token.trim()}>
            Use token
          </button>
        </form>
      </div>
    </div>
  );
}
