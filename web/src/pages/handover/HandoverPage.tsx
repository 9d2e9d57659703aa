import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Empty, Form, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { HANDOVER_ITEM_STATUSES, type HandoverAction, type HandoverItemStatus } from '../../../../domain/handover';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { useOrgOptions, ymd } from '../supervision/shared';
import type { Paged } from '../supervision/types';
import type { Handover, HandoverDetail, HandoverItem } from './types';

const STATUS_COLOR: Record<HandoverItemStatus, string> = {
  handed_over: 'gold',
  accepted: 'processing',
  dispatched: 'purple',
  concluded: 'success',
  returned: 'default',
};

function StatusTag({ status }: { status: HandoverItemStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`supervision.handover.status.${status}`)}
    </Tag>
  );
}

/**
 * 移交 (SPEC M9): the office hands problems to the 党风政风室; it accepts them and dispatches each to a
 * supervision office, whose supervision ledger follows it to its conclusion.
 */
export default function HandoverPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'handovers';
  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };
  return (
    <div>
      <PageHeader title={t('supervision.handover.title')} intro={t('supervision.handover.intro')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'handovers', label: t('supervision.handover.tabs.handovers'), children: <HandoversTab /> },
          ...(can('handover.process') || can('handover.send')
            ? [{ key: 'ledger', label: t('supervision.handover.tabs.ledger'), children: <LedgerTab /> }]
            : []),
        ]}
      />
    </div>
  );
}

/** The handovers in scope (read-only without handover.send / handover.process; also on the supervision page). */
export function HandoversTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const q = useQuery({
    queryKey: ['handovers', { pending }],
    queryFn: () => api.get<Paged<Handover>>('/handovers', { pending: pending || undefined, limit: 100 }),
  });
  return (
    <div>
      <div className="toolbar">
        <Select
          aria-label={t('supervision.filterStatus')}
          value={pending ? 'pending' : 'all'}
          onChange={(v) => setPending(v === 'pending')}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'pending', label: t('supervision.handover.status.handed_over') },
          ]}
          style={{ width: 160 }}
        />
        {can('handover.send') && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => setCreating(true)}
            data-testid="handover-create"
          >
            {t('supervision.handover.create')}
          </Button>
        )}
      </div>
      <List<Handover>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="handovers-list"
        locale={{ emptyText: <Empty description={t('supervision.handover.none')} /> }}
        renderItem={(h) => (
          <List.Item data-testid={`handover-row-${h.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <Typography.Text strong>{h.receivingOrgName}</Typography.Text>
                  {Object.entries(h.counts)
                    .filter(([, n]) => n > 0)
                    .map(([s, n]) => (
                      <Tag key={s} color={STATUS_COLOR[s as HandoverItemStatus]}>
                        {t(`supervision.handover.status.${s as HandoverItemStatus}`)} {n}
                      </Tag>
                    ))}
                </Space>
                {h.note && <div style={{ whiteSpace: 'pre-wrap' }}>{h.note}</div>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('supervision.handover.sentBy', { who: h.sentByName ?? '—', time: formatTime(h.sentAt) })}
                </Typography.Text>
              </div>
              <Button
                type={(h.counts.handed_over ?? 0) > 0 && can('handover.process') ? 'primary' : 'default'}
                onClick={() => setOpenId(h.id)}
                data-testid={`handover-open-${h.id}`}
              >
                {t('supervision.handover.open')}
              </Button>
            </div>
          </List.Item>
        )}
      />
      {can('handover.send') && (
        <CreateHandoverModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setOpenId(id);
          }}
        />
      )}
      <HandoverDrawer handoverId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

interface LedgerRowLite {
  id: number;
  problemId: number;
  problemNumber: string;
  problemDescription: string;
  unitName: string;
  roundName: string;
  status: string;
  type: string;
}

function CreateHandoverModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const receivers = useOrgOptions('discipline_office', open);
  const ledger = useQuery({
    queryKey: ['handover-candidates'],
    enabled: open,
    queryFn: () => api.get<{ items: LedgerRowLite[] }>('/ledger', { limit: 200, sort: 'unit' }),
  });
  const problems = () => {
    const seen = new Map<number, string>();
    for (const m of ledger.data?.items ?? []) {
      if (m.status === 'closed') continue;
      if (!seen.has(m.problemId)) seen.set(m.problemId, `${m.unitName} · ${m.problemNumber} ${m.problemDescription}`);
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  };
  const create = useMutation({
    mutationFn: (v: { problemIds: number[]; receivingOrgId: number; note?: string }) =>
      api.post<HandoverDetail>('/handovers', {
        problemIds: v.problemIds,
        receivingOrgId: v.receivingOrgId,
        note: v.note?.trim() || undefined,
      }),
    onSuccess: (h) => {
      toast('success', t('supervision.handover.created'));
      void qc.invalidateQueries({ queryKey: ['handovers'] });
      void qc.invalidateQueries({ queryKey: ['supervision-ledger'] });
      onCreated(h.id);
    },
    onError: (e) => handleWriteError(e),
  });
  return (
    <FormModal<{ problemIds: number[]; receivingOrgId: number; note?: string }>
      open={open}
      title={t('supervision.handover.create')}
      onCancel={onClose}
      onFinish={(v) => create.mutate(v)}
      busy={create.isPending}
      width={680}
      testId="handover-save"
      okText={t('supervision.handover.create')}
      initialValues={receivers.data?.length === 1 ? { receivingOrgId: receivers.data[0].value } : undefined}
    >
      <Form.Item
        name="receivingOrgId"
        label={t('supervision.handover.receiver')}
        rules={[{ required: true, message: t('common.required', { field: t('supervision.handover.receiver') }) }]}
      >
        <Select options={receivers.data ?? []} loading={receivers.isLoading} data-testid="handover-receiver" />
      </Form.Item>
      <Form.Item
        name="problemIds"
        label={t('supervision.handover.problems')}
        extra={t('supervision.handover.problemsHint')}
        rules={[{ required: true, message: t('common.required', { field: t('supervision.handover.problems') }) }]}
      >
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          loading={ledger.isLoading}
          options={problems()}
          data-testid="handover-problems"
        />
      </Form.Item>
      <Form.Item name="note" label={t('supervision.handover.note')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
    </FormModal>
  );
}

type ItemAct = { item: HandoverItem; act: Exclude<HandoverAction, 'accept'> };

/** The forms behind an item's actions (return, dispatch, note, conclude) and the accept call. */
function useItemActions(onDone: () => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [acting, setActing] = useState<ItemAct | null>(null);
  const refresh = () => {
    for (const k of ['handovers', 'handover', 'supervision-ledger']) void qc.invalidateQueries({ queryKey: [k] });
    onDone();
  };
  const accept = useMutation({
    mutationFn: async (v: { handoverId: number; itemIds?: number[] }) => {
      const h = await api.get<HandoverDetail>(`/handovers/${v.handoverId}`);
      return api.post(`/handovers/${v.handoverId}/accept`, { version: h.version, itemIds: v.itemIds });
    },
    onSuccess: () => {
      toast('success', t('supervision.handover.accepted'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const act = useMutation({
    mutationFn: async (v: {
      reason?: string;
      supervisorOrgId?: number;
      note?: string;
      dueDate?: Dayjs;
      content?: string;
      conclusion?: string;
    }) => {
      const { item, act: kind } = acting!;
      if (kind === 'return') {
        const h = await api.get<HandoverDetail>(`/handovers/${item.handoverId}`);
        return api.post(`/handovers/${item.handoverId}/return`, {
          version: h.version,
          itemIds: [item.id],
          reason: v.reason!.trim(),
        });
      }
      if (kind === 'dispatch')
        return api.post(`/handover-items/${item.id}/dispatch`, {
          version: item.version,
          supervisorOrgId: v.supervisorOrgId,
          note: v.note?.trim() || undefined,
          dueDate: ymd(v.dueDate),
        });
      if (kind === 'note') return api.post(`/handover-items/${item.id}/notes`, { content: v.content!.trim() });
      return api.post(`/handover-items/${item.id}/conclude`, {
        version: item.version,
        conclusion: v.conclusion!.trim(),
      });
    },
    onSuccess: () => {
      const kind = acting!.act;
      toast(
        'success',
        t(
          kind === 'return'
            ? 'supervision.handover.returned'
            : kind === 'dispatch'
              ? 'supervision.handover.dispatched'
              : kind === 'note'
                ? 'supervision.handover.noteAdded'
                : 'supervision.handover.concluded',
        ),
      );
      setActing(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  // Every active supervision office, whatever part of the tree the 党风政风室 itself sees.
  const offices = useQuery({
    queryKey: ['handover-dispatch-targets'],
    enabled: acting?.act === 'dispatch',
    queryFn: async () =>
      (await api.get<{ items: { id: number; name: string }[] }>('/handover-dispatch-targets')).items.map((o) => ({
        value: o.id,
        label: o.name,
      })),
  });
  const buttons = (item: HandoverItem) => (
    <Space wrap>
      {item.actions.map((a) =>
        a === 'accept' ? (
          <Button
            key={a}
            size="small"
            type="primary"
            loading={accept.isPending}
            onClick={() => accept.mutate({ handoverId: item.handoverId, itemIds: [item.id] })}
            data-testid={`item-accept-${item.id}`}
          >
            {t('supervision.handover.accept')}
          </Button>
        ) : (
          <Button
            key={a}
            size="small"
            type={a === 'dispatch' || a === 'conclude' ? 'primary' : 'default'}
            danger={a === 'return'}
            onClick={() => setActing({ item, act: a })}
            data-testid={`item-${a}-${item.id}`}
          >
            {t(`supervision.handover.${a === 'note' ? 'addNote' : a}`)}
          </Button>
        ),
      )}
    </Space>
  );
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const modal = (
    <FormModal<{
      reason?: string;
      supervisorOrgId?: number;
      note?: string;
      dueDate?: Dayjs;
      content?: string;
      conclusion?: string;
    }>
      open={!!acting}
      title={
        acting
          ? `${t(`supervision.handover.${acting.act === 'note' ? 'addNote' : acting.act}`)} · ${acting.item.problemNumber}`
          : ''
      }
      onCancel={() => setActing(null)}
      onFinish={(v) => act.mutate(v)}
      busy={act.isPending}
      okDanger={acting?.act === 'return'}
      testId="item-act-save"
    >
      {acting && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true }}>
          {acting.item.unitName} · {acting.item.problemDescription}
        </Typography.Paragraph>
      )}
      {acting?.act === 'return' && (
        <Form.Item
          name="reason"
          label={t('supervision.handover.returnReason')}
          rules={req(t('supervision.handover.returnReason'))}
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      )}
      {acting?.act === 'dispatch' && (
        <>
          <Form.Item
            name="supervisorOrgId"
            label={t('supervision.handover.dispatchTo')}
            rules={[{ required: true, message: t('common.required', { field: t('supervision.handover.dispatchTo') }) }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={offices.data ?? []}
              loading={offices.isLoading}
              data-testid="dispatch-office"
            />
          </Form.Item>
          <Form.Item name="dueDate" label={t('supervision.handover.dueDate')}>
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="note" label={t('supervision.handover.dispatchNote')}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </>
      )}
      {acting?.act === 'note' && (
        <Form.Item
          name="content"
          label={t('supervision.handover.noteContent')}
          rules={req(t('supervision.handover.noteContent'))}
        >
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      )}
      {acting?.act === 'conclude' && (
        <Form.Item
          name="conclusion"
          label={t('supervision.handover.conclusion')}
          rules={req(t('supervision.handover.conclusion'))}
        >
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      )}
    </FormModal>
  );
  return { buttons, modal, accept };
}

function ItemRow({ item, buttons }: { item: HandoverItem; buttons: (i: HandoverItem) => React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid={`handover-item-${item.id}`}>
      <div className="period-row">
        <div style={{ minWidth: 0, flex: '1 1 260px' }}>
          <Space wrap size={4}>
            <StatusTag status={item.status as HandoverItemStatus} />
            <Tag>{t(`supervision.handover.kind.${item.kind as 'long_term' | 'unrectified'}`)}</Tag>
            <Typography.Text strong>{item.unitName}</Typography.Text>
            <Typography.Text type="secondary">{item.problemNumber}</Typography.Text>
          </Space>
          <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
            {item.problemDescription}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.roundName}
            {item.supervisorOrgName
              ? ` · ${t('supervision.handover.dispatchedTo', { org: item.supervisorOrgName })}`
              : ''}
            {item.dueDate ? ` · ${t('supervision.order.due', { date: item.dueDate })}` : ''}
            {item.returnReason ? ` · ${t('supervision.handover.returnReason')}：${item.returnReason}` : ''}
            {item.conclusion ? ` · ${t('supervision.handover.conclusion')}：${item.conclusion}` : ''}
          </Typography.Text>
        </div>
        {buttons(item)}
      </div>
    </List.Item>
  );
}

function HandoverDrawer({ handoverId, onClose }: { handoverId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['handover', handoverId],
    enabled: handoverId !== null,
    queryFn: () => api.get<HandoverDetail>(`/handovers/${handoverId}`),
  });
  const { buttons, modal, accept } = useItemActions(() => void q.refetch());
  const h = q.data;
  const awaiting = h?.items.filter((i) => i.actions.includes('accept')) ?? [];
  return (
    <Drawer
      open={handoverId !== null}
      onClose={onClose}
      title={t('supervision.handover.detail')}
      size={720}
      destroyOnHidden
      loading={q.isLoading}
      data-testid="handover-drawer"
      extra={
        awaiting.length > 1 && (
          <Button type="primary" loading={accept.isPending} onClick={() => accept.mutate({ handoverId: h!.id })}>
            {t('supervision.handover.acceptAll')}
          </Button>
        )
      }
    >
      {h && (
        <>
          <Space wrap size={4} style={{ marginBottom: 8 }}>
            <Typography.Text strong>{h.receivingOrgName}</Typography.Text>
            <Typography.Text type="secondary">
              {t('supervision.handover.sentBy', { who: h.sentByName ?? '—', time: formatTime(h.sentAt) })}
            </Typography.Text>
          </Space>
          {h.note && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{h.note}</Typography.Paragraph>}
          <List<HandoverItem>
            bordered
            dataSource={h.items}
            renderItem={(i) => <ItemRow item={i} buttons={buttons} />}
          />
        </>
      )}
      {modal}
    </Drawer>
  );
}

function LedgerTab() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<HandoverItemStatus | undefined>();
  const q = useQuery({
    queryKey: ['supervision-ledger', { status }],
    queryFn: () => api.get<Paged<HandoverItem>>('/supervision-ledger', { status, limit: 200 }),
  });
  const { buttons, modal } = useItemActions(() => undefined);
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.filterStatus')}
          placeholder={t('supervision.filterStatus')}
          value={status}
          onChange={setStatus}
          options={HANDOVER_ITEM_STATUSES.map((s) => ({ value: s, label: t(`supervision.handover.status.${s}`) }))}
          style={{ width: 160 }}
        />
      </div>
      <List<HandoverItem>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="supervision-ledger"
        locale={{ emptyText: <Empty description={t('supervision.handover.ledgerNone')} /> }}
        renderItem={(i) => <ItemRow item={i} buttons={buttons} />}
      />
      {modal}
    </div>
  );
}
