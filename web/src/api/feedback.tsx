import { App, Table } from 'antd';
import { useEffect } from 'react';
import i18n from '../locales';
import { ApiError, type FieldError, isApiError } from './client';

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

/** A table of row/column problems (imports, validation). */
export function FieldErrorTable({ errors }: { errors: FieldError[] }) {
  const t = i18n.t.bind(i18n);
  const hasRows = errors.some((e) => e.row !== undefined);
  return (
    <Table<FieldError & { key: number }>
      size="small"
      pagination={errors.length > 10 ? { pageSize: 10, size: 'small' } : false}
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      columns={[
        ...(hasRows
          ? [
              { title: t('errors.row'), dataIndex: 'row', width: 70 },
              { title: t('errors.column'), dataIndex: 'column', width: 120 },
            ]
          : [{ title: t('errors.field'), dataIndex: 'path', width: 180 }]),
        { title: t('errors.message'), dataIndex: 'message' },
      ]}
    />
  );
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
      description: <FieldErrorTable errors={rowErrors} />,
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
