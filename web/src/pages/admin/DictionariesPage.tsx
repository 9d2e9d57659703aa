import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPERVISOR_LINES } from '../../../../domain/roles';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { DICT_KINDS, type DictEntry, type DictKind } from '../../api/types';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';

type ExtraLabel =
  | 'dict.minScore'
  | 'dict.weight'
  | 'dict.maxScore'
  | 'dict.points'
  | 'dict.line'
  | 'dict.campaign'
  | 'dict.url'
  | 'dict.external';
type ExtraField =
  | {
      name: string;
      labelKey: ExtraLabel;
      type: 'number';
      min: number;
      max: number;
      required?: boolean;
      hint?: 'dict.pointsHint';
    }
  | { name: string; labelKey: ExtraLabel; type: 'line' | 'boolean' | 'url'; required?: false };

/** The `extra` attributes each kind carries (domain/dictionaries.ts checkExtra), edited as ordinary fields. */
const EXTRA_FIELDS: Record<DictKind, ExtraField[]> = {
  problem_category: [
    { name: 'line', labelKey: 'dict.line', type: 'line' },
    { name: 'campaign', labelKey: 'dict.campaign', type: 'boolean' },
  ],
  action_type: [],
  grade: [{ name: 'minScore', labelKey: 'dict.minScore', type: 'number', min: 0, max: 100, required: true }],
  scoring_indicator: [
    { name: 'weight', labelKey: 'dict.weight', type: 'number', min: 0, max: 100, required: true },
    { name: 'maxScore', labelKey: 'dict.maxScore', type: 'number', min: 0, max: 1000, required: true },
  ],
  deduction_reason: [
    {
      name: 'points',
      labelKey: 'dict.points',
      type: 'number',
      min: -100,
      max: 0,
      required: true,
      hint: 'dict.pointsHint',
    },
  ],
  disclosure_channel: [{ name: 'url', labelKey: 'dict.url', type: 'url' }],
  round_type: [{ name: 'external', labelKey: 'dict.external', type: 'boolean' }],
};

interface DictForm {
  code: string;
  labelZhCn: string;
  labelZhTw: string;
  labelEn: string;
  sort?: number;
  active?: boolean;
  extra?: Record<string, unknown>;
}

type Line = (typeof SUPERVISOR_LINES)[number];

function KindTable({ kind }: { kind: DictKind }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<DictEntry | 'new' | null>(null);
  const [form] = Form.useForm<DictForm>();
  const fields = EXTRA_FIELDS[kind];
  const kindName = t(`dict.kinds.${kind}`);

  const list = useQuery({
    queryKey: ['dictionaries', kind, showInactive ? 'all' : 'active'],
    queryFn: () => api.get<{ items: DictEntry[] }>('/dictionaries', { kind, active: showInactive ? undefined : true }),
  });
  const invalidate = () => qc.invalidateQueries({ queryKey: ['dictionaries'] });

  const openEdit = (d: DictEntry | 'new') => {
    setEditing(d);
    form.resetFields();
    if (d === 'new') form.setFieldsValue({ sort: 0 });
    else form.setFieldsValue({ ...d, extra: d.extra ?? {} });
  };

  const save = useMutation({
    mutationFn: (v: DictForm) => {
      let extra: Record<string, unknown> | null = null;
      if (fields.length) {
        extra = {};
        for (const f of fields) {
          const value = v.extra?.[f.name];
          if (value === undefined || value === null || value === '') continue;
          if (f.type === 'boolean' && value === false) continue;
          extra[f.name] = typeof value === 'string' ? value.trim() : value;
        }
        if (!Object.keys(extra).length) extra = null;
      }
      const body = {
        code: v.code.trim(),
        labelZhCn: v.labelZhCn.trim(),
        labelZhTw: v.labelZhTw.trim(),
        labelEn: v.labelEn.trim(),
        sort: v.sort ?? 0,
        extra,
      };
      if (editing === 'new' || !editing) return api.post<DictEntry>('/dictionaries', { kind, ...body });
      const { code: _code, ...patch } = body;
      return api.patch<DictEntry>(`/dictionaries/${editing.id}`, {
        version: editing.version,
        ...patch,
        active: v.active,
      });
    },
    onSuccess: () => {
      toast('success', editing === 'new' ? t('common.created') : t('common.saved'));
      setEditing(null);
      void invalidate();
    },
    onError: (e) =>
      handleWriteError(e, (current) => {
        void invalidate();
        if (current && typeof current === 'object') openEdit(current as DictEntry);
      }),
  });
  const remove = useMutation({
    mutationFn: (d: DictEntry) => api.delete(`/dictionaries/${d.id}`),
    onSuccess: () => {
      toast('success', t('common.deleted'));
      void invalidate();
    },
    onError: (e) => handleWriteError(e, () => void invalidate()),
  });

  const needle = q.trim().toLowerCase();
  const rows = (list.data?.items ?? [])
    .filter(
      (d) =>
        !needle || [d.code, d.labelZhCn, d.labelZhTw, d.labelEn].some((s) => (s ?? '').toLowerCase().includes(needle)),
    )
    .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  const writable = can('dict.write');

  const renderExtra = (d: DictEntry) =>
    fields.length ? (
      <Space size={4} wrap>
        {fields.map((f) => {
          const v = d.extra?.[f.name];
          if (v === undefined || v === null || v === '') return null;
          const shown =
            f.type === 'line'
              ? t(`lines.${v as Line}`, { defaultValue: String(v) })
              : f.type === 'boolean'
                ? v
                  ? t('common.yes')
                  : t('common.no')
                : String(v);
          return <Tag key={f.name}>{`${t(f.labelKey)}：${shown}`}</Tag>;
        })}
      </Space>
    ) : null;

  return (
    <>
      <div className="toolbar">
        <Input.Search
          allowClear
          placeholder={t('dict.searchPlaceholder')}
          aria-label={t('dict.searchPlaceholder')}
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          style={{ width: 240 }}
        />
        <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
          {t('dict.showInactive')}
        </Checkbox>
        <Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => void invalidate()} />
        <div style={{ flex: 1 }} />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openEdit('new')}>
            {t('dict.create')}
          </Button>
        )}
      </div>
      <Table<DictEntry>
        rowKey="id"
        loading={list.isLoading}
        dataSource={rows}
        scroll={{ x: 960 }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true }}
        columns={[
          {
            title: t('dict.code'),
            dataIndex: 'code',
            width: 200,
            render: (v: string) => <span className="mono">{v}</span>,
          },
          { title: t('dict.labelZhCn'), dataIndex: 'labelZhCn' },
          { title: t('dict.labelZhTw'), dataIndex: 'labelZhTw' },
          { title: t('dict.labelEn'), dataIndex: 'labelEn' },
          ...(fields.length
            ? [{ title: t('dict.extra'), key: 'extra', render: (_: unknown, d: DictEntry) => renderExtra(d) }]
            : []),
          { title: t('dict.sort'), dataIndex: 'sort', width: 70 },
          {
            title: t('dict.active'),
            dataIndex: 'active',
            width: 80,
            render: (v: boolean) =>
              v ? <Tag color="green">{t('common.enabled')}</Tag> : <Tag>{t('common.disabled')}</Tag>,
          },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: number) => formatTime(v) },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, d: DictEntry) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => openEdit(d)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('common.deleteConfirm', { name: d.labelZhCn })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutateAsync(d).catch(() => undefined)}
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Drawer
        open={!!editing}
        title={editing === 'new' ? t('dict.createTitle', { kind: kindName }) : t('dict.editTitle', { kind: kindName })}
        size={460}
        onClose={() => setEditing(null)}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={() => form.submit()} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="code"
            label={t('dict.code')}
            rules={[
              { required: true, message: t('common.required', { field: t('dict.code') }) },
              { pattern: /^[A-Za-z0-9_.-]+$/, message: t('dict.codeRule') },
            ]}
          >
            <Input maxLength={64} disabled={editing !== 'new'} autoFocus />
          </Form.Item>
          {(['labelZhCn', 'labelZhTw', 'labelEn'] as const).map((k) => (
            <Form.Item
              key={k}
              name={k}
              label={t(`dict.${k}`)}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t(`dict.${k}`) }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          ))}
          {fields.map((f) => (
            <Form.Item
              key={f.name}
              name={['extra', f.name]}
              label={t(f.labelKey)}
              valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
              extra={f.type === 'number' && f.hint ? t(f.hint) : undefined}
              rules={[
                ...(f.required ? [{ required: true, message: t('common.required', { field: t(f.labelKey) }) }] : []),
                ...(f.type === 'url' ? [{ pattern: /^(https?:\/\/|\/)\S*$/, message: t('dict.url') }] : []),
              ]}
            >
              {f.type === 'line' ? (
                <Select allowClear options={SUPERVISOR_LINES.map((v) => ({ value: v, label: t(`lines.${v}`) }))} />
              ) : f.type === 'boolean' ? (
                <Switch />
              ) : f.type === 'url' ? (
                <Input maxLength={500} placeholder="https://" />
              ) : f.type === 'number' ? (
                <InputNumber min={f.min} max={f.max} style={{ width: 160 }} />
              ) : null}
            </Form.Item>
          ))}
          <Form.Item name="sort" label={t('dict.sort')}>
            <InputNumber min={0} max={1000000} precision={0} style={{ width: 160 }} />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('dict.active')} valuePropName="checked">
              <Switch checkedChildren={t('common.enabled')} unCheckedChildren={t('common.disabled')} />
            </Form.Item>
          )}
        </Form>
      </Drawer>
    </>
  );
}

export default function DictionariesPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<DictKind>('problem_category');
  return (
    <div>
      <PageHeader title={t('dict.title')} />
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k as DictKind)}
        destroyOnHidden
        items={DICT_KINDS.map((k) => ({ key: k, label: t(`dict.kinds.${k}`), children: <KindTable kind={k} /> }))}
      />
    </div>
  );
}
