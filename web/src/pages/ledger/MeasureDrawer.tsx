import { ClockCircleOutlined, FileDoneOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { yuanToFen } from '../../../../domain/money';
import {
  MEASURE_TRANSITIONS,
  MEASURE_TYPES,
  type MeasureStatus,
  type MeasureType,
} from '../../../../domain/rectification';
import { api, isApiError } from '../../api/client';
import { showError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { ApplyModal } from '../closure/ApplyModal';
import { categoryName, deadlineLights, exactYuan, MeasureStatusTag, todayText, useCategories, YUAN_RE } from './shared';
import { EDITABLE_MEASURE_STATUSES, type Extension, type LedgerRow, type Measure } from './types';
import { UserSelect } from './UserSelect';

interface MeasureForm {
  content: string;
  type: MeasureType;
  deadline: Dayjs;
  ownerName?: string;
  ownerUserId?: number | null;
  rulesEstablished: number;
  fundsReturned: string;
  lossesRecovered: string;
  peopleHeldAccountable: number;
  casesFiled: number;
}

const FIELDS = [
  'content',
  'type',
  'deadline',
  'ownerName',
  'ownerUserId',
  'rulesEstablished',
  'fundsReturned',
  'lossesRecovered',
  'peopleHeldAccountable',
  'casesFiled',
] as const;
type Field = (typeof FIELDS)[number];

const toForm = (m: Measure): MeasureForm => ({
  content: m.content,
  type: m.type,
  deadline: dayjs(m.deadline),
  ownerName: m.ownerName ?? '',
  ownerUserId: m.ownerUserId,
  rulesEstablished: m.rulesEstablished,
  fundsReturned: m.fundsReturned,
  lossesRecovered: m.lossesRecovered,
  peopleHeldAccountable: m.peopleHeldAccountable,
  casesFiled: m.casesFiled,
});

/** A form value in the API's terms (dates as text, blank text as null), for diffing and sending. */
function apiValue(field: Field, v: unknown): unknown {
  if (field === 'deadline') return v ? (v as Dayjs).format('YYYY-MM-DD') : null;
  if (field === 'ownerName') return (v as string | undefined)?.trim() || null;
  if (field === 'content') return (v as string).trim();
  if (field === 'ownerUserId') return v ?? null;
  return v;
}

function same(field: Field, a: unknown, b: unknown): boolean {
  if (field === 'fundsReturned' || field === 'lossesRecovered') {
    try {
      return yuanToFen(String(a)) === yuanToFen(String(b));
    } catch {
      return false;
    }
  }
  return a === b;
}

/** The fields whose form value differs from the record it was loaded from. */
function changes(base: Measure, v: MeasureForm): Partial<Record<Field, unknown>> {
  const out: Partial<Record<Field, unknown>> = {};
  for (const f of FIELDS) {
    const mine = apiValue(f, v[f]);
    const theirs = f === 'deadline' ? base.deadline : base[f];
    if (!same(f, mine, theirs ?? null)) out[f] = mine;
  }
  return out;
}

/**
 * One measure of the ledger: content, type, deadline, owner, outcome figures (money as exact 元) and
 * its status (only the legal next states among 未启动 / 整改中 / 已完成). Every write sends the version
 * it read; a stale one opens the conflict dialog (reload, or keep my values on the current version).
 * Extensions (延期申请) are asked for here.
 */
export function MeasureDrawer(props: { measureId: number | null; row?: LedgerRow; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const categories = useCategories();
  const [form] = Form.useForm<MeasureForm>();
  const [base, setBase] = useState<Measure | null>(null);
  const [conflict, setConflict] = useState<{ current: Measure; mine: MeasureForm } | null>(null);
  const [applying, setApplying] = useState(false);
  const id = props.measureId;

  const measure = useQuery({
    queryKey: ['measure', id],
    queryFn: () => api.get<Measure>(`/measures/${id}`),
    enabled: !!id,
    staleTime: 0,
    gcTime: 0,
  });

  // Load the record into the form once per opening (later reads do not overwrite what the user types).
  useEffect(() => {
    if (!id) {
      setBase(null);
      setConflict(null);
      return;
    }
    if (measure.data && (!base || base.id !== measure.data.id)) {
      setBase(measure.data);
      form.setFieldsValue(toForm(measure.data));
    }
  }, [id, measure.data, base, form]);

  const changed = () => {
    void qc.invalidateQueries({ queryKey: ['ledger'] });
    void qc.invalidateQueries({ queryKey: ['dashboard'] });
    void qc.invalidateQueries({ queryKey: ['problems'] });
  };

  const onWriteError = (e: unknown) => {
    if (isApiError(e) && e.code === 'CONFLICT_STALE' && e.current && typeof e.current === 'object') {
      setConflict({ current: e.current as Measure, mine: form.getFieldsValue(true) });
      return;
    }
    showError(e);
  };

  const save = useMutation({
    mutationFn: (v: MeasureForm) => {
      const diff = changes(base!, v);
      return api.patch<Measure>(`/measures/${base!.id}`, { ...diff, version: base!.version });
    },
    onSuccess: (m) => {
      setBase(m);
      form.setFieldsValue(toForm(m));
      toast('success', t('ledger.measure.saved'));
      changed();
    },
    onError: onWriteError,
  });

  const move = useMutation({
    mutationFn: (to: MeasureStatus) =>
      api.post<Measure>(`/measures/${base!.id}/status`, { to, version: base!.version }),
    onSuccess: (m) => {
      setBase(m);
      toast('success', t('ledger.measure.moved', { to: t(`ledger.measureStatus.${m.status}`) }));
      changed();
    },
    onError: onWriteError,
  });

  const reload = (current: Measure) => {
    setBase(current);
    form.setFieldsValue(toForm(current));
    setConflict(null);
    changed();
  };
  const keepMine = (current: Measure, mine: MeasureForm) => {
    setBase(current);
    form.setFieldsValue(mine);
    setConflict(null);
    changed();
  };

  const writable = can('ledger.write');
  const locked = !!base && !(EDITABLE_MEASURE_STATUSES as readonly string[]).includes(base.status);
  const editable = writable && !locked;
  const moves = base
    ? MEASURE_TRANSITIONS[base.status].filter((s) => (EDITABLE_MEASURE_STATUSES as readonly string[]).includes(s))
    : [];
  const today = todayText();
  const lights = base ? deadlineLights(base, today) : null;
  const mayPostpone = can('extension.decide');
  const row = props.row && props.row.id === id ? props.row : undefined;

  return (
    <Drawer
      open={!!id}
      onClose={props.onClose}
      title={
        <Space wrap>
          {t('ledger.measure.title')}
          {base && <MeasureStatusTag status={base.status} />}
        </Space>
      }
      size={screens.md ? 640 : '100%'}
      destroyOnHidden
      extra={
        editable && (
          <Button
            type="primary"
            icon={<SaveOutlined />}
            onClick={() => form.submit()}
            loading={save.isPending}
            data-testid="measure-save"
          >
            {t('common.save')}
          </Button>
        )
      }
    >
      {!base ? (
        <Spin />
      ) : (
        <div data-testid="measure-drawer" data-version={base.version}>
          {row && (
            <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('ledger.sheet.col.unit')}>{row.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.measure.problem')}>
                <Space orientation="vertical" size={0}>
                  <span>
                    <Typography.Text strong>{row.problemNumber}</Typography.Text>{' '}
                    <Tag>{categoryName(categories.data, row.categoryCode)}</Tag>
                  </span>
                  <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                    {row.problemDescription}
                  </Typography.Paragraph>
                </Space>
              </Descriptions.Item>
            </Descriptions>
          )}
          {locked && <Alert type="info" showIcon title={t('ledger.measure.locked')} style={{ marginBottom: 12 }} />}
          <div style={{ marginBottom: 16 }}>
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {t('ledger.measure.status')}
            </Typography.Text>
            <Space wrap>
              <MeasureStatusTag status={base.status} />
              {writable &&
                !locked &&
                moves.map((to) => (
                  <Button
                    key={to}
                    size="small"
                    onClick={() => move.mutate(to)}
                    loading={move.isPending && move.variables === to}
                    data-testid={`measure-move-${to}`}
                  >
                    {t('ledger.measure.moveTo', { to: t(`ledger.measureStatus.${to}`) })}
                  </Button>
                ))}
              {writable && !locked && moves.length === 0 && (
                <Typography.Text type="secondary">{t('ledger.measure.noMoves')}</Typography.Text>
              )}
              {can('closure.apply') && base.status === 'completed' && (
                <Button
                  size="small"
                  type="primary"
                  icon={<FileDoneOutlined />}
                  onClick={() => setApplying(true)}
                  data-testid="measure-apply-closure"
                >
                  {t('closure.apply')}
                </Button>
              )}
            </Space>
          </div>
          <Form<MeasureForm> form={form} layout="vertical" disabled={!editable} onFinish={(v) => save.mutate(v)}>
            <Form.Item
              name="content"
              label={t('ledger.measure.content')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('common.required', { field: t('ledger.measure.content') }),
                },
              ]}
            >
              <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 10 }} data-testid="measure-content" />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="type" label={t('ledger.measure.type')} rules={[{ required: true }]}>
                  <Select options={MEASURE_TYPES.map((x) => ({ value: x, label: t(`ledger.measureType.${x}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="deadline"
                  label={t('ledger.measure.originalDeadline')}
                  extra={mayPostpone ? undefined : t('ledger.measure.postponeHint')}
                  rules={[{ required: true, message: t('common.required', { field: t('ledger.measure.deadline') }) }]}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    allowClear={false}
                    disabledDate={(d) => !mayPostpone && d.format('YYYY-MM-DD') > base.deadline}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="ownerName" label={t('ledger.measure.ownerName')}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="ownerUserId" label={t('ledger.measure.ownerUser')}>
                  <UserSelect />
                </Form.Item>
              </Col>
            </Row>
            <Divider titlePlacement="start" plain>
              {t('ledger.measure.outcome')}
            </Divider>
            <Row gutter={12}>
              <Col xs={12} sm={8}>
                <Form.Item
                  name="rulesEstablished"
                  label={t('ledger.measure.rulesEstablished')}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={8}>
                <Form.Item
                  name="peopleHeldAccountable"
                  label={t('ledger.measure.peopleHeldAccountable')}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={8}>
                <Form.Item name="casesFiled" label={t('ledger.measure.casesFiled')} rules={[{ required: true }]}>
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              {(['fundsReturned', 'lossesRecovered'] as const).map((f) => (
                <Col xs={24} sm={12} key={f}>
                  <Form.Item
                    name={f}
                    label={t(`ledger.measure.${f}`)}
                    extra={<MoneyEcho field={f} />}
                    rules={[
                      { required: true, message: t('ledger.measure.moneyRule') },
                      { pattern: YUAN_RE, message: t('ledger.measure.moneyRule') },
                    ]}
                    normalize={(v: string) => v.replace(/[,，\s]/g, '')}
                  >
                    <Input
                      inputMode="decimal"
                      maxLength={19}
                      suffix={t('ledger.figures.yuan')}
                      data-testid={`measure-${f}`}
                    />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </Form>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginTop: 4 }}>
            <Descriptions.Item label={t('ledger.measure.originalDeadline')}>{base.deadline}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.measure.extendedDeadline')}>
              {base.extendedDeadline ?? '—'}
            </Descriptions.Item>
            {lights && (
              <Descriptions.Item label={t('ledger.measure.lights')} span={2}>
                <Space wrap>
                  <DeadlineLight label={t('ledger.measure.byOriginal')} overdue={lights.original} done={base.isDone} />
                  {base.extendedDeadline && (
                    <DeadlineLight
                      label={t('ledger.measure.byExtended')}
                      overdue={lights.extended}
                      done={base.isDone}
                    />
                  )}
                </Space>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('ledger.measure.completedOn')}>{base.completedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.measure.lastProgress')}>
              {formatTime(base.lastProgressAt)}
            </Descriptions.Item>
          </Descriptions>
          <ExtensionsSection
            measure={base}
            onChanged={() => void qc.invalidateQueries({ queryKey: ['measure', id] })}
          />
        </div>
      )}
      <ApplyModal
        measure={applying ? base : null}
        onClose={() => setApplying(false)}
        onApplied={() => void qc.invalidateQueries({ queryKey: ['measure', id] }).then(() => setBase(null))}
      />
      {conflict && base && (
        <ConflictDialog
          current={conflict.current}
          mine={conflict.mine}
          mineStatus={base.status}
          onReload={() => reload(conflict.current)}
          onKeepMine={() => keepMine(conflict.current, conflict.mine)}
        />
      )}
    </Drawer>
  );
}

/** The amount as typed, read back scaled and grouped (so that 1490000 is not mistaken for 149000). */
function MoneyEcho({ field }: { field: 'fundsReturned' | 'lossesRecovered' }) {
  const v = Form.useWatch(field);
  if (!v || !YUAN_RE.test(String(v))) return null;
  return <span>{exactYuan(String(v))}</span>;
}

function DeadlineLight({ label, overdue, done }: { label: string; overdue: boolean; done: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={done ? 'success' : overdue ? 'error' : 'success'} icon={<ClockCircleOutlined />}>
      {label}：{done ? t('ledger.measure.done') : overdue ? t('ledger.measure.overdue') : t('ledger.measure.onTime')}
    </Tag>
  );
}

// ── the conflict dialog (409 CONFLICT_STALE) ──────────────────────────────────────────────────────

function ConflictDialog(props: {
  current: Measure;
  mine: MeasureForm;
  mineStatus: MeasureStatus;
  onReload: () => void;
  onKeepMine: () => void;
}) {
  const { t } = useTranslation();
  const label: Record<Field | 'status', string> = {
    content: t('ledger.measure.content'),
    type: t('ledger.measure.type'),
    deadline: t('ledger.measure.originalDeadline'),
    ownerName: t('ledger.measure.ownerName'),
    ownerUserId: t('ledger.measure.ownerUser'),
    rulesEstablished: t('ledger.measure.rulesEstablished'),
    fundsReturned: t('ledger.measure.fundsReturned'),
    lossesRecovered: t('ledger.measure.lossesRecovered'),
    peopleHeldAccountable: t('ledger.measure.peopleHeldAccountable'),
    casesFiled: t('ledger.measure.casesFiled'),
    status: t('ledger.measure.status'),
  };
  const show = (f: Field, v: unknown) => {
    if (v === null || v === undefined || v === '') return '—';
    if (f === 'type') return t(`ledger.measureType.${v as MeasureType}`);
    if (f === 'fundsReturned' || f === 'lossesRecovered')
      return YUAN_RE.test(String(v)) ? exactYuan(String(v)) : String(v);
    return String(v);
  };
  const rows = FIELDS.filter((f) => f !== 'ownerUserId').map((f) => {
    const mine = apiValue(f, props.mine[f]);
    const current = props.current[f];
    return {
      key: f,
      field: label[f],
      mine: show(f, mine),
      current: show(f, current),
      differs: !same(f, mine, current ?? null),
    };
  });
  return (
    <Modal
      open
      title={t('ledger.conflict.title')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={760}
      footer={[
        <Button key="keep" onClick={props.onKeepMine} data-testid="conflict-keep">
          {t('ledger.conflict.keepMine')}
        </Button>,
        <Button key="reload" type="primary" onClick={props.onReload} data-testid="conflict-reload">
          {t('ledger.conflict.reload')}
        </Button>,
      ]}
    >
      <div data-testid="conflict-dialog">
        <Typography.Paragraph>
          {t('ledger.conflict.intro', { time: formatTime(props.current.updatedAt) })}
        </Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          dataSource={[
            {
              key: 'status',
              field: label.status,
              mine: t(`ledger.measureStatus.${props.mineStatus}`),
              current: t(`ledger.measureStatus.${props.current.status}`),
              differs: props.mineStatus !== props.current.status,
            },
            ...rows,
          ]}
          rowClassName={(r) => (r.differs ? 'conflict-differs' : '')}
          columns={[
            { title: t('ledger.conflict.field'), dataIndex: 'field', width: 130 },
            {
              title: t('ledger.conflict.mine'),
              dataIndex: 'mine',
              render: (v: string, r) => (
                <Typography.Text mark={r.differs} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: t('ledger.conflict.current'),
              dataIndex: 'current',
              render: (v: string, r) => (
                <Typography.Text strong={r.differs} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: '',
              key: 'diff',
              width: 70,
              render: (_: unknown, r) => (r.differs ? <Tag color="orange">{t('ledger.conflict.differs')}</Tag> : null),
            },
          ]}
        />
      </div>
    </Modal>
  );
}

// ── 延期申请 ─────────────────────────────────────────────────────────────────────────────────

function ExtensionsSection({ measure, onChanged }: { measure: Measure; onChanged: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [requesting, setRequesting] = useState(false);
  const [form] = Form.useForm<{ requestedDeadline: Dayjs; reason: string }>();
  const list = useQuery({
    queryKey: ['extensions', 'measure', measure.id],
    queryFn: () => api.get<{ items: Extension[] }>(`/measures/${measure.id}/extensions`),
    select: (d) => d.items,
  });
  const request = useMutation({
    mutationFn: (v: { requestedDeadline: Dayjs; reason: string }) =>
      api.post<Extension>(`/measures/${measure.id}/extensions`, {
        requestedDeadline: v.requestedDeadline.format('YYYY-MM-DD'),
        reason: v.reason.trim(),
      }),
    onSuccess: () => {
      toast('success', t('ledger.extension.requested'));
      setRequesting(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['extensions'] });
      onChanged();
    },
  });
  const pending = (list.data ?? []).some((e) => e.status === 'pending');
  const mayRequest =
    can('extension.request') &&
    !measure.isDone &&
    (EDITABLE_MEASURE_STATUSES as readonly string[]).includes(measure.status);

  return (
    <div style={{ marginTop: 16 }}>
      <Divider titlePlacement="start" plain>
        {t('ledger.extension.history')}
      </Divider>
      {mayRequest && !requesting && (
        <Button
          icon={<ClockCircleOutlined />}
          onClick={() => setRequesting(true)}
          disabled={pending}
          style={{ marginBottom: 12 }}
          data-testid="extension-request"
        >
          {pending ? t('ledger.extension.pendingExists') : t('ledger.extension.request')}
        </Button>
      )}
      {requesting && (
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => request.mutate(v)}
          style={{ marginBottom: 12, padding: 12, background: '#fafafa', borderRadius: 6 }}
        >
          <Form.Item
            name="requestedDeadline"
            label={t('ledger.extension.requestedDeadline')}
            extra={t('ledger.extension.notLater', { deadline: measure.effectiveDeadline })}
            rules={[
              { required: true, message: t('common.required', { field: t('ledger.extension.requestedDeadline') }) },
            ]}
          >
            <DatePicker
              disabledDate={(d) => d.format('YYYY-MM-DD') <= measure.effectiveDeadline}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('ledger.extension.reason')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('ledger.extension.reason') }),
              },
            ]}
          >
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={request.isPending}>
              {t('common.submit')}
            </Button>
            <Button onClick={() => setRequesting(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      )}
      <Table<Extension>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('ledger.extension.none') }}
        columns={[
          { title: t('ledger.extension.previous'), dataIndex: 'previousDeadline', width: 110 },
          { title: t('ledger.extension.requestedDeadline'), dataIndex: 'requestedDeadline', width: 110 },
          {
            title: t('ledger.extension.status'),
            dataIndex: 'status',
            width: 90,
            render: (s: Extension['status']) => (
              <Tag color={s === 'approved' ? 'success' : s === 'rejected' ? 'error' : 'processing'}>
                {t(`ledger.extensionStatus.${s}`)}
              </Tag>
            ),
          },
          {
            title: t('ledger.extension.reason'),
            dataIndex: 'reason',
            render: (v: string, e) => (
              <div>
                <div>{v}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.requestedByName ?? '—'} · {formatTime(e.requestedAt)}
                </Typography.Text>
                {e.decidedAt && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('ledger.extension.decidedBy')}：{e.decidedByName ?? '—'} · {formatTime(e.decidedAt)}
                      {e.decisionNote ? ` · ${e.decisionNote}` : ''}
                    </Typography.Text>
                  </div>
                )}
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
