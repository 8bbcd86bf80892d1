import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { clearSession, readSession, saveSession, sessionOf, type Session } from './session';

interface SessionState {
  session: Session | null;
  /** why the user was signed out, shown on the sign-in page */
  notice: string | null;
  signIn(token: string): Session;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, initial = readSession() }: { children: ReactNode; initial?: Session | null }) {
  const [session, setSession] = useState<Session | null>(initial);
  const [notice, setNotice] = useState<string | null>(null);
  const signIn = useCallback((token: string) => {
    const next = sessionOf(token);
    saveSession(next);
    setSession(next);
    setNotice(null);
    return next;
  }, []);
  const signOut = useCallback((message?: string) => {
    clearSession();
    setSession(null);
    setNotice(message ?? null);
  }, []);
  const value = useMemo(() => ({ session, notice, signIn, signOut }), [session, notice, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) {
    throw new Error('useSession outside SessionProvider');
  }
  return state;
}
