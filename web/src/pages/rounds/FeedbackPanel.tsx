import { DeleteOutlined, FileWordOutlined, PlusOutlined, ScissorOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Divider,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PROBLEM_SEVERITIES, PROBLEM_SOURCES } from '../../../../domain/rectification';
import { api, isApiError, upload } from '../../api/client';
import { handleWriteError, showError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { categoryOptions, todayText, useCategories } from '../ledger/shared';
import type { ParseResult, ProblemSource, Severity } from '../ledger/types';
import { roundUnitKey } from './shared';
import type { Feedback, RoundUnit, RoundUnitDetail } from './types';

interface FeedbackForm {
  title?: string;
  body: string;
  deliveredOn: Dayjs;
}

/** The 反馈意见 of a round-unit: recorded and delivered by the office, then split into the problem list. */
export function FeedbackPanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [form] = Form.useForm<FeedbackForm>();
  const [params, setParams] = useSearchParams();
  const writable = can('round.write');
  const fb = ru.feedback;

  const save = useMutation({
    mutationFn: (v: FeedbackForm) =>
      api.put<{ feedback: Feedback; roundUnit: RoundUnit }>(`/round-units/${ru.id}/feedback`, {
        title: v.title?.trim() || null,
        body: v.body,
        deliveredOn: v.deliveredOn.format('YYYY-MM-DD'),
        version: fb?.version ?? 0,
      }),
    onSuccess: (r) => {
      toast(
        'success',
        fb ? t('ledger.feedback.saved') : t('ledger.feedback.delivered', { deadline: r.roundUnit.deadline ?? '—' }),
      );
      void qc.invalidateQueries({ queryKey: ['round-units'] });
      void qc.invalidateQueries({ queryKey: ['rounds'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
    onError: (e) =>
      handleWriteError(e, () => {
        void qc.invalidateQueries({ queryKey: roundUnitKey(ru.id) }).then(() => form.resetFields());
      }),
  });

  return (
    <div>
      {writable ? (
        <Form<FeedbackForm>
          form={form}
          layout="vertical"
          onFinish={(v) => save.mutate(v)}
          initialValues={{
            title: fb?.title ?? '',
            body: fb?.body ?? '',
            deliveredOn: fb?.deliveredOn ? dayjs(fb.deliveredOn) : dayjs(todayText()),
          }}
          key={fb?.version ?? 0}
        >
          <Form.Item name="title" label={t('ledger.feedback.docTitle')}>
            <Input maxLength={300} placeholder={t('ledger.feedback.docTitlePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="body"
            label={t('ledger.feedback.body')}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('ledger.feedback.body') }) },
            ]}
          >
            <Input.TextArea
              maxLength={200_000}
              autoSize={{ minRows: 8, maxRows: 24 }}
              placeholder={t('ledger.feedback.bodyPlaceholder')}
              data-testid="feedback-body"
            />
          </Form.Item>
          <Space wrap align="end">
            <Form.Item
              name="deliveredOn"
              label={t('ledger.feedback.deliveredOn')}
              rules={[{ required: true, message: t('common.required', { field: t('ledger.feedback.deliveredOn') }) }]}
              style={{ marginBottom: 0 }}
            >
              <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > todayText()} style={{ width: 180 }} />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SendOutlined />}
              loading={save.isPending}
              data-testid="feedback-save"
            >
              {fb?.deliveredOn ? t('ledger.feedback.save') : t('ledger.feedback.deliver')}
            </Button>
            {ru.deadline && (
              <Typography.Text strong data-testid="feedback-deadline">
                {t('ledger.feedback.deadlineNow', { deadline: ru.deadline })}
              </Typography.Text>
            )}
          </Space>
        </Form>
      ) : fb ? (
        <div>
          {fb.title && <Typography.Title level={5}>{fb.title}</Typography.Title>}
          <Typography.Text type="secondary">
            {t('ledger.feedback.deliveredOn')}：{fb.deliveredOn ?? '—'}
          </Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }} className="feedback-text">
            {fb.body}
          </Typography.Paragraph>
        </div>
      ) : (
        <Alert type="info" showIcon title={t('ledger.feedback.notYet')} description={t('ledger.feedback.readOnly')} />
      )}
      {can('ledger.write') && (
        <>
          <Divider />
          <FeedbackToLists
            ru={ru}
            textOf={() => (writable ? form.getFieldValue('body') : fb?.body) ?? ''}
            onConfirmed={() => {
              const p = new URLSearchParams(params);
              p.set('tab', 'problems');
              setParams(p, { replace: true });
            }}
          />
        </>
      )}
    </div>
  );
}

// ── feedback to lists (SPEC M18) ─────────────────────────────────────────────────────────────────

interface DraftRow {
  key: number;
  number: string;
  heading: string;
  description: string;
  categoryCode: string | null;
  severity: Severity;
  source: ProblemSource;
}

let nextKey = 1;

function FeedbackToLists({
  ru,
  textOf,
  onConfirmed,
}: {
  ru: RoundUnitDetail;
  textOf: () => string;
  onConfirmed: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const categories = useCategories();
  const [rows, setRows] = useState<DraftRow[] | null>(null);
  const [preamble, setPreamble] = useState('');
  const [percent, setPercent] = useState<number | null>(null);
  const [itemErrors, setItemErrors] = useState<{ index: number; message: string }[]>([]);

  const take = (r: ParseResult) => {
    setPreamble(r.preamble);
    setItemErrors([]);
    setRows(
      r.drafts.map((d) => ({
        key: nextKey++,
        number: d.number,
        heading: d.heading,
        description: d.description,
        categoryCode: d.categoryCode,
        severity: 'medium',
        source: 'feedback',
      })),
    );
  };

  const parseText = useMutation({
    mutationFn: (text: string) => api.post<ParseResult>(`/round-units/${ru.id}/feedback/parse`, { text }),
    onSuccess: take,
  });
  const parseDocx = async (file: File) => {
    if (!file.name.toLowerCase().endsWith('.docx')) {
      showError(new Error(t('ledger.drafts.onlyDocx')));
      return;
    }
    setPercent(0);
    try {
      take(await upload<ParseResult>(`/round-units/${ru.id}/feedback/parse`, file, setPercent));
    } catch (e) {
      showError(e);
    } finally {
      setPercent(null);
    }
  };

  const confirm = useMutation({
    mutationFn: (list: DraftRow[]) =>
      api.post<{ ids: number[] }>(`/round-units/${ru.id}/problems/confirm`, {
        problems: list.map((r) => ({
          number: r.number.trim(),
          categoryCode: r.categoryCode,
          description: r.description.trim(),
          severity: r.severity,
          source: r.source,
        })),
      }),
    onSuccess: (r) => {
      toast('success', t('ledger.drafts.confirmed', { count: r.ids.length }));
      setRows(null);
      setItemErrors([]);
      void qc.invalidateQueries({ queryKey: ['problems', ru.id] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
      onConfirmed();
    },
    onError: (e) => {
      const list =
        isApiError(e) && Array.isArray(e.body.errors) ? (e.body.errors as { index?: number; message: string }[]) : [];
      const byItem = list.filter((x) => typeof x.index === 'number') as { index: number; message: string }[];
      setItemErrors(byItem);
      if (!byItem.length) showError(e);
    },
  });

  const update = (key: number, patch: Partial<DraftRow>) =>
    setRows((rs) => (rs ?? []).map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const missing = (rows ?? []).some((r) => !r.categoryCode || !r.number.trim() || !r.description.trim());
  const errorAt = new Map(itemErrors.map((e) => [e.index, e.message]));
  const catOptions = categoryOptions(categories.data);

  return (
    <div data-testid="feedback-to-lists">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('ledger.drafts.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('ledger.drafts.intro')}</Typography.Paragraph>
      <Space wrap>
        <Button
          icon={<ScissorOutlined />}
          loading={parseText.isPending}
          onClick={() => {
            const text = textOf().trim();
            if (!text) showError(new Error(t('ledger.drafts.needText')));
            else parseText.mutate(text);
          }}
          data-testid="drafts-parse"
        >
          {t('ledger.drafts.fromText')}
        </Button>
        <Upload
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          showUploadList={false}
          beforeUpload={(file) => {
            void parseDocx(file);
            return false;
          }}
          disabled={percent !== null}
        >
          <Button icon={<FileWordOutlined />} loading={percent !== null}>
            {t('ledger.drafts.fromDocx')}
          </Button>
        </Upload>
      </Space>
      {percent !== null && <Progress percent={percent} status="active" style={{ maxWidth: 360, marginTop: 8 }} />}
      {rows && (
        <div style={{ marginTop: 16 }}>
          {rows.length === 0 ? (
            <Alert type="warning" showIcon title={t('ledger.drafts.none')} />
          ) : (
            <Alert type="info" showIcon title={t('ledger.drafts.count', { count: rows.length })} />
          )}
          {preamble && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ marginTop: 8 }}>
              {t('ledger.drafts.preamble')}：{preamble}
            </Typography.Paragraph>
          )}
          {itemErrors.length > 0 && (
            <Alert
              role="alert"
              type="error"
              showIcon
              style={{ marginTop: 8 }}
              title={itemErrors
                .map((e) => t('ledger.drafts.itemError', { n: e.index + 1, message: e.message }))
                .join('；')}
            />
          )}
          <Table<DraftRow>
            style={{ marginTop: 8 }}
            rowKey="key"
            size="small"
            dataSource={rows}
            pagination={false}
            scroll={{ x: 960 }}
            data-testid="drafts-table"
            rowClassName={(_, i) => (errorAt.has(i) ? 'draft-error' : '')}
            columns={[
              {
                title: '#',
                key: 'i',
                width: 44,
                render: (_: unknown, _r, i) => i + 1,
              },
              {
                title: t('ledger.drafts.number'),
                dataIndex: 'number',
                width: 140,
                render: (v: string, r, i) => (
                  <Input
                    value={v}
                    maxLength={40}
                    status={v.trim() ? undefined : 'error'}
                    aria-label={`${t('ledger.drafts.number')} ${i + 1}`}
                    onChange={(e) => update(r.key, { number: e.target.value })}
                  />
                ),
              },
              {
                title: t('ledger.drafts.category'),
                dataIndex: 'categoryCode',
                width: 190,
                render: (v: string | null, r, i) => (
                  <Select
                    value={v ?? undefined}
                    placeholder={t('ledger.drafts.categoryMissing')}
                    status={v ? undefined : 'error'}
                    options={catOptions}
                    aria-label={`${t('ledger.drafts.category')} ${i + 1}`}
                    data-testid={`draft-category-${i}`}
                    onChange={(c) => update(r.key, { categoryCode: c })}
                    style={{ width: '100%' }}
                    popupMatchSelectWidth={false}
                  />
                ),
              },
              {
                title: t('ledger.drafts.description'),
                dataIndex: 'description',
                render: (v: string, r, i) => (
                  <div>
                    {r.heading && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.heading}
                      </Typography.Text>
                    )}
                    <Input.TextArea
                      value={v}
                      maxLength={4000}
                      autoSize={{ minRows: 1, maxRows: 6 }}
                      status={v.trim() ? undefined : 'error'}
                      aria-label={`${t('ledger.drafts.description')} ${i + 1}`}
                      onChange={(e) => update(r.key, { description: e.target.value })}
                    />
                    {errorAt.has(i) && <Typography.Text type="danger">{errorAt.get(i)}</Typography.Text>}
                  </div>
                ),
              },
              {
                title: t('ledger.drafts.severity'),
                dataIndex: 'severity',
                width: 100,
                render: (v: Severity, r, i) => (
                  <Select
                    value={v}
                    aria-label={`${t('ledger.drafts.severity')} ${i + 1}`}
                    options={PROBLEM_SEVERITIES.map((s) => ({ value: s, label: t(`ledger.severity.${s}`) }))}
                    onChange={(s) => update(r.key, { severity: s })}
                    style={{ width: '100%' }}
                  />
                ),
              },
              {
                title: t('ledger.drafts.source'),
                dataIndex: 'source',
                width: 120,
                render: (v: ProblemSource, r, i) => (
                  <Select
                    value={v}
                    aria-label={`${t('ledger.drafts.source')} ${i + 1}`}
                    options={PROBLEM_SOURCES.map((s) => ({ value: s, label: t(`ledger.source.${s}`) }))}
                    onChange={(s) => update(r.key, { source: s })}
                    style={{ width: '100%' }}
                    popupMatchSelectWidth={false}
                  />
                ),
              },
              {
                title: '',
                key: 'rm',
                width: 48,
                render: (_: unknown, r) => (
                  <Tooltip title={t('ledger.drafts.removeRow')}>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('ledger.drafts.removeRow')}
                      onClick={() => setRows((rs) => (rs ?? []).filter((x) => x.key !== r.key))}
                    />
                  </Tooltip>
                ),
              },
            ]}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                setRows((rs) => [
                  ...(rs ?? []),
                  {
                    key: nextKey++,
                    number: '',
                    heading: '',
                    description: '',
                    categoryCode: null,
                    severity: 'medium',
                    source: 'feedback',
                  },
                ])
              }
            >
              {t('ledger.drafts.addRow')}
            </Button>
            <Button
              type="primary"
              disabled={!rows.length || missing}
              loading={confirm.isPending}
              onClick={() => confirm.mutate(rows)}
              data-testid="drafts-confirm"
            >
              {t('ledger.drafts.confirm')}
            </Button>
            <Button onClick={() => setRows(null)}>{t('ledger.drafts.discard')}</Button>
          </Space>
        </div>
      )}
    </div>
  );
}
