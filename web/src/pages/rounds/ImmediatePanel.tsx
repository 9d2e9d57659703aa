import { CheckOutlined, CloseOutlined, PlusOutlined, RollbackOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Form, Input, Select, Space, Steps, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImmediateItemStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { User } from '../../api/types';
import { useCan, useMe } from '../../app/auth';
import { formatTime } from '../../lib/time';
import type { ImmediateItem, ProblemSummary } from '../ledger/types';
import { FormModal } from './FormModal';
import type { RoundUnitDetail } from './types';

type Step = 'approve' | 'reject' | 'fix' | 'verify' | 'sendBack';

const STATUS_COLOR: Record<ImmediateItemStatus, string> = {
  proposed: 'default',
  approved: 'processing',
  rejected: 'error',
  fixed: 'gold',
  verified: 'success',
};

/** 立行立改 (SPEC M5): propose → approve (报批) → fix → verify, each step by its own permission, with who and when. */
export function ImmediatePanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const qc = useQueryClient();
  const [proposing, setProposing] = useState(false);
  const [acting, setActing] = useState<{ item: ImmediateItem; step: Step } | null>(null);
  const key = ['immediate', ru.id];
  const items = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: ImmediateItem[] }>(`/round-units/${ru.id}/immediate-items`),
    select: (d) => d.items,
  });
  const problems = useQuery({
    queryKey: ['problems', ru.id],
    queryFn: () => api.get<{ items: ProblemSummary[] }>(`/round-units/${ru.id}/problems`),
    select: (d) => d.items,
    enabled: proposing,
  });

  // Who did each step: the server gives user ids; names are looked up where the role may read accounts.
  const ids = [
    ...new Set(
      (items.data ?? [])
        .flatMap((i) => [i.proposedBy, i.approvedBy, i.fixedBy, i.verifiedBy])
        .filter((x): x is number => !!x && x !== me.id),
    ),
  ];
  const users = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['users', 'one', id],
      queryFn: () => api.get<User>(`/users/${id}`),
      enabled: can('user.read'),
      staleTime: 10 * 60_000,
      meta: { silent: true },
    })),
  });
  const nameOf = (id: number | null) => {
    if (!id) return '—';
    if (id === me.id) return me.displayName;
    const u = users.find((q) => q.data?.id === id)?.data;
    return u ? u.displayName : t('ledger.immediate.userN', { id });
  };

  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const propose = useMutation({
    mutationFn: (v: { content: string; problemId?: number | null }) =>
      api.post<ImmediateItem>(`/round-units/${ru.id}/immediate-items`, {
        content: v.content,
        problemId: v.problemId ?? null,
      }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setProposing(false);
      void refresh();
    },
  });
  const act = useMutation({
    mutationFn: ({ item, step, text }: { item: ImmediateItem; step: Step; text?: string }) => {
      const note = text?.trim() || undefined;
      if (step === 'approve' || step === 'reject')
        return api.post(`/immediate-items/${item.id}/approve`, {
          approve: step === 'approve',
          note,
          version: item.version,
        });
      if (step === 'fix')
        return api.post(`/immediate-items/${item.id}/fix`, { report: text ?? '', version: item.version });
      return api.post(`/immediate-items/${item.id}/verify`, { accept: step === 'verify', note, version: item.version });
    },
    onSuccess: () => {
      toast('success', t('common.saved'));
      setActing(null);
      void refresh();
    },
    onError: (e) => handleWriteError(e, () => void refresh()),
  });

  const stepsOf = (i: ImmediateItem) => {
    const when = (at: number | null, by: number | null) =>
      at ? (
        <span>
          {formatTime(at)}
          <br />
          {t('ledger.immediate.who', { who: nameOf(by) })}
        </span>
      ) : null;
    const current = { proposed: 1, approved: 2, rejected: 1, fixed: 3, verified: 4 }[i.status];
    return (
      <Steps
        size="small"
        current={current}
        status={i.status === 'rejected' ? 'error' : i.status === 'verified' ? 'finish' : 'process'}
        responsive
        items={[
          { title: t('ledger.immediate.stepPropose'), content: when(i.proposedAt, i.proposedBy) },
          { title: t('ledger.immediate.stepApprove'), content: when(i.approvedAt, i.approvedBy) },
          { title: t('ledger.immediate.stepFix'), content: when(i.fixedAt, i.fixedBy) },
          { title: t('ledger.immediate.stepVerify'), content: when(i.verifiedAt, i.verifiedBy) },
        ]}
      />
    );
  };

  const buttons = (i: ImmediateItem) => {
    const b: { step: Step; label: string; icon: ReactNode; primary?: boolean; danger?: boolean }[] = [];
    if (i.status === 'proposed' && can('immediate.approve')) {
      b.push({ step: 'approve', label: t('ledger.immediate.approve'), icon: <CheckOutlined />, primary: true });
      b.push({ step: 'reject', label: t('ledger.immediate.reject'), icon: <CloseOutlined />, danger: true });
    }
    if (i.status === 'approved' && can('immediate.fix'))
      b.push({ step: 'fix', label: t('ledger.immediate.fix'), icon: <ToolOutlined />, primary: true });
    if (i.status === 'fixed' && can('immediate.verify')) {
      b.push({ step: 'verify', label: t('ledger.immediate.verify'), icon: <CheckOutlined />, primary: true });
      b.push({ step: 'sendBack', label: t('ledger.immediate.sendBack'), icon: <RollbackOutlined /> });
    }
    return b.map((x) => (
      <Button
        key={x.step}
        size="small"
        type={x.primary ? 'primary' : 'default'}
        danger={x.danger}
        icon={x.icon}
        onClick={() => setActing({ item: i, step: x.step })}
        data-testid={`immediate-${x.step}-${i.id}`}
      >
        {x.label}
      </Button>
    ));
  };

  const actingTitle =
    acting?.step === 'fix'
      ? t('ledger.immediate.fixTitle')
      : acting?.step === 'verify' || acting?.step === 'sendBack'
        ? t('ledger.immediate.verifyTitle')
        : t('ledger.immediate.approveTitle');

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ledger.immediate.intro')}</Typography.Paragraph>
      {can('immediate.propose') && (
        <div className="toolbar no-print">
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setProposing(true)}
            data-testid="immediate-propose"
          >
            {t('ledger.immediate.propose')}
          </Button>
        </div>
      )}
      {items.data?.length === 0 && <Empty description={t('ledger.immediate.empty')} />}
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {(items.data ?? []).map((i) => (
          <Card
            key={i.id}
            size="small"
            title={
              <Space wrap>
                <Tag color={STATUS_COLOR[i.status]}>{t(`ledger.immediateStatus.${i.status}`)}</Tag>
                <Typography.Text style={{ whiteSpace: 'normal' }}>{i.content}</Typography.Text>
              </Space>
            }
            extra={
              <Space wrap className="no-print">
                {buttons(i)}
              </Space>
            }
          >
            {stepsOf(i)}
            {(i.approvalNote || i.fixReport || i.verifyNote) && (
              <div style={{ marginTop: 8 }}>
                {i.approvalNote && (
                  <Typography.Paragraph style={{ margin: 0 }}>
                    <Typography.Text type="secondary">{t('ledger.immediate.stepApprove')}：</Typography.Text>
                    {i.approvalNote}
                  </Typography.Paragraph>
                )}
                {i.fixReport && (
                  <Typography.Paragraph style={{ margin: 0 }}>
                    <Typography.Text type="secondary">{t('ledger.immediate.report')}：</Typography.Text>
                    {i.fixReport}
                  </Typography.Paragraph>
                )}
                {i.verifyNote && (
                  <Typography.Paragraph style={{ margin: 0 }}>
                    <Typography.Text type="secondary">{t('ledger.immediate.stepVerify')}：</Typography.Text>
                    {i.verifyNote}
                  </Typography.Paragraph>
                )}
              </div>
            )}
          </Card>
        ))}
      </Space>
      <FormModal<{ content: string; problemId?: number | null }>
        open={proposing}
        title={t('ledger.immediate.proposeTitle')}
        onCancel={() => setProposing(false)}
        onFinish={(v) => propose.mutate(v)}
        busy={propose.isPending}
        okText={t('common.submit')}
      >
        <Form.Item
          name="content"
          label={t('ledger.immediate.content')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('ledger.immediate.content') }),
            },
          ]}
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="problemId" label={t('ledger.immediate.problem')}>
          <Select
            allowClear
            placeholder={t('ledger.immediate.noProblem')}
            loading={problems.isLoading}
            options={(problems.data ?? []).map((p) => ({
              value: p.id,
              label: `${p.number} ${p.description.slice(0, 40)}`,
            }))}
          />
        </Form.Item>
      </FormModal>
      <FormModal<{ text?: string }>
        open={!!acting}
        title={actingTitle}
        onCancel={() => setActing(null)}
        onFinish={(v) => acting && act.mutate({ ...acting, text: v.text })}
        busy={act.isPending}
        okText={
          acting?.step === 'approve'
            ? t('ledger.immediate.approve')
            : acting?.step === 'reject'
              ? t('ledger.immediate.reject')
              : acting?.step === 'fix'
                ? t('common.submit')
                : acting?.step === 'verify'
                  ? t('ledger.immediate.verify')
                  : t('ledger.immediate.sendBack')
        }
        okDanger={acting?.step === 'reject'}
      >
        {acting && <Typography.Paragraph>{acting.item.content}</Typography.Paragraph>}
        <Form.Item
          name="text"
          label={acting?.step === 'fix' ? t('ledger.immediate.report') : t('ledger.immediate.note')}
          rules={
            acting?.step === 'fix'
              ? [
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('ledger.immediate.report') }),
                  },
                ]
              : []
          }
        >
          <Input.TextArea maxLength={acting?.step === 'fix' ? 4000 : 1000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
