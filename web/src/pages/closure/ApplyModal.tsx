import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { EvidenceUpload } from '../progress/evidence';
import type { EvidenceFile } from '../progress/types';
import type { Closure } from './types';

/** 申请销号: a summary of what was done and the evidence, for a completed measure. */
export function ApplyModal(props: {
  measure: { id: number; roundUnitId: number; content: string; version: number } | null;
  onClose: () => void;
  onApplied?: (c: Closure) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [summary, setSummary] = useState('');
  const [files, setFiles] = useState<EvidenceFile[]>([]);
  const [tried, setTried] = useState(false);
  const m = props.measure;
  const apply = useMutation({
    mutationFn: () =>
      api.post<Closure>(`/measures/${m!.id}/closure`, {
        version: m!.version,
        summary: summary.trim(),
        fileIds: files.map((f) => f.id),
      }),
    onSuccess: (c) => {
      toast('success', t('closure.applied'));
      for (const k of ['closures', 'ledger', 'measure', 'dashboard', 'closable'])
        void qc.invalidateQueries({ queryKey: [k] });
      setSummary('');
      setFiles([]);
      setTried(false);
      props.onApplied?.(c);
      props.onClose();
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['measure'] })),
  });
  const summaryMissing = !summary.trim();
  const filesMissing = files.length === 0;
  return (
    <Modal
      open={!!m}
      title={t('closure.applyTitle')}
      onCancel={props.onClose}
      destroyOnHidden
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={props.onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={apply.isPending}
          data-testid="closure-apply-save"
          onClick={() => {
            setTried(true);
            if (!summaryMissing && !filesMissing) apply.mutate();
          }}
        >
          {t('closure.apply')}
        </Button>,
      ]}
    >
      {m && (
        <div data-testid="closure-apply">
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true }}>
            {m.content}
          </Typography.Paragraph>
          <Form layout="vertical" component="div">
            <Form.Item
              label={t('closure.summary')}
              htmlFor="closure-summary"
              required
              validateStatus={tried && summaryMissing ? 'error' : undefined}
              help={tried && summaryMissing ? t('common.required', { field: t('closure.summary') }) : undefined}
            >
              <Input.TextArea
                id="closure-summary"
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                maxLength={5000}
                autoSize={{ minRows: 4, maxRows: 12 }}
                placeholder={t('closure.summaryHint')}
              />
            </Form.Item>
            <Form.Item
              label={t('closure.files')}
              required
              validateStatus={tried && filesMissing ? 'error' : undefined}
              help={tried && filesMissing ? t('closure.filesRequired') : undefined}
            >
              <EvidenceUpload roundUnitId={m.roundUnitId} value={files} onChange={setFiles} testId="closure-files" />
            </Form.Item>
          </Form>
        </div>
      )}
    </Modal>
  );
}
