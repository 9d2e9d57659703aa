import { ExportOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Empty, Form, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DISCLOSURE_KINDS,
  DISCLOSURE_STATUSES,
  type DisclosureStatus,
  PERSON_RANKS,
} from '../../../../domain/disclosure';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { FormModal } from '../rounds/FormModal';
import { ymd } from '../supervision/shared';

interface Person {
  name: string;
  post: string;
  rank: string;
}
interface Item {
  id: number;
  kind: 'report' | 'typical';
  status: DisclosureStatus;
  batchId: number | null;
  batchNumber: number | null;
  roundName: string;
  unitName: string;
  titleHans: string;
  titleHant: string;
  bodyHans: string;
  bodyHant: string;
  persons: Person[];
  internalNote: string | null;
  publishedOn: string | null;
  returnedNote: string | null;
  withdrawnByName: string | null;
  withdrawnAt: number | null;
  withdrawReason: string | null;
  channels: { channel: string; publishedOn: string }[];
  version: number;
}
interface Batch {
  id: number;
  number: number;
  titleHans: string;
  titleHant: string;
  itemCount: number;
  publishedCount: number;
}
interface Candidate {
  id: number;
  number: string;
  description: string;
  unitName: string;
  roundName: string;
}

const STATUS_COLOR: Record<DisclosureStatus, string> = {
  draft: 'default',
  submitted: 'gold',
  approved: 'processing',
  published: 'success',
  withdrawn: 'error',
};

const KEY = ['disclosure'];

type Acting =
  | { act: 'edit' | 'return' | 'withdraw' | 'publish' | 'channel'; item: Item }
  | { act: 'typical' }
  | { act: 'batch' }
  | { act: 'publishBatch'; batch: Batch };

interface ActForm {
  problemId?: number;
  batchId?: number | null;
  titleHans?: string;
  titleHant?: string;
  bodyHans?: string;
  bodyHant?: string;
  persons?: Person[];
  internalNote?: string;
  reason?: string;
  publishedOn?: Dayjs;
  channels?: string[];
  channel?: string;
  channelDate?: Dayjs;
  note?: string;
}

/** 整改公开 (SPEC M15): the office drafts and publishes, the leadership approves. */
export default function DisclosurePage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [tab, setTab] = useState('items');
  const [acting, setActing] = useState<Acting | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });

  const draftDue = useMutation({
    mutationFn: () => api.post<{ drafted: number }>('/disclosure/reports/draft-due'),
    onSuccess: (r) => {
      toast('success', t('disclosure.drafted', { n: r.drafted }));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });

  return (
    <div>
      <PageHeader
        title={t('menu.disclosure')}
        intro={t('disclosure.intro')}
        extra={
          <>
            <Button href="/gongkai" target="_blank" rel="noopener" icon={<ExportOutlined />}>
              {t('disclosure.publicSite')}
            </Button>
            {can('disclosure.write') && (
              <>
                <Button onClick={() => draftDue.mutate()} loading={draftDue.isPending} data-testid="draft-due">
                  {t('disclosure.draftDue')}
                </Button>
                <Button onClick={() => setActing({ act: 'batch' })} data-testid="new-batch">
                  {t('disclosure.newBatch')}
                </Button>
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setActing({ act: 'typical' })}
                  data-testid="new-typical"
                >
                  {t('disclosure.newTypical')}
                </Button>
              </>
            )}
          </>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'items', label: t('disclosure.tabs.items'), children: <ItemsTab onAct={setActing} /> },
          { key: 'batches', label: t('disclosure.tabs.batches'), children: <BatchesTab onAct={setActing} /> },
        ]}
      />
      <ActModal acting={acting} onClose={() => setActing(null)} />
    </div>
  );
}

function ItemsTab({ onAct }: { onAct: (a: Acting) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [status, setStatus] = useState<DisclosureStatus | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const items = useQuery({
    queryKey: [...KEY, 'items', { status, kind, q }],
    queryFn: () => api.get<{ items: Item[] }>('/disclosure/items', { status, kind, q: q || undefined, limit: 200 }),
  });
  const move = useMutation({
    mutationFn: ({ item, act }: { item: Item; act: 'submit' | 'approve' | 'refresh' }) =>
      api.post(`/disclosure/items/${item.id}/${act}`, { version: item.version }),
    onSuccess: () => {
      toast('success', t('disclosure.saved'));
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: KEY })),
  });
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('disclosure.search')}
          aria-label={t('disclosure.search')}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          aria-label={t('disclosure.allStatuses')}
          placeholder={t('disclosure.allStatuses')}
          value={status}
          onChange={setStatus}
          style={{ width: 150 }}
          options={DISCLOSURE_STATUSES.map((s) => ({ value: s, label: t(`disclosure.status.${s}`) }))}
        />
        <Select
          allowClear
          aria-label={t('disclosure.allKinds')}
          placeholder={t('disclosure.allKinds')}
          value={kind}
          onChange={setKind}
          style={{ width: 150 }}
          options={DISCLOSURE_KINDS.map((k) => ({ value: k, label: t(`disclosure.kind.${k}`) }))}
        />
      </Space>
      <List<Item>
        bordered
        loading={items.isLoading}
        dataSource={items.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('disclosure.none')} /> }}
        renderItem={(d) => (
          <List.Item data-testid={`item-${d.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 260px' }}>
                <Space wrap size={4}>
                  <Tag color={STATUS_COLOR[d.status]}>{t(`disclosure.status.${d.status}`)}</Tag>
                  <Tag>{t(`disclosure.kind.${d.kind}`)}</Tag>
                  {d.batchNumber !== null && <Tag color="purple">{t('disclosure.batchNo', { n: d.batchNumber })}</Tag>}
                  <Typography.Text strong>{d.titleHans}</Typography.Text>
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.unitName} · {d.roundName}
                    {d.publishedOn && ` · ${t('disclosure.publishedOn', { date: d.publishedOn })}`}
                    {d.channels.length > 0 &&
                      ` · ${t('disclosure.channelsUsed', { list: d.channels.map((c) => `${c.channel} ${c.publishedOn}`).join('、') })}`}
                  </Typography.Text>
                </div>
                {d.returnedNote && d.status === 'draft' && (
                  <Typography.Text type="warning">{t('disclosure.returned', { note: d.returnedNote })}</Typography.Text>
                )}
                {d.status === 'withdrawn' && (
                  <Typography.Text type="secondary">
                    {t('disclosure.withdrawnBy', {
                      who: d.withdrawnByName ?? '',
                      date: d.withdrawnAt ? dayjs(d.withdrawnAt).format('YYYY-MM-DD') : '',
                      reason: d.withdrawReason ?? '',
                    })}
                  </Typography.Text>
                )}
              </div>
              <Space wrap>
                {can('disclosure.write') && d.status === 'draft' && (
                  <>
                    <Button size="small" onClick={() => onAct({ act: 'edit', item: d })}>
                      {t('disclosure.act.edit')}
                    </Button>
                    {d.kind === 'report' && (
                      <Button size="small" onClick={() => move.mutate({ item: d, act: 'refresh' })}>
                        {t('disclosure.act.refresh')}
                      </Button>
                    )}
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`submit-${d.id}`}
                      onClick={() => move.mutate({ item: d, act: 'submit' })}
                    >
                      {t('disclosure.act.submit')}
                    </Button>
                  </>
                )}
                {can('disclosure.approve') && d.status === 'submitted' && (
                  <>
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`approve-${d.id}`}
                      onClick={() => move.mutate({ item: d, act: 'approve' })}
                    >
                      {t('disclosure.act.approve')}
                    </Button>
                    <Button size="small" onClick={() => onAct({ act: 'return', item: d })}>
                      {t('disclosure.act.return')}
                    </Button>
                  </>
                )}
                {can('disclosure.write') && d.status === 'approved' && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid={`publish-${d.id}`}
                    onClick={() => onAct({ act: 'publish', item: d })}
                  >
                    {t('disclosure.act.publish')}
                  </Button>
                )}
                {d.status === 'published' && (
                  <>
                    <Button size="small" href={`/gongkai/${d.id}`} target="_blank" rel="noopener">
                      {t('disclosure.act.view')}
                    </Button>
                    {can('disclosure.write') && (
                      <Button size="small" onClick={() => onAct({ act: 'channel', item: d })}>
                        {t('disclosure.act.channel')}
                      </Button>
                    )}
                  </>
                )}
                {can('disclosure.write') && d.status !== 'withdrawn' && (
                  <Button
                    size="small"
                    danger
                    data-testid={`withdraw-${d.id}`}
                    onClick={() => onAct({ act: 'withdraw', item: d })}
                  >
                    {t('disclosure.act.withdraw')}
                  </Button>
                )}
              </Space>
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}

function BatchesTab({ onAct }: { onAct: (a: Acting) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const batches = useQuery({
    queryKey: [...KEY, 'batches'],
    queryFn: () => api.get<{ items: Batch[] }>('/disclosure/batches'),
  });
  const move = useMutation({
    mutationFn: ({ batch, act }: { batch: Batch; act: 'submit' | 'approve' }) =>
      api.post<{ changed: number }>(`/disclosure/batches/${batch.id}/${act}`, {}),
    onSuccess: (r) => {
      toast('success', t('disclosure.batch.changed', { n: r.changed }));
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: KEY })),
  });
  return (
    <List<Batch>
      bordered
      loading={batches.isLoading}
      dataSource={batches.data?.items ?? []}
      locale={{ emptyText: <Empty description={t('disclosure.batch.none')} /> }}
      renderItem={(b) => (
        <List.Item data-testid={`batch-${b.id}`}>
          <div className="period-row">
            <div style={{ minWidth: 0, flex: '1 1 240px' }}>
              <Space wrap size={4}>
                <Tag color="purple">{t('disclosure.batchNo', { n: b.number })}</Tag>
                <Typography.Text strong>{b.titleHans}</Typography.Text>
              </Space>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('disclosure.batch.items', { n: b.itemCount, p: b.publishedCount })}
                </Typography.Text>
              </div>
            </div>
            <Space wrap>
              {can('disclosure.write') && (
                <Button
                  size="small"
                  data-testid={`batch-submit-${b.id}`}
                  onClick={() => move.mutate({ batch: b, act: 'submit' })}
                >
                  {t('disclosure.batch.submitAll')}
                </Button>
              )}
              {can('disclosure.approve') && (
                <Button
                  size="small"
                  type="primary"
                  data-testid={`batch-approve-${b.id}`}
                  onClick={() => move.mutate({ batch: b, act: 'approve' })}
                >
                  {t('disclosure.batch.approveAll')}
                </Button>
              )}
              {can('disclosure.write') && (
                <Button
                  size="small"
                  type="primary"
                  data-testid={`batch-publish-${b.id}`}
                  onClick={() => onAct({ act: 'publishBatch', batch: b })}
                >
                  {t('disclosure.batch.publishAll')}
                </Button>
              )}
            </Space>
          </div>
        </List.Item>
      )}
    />
  );
}

function ActModal({ acting, onClose }: { acting: Acting | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const open = !!acting;
  const settings = useQuery({
    queryKey: [...KEY, 'settings'],
    enabled: open,
    queryFn: () => api.get<{ channels: string[] }>('/disclosure/settings'),
  });
  const batches = useQuery({
    queryKey: [...KEY, 'batches'],
    enabled: open,
    queryFn: () => api.get<{ items: Batch[] }>('/disclosure/batches'),
  });
  const candidates = useQuery({
    queryKey: [...KEY, 'candidates', search],
    enabled: acting?.act === 'typical',
    queryFn: () => api.get<{ items: Candidate[] }>('/disclosure/candidates', { q: search || undefined }),
  });
  const channelsOf = (v: ActForm) =>
    (v.channels ?? []).map((channel) => ({ channel, publishedOn: ymd(v.publishedOn) ?? dayjs().format('YYYY-MM-DD') }));
  const save = useMutation({
    mutationFn: (v: ActForm) => {
      const a = acting!;
      const text = (s: string | undefined) => (s?.trim() ? s : undefined);
      switch (a.act) {
        case 'typical':
          return api.post('/disclosure/items', {
            problemId: v.problemId,
            batchId: v.batchId ?? null,
            titleHans: v.titleHans!.trim(),
            titleHant: text(v.titleHant),
            bodyHans: v.bodyHans ?? '',
            bodyHant: text(v.bodyHant),
            persons: (v.persons ?? []).filter((p) => p?.name?.trim()),
            internalNote: text(v.internalNote),
          });
        case 'batch':
          return api.post('/disclosure/batches', { titleHans: v.titleHans!.trim(), titleHant: text(v.titleHant) });
        case 'edit':
          return api.patch(`/disclosure/items/${a.item.id}`, {
            version: a.item.version,
            ...(a.item.kind === 'typical' ? { batchId: v.batchId ?? null } : {}),
            titleHans: v.titleHans!.trim(),
            titleHant: v.titleHant?.trim() || a.item.titleHant,
            bodyHans: v.bodyHans ?? '',
            bodyHant: v.bodyHant ?? '',
            persons: (v.persons ?? []).filter((p) => p?.name?.trim()),
            internalNote: v.internalNote?.trim() || null,
          });
        case 'return':
        case 'withdraw':
          return api.post(`/disclosure/items/${a.item.id}/${a.act}`, {
            version: a.item.version,
            reason: v.reason!.trim(),
          });
        case 'publish':
          return api.post(`/disclosure/items/${a.item.id}/publish`, {
            version: a.item.version,
            publishedOn: ymd(v.publishedOn),
            channels: channelsOf(v),
          });
        case 'publishBatch':
          return api.post(`/disclosure/batches/${a.batch.id}/publish`, {
            publishedOn: ymd(v.publishedOn),
            channels: channelsOf(v),
          });
        case 'channel':
          return api.post(`/disclosure/items/${a.item.id}/channels`, {
            channel: v.channel,
            publishedOn: ymd(v.channelDate),
            note: text(v.note),
          });
      }
    },
    onSuccess: () => {
      toast('success', t('disclosure.saved'));
      onClose();
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: KEY })),
  });
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const channelOptions = (settings.data?.channels ?? []).map((c) => ({ value: c, label: c }));
  const batchOptions = [
    { value: null as unknown as number, label: t('disclosure.fields.noBatch') },
    ...(batches.data?.items ?? []).map((b) => ({
      value: b.id,
      label: `${t('disclosure.batchNo', { n: b.number })} ${b.titleHans}`,
    })),
  ];
  if (!acting) return null;
  const item = 'item' in acting ? acting.item : null;
  const titles: Record<Acting['act'], string> = {
    edit: t('disclosure.act.edit'),
    return: t('disclosure.act.return'),
    withdraw: t('disclosure.act.withdraw'),
    publish: t('disclosure.act.publish'),
    channel: t('disclosure.act.channel'),
    typical: t('disclosure.newTypical'),
    batch: t('disclosure.newBatch'),
    publishBatch: t('disclosure.batch.publishAll'),
  };
  const wording = acting.act === 'typical' || acting.act === 'edit';
  return (
    <FormModal<ActForm>
      open={open}
      title={`${titles[acting.act]}${item ? ` · ${item.titleHans}` : ''}`}
      onCancel={onClose}
      onFinish={(v) => save.mutate(v)}
      busy={save.isPending}
      width={wording ? 720 : 520}
      okDanger={acting.act === 'withdraw'}
      testId="act-ok"
      initialValues={{
        publishedOn: dayjs(),
        channelDate: dayjs(),
        channels: [],
        batchId: item?.batchId ?? (acting.act === 'typical' ? (batches.data?.items[0]?.id ?? null) : null),
        ...(acting.act === 'edit'
          ? {
              titleHans: acting.item.titleHans,
              titleHant: acting.item.titleHant,
              bodyHans: acting.item.bodyHans,
              bodyHant: acting.item.bodyHant,
              persons: acting.item.persons,
              internalNote: acting.item.internalNote ?? '',
            }
          : {}),
      }}
    >
      {acting.act === 'typical' && (
        <Form.Item
          name="problemId"
          label={t('disclosure.fields.problem')}
          rules={[{ required: true, message: t('common.required', { field: t('disclosure.fields.problem') }) }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('disclosure.fields.problemSearch')}
            loading={candidates.isLoading}
            data-testid="problem-select"
            options={(candidates.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.unitName} ${p.number} ${p.description.slice(0, 60)}`,
            }))}
          />
        </Form.Item>
      )}
      {wording && (item?.kind ?? 'typical') === 'typical' && (
        <Form.Item name="batchId" label={t('disclosure.fields.batch')}>
          <Select options={batchOptions} data-testid="batch-select" />
        </Form.Item>
      )}
      {(wording || acting.act === 'batch') && (
        <>
          <Form.Item
            name="titleHans"
            label={t(acting.act === 'batch' ? 'disclosure.fields.batchTitleHans' : 'disclosure.fields.titleHans')}
            rules={req(t('disclosure.fields.titleHans'))}
          >
            <Input maxLength={acting.act === 'batch' ? 200 : 300} />
          </Form.Item>
          <Form.Item
            name="titleHant"
            label={t(acting.act === 'batch' ? 'disclosure.fields.batchTitleHant' : 'disclosure.fields.titleHant')}
            extra={acting.act !== 'edit' ? t('disclosure.fields.hantHint') : undefined}
          >
            <Input maxLength={acting.act === 'batch' ? 200 : 300} lang="zh-Hant" />
          </Form.Item>
        </>
      )}
      {wording && (
        <>
          <Form.Item
            name="bodyHans"
            label={t('disclosure.fields.bodyHans')}
            rules={req(t('disclosure.fields.bodyHans'))}
          >
            <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
          <Form.Item
            name="bodyHant"
            label={t('disclosure.fields.bodyHant')}
            extra={acting.act !== 'edit' ? t('disclosure.fields.hantHint') : undefined}
          >
            <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} lang="zh-Hant" />
          </Form.Item>
          {(item?.kind ?? 'typical') === 'typical' && (
            <Form.List name="persons">
              {(fields, { add, remove }) => (
                <Form.Item label={t('disclosure.fields.persons')}>
                  {fields.map((f) => (
                    <Space key={f.key} wrap align="baseline" style={{ marginBottom: 4 }}>
                      <Form.Item name={[f.name, 'name']} noStyle rules={req(t('disclosure.fields.personName'))}>
                        <Input
                          placeholder={t('disclosure.fields.personName')}
                          aria-label={t('disclosure.fields.personName')}
                          maxLength={50}
                          style={{ width: 120 }}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'post']} noStyle initialValue="">
                        <Input
                          placeholder={t('disclosure.fields.personPost')}
                          aria-label={t('disclosure.fields.personPost')}
                          maxLength={100}
                          style={{ width: 160 }}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'rank']} noStyle initialValue="staff">
                        <Select
                          aria-label={t('disclosure.fields.personRank')}
                          style={{ width: 140 }}
                          options={PERSON_RANKS.map((r) => ({ value: r, label: t(`disclosure.rank.${r}`) }))}
                        />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="remove" />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    size="small"
                    icon={<PlusOutlined />}
                    onClick={() => add({ name: '', post: '', rank: 'staff' })}
                  >
                    {t('disclosure.fields.addPerson')}
                  </Button>
                </Form.Item>
              )}
            </Form.List>
          )}
          <Form.Item name="internalNote" label={t('disclosure.fields.internalNote')}>
            <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </>
      )}
      {(acting.act === 'return' || acting.act === 'withdraw') && (
        <Form.Item name="reason" label={t('disclosure.fields.reason')} rules={req(t('disclosure.fields.reason'))}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="reason" />
        </Form.Item>
      )}
      {(acting.act === 'publish' || acting.act === 'publishBatch') && (
        <>
          <Form.Item name="publishedOn" label={t('disclosure.fields.publishedOn')}>
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="channels" label={t('disclosure.fields.channels')}>
            <Select mode="multiple" options={channelOptions} data-testid="channels-select" />
          </Form.Item>
        </>
      )}
      {acting.act === 'channel' && (
        <>
          <Form.Item
            name="channel"
            label={t('disclosure.fields.channel')}
            rules={[{ required: true, message: t('common.required', { field: t('disclosure.fields.channel') }) }]}
          >
            <Select options={channelOptions} />
          </Form.Item>
          <Form.Item name="channelDate" label={t('disclosure.fields.channelDate')}>
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="note" label={t('disclosure.fields.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
