import { App } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import i18n from '../locales';
import { ApiError, isApiError } from './client';

// Row errors are rare: the table (antd Table) loads when one is first shown, not with the login page.
const FieldErrorTable = lazy(() => import('../components/FieldErrorTable'));

/**
 * The one place errors are shown. antd's message/notification/modal need the App context (theme,
 * locale), so the app registers its instances here once and plain functions can use them.
 */
type AppApi = ReturnType<typeof App.useApp>;
let ui: Pick<AppApi, 'message' | 'notification' | 'modal'> | null = null;

export function FeedbackBridge() {
  const { message, notification, modal } = App.useApp();
  useEffect(() => {
    ui = { message, notification, modal };
    return () => {
      ui = null;
    };
  }, [message, notification, modal]);
  return null;
}

export function toast(kind: 'success' | 'info' | 'warning' | 'error', text: string) {
  ui?.message[kind](text);
}

/** Shows an error to the user: the server's localized `detail`, plus row/column lists when given. */
export function showError(err: unknown) {
  if (!ui) return;
  if (!isApiError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    ui.message.error(text);
    return;
  }
  // The login page or the account step says these.
  if (
    [
      'SESSION_EXPIRED',
      'UNAUTHENTICATED',
      'PASSWORD_CHANGE_REQUIRED',
      'TOTP_ENROLMENT_REQUIRED',
      'TOTP_REQUIRED',
    ].includes(err.code)
  )
    return;
  const rowErrors = err.errors.filter((e) => e.row !== undefined || e.column !== undefined);
  if (rowErrors.length) {
    ui.notification.error({
      title: err.detail,
      description: (
        <Suspense fallback={null}>
          <FieldErrorTable errors={rowErrors} />
        </Suspense>
      ),
      duration: 0,
      style: { width: 560 },
    });
    return;
  }
  ui.message.error(err.detail || i18n.t('errors.unknown', { status: err.status }));
}

/**
 * A write's error: a stale version (409 CONFLICT_STALE) offers to reload the record; anything else
 * is shown by showError.
 */
export function handleWriteError(err: unknown, onReload?: (current: unknown) => void) {
  if (err instanceof ApiError && err.code === 'CONFLICT_STALE' && ui) {
    ui.modal.confirm({
      title: i18n.t('errors.staleTitle'),
      content: i18n.t('errors.staleContent', { detail: err.detail }),
      okText: i18n.t('common.reload'),
      cancelText: i18n.t('common.cancel'),
      onOk: () => onReload?.(err.current),
    });
    return;
  }
  showError(err);
}
