import { CheckOutlined, PlusOutlined, SendOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FEEDBACK_RECIPIENT_KINDS, type FeedbackRecipientKind } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { toast } from '../../api/feedback';
import type { LiaisonLink } from '../../api/types';
import { useCan, useMe } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { todayText } from '../ledger/shared';
import { FormModal } from './FormModal';
import { OrgSearchSelect } from './shared';
import type { Briefing, DistributeResult, FeedbackCopy, RoundUnitDetail, TalkReport, Team } from './types';

function useRefresh() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['round-units'] });
}

// ── 抄送 ───────────────────────────────────────────────────────────────────────────────────────

interface CopyForm {
  recipientKind: FeedbackRecipientKind;
  recipientOrgId?: number | null;
  recipientName?: string;
  note?: string;
}

export function CopiesPanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const refresh = useRefresh();
  const writable = can('round.write');
  const delivered = !!ru.feedback?.deliveredOn;
  const [adding, setAdding] = useState(false);
  const [missing, setMissing] = useState<FeedbackRecipientKind[]>([]);

  const distribute = useMutation({
    mutationFn: (markSent: boolean) => api.post<DistributeResult>(`/round-units/${ru.id}/distribute`, { markSent }),
    onSuccess: (r) => {
      toast('success', t('ledger.copies.distributed', { count: r.created.length }));
      setMissing(r.missing);
      void refresh();
    },
  });
  const mark = useMutation({
    mutationFn: ({ id, what }: { id: number; what: 'sent' | 'received' }) =>
      api.post<FeedbackCopy>(`/feedback-copies/${id}/${what}`),
    onSuccess: () => void refresh(),
  });
  const add = useMutation({
    mutationFn: (v: CopyForm) =>
      api.post<FeedbackCopy>(`/round-units/${ru.id}/copies`, {
        recipientKind: v.recipientKind,
        recipientOrgId: v.recipientOrgId ?? null,
        recipientName: v.recipientName?.trim() || null,
        note: v.note?.trim() || null,
      }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setAdding(false);
      void refresh();
    },
  });

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ledger.copies.intro')}</Typography.Paragraph>
      {writable && (
        <div className="toolbar no-print">
          <Button
            type="primary"
            icon={<ThunderboltOutlined />}
            disabled={!delivered}
            loading={distribute.isPending && distribute.variables === false}
            onClick={() => distribute.mutate(false)}
            data-testid="copies-distribute"
          >
            {t('ledger.copies.distribute')}
          </Button>
          <Button
            icon={<SendOutlined />}
            disabled={!delivered}
            loading={distribute.isPending && distribute.variables === true}
            onClick={() => distribute.mutate(true)}
          >
            {t('ledger.copies.distributeSent')}
          </Button>
          <Button icon={<PlusOutlined />} disabled={!delivered} onClick={() => setAdding(true)}>
            {t('ledger.copies.add')}
          </Button>
          {!delivered && <Typography.Text type="secondary">{t('ledger.copies.needFeedback')}</Typography.Text>}
        </div>
      )}
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setMissing([]) }}
          style={{ marginBottom: 12 }}
          title={t('ledger.copies.missing', { kinds: missing.map((k) => t(`ledger.recipientKinds.${k}`)).join('、') })}
        />
      )}
      <Table<FeedbackCopy>
        rowKey="id"
        size="small"
        dataSource={[...ru.copies].sort(
          (a, b) =>
            FEEDBACK_RECIPIENT_KINDS.indexOf(a.recipientKind) - FEEDBACK_RECIPIENT_KINDS.indexOf(b.recipientKind),
        )}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="copies-table"
        locale={{ emptyText: t('ledger.copies.empty') }}
        columns={[
          {
            title: t('ledger.copies.kind'),
            dataIndex: 'recipientKind',
            render: (k: FeedbackRecipientKind) => t(`ledger.recipientKinds.${k}`),
          },
          {
            title: t('ledger.copies.recipient'),
            key: 'recipient',
            render: (_: unknown, c) => c.recipientOrgName ?? c.recipientName ?? '—',
          },
          {
            title: t('ledger.copies.sent'),
            dataIndex: 'sentAt',
            render: (v: number | null, c) =>
              v ? (
                formatTime(v)
              ) : writable ? (
                <Button
                  size="small"
                  icon={<SendOutlined />}
                  loading={mark.isPending && mark.variables?.id === c.id}
                  onClick={() => mark.mutate({ id: c.id, what: 'sent' })}
                >
                  {t('ledger.copies.markSent')}
                </Button>
              ) : (
                '—'
              ),
          },
          {
            title: t('ledger.copies.received'),
            dataIndex: 'receivedAt',
            render: (v: number | null, c) =>
              v ? (
                formatTime(v)
              ) : c.sentAt && (writable || c.recipientOrgId === me.orgId) ? (
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  loading={mark.isPending && mark.variables?.id === c.id}
                  onClick={() => mark.mutate({ id: c.id, what: 'received' })}
                >
                  {t('ledger.copies.markReceived')}
                </Button>
              ) : (
                '—'
              ),
          },
          { title: t('ledger.copies.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
        ]}
      />
      <FormModal<CopyForm>
        open={adding}
        title={t('ledger.copies.addTitle')}
        onCancel={() => setAdding(false)}
        onFinish={(v) => add.mutate(v)}
        busy={add.isPending}
        okText={t('common.create')}
      >
        <Form.Item name="recipientKind" label={t('ledger.copies.kind')} rules={[{ required: true }]}>
          <Select
            options={FEEDBACK_RECIPIENT_KINDS.map((k) => ({ value: k, label: t(`ledger.recipientKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="recipientOrgId" label={t('ledger.copies.recipient')}>
          <OrgSearchSelect allowClear />
        </Form.Item>
        <Form.Item
          name="recipientName"
          label={t('ledger.copies.recipientName')}
          dependencies={['recipientOrgId']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                getFieldValue('recipientOrgId') || (value && String(value).trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('ledger.copies.recipientRequired'))),
            }),
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t('ledger.copies.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

// ── 个别谈话情况报告 ─────────────────────────────────────────────────────────────────────────────

export function TalkReportsPanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const refresh = useRefresh();
  const writable = can('round.write');
  const [adding, setAdding] = useState(false);

  const add = useMutation({
    mutationFn: (v: { sentToOrgId: number; summary: string }) =>
      api.post<TalkReport>(`/round-units/${ru.id}/talk-reports`, { sentToOrgId: v.sentToOrgId, summary: v.summary }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setAdding(false);
      void refresh();
    },
  });
  const received = useMutation({
    mutationFn: (id: number) => api.post<TalkReport>(`/talk-reports/${id}/received`),
    onSuccess: () => void refresh(),
  });

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ledger.talk.intro')}</Typography.Paragraph>
      {writable && (
        <div className="toolbar no-print">
          <Button type="primary" icon={<SendOutlined />} onClick={() => setAdding(true)}>
            {t('ledger.talk.add')}
          </Button>
        </div>
      )}
      <Table<TalkReport>
        rowKey="id"
        size="small"
        dataSource={ru.talkReports}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('ledger.talk.empty') }}
        columns={[
          { title: t('ledger.talk.sentTo'), dataIndex: 'sentToOrgName', render: (v: string | null) => v ?? '—' },
          {
            title: t('ledger.talk.summary'),
            dataIndex: 'summary',
            render: (v: string | null) => (
              <Typography.Paragraph style={{ margin: 0, maxWidth: 520 }} ellipsis={{ rows: 2, expandable: true }}>
                {v ?? '—'}
              </Typography.Paragraph>
            ),
          },
          { title: t('ledger.talk.sentAt'), dataIndex: 'sentAt', render: (v: number | null) => formatTime(v) },
          {
            title: t('ledger.talk.receivedAt'),
            dataIndex: 'receivedAt',
            render: (v: number | null, r) =>
              v ? (
                formatTime(v)
              ) : writable || r.sentToOrgId === me.orgId ? (
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  loading={received.isPending && received.variables === r.id}
                  onClick={() => received.mutate(r.id)}
                >
                  {t('ledger.talk.markReceived')}
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <FormModal<{ sentToOrgId: number; summary: string }>
        open={adding}
        title={t('ledger.talk.addTitle')}
        onCancel={() => setAdding(false)}
        onFinish={(v) => add.mutate(v)}
        busy={add.isPending}
        okText={t('common.submit')}
        width={640}
      >
        <Form.Item
          name="sentToOrgId"
          label={t('ledger.talk.sentTo')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.talk.sentTo') }) }]}
        >
          <OrgSearchSelect type="supervisor" />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('ledger.talk.summary')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('ledger.talk.summary') }) },
          ]}
        >
          <Input.TextArea maxLength={100_000} autoSize={{ minRows: 5, maxRows: 14 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

// ── 巡前情况通报 ─────────────────────────────────────────────────────────────────────────────

interface BriefingForm {
  supervisorOrgId?: number;
  teamId?: number | null;
  givenOn?: Dayjs | null;
  content: string;
}

export function BriefingsPanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const refresh = useRefresh();
  const office = can('round.write');
  const mayBrief = can('briefing.write');
  const [adding, setAdding] = useState(false);
  const links = useQuery({
    queryKey: ['liaison-links', { unitOrgId: ru.unitOrgId }],
    queryFn: () => api.get<{ items: LiaisonLink[] }>('/liaison-links', { unitOrgId: ru.unitOrgId }),
    enabled: office && adding,
    select: (d) => d.items,
  });
  const teams = useQuery({
    queryKey: ['rounds', ru.roundId, 'teams'],
    queryFn: () => api.get<{ items: Team[] }>(`/rounds/${ru.roundId}/teams`),
    enabled: adding,
    select: (d) => d.items,
  });
  const add = useMutation({
    mutationFn: (v: BriefingForm) =>
      api.post<Briefing>(`/round-units/${ru.id}/briefings`, {
        content: v.content,
        teamId: v.teamId ?? null,
        givenOn: v.givenOn ? v.givenOn.format('YYYY-MM-DD') : null,
        ...(office ? { supervisorOrgId: v.supervisorOrgId } : {}),
      }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setAdding(false);
      void refresh();
    },
  });

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ledger.briefing.intro')}</Typography.Paragraph>
      {mayBrief && (
        <div className="toolbar no-print">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('ledger.briefing.add')}
          </Button>
        </div>
      )}
      <Table<Briefing>
        rowKey="id"
        size="small"
        dataSource={ru.briefings}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('ledger.briefing.empty') }}
        columns={[
          { title: t('ledger.briefing.supervisor'), dataIndex: 'supervisorOrgName' },
          { title: t('ledger.briefing.team'), dataIndex: 'teamName', render: (v: string | null) => v ?? '—' },
          { title: t('ledger.briefing.givenOn'), dataIndex: 'givenOn', render: (v: string | null) => v ?? '—' },
          {
            title: t('ledger.briefing.content'),
            dataIndex: 'content',
            render: (v: string) => (
              <Typography.Paragraph style={{ margin: 0, maxWidth: 520 }} ellipsis={{ rows: 3, expandable: true }}>
                {v}
              </Typography.Paragraph>
            ),
          },
          {
            title: t('ledger.briefing.by'),
            key: 'by',
            render: (_: unknown, b) => (
              <Space orientation="vertical" size={0}>
                <span>{b.createdByName ?? '—'}</span>
                <Typography.Text type="secondary">{formatTime(b.createdAt)}</Typography.Text>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<BriefingForm>
        open={adding}
        title={t('ledger.briefing.addTitle')}
        onCancel={() => setAdding(false)}
        onFinish={(v) => add.mutate(v)}
        busy={add.isPending}
        okText={t('common.submit')}
        width={640}
        initialValues={{ teamId: ru.teamId }}
      >
        {office && (
          <Form.Item
            name="supervisorOrgId"
            label={t('ledger.briefing.supervisor')}
            extra={links.data?.length === 0 ? t('ledger.briefing.noLiaison') : undefined}
            rules={[{ required: true, message: t('common.required', { field: t('ledger.briefing.supervisor') }) }]}
          >
            <Select
              loading={links.isLoading}
              options={[...new Map((links.data ?? []).map((l) => [l.supervisorOrgId, l.supervisorName]))].map(
                ([value, label]) => ({ value, label }),
              )}
            />
          </Form.Item>
        )}
        <Form.Item name="teamId" label={t('ledger.briefing.team')}>
          <Select allowClear options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))} />
        </Form.Item>
        <Form.Item name="givenOn" label={t('ledger.briefing.givenOn')}>
          <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > todayText()} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('ledger.briefing.content')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('ledger.briefing.content') }),
            },
          ]}
        >
          <Input.TextArea maxLength={100_000} autoSize={{ minRows: 5, maxRows: 14 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
