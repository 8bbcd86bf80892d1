import type { ReactNode } from 'react';
import { GraphQLRequestError } from '../api/graphql';

/** Placeholder rows while the first page loads (the layout does not jump when data arrives). */
export function Loading({ rows = 5, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" aria-label={label}>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton" style={{ width: `${90 - ((index * 13) % 35)}%` }} />
      ))}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <p className="state-hint">{children}</p> : null}
    </div>
  );
}

/** What failed, its code, and a way to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const code = error instanceof GraphQLRequestError ? error.code : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">This did not load</p>
      <p className="state-hint">
        {message}
        {code ? <code className="code-chip">{code}</code> : null}
      </p>
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
