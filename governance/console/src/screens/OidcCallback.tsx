import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { finishOidcSignIn, type OidcConfig } from '../auth/oidc';
import { useSession } from '../auth/session-context';

/** Where the identity provider sends the browser back: the code becomes the session's token. */
export function OidcCallback({ oidc }: { oidc: OidcConfig | null }) {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // once: a code can be traded only once (React may run effects twice in development)
    if (started.current) {
      return;
    }
    started.current = true;
    if (!oidc) {
      setError('this console has no identity provider configured');
      return;
    }
    finishOidcSignIn(oidc, new URL(window.location.href))
      .then(({ token, redirect }) => {
        signIn(token);
        void navigate({ href: redirect ?? '/', replace: true });
      })
      .catch((failure: Error) => setError(failure.message));
  }, [oidc, signIn, navigate]);
  return (
    <div className="signin">
      <div className="signin-card">
        {error ? (
          <>
            <h1>Sign-in failed</h1>
            <p className="notice notice-error" role="alert">
              {error}
            </p>
            <Link to="/sign-in" className="link">
              Back to sign-in
            </Link>
          </>
        ) : (
          <p role="status">Signing you in…</p>
        )}
      </div>
    </div>
  );
}
