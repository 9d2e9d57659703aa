import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client';
import { download, isApiError, upload } from '../api/client';
import { showError } from '../api/feedback';
import FieldErrorTable from './FieldErrorTable';

interface ImportResult {
  imported?: number;
  accounts?: { username: string; initialPassword: string }[];
  [k: string]: unknown;
}

/**
 * Import from an .xlsx template: download the template, upload with a progress bar, then either
 * the count imported (and any one-time passwords) or the row/column errors — nothing half-imported.
 */
export function ImportDialog(props: {
  open: boolean;
  onClose: () => void;
  what: 'organisations' | 'users';
  onImported: (result: ImportResult) => void;
}) {
  const { t } = useTranslation();
  const [percent, setPercent] = useState<number | null>(null);
  const [errors, setErrors] = useState<{ detail: string; rows: FieldError[] } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const what = t(`imports.${props.what}`);

  const reset = () => {
    setPercent(null);
    setErrors(null);
    setResult(null);
  };

  const send = async (file: File) => {
    reset();
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      setErrors({ detail: t('imports.onlyXlsx'), rows: [] });
      return;
    }
    setBusy(true);
    setPercent(0);
    try {
      const r = await upload<ImportResult>(`/imports/${props.what}`, file, setPercent);
      setPercent(100);
      setResult(r ?? {});
      props.onImported(r ?? {});
    } catch (e) {
      setPercent(null);
      if (isApiError(e)) setErrors({ detail: e.detail, rows: e.errors });
      else showError(e);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (busy) return;
    reset();
    props.onClose();
  };

  const accounts = result?.accounts ?? [];
  const accountsText = accounts.map((a) => `${a.username}\t${a.initialPassword}`).join('\n');

  return (
    <Modal
      open={props.open}
      title={t('imports.title', { what })}
      onCancel={close}
      footer={
        <Button onClick={close} disabled={busy}>
          {t('common.close')}
        </Button>
      }
      width={720}
      maskClosable={false}
      destroyOnHidden
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('imports.intro')}</Typography.Paragraph>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => download(`/imports/${props.what}/template`, `${props.what}-template.xlsx`).catch(showError)}
        >
          {t('imports.template')}
        </Button>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('imports.choose')}</p>
        </Upload.Dragger>
        {percent !== null && (
          <div aria-live="polite">
            <Progress percent={percent} status={busy ? 'active' : result ? 'success' : 'normal'} />
            {busy && (
              <Typography.Text type="secondary">
                {percent < 100 ? t('imports.uploading') : t('imports.processing')}
              </Typography.Text>
            )}
          </div>
        )}
        {errors && (
          <div data-testid="import-errors">
            <Alert role="alert" type="error" showIcon title={errors.detail} style={{ marginBottom: 8 }} />
            {errors.rows.length > 0 && (
              <>
                <Typography.Text>{t('imports.rowErrors')}</Typography.Text>
                <FieldErrorTable errors={errors.rows} />
              </>
            )}
          </div>
        )}
        {result && (
          <Alert
            type="success"
            showIcon
            title={t('imports.done', { count: result.imported ?? accounts.length })}
            data-testid="import-done"
          />
        )}
        {accounts.length > 0 && (
          <div>
            <Alert type="warning" showIcon title={t('imports.accountsTitle')} description={t('imports.accountsHint')} />
            <Typography.Paragraph copyable={{ text: accountsText }} style={{ margin: '8px 0' }}>
              {t('imports.copyAll')}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="username"
              pagination={accounts.length > 10 ? { pageSize: 10 } : false}
              dataSource={accounts}
              columns={[
                { title: t('users.username'), dataIndex: 'username' },
                {
                  title: t('users.initialPasswordTitle'),
                  dataIndex: 'initialPassword',
                  render: (v: string) => (
                    <Typography.Text className="mono" copyable>
                      {v}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          </div>
        )}
      </Space>
    </Modal>
  );
}
