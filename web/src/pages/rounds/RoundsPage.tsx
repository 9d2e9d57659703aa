import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, InputNumber, Progress, Select, Table, Tabs, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ROUND_TYPES, ROUND_UNIT_STATUSES, type RoundUnitStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Page } from '../../api/types';
import { useCan } from '../../app/auth';
import { CursorPager } from '../../components/CursorPager';
import { PageHeader } from '../../components/PageHeader';
import { dateOr, RoundUnitStatusTag } from '../ledger/shared';
import { FormModal } from './FormModal';
import { useRounds, useTermOptions, useTerms } from './shared';
import type { Round, RoundUnit, Term } from './types';

const toDate = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const fromDate = (s: string | null | undefined) => (s ? dayjs(s) : undefined);

type Tab = 'rounds' | 'units' | 'terms';

export default function RoundsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  // A unit's people look at their own units first; the office at its rounds.
  const tab = (params.get('tab') as Tab | null) ?? (can('round.write') ? 'rounds' : 'units');
  const setTab = (next: string) => {
    const p = new URLSearchParams(params);
    p.set('tab', next);
    setParams(p, { replace: true });
  };

  return (
    <div>
      <PageHeader title={t('ledger.rounds.title')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'rounds', label: t('ledger.rounds.tabRounds'), children: <RoundsTab /> },
          { key: 'units', label: t('ledger.rounds.tabUnits'), children: <RoundUnitsTab /> },
          { key: 'terms', label: t('ledger.rounds.tabTerms'), children: <TermsTab /> },
        ]}
      />
    </div>
  );
}

// ── 轮次 ───────────────────────────────────────────────────────────────────────────────────────

interface RoundForm {
  termId: number;
  number: number;
  name: string;
  type: string;
  onSite?: [Dayjs | null, Dayjs | null] | null;
  notes?: string;
}

function RoundsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [termId, setTermId] = useState<number | undefined>();
  const [type, setType] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const rounds = useRounds({ termId, type, q: q || undefined });
  const termOptions = useTermOptions();
  const [editing, setEditing] = useState<Round | 'new' | null>(null);
  const writable = can('round.write');

  const save = useMutation({
    mutationFn: (v: RoundForm) => {
      const body = {
        number: v.number,
        name: v.name.trim(),
        type: v.type,
        onSiteStart: toDate(v.onSite?.[0]),
        onSiteEnd: toDate(v.onSite?.[1]),
        notes: v.notes?.trim() || null,
      };
      if (editing === 'new' || !editing) return api.post<Round>('/rounds', { ...body, termId: v.termId });
      return api.patch<Round>(`/rounds/${editing.id}`, { ...body, version: editing.version });
    },
    onSuccess: (r) => {
      toast('success', editing === 'new' ? t('common.created') : t('common.saved'));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['rounds'] });
      if (editing === 'new') navigate(`/rounds/${r.id}`);
    },
    onError: (e) =>
      handleWriteError(e, (current) => {
        void qc.invalidateQueries({ queryKey: ['rounds'] });
        if (current && typeof current === 'object') setEditing(current as Round);
      }),
  });

  const nextNumber = (tid?: number) =>
    Math.max(0, ...(rounds.data ?? []).filter((r) => !tid || r.termId === tid).map((r) => r.number)) + 1;

  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          placeholder={t('ledger.rounds.filterTerm')}
          aria-label={t('ledger.rounds.filterTerm')}
          value={termId}
          onChange={setTermId}
          options={termOptions}
          style={{ minWidth: 200 }}
        />
        <Select
          allowClear
          placeholder={t('ledger.rounds.filterType')}
          aria-label={t('ledger.rounds.filterType')}
          value={type}
          onChange={setType}
          options={ROUND_TYPES.map((v) => ({ value: v, label: t(`ledger.roundTypes.${v}`) }))}
          style={{ minWidth: 150 }}
        />
        <Input.Search
          allowClear
          placeholder={t('ledger.rounds.searchPlaceholder')}
          aria-label={t('ledger.rounds.searchPlaceholder')}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 240 }}
        />
        <Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => void rounds.refetch()} />
        <div style={{ flex: 1 }} />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="round-create">
            {t('ledger.rounds.create')}
          </Button>
        )}
      </div>
      <Table<Round>
        rowKey="id"
        size="middle"
        loading={rounds.isLoading}
        dataSource={rounds.data ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true }}
        columns={[
          { title: t('ledger.rounds.term'), dataIndex: 'termName', width: 200 },
          {
            title: t('ledger.rounds.number'),
            dataIndex: 'number',
            width: 90,
            render: (n: number) => t('ledger.rounds.numberLabel', { n }),
          },
          {
            title: t('ledger.rounds.name'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Link to={`/rounds/${r.id}`} data-testid={`round-link-${r.id}`}>
                {name}
              </Link>
            ),
          },
          {
            title: t('ledger.rounds.type'),
            dataIndex: 'type',
            width: 110,
            render: (v: Round['type']) => t(`ledger.roundTypes.${v}`),
          },
          {
            title: t('ledger.rounds.onSite'),
            key: 'onSite',
            width: 200,
            render: (_: unknown, r) => (r.onSiteStart ? `${r.onSiteStart} ~ ${dateOr(r.onSiteEnd)}` : '—'),
          },
          {
            title: t('ledger.rounds.units'),
            key: 'units',
            width: 90,
            render: (_: unknown, r) => t('ledger.rounds.unitCount', { count: r.unitCounts.total }),
          },
          {
            title: t('ledger.rounds.progress'),
            key: 'progress',
            width: 170,
            render: (_: unknown, r) => {
              const c = r.unitCounts;
              const started = c.total - c.awaiting_feedback;
              return (
                <Tooltip
                  title={ROUND_UNIT_STATUSES.filter((s) => c[s])
                    .map((s) => `${t(`ledger.ruStatus.${s}`)} ${c[s]}`)
                    .join(' · ')}
                >
                  <Progress
                    percent={c.total ? Math.round((started / c.total) * 100) : 0}
                    size="small"
                    format={() => `${started}/${c.total}`}
                  />
                </Tooltip>
              );
            },
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, r: Round) => (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={`${t('common.edit')} ${r.name}`}
                      onClick={() => setEditing(r)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal<RoundForm>
        open={!!editing}
        title={editing === 'new' ? t('ledger.rounds.createTitle') : t('ledger.rounds.editTitle')}
        onCancel={() => setEditing(null)}
        busy={save.isPending}
        onFinish={(v) => save.mutate(v)}
        testId="round-save"
        initialValues={
          editing && editing !== 'new'
            ? {
                termId: editing.termId,
                number: editing.number,
                name: editing.name,
                type: editing.type,
                onSite: editing.onSiteStart
                  ? [fromDate(editing.onSiteStart) ?? null, fromDate(editing.onSiteEnd) ?? null]
                  : null,
                notes: editing.notes ?? '',
              }
            : {
                termId: termId ?? termOptions[termOptions.length - 1]?.value,
                number: nextNumber(termId),
                type: 'regular',
              }
        }
      >
        <Form.Item
          name="termId"
          label={t('ledger.rounds.term')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.rounds.term') }) }]}
        >
          <Select options={termOptions} disabled={editing !== 'new'} />
        </Form.Item>
        <Form.Item
          name="number"
          label={t('ledger.rounds.number')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.rounds.number') }) }]}
        >
          <InputNumber min={1} max={1000} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('ledger.rounds.name')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('ledger.rounds.name') }) },
          ]}
        >
          <Input maxLength={200} placeholder={t('ledger.rounds.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="type"
          label={t('ledger.rounds.type')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.rounds.type') }) }]}
        >
          <Select options={ROUND_TYPES.map((v) => ({ value: v, label: t(`ledger.roundTypes.${v}`) }))} />
        </Form.Item>
        <Form.Item name="onSite" label={t('ledger.rounds.onSite')}>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            placeholder={[t('ledger.rounds.onSiteStart'), t('ledger.rounds.onSiteEnd')]}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('ledger.rounds.notes')}>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

// ── 被巡察单位 (round-units in scope) ────────────────────────────────────────────────────────────

function RoundUnitsTab() {
  const { t } = useTranslation();
  const termOptions = useTermOptions();
  const [termId, setTermId] = useState<number | undefined>();
  const [status, setStatus] = useState<RoundUnitStatus | undefined>();
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<number[]>([0]);
  const [limit, setLimit] = useState(20);
  const page = cursors.length;
  const after = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['round-units', 'list', { termId, status, q, after, limit }],
    queryFn: () => api.get<Page<RoundUnit>>('/round-units', { termId, status, q, after, limit }),
    placeholderData: (prev) => prev,
  });
  const reset = () => setCursors([0]);

  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          placeholder={t('ledger.rounds.filterTerm')}
          aria-label={t('ledger.rounds.filterTerm')}
          value={termId}
          onChange={(v) => {
            setTermId(v);
            reset();
          }}
          options={termOptions}
          style={{ minWidth: 200 }}
        />
        <Select
          allowClear
          placeholder={t('ledger.rounds.filterStatus')}
          aria-label={t('ledger.rounds.filterStatus')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            reset();
          }}
          options={ROUND_UNIT_STATUSES.map((s) => ({ value: s, label: t(`ledger.ruStatus.${s}`) }))}
          style={{ minWidth: 140 }}
        />
        <Input.Search
          allowClear
          placeholder={t('ledger.rounds.unitSearchPlaceholder')}
          aria-label={t('ledger.rounds.unitSearchPlaceholder')}
          onSearch={(v) => {
            setQ(v.trim());
            reset();
          }}
          style={{ width: 240 }}
        />
      </div>
      <Table<RoundUnit>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('ledger.round.unit'),
            dataIndex: 'unitName',
            render: (v: string, r) => (
              <Link to={`/rounds/units/${r.id}`} data-testid={`ru-link-${r.id}`}>
                {v}
              </Link>
            ),
          },
          { title: t('ledger.ru.round'), dataIndex: 'roundName' },
          {
            title: t('ledger.ru.status'),
            dataIndex: 'status',
            width: 110,
            render: (s: RoundUnitStatus) => <RoundUnitStatusTag status={s} />,
          },
          { title: t('ledger.round.feedbackDate'), dataIndex: 'feedbackDate', width: 120, render: dateOr },
          { title: t('ledger.round.deadline'), dataIndex: 'deadline', width: 120, render: dateOr },
          { title: t('ledger.round.team'), dataIndex: 'teamName', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <CursorPager
        page={page}
        total={list.data?.total}
        hasNext={list.data?.nextCursor != null}
        pageSize={limit}
        onPrev={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => list.data?.nextCursor != null && setCursors((c) => [...c, list.data!.nextCursor!])}
        onPageSize={(n) => {
          setLimit(n);
          reset();
        }}
      />
    </div>
  );
}

// ── 届次 ───────────────────────────────────────────────────────────────────────────────────────

interface TermForm {
  number: number;
  name: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

function TermsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const terms = useTerms();
  const [editing, setEditing] = useState<Term | 'new' | null>(null);
  const writable = can('round.write');

  const save = useMutation({
    mutationFn: (v: TermForm) => {
      const body = {
        number: v.number,
        name: v.name.trim(),
        startDate: toDate(v.dates?.[0]),
        endDate: toDate(v.dates?.[1]),
      };
      if (editing === 'new' || !editing) return api.post<Term>('/terms', body);
      return api.patch<Term>(`/terms/${editing.id}`, { ...body, version: editing.version });
    },
    onSuccess: () => {
      toast('success', editing === 'new' ? t('common.created') : t('common.saved'));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['terms'] });
      void qc.invalidateQueries({ queryKey: ['rounds'] });
    },
    onError: (e) =>
      handleWriteError(e, (current) => {
        void qc.invalidateQueries({ queryKey: ['terms'] });
        if (current && typeof current === 'object') setEditing(current as Term);
      }),
  });

  return (
    <div>
      <div className="toolbar">
        <Typography.Text type="secondary">{terms.data?.length === 0 ? t('ledger.terms.empty') : null}</Typography.Text>
        <div style={{ flex: 1 }} />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="term-create">
            {t('ledger.terms.create')}
          </Button>
        )}
      </div>
      <Table<Term>
        rowKey="id"
        size="middle"
        loading={terms.isLoading}
        dataSource={terms.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('ledger.terms.number'),
            dataIndex: 'number',
            width: 100,
            render: (n: number) => t('ledger.terms.numberLabel', { n }),
          },
          { title: t('ledger.terms.name'), dataIndex: 'name' },
          { title: t('ledger.terms.startDate'), dataIndex: 'startDate', width: 120, render: dateOr },
          { title: t('ledger.terms.endDate'), dataIndex: 'endDate', width: 120, render: dateOr },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, r: Term) => (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={`${t('common.edit')} ${r.name}`}
                      onClick={() => setEditing(r)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal<TermForm>
        open={!!editing}
        title={editing === 'new' ? t('ledger.terms.createTitle') : t('ledger.terms.editTitle')}
        onCancel={() => setEditing(null)}
        busy={save.isPending}
        onFinish={(v) => save.mutate(v)}
        testId="term-save"
        initialValues={
          editing && editing !== 'new'
            ? {
                number: editing.number,
                name: editing.name,
                dates: editing.startDate
                  ? [fromDate(editing.startDate) ?? null, fromDate(editing.endDate) ?? null]
                  : null,
              }
            : { number: Math.max(0, ...(terms.data ?? []).map((x) => x.number)) + 1 }
        }
      >
        <Form.Item
          name="number"
          label={t('ledger.terms.number')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.terms.number') }) }]}
        >
          <InputNumber min={1} max={1000} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('ledger.terms.name')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('ledger.terms.name') }) },
          ]}
        >
          <Input maxLength={100} placeholder={t('ledger.terms.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="dates" label={`${t('ledger.terms.startDate')} ~ ${t('ledger.terms.endDate')}`}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
