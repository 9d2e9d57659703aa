import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Permission } from '../../../domain/roles';
import { type ApiError, api, isApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import type { Me } from '../api/types';
import i18n from '../locales';

export interface LoginNotice {
  type: 'info' | 'warning' | 'error' | 'success';
  text: string;
}

interface AuthContextValue {
  me: Me | null;
  /** True until the first /auth/me answer. */
  loading: boolean;
  /** A message for the login page (signed out, session expired …). */
  notice: LoginNotice | null;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  /** Replaces the signed-in user after a password change, a TOTP step or a reload. */
  setMe(me: Me): void;
  refresh(): Promise<void>;
  clearNotice(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<LoginNotice | null>(null);
  const queryClient = useQueryClient();
  const signedIn = useRef(false);

  const setMe = useCallback((next: Me | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    signedIn.current = !!next;
    setMeState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      setMe(await api.get<Me>('/auth/me'));
    } catch (e) {
      if (isApiError(e) && e.status === 401) setMe(null);
      else throw e;
    }
  }, [setMe]);

  useEffect(() => {
    // The server ended the session (idle timeout, password changed elsewhere, revoked): back to login.
    setUnauthorizedHandler((err: ApiError) => {
      if (!signedIn.current) return; // not signed in yet: the login page needs no warning
      if (err.status !== 401 || err.code === 'TOTP_REQUIRED') {
        // An account step is due: /auth/me says which, and the app shows that step.
        void api
          .get<Me>('/auth/me')
          .then(setMe)
          .catch(() => undefined);
        return;
      }
      setMe(null);
      queryClient.clear();
      setNotice({ type: 'warning', text: err.detail });
    });
    return () => setUnauthorizedHandler(null);
  }, [queryClient, setMe]);

  useEffect(() => {
    let live = true;
    api
      .get<Me>('/auth/me')
      .then((m) => live && setMe(m))
      .catch(() => live && setMe(null))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [setMe]);

  const login = useCallback(
    async (username: string, password: string) => {
      const m = await api.post<Me>('/auth/login', { username, password });
      queryClient.clear();
      setNotice(null);
      setMe(m);
      return m;
    },
    [queryClient, setMe],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      // the session may already be gone; signing out locally is what matters
    }
    setMe(null);
    queryClient.clear();
    setNotice({ type: 'success', text: i18n.t('auth.loggedOut') });
  }, [queryClient, setMe]);

  const value = useMemo<AuthContextValue>(
    () => ({
      me,
      loading,
      notice,
      login,
      logout,
      setMe,
      refresh,
      clearNotice: () => setNotice(null),
    }),
    [me, loading, notice, login, logout, setMe, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user (only inside the signed-in part of the app). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}

export function useCan(): (permission: Permission | null | undefined) => boolean {
  const { me } = useAuth();
  return useCallback((p) => !p || !!me?.permissions.includes(p), [me]);
}
