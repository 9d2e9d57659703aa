import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Progress, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, type FieldError, isApiError, upload } from '../../api/client';
import { showError } from '../../api/feedback';
import FieldErrorTable from '../../components/FieldErrorTable';
import { RoundUnitSelect } from '../rounds/shared';
import type { LedgerImportResult } from './types';

/**
 * Import of the 三清单 into one round-unit from the .xlsx template: template download, upload with a
 * progress bar, then the counts — or every wrong cell by row and column, and nothing imported.
 * (The shared ImportDialog is wired to /imports/organisations|users; this one has the same parts.)
 */
export function LedgerImportDialog(props: {
  open: boolean;
  onClose: () => void;
  /** Fixed target (the round-unit page); absent = the user picks one. */
  roundUnitId?: number | null;
  roundUnitLabel?: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [target, setTarget] = useState<number | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [errors, setErrors] = useState<{ detail: string; rows: FieldError[] } | null>(null);
  const [result, setResult] = useState<LedgerImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const roundUnitId = props.roundUnitId ?? target;

  const reset = () => {
    setPercent(null);
    setErrors(null);
    setResult(null);
  };

  const send = async (file: File) => {
    reset();
    if (!roundUnitId) return;
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      setErrors({ detail: t('imports.onlyXlsx'), rows: [] });
      return;
    }
    setBusy(true);
    setPercent(0);
    try {
      const r = await upload<LedgerImportResult>(`/round-units/${roundUnitId}/ledger/import`, file, setPercent);
      setPercent(100);
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['problems'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
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
    setTarget(null);
    props.onClose();
  };

  return (
    <Modal
      open={props.open}
      title={t('ledger.import.title')}
      onCancel={close}
      footer={
        <Button onClick={close} disabled={busy}>
          {t('common.close')}
        </Button>
      }
      width={760}
      maskClosable={false}
      destroyOnHidden
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="ledger-import">
        <Typography.Paragraph style={{ margin: 0 }}>{t('ledger.import.intro')}</Typography.Paragraph>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => download('/ledger/template', 'ledger-template.xlsx').catch(showError)}
          data-testid="ledger-template"
        >
          {t('imports.template')}
        </Button>
        {props.roundUnitId ? (
          <Typography.Text>
            {t('ledger.import.pickRoundUnit')}：<Typography.Text strong>{props.roundUnitLabel}</Typography.Text>
          </Typography.Text>
        ) : (
          <Form.Item label={t('ledger.import.pickRoundUnit')} style={{ margin: 0 }} required>
            <RoundUnitSelect
              value={target}
              onChange={(v) => {
                setTarget(v);
                reset();
              }}
              placeholder={t('ledger.import.pickRoundUnitPlaceholder')}
              aria-label={t('ledger.import.pickRoundUnit')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        )}
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          disabled={busy || !roundUnitId}
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
          <div aria-live="polite" data-testid="ledger-import-progress">
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
            title={t('ledger.import.done', { problems: result.problems, measures: result.measures })}
            data-testid="import-done"
          />
        )}
      </Space>
    </Modal>
  );
}
