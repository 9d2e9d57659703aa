import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { isApiError } from '../api/client';
import { FeedbackBridge, showError } from '../api/feedback';
import { ANTD_LOCALES, currentLang } from '../locales';
import { LoginPage } from '../pages/auth/LoginPage';
import { NotFound, RequirePermission } from '../pages/Results';
import { AuthProvider, useAuth } from './auth';
import { MENU } from './menu';

// Only the login page is in the first load (SPEC: ≤ 400 KB of compressed script before it renders);
// the shell and the account steps come after sign-in.
const AppLayout = lazy(() => import('./Layout').then((m) => ({ default: m.AppLayout })));
const ChangePasswordPage = lazy(() =>
  import('../pages/auth/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);
const TotpEnrolPage = lazy(() => import('../pages/auth/TotpEnrolPage').then((m) => ({ default: m.TotpEnrolPage })));
const PublicSurveyPage = lazy(() => import('../pages/surveys/PublicSurveyPage'));
const ScreenPage = lazy(() => import('../pages/board/ScreenPage'));
const TotpVerifyPage = lazy(() => import('../pages/auth/TotpVerifyPage').then((m) => ({ default: m.TotpVerifyPage })));

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (query.meta?.silent) return;
        showError(err);
      },
    }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        // Mutations with their own onError (stale-version dialogs, form errors) handle it there.
        if (mutation.options.onError) return;
        showError(err);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => !(isApiError(err) && err.status > 0 && err.status < 500) && count < 2,
      },
    },
  });
}

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/**
 * The signed-in part: login first, then any required account step, then the app — inside the
 * menu layout, or bare for the full-screen meeting-room display.
 */
function Protected({ bare = false }: { bare?: boolean }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const step =
    me.restriction === 'password_change' ? (
      <ChangePasswordPage forced />
    ) : me.restriction === 'mfa_pending' ? (
      <TotpVerifyPage />
    ) : me.restriction === 'mfa_enrol' ? (
      <TotpEnrolPage />
    ) : null;
  return (
    <Suspense fallback={<Loading />}>
      {step ??
        (bare ? (
          <Outlet />
        ) : (
          <AppLayout>
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </AppLayout>
        ))}
    </Suspense>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/survey/*"
        element={
          <Suspense fallback={<Loading />}>
            <PublicSurveyPage />
          </Suspense>
        }
      />
      <Route element={<Protected bare />}>
        <Route
          path="/screen"
          element={
            <RequirePermission permission="dashboard.read">
              <ScreenPage />
            </RequirePermission>
          }
        />
      </Route>
      <Route element={<Protected />}>
        {MENU.map((entry) =>
          entry.path === '' ? (
            <Route
              key={entry.key}
              index
              element={<RequirePermission permission={entry.permission}>{entry.element}</RequirePermission>}
            />
          ) : (
            <Route
              key={entry.key}
              path={entry.path}
              element={<RequirePermission permission={entry.permission}>{entry.element}</RequirePermission>}
            />
          ),
        )}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(currentLang());
  useEffect(() => {
    const onChange = () => setLang(currentLang());
    i18n.on('languageChanged', onChange);
    return () => i18n.off('languageChanged', onChange);
  }, [i18n]);

  return (
    <ConfigProvider
      locale={ANTD_LOCALES[lang]}
      theme={{
        token: { colorPrimary: '#b71c1c', borderRadius: 6 },
        components: { Menu: { darkSubMenuItemBg: '#001529' } },
      }}
      modal={{ mask: { blur: false } }}
      drawer={{ mask: { blur: false } }}
    >
      <AntApp>
        <FeedbackBridge />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
