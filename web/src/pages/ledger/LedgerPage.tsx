import {
  DownloadOutlined,
  EyeOutlined,
  FilterOutlined,
  PrinterOutlined,
  ReloadOutlined,
  SettingOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Checkbox,
  Grid,
  Input,
  Popover,
  Select,
  Space,
  Table,
  type TableColumnType,
  type TableProps,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  MEASURE_STATUSES,
  MEASURE_TYPES,
  type MeasureStatus,
  type MeasureType,
} from '../../../../domain/rectification';
import { api, download, withQuery } from '../../api/client';
import { showError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { CursorPager } from '../../components/CursorPager';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { OrgSearchSelect, RoundUnitSelect, useRounds, useTermOptions } from '../rounds/shared';
import { BulkBar } from './BulkBar';
import { ClampText } from './ClampText';
import { LedgerCards } from './LedgerCards';
import { LedgerImportDialog } from './LedgerImportDialog';
import { MeasureDrawer } from './MeasureDrawer';
import { categoryName, categoryOptions, dateOr, LightTag, MeasureStatusTag, Money, useCategories } from './shared';
import type { LedgerPage as LedgerPageData, LedgerRow } from './types';
import { UserSelect } from './UserSelect';

/** Columns of the sheet, in its Excel order. `problem` columns merge over the rows of one problem. */
const COLUMN_KEYS = [
  'light',
  'round',
  'unit',
  'problemNumber',
  'category',
  'problemDescription',
  'severity',
  'source',
  'responsibleLeader',
  'responsibleDepartment',
  'responsiblePerson',
  'firstResponsible',
  'sharedResponsibles',
  'seq',
  'content',
  'type',
  'effectiveDeadline',
  'deadline',
  'extendedDeadline',
  'ownerName',
  'status',
  'completedOn',
  'rulesEstablished',
  'fundsReturned',
  'lossesRecovered',
  'peopleHeldAccountable',
  'casesFiled',
] as const;
type ColumnKey = (typeof COLUMN_KEYS)[number];

const DEFAULT_COLUMNS: ColumnKey[] = [
  'light',
  'unit',
  'problemNumber',
  'category',
  'problemDescription',
  'seq',
  'content',
  'type',
  'effectiveDeadline',
  'ownerName',
  'status',
];
const PROBLEM_COLUMNS: ColumnKey[] = [
  'round',
  'unit',
  'problemNumber',
  'category',
  'problemDescription',
  'severity',
  'source',
  'responsibleLeader',
  'responsibleDepartment',
  'responsiblePerson',
  'firstResponsible',
  'sharedResponsibles',
];
/** A drill-down from a dashboard figure shows the column behind it. */
const FOCUS_COLUMN: Record<string, ColumnKey> = {
  rules: 'rulesEstablished',
  funds: 'fundsReturned',
  losses: 'lossesRecovered',
  status: 'status',
  unit: 'unit',
};
const STORAGE_KEY = 'rectify.ledger.columns';
const SORTABLE: Partial<Record<ColumnKey, 'unit' | 'deadline' | 'status'>> = {
  unit: 'unit',
  effectiveDeadline: 'deadline',
  status: 'status',
};

function loadColumns(): ColumnKey[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(saved)) {
      const keys = saved.filter((k): k is ColumnKey => (COLUMN_KEYS as readonly string[]).includes(k));
      if (keys.length) return keys;
    }
  } catch {
    // a broken value falls back to the default
  }
  return DEFAULT_COLUMNS;
}

const FILTER_KEYS = [
  'termId',
  'roundId',
  'roundUnitId',
  'unitOrgId',
  'categoryCode',
  'status',
  'type',
  'overdue',
  'ownerUserId',
  'q',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
/** What GET /ledger/export accepts. */
const EXPORT_KEYS: FilterKey[] = ['termId', 'roundId', 'roundUnitId', 'unitOrgId', 'categoryCode', 'status', 'type'];

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export default function LedgerPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const categories = useCategories();
  const termOptions = useTermOptions();

  const filters = useMemo(() => {
    const f: Record<FilterKey, string | undefined> = {} as Record<FilterKey, string | undefined>;
    for (const k of FILTER_KEYS) f[k] = params.get(k) || undefined;
    return f;
  }, [params]);
  const sort = (params.get('sort') as 'id' | 'unit' | 'deadline' | 'status' | null) ?? 'id';
  const order = (params.get('order') as 'asc' | 'desc' | null) ?? 'asc';
  const focus = params.get('focus');

  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [limit, setLimit] = useState(50);
  const [openId, setOpenId] = useState<number | null>(null);
  const [selected, setSelected] = useState<Map<number, LedgerRow>>(new Map());
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [columns, setColumns] = useState<ColumnKey[]>(loadColumns);
  const screens = Grid.useBreakpoint();
  // On a phone the sheet becomes cards and the filters fold away behind one button.
  const narrow = screens.md === false;
  const [filtersOpen, setFiltersOpen] = useState(false);
  const after = cursors[cursors.length - 1];

  // Filters and sorting start again from the first page.
  const paramKey = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the address's filters change
  useEffect(() => {
    setCursors([undefined]);
  }, [paramKey]);

  const setFilter = (
    patch: Partial<Record<FilterKey | 'sort' | 'order' | 'focus', string | number | boolean | null | undefined>>,
  ) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') p.delete(k);
      else p.set(k, String(v));
    }
    setParams(p, { replace: true });
  };

  const query = {
    ...filters,
    overdue: filters.overdue === 'true' ? true : filters.overdue === 'false' ? false : undefined,
    sort,
    order,
    after,
    limit,
  };
  const page = useQuery({
    queryKey: ['ledger', query],
    queryFn: () => api.get<LedgerPageData>('/ledger', query),
    placeholderData: (prev) => prev,
  });
  const rounds = useRounds({ termId: num(filters.termId ?? null) });
  const items = page.data?.items ?? [];

  // Rows of one problem next to each other share its cells, as in the Excel ledger.
  const spans = useMemo(() => {
    const out = new Array<number>(items.length).fill(1);
    for (let i = 0; i < items.length; ) {
      let j = i + 1;
      while (j < items.length && items[j].problemId === items[i].problemId) j++;
      out[i] = j - i;
      for (let k = i + 1; k < j; k++) out[k] = 0;
      i = j;
    }
    return out;
  }, [items]);

  const shown = useMemo(() => {
    const set = new Set(columns);
    const f = focus ? FOCUS_COLUMN[focus] : undefined;
    if (f) set.add(f);
    return COLUMN_KEYS.filter((k) => set.has(k));
  }, [columns, focus]);

  const saveColumns = (next: ColumnKey[]) => {
    setColumns(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // not remembered; still applied now
    }
  };

  const text = (v: string | null | undefined) => <span className="cell-text">{v || '—'}</span>;
  const defs: Record<ColumnKey, TableColumnType<LedgerRow>> = {
    light: {
      title: t('ledger.sheet.col.light'),
      key: 'light',
      width: 92,
      render: (_, r) => <LightTag light={r.light} />,
    },
    round: { title: t('ledger.sheet.col.round'), dataIndex: 'roundName', width: 160, render: text },
    unit: { title: t('ledger.sheet.col.unit'), dataIndex: 'unitName', width: 140, render: text },
    problemNumber: {
      title: t('ledger.sheet.col.problemNumber'),
      dataIndex: 'problemNumber',
      width: 96,
      render: text,
    },
    category: {
      title: t('ledger.sheet.col.category'),
      dataIndex: 'categoryCode',
      width: 110,
      render: (v: string) => categoryName(categories.data, v),
    },
    problemDescription: {
      title: t('ledger.sheet.col.problemDescription'),
      dataIndex: 'problemDescription',
      width: 230,
      render: (v: string) => <ClampText text={v} />,
    },
    severity: {
      title: t('ledger.sheet.col.severity'),
      dataIndex: 'severity',
      width: 80,
      render: (v: LedgerRow['severity']) => t(`ledger.severity.${v}`),
    },
    source: {
      title: t('ledger.sheet.col.source'),
      dataIndex: 'source',
      width: 100,
      render: (v: LedgerRow['source']) => t(`ledger.source.${v}`),
    },
    responsibleLeader: {
      title: t('ledger.sheet.col.responsibleLeader'),
      dataIndex: 'responsibleLeader',
      width: 100,
      render: text,
    },
    responsibleDepartment: {
      title: t('ledger.sheet.col.responsibleDepartment'),
      dataIndex: 'responsibleDepartment',
      width: 120,
      render: text,
    },
    responsiblePerson: {
      title: t('ledger.sheet.col.responsiblePerson'),
      dataIndex: 'responsiblePerson',
      width: 100,
      render: text,
    },
    firstResponsible: {
      title: t('ledger.sheet.col.firstResponsible'),
      dataIndex: 'firstResponsible',
      width: 100,
      render: text,
    },
    sharedResponsibles: {
      title: t('ledger.sheet.col.sharedResponsibles'),
      dataIndex: 'sharedResponsibles',
      width: 140,
      render: (v: string[]) => text(v.join('、')),
    },
    seq: { title: t('ledger.sheet.col.seq'), dataIndex: 'seq', width: 60, align: 'center' },
    content: {
      title: t('ledger.sheet.col.content'),
      dataIndex: 'content',
      width: 250,
      render: (v: string, r) => (
        <Typography.Link
          className="cell-text"
          onClick={() => setOpenId(r.id)}
          data-testid={`measure-open-${r.id}`}
          aria-label={`${t('ledger.sheet.open')} ${r.problemNumber}-${r.seq}`}
        >
          {v}
        </Typography.Link>
      ),
    },
    type: {
      title: t('ledger.sheet.col.type'),
      dataIndex: 'type',
      width: 90,
      render: (v: MeasureType) => t(`ledger.measureType.${v}`),
    },
    effectiveDeadline: {
      title: t('ledger.sheet.col.effectiveDeadline'),
      dataIndex: 'effectiveDeadline',
      width: 108,
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text type={r.overdue ? 'danger' : undefined} style={{ whiteSpace: 'nowrap' }}>
            {v}
          </Typography.Text>
          {r.extendedDeadline && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} delete>
              {r.deadline}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    deadline: { title: t('ledger.sheet.col.deadline'), dataIndex: 'deadline', width: 110 },
    extendedDeadline: {
      title: t('ledger.sheet.col.extendedDeadline'),
      dataIndex: 'extendedDeadline',
      width: 110,
      render: dateOr,
    },
    ownerName: { title: t('ledger.sheet.col.ownerName'), dataIndex: 'ownerName', width: 100, render: text },
    status: {
      title: t('ledger.sheet.col.status'),
      dataIndex: 'status',
      width: 100,
      render: (v: MeasureStatus) => <MeasureStatusTag status={v} />,
    },
    completedOn: { title: t('ledger.sheet.col.completedOn'), dataIndex: 'completedOn', width: 110, render: dateOr },
    rulesEstablished: {
      title: t('ledger.sheet.col.rulesEstablished'),
      dataIndex: 'rulesEstablished',
      width: 100,
      align: 'right',
    },
    fundsReturned: {
      title: t('ledger.sheet.col.fundsReturned'),
      dataIndex: 'fundsReturned',
      width: 120,
      align: 'right',
      render: (v: string) => <Money yuan={v} />,
    },
    lossesRecovered: {
      title: t('ledger.sheet.col.lossesRecovered'),
      dataIndex: 'lossesRecovered',
      width: 120,
      align: 'right',
      render: (v: string) => <Money yuan={v} />,
    },
    peopleHeldAccountable: {
      title: t('ledger.sheet.col.peopleHeldAccountable'),
      dataIndex: 'peopleHeldAccountable',
      width: 90,
      align: 'right',
    },
    casesFiled: { title: t('ledger.sheet.col.casesFiled'), dataIndex: 'casesFiled', width: 80, align: 'right' },
  };

  const tableColumns: TableColumnType<LedgerRow>[] = [
    ...shown.map((k) => {
      const c: TableColumnType<LedgerRow> = { ...defs[k], key: k };
      if (PROBLEM_COLUMNS.includes(k)) c.onCell = (_r, i) => ({ rowSpan: i === undefined ? 1 : spans[i] });
      const s = SORTABLE[k];
      if (s) {
        c.sorter = true;
        c.sortOrder = sort === s ? (order === 'asc' ? 'ascend' : 'descend') : null;
        c.sortDirections = ['ascend', 'descend', 'ascend'];
      }
      return c;
    }),
    {
      title: '',
      key: 'open',
      width: 52,
      fixed: 'right',
      className: 'no-print',
      render: (_, r) => (
        <Tooltip title={t('ledger.sheet.open')}>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined />}
            aria-label={`${t('ledger.sheet.open')} ${r.problemNumber}-${r.seq}`}
            onClick={() => setOpenId(r.id)}
          />
        </Tooltip>
      ),
    },
  ];
  const width = tableColumns.reduce((s, c) => s + (Number(c.width) || 100), 0) + 48;

  const onTableChange: TableProps<LedgerRow>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.columnKey as ColumnKey | undefined;
    const by = key ? SORTABLE[key] : undefined;
    if (!s?.order || !by) setFilter({ sort: null, order: null });
    else setFilter({ sort: by, order: s.order === 'ascend' ? 'asc' : 'desc' });
  };

  const exportQuery = Object.fromEntries(EXPORT_KEYS.map((k) => [k, filters[k]]));
  const exportPartial = !!(filters.overdue || filters.ownerUserId || filters.q);
  const doExport = async () => {
    setExporting(true);
    toast('info', t('ledger.sheet.exporting'));
    try {
      await download(withQuery('/ledger/export', exportQuery), 'ledger.xlsx');
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  // The filters as words, for the printed page's heading.
  const filterWords = [
    filters.termId && termOptions.find((o) => String(o.value) === filters.termId)?.label,
    filters.roundId && rounds.data?.find((r) => String(r.id) === filters.roundId)?.name,
    filters.unitOrgId && items[0]?.unitOrgId === Number(filters.unitOrgId) ? items[0].unitName : null,
    filters.roundUnitId && items[0] ? `${items[0].roundName} · ${items[0].unitName}` : null,
    filters.categoryCode && categoryName(categories.data, filters.categoryCode),
    filters.status && t(`ledger.measureStatus.${filters.status as MeasureStatus}`),
    filters.type && t(`ledger.measureType.${filters.type as MeasureType}`),
    filters.overdue === 'true' && t('ledger.sheet.overdueOnly'),
    filters.overdue === 'false' && t('ledger.sheet.notOverdue'),
    filters.q && `“${filters.q}”`,
  ].filter(Boolean);

  const selectedRows = [...selected.values()];
  const openRow = items.find((r) => r.id === openId);

  return (
    <div className="ledger-page">
      <PageHeader
        title={t('ledger.sheet.title')}
        extra={
          <>
            {!narrow && (
              <Popover
                trigger="click"
                placement="bottomRight"
                title={t('ledger.sheet.columns')}
                content={
                  <div style={{ maxWidth: 360 }}>
                    <Checkbox.Group
                      value={columns}
                      onChange={(v) => saveColumns(v as ColumnKey[])}
                      style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 4 }}
                      options={COLUMN_KEYS.map((k) => ({ value: k, label: t(`ledger.sheet.col.${k}`) }))}
                    />
                    <Button size="small" style={{ marginTop: 8 }} onClick={() => saveColumns(DEFAULT_COLUMNS)}>
                      {t('ledger.sheet.columnsReset')}
                    </Button>
                  </div>
                }
              >
                <Button icon={<SettingOutlined />} data-testid="ledger-columns">
                  {t('ledger.sheet.columns')}
                </Button>
              </Popover>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="ledger-print">
              {t('ledger.sheet.print')}
            </Button>
            {can('ledger.export') && (
              <Tooltip title={exportPartial ? t('ledger.sheet.exportPartial') : undefined}>
                <Button
                  icon={<DownloadOutlined />}
                  loading={exporting}
                  onClick={() => void doExport()}
                  data-testid="ledger-export"
                >
                  {t('ledger.sheet.export')}
                </Button>
              </Tooltip>
            )}
            {can('ledger.import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="ledger-import-open">
                {t('ledger.sheet.import')}
              </Button>
            )}
          </>
        }
        intro={narrow ? undefined : <span className="no-print">{t('ledger.sheet.intro')}</span>}
      />
      <div className="print-only">
        <Typography.Text>
          {t('ledger.sheet.printFilters', {
            filters: filterWords.length ? filterWords.join(' · ') : t('ledger.sheet.noFilters'),
          })}
          {'　'}
          {t('ledger.sheet.printedAt', { time: formatTime(Date.now()) })}
          {'　'}
          {t('common.total', { count: page.data?.total ?? 0 })}
        </Typography.Text>
      </div>
      {narrow && (
        <div className="toolbar">
          <Badge count={FILTER_KEYS.filter((k) => k !== 'q' && filters[k]).length} size="small">
            <Button
              icon={<FilterOutlined />}
              onClick={() => setFiltersOpen((o) => !o)}
              aria-expanded={filtersOpen}
              aria-controls="ledger-filters"
            >
              {t('ledger.sheet.filters')}
            </Button>
          </Badge>
          <Input.Search
            allowClear
            defaultValue={filters.q}
            key={filters.q ?? ''}
            placeholder={t('ledger.sheet.search')}
            aria-label={t('ledger.sheet.search')}
            onSearch={(v) => setFilter({ q: v.trim() })}
            style={{ flex: 1, minWidth: 160 }}
          />
        </div>
      )}
      <search
        className="toolbar"
        id="ledger-filters"
        aria-label={t('ledger.sheet.filters')}
        style={narrow && !filtersOpen ? { display: 'none' } : undefined}
      >
        <Select
          allowClear
          placeholder={t('ledger.sheet.term')}
          aria-label={t('ledger.sheet.term')}
          value={num(filters.termId ?? null)}
          onChange={(v) => setFilter({ termId: v, roundId: null })}
          options={termOptions}
          style={{ width: 170 }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('ledger.sheet.round')}
          aria-label={t('ledger.sheet.round')}
          value={num(filters.roundId ?? null)}
          onChange={(v) => setFilter({ roundId: v })}
          options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          style={{ width: 200 }}
          popupMatchSelectWidth={false}
        />
        <OrgSearchSelect
          type="inspected_unit"
          allowClear
          placeholder={t('ledger.sheet.unit')}
          aria-label={t('ledger.sheet.unit')}
          value={num(filters.unitOrgId ?? null)}
          onChange={(v) => setFilter({ unitOrgId: v })}
          style={{ width: 200 }}
        />
        {filters.roundUnitId && (
          <RoundUnitSelect
            allowClear
            aria-label={t('ledger.sheet.roundUnit')}
            value={num(filters.roundUnitId)}
            onChange={(v) => setFilter({ roundUnitId: v })}
            style={{ width: 240 }}
          />
        )}
        <Select
          allowClear
          placeholder={t('ledger.sheet.category')}
          aria-label={t('ledger.sheet.category')}
          value={filters.categoryCode}
          onChange={(v) => setFilter({ categoryCode: v })}
          options={categoryOptions(categories.data)}
          style={{ width: 170 }}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          placeholder={t('ledger.sheet.status')}
          aria-label={t('ledger.sheet.status')}
          value={filters.status}
          onChange={(v) => setFilter({ status: v })}
          options={MEASURE_STATUSES.map((s) => ({ value: s, label: t(`ledger.measureStatus.${s}`) }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder={t('ledger.sheet.type')}
          aria-label={t('ledger.sheet.type')}
          value={filters.type}
          onChange={(v) => setFilter({ type: v })}
          options={MEASURE_TYPES.map((s) => ({ value: s, label: t(`ledger.measureType.${s}`) }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder={t('ledger.sheet.overdue')}
          aria-label={t('ledger.sheet.overdue')}
          value={filters.overdue}
          onChange={(v) => setFilter({ overdue: v })}
          options={[
            { value: 'true', label: t('ledger.sheet.overdueOnly') },
            { value: 'false', label: t('ledger.sheet.notOverdue') },
          ]}
          style={{ width: 120 }}
        />
        {can('user.read') ? (
          <UserSelect
            placeholder={t('ledger.sheet.ownerUser')}
            aria-label={t('ledger.sheet.ownerUser')}
            value={num(filters.ownerUserId ?? null)}
            onChange={(v) => setFilter({ ownerUserId: v })}
            style={{ width: 180 }}
          />
        ) : can('ledger.write') ? (
          <Checkbox
            checked={filters.ownerUserId === String(me.id)}
            onChange={(e) => setFilter({ ownerUserId: e.target.checked ? me.id : null })}
          >
            {t('ledger.sheet.mine')}
          </Checkbox>
        ) : null}
        {!narrow && (
          <Input.Search
            allowClear
            defaultValue={filters.q}
            key={filters.q ?? ''}
            placeholder={t('ledger.sheet.search')}
            aria-label={t('ledger.sheet.search')}
            onSearch={(v) => setFilter({ q: v.trim() })}
            style={{ width: 240 }}
            data-testid="ledger-search"
          />
        )}
        <Button
          icon={<ReloadOutlined />}
          aria-label={t('common.refresh')}
          onClick={() => void qc.invalidateQueries({ queryKey: ['ledger'] })}
        />
        {FILTER_KEYS.some((k) => filters[k]) && (
          <Button onClick={() => setFilter(Object.fromEntries([...FILTER_KEYS, 'focus'].map((k) => [k, null])))}>
            {t('common.reset')}
          </Button>
        )}
      </search>
      {can('ledger.write') && !narrow && selected.size > 0 && (
        <BulkBar rows={selectedRows} onDone={() => setSelected(new Map())} onClear={() => setSelected(new Map())} />
      )}
      {narrow ? (
        <LedgerCards items={items} loading={page.isFetching} categories={categories.data} onOpen={setOpenId} />
      ) : (
        <Table<LedgerRow>
          className="ledger-sheet"
          rowKey="id"
          size="small"
          bordered
          loading={page.isFetching}
          dataSource={items}
          columns={tableColumns}
          pagination={false}
          scroll={{ x: width }}
          onChange={onTableChange}
          data-testid="ledger-table"
          rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
          rowSelection={
            can('ledger.write')
              ? {
                  selectedRowKeys: [...selected.keys()],
                  preserveSelectedRowKeys: true,
                  onChange: (_keys, rows) => {
                    // Rows on other pages stay selected; the ones on this page follow the checkboxes.
                    const next = new Map([...selected].filter(([id]) => !items.some((r) => r.id === id)));
                    for (const r of rows) if (r) next.set(r.id, r);
                    setSelected(next);
                  },
                  columnWidth: 40,
                }
              : undefined
          }
        />
      )}
      <div className="no-print">
        <CursorPager
          page={cursors.length}
          total={page.data?.total}
          hasNext={!!page.data?.nextCursor}
          pageSize={limit}
          onPrev={() => {
            setCursors((c) => c.slice(0, -1));
            window.scrollTo({ top: 0 });
          }}
          onNext={() => {
            if (!page.data?.nextCursor) return;
            setCursors((c) => [...c, page.data!.nextCursor!]);
            window.scrollTo({ top: 0 });
          }}
          onPageSize={(n) => {
            setLimit(n);
            setCursors([undefined]);
          }}
        />
      </div>
      <MeasureDrawer measureId={openId} row={openRow} onClose={() => setOpenId(null)} />
      <LedgerImportDialog
        open={importing}
        roundUnitId={num(filters.roundUnitId ?? null)}
        roundUnitLabel={
          filters.roundUnitId && items[0] ? `${items[0].roundName} · ${items[0].unitName}` : filters.roundUnitId
        }
        onClose={() => setImporting(false)}
      />
    </div>
  );
}
