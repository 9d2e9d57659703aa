import { CheckOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Input, List, Select, Space, Switch, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { SUPERVISION_ACTION_KINDS, type SupervisionActionKind } from '../../../../domain/supervision';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { HandoversTab } from '../handover/HandoverPage';
import { FormModal } from '../rounds/FormModal';
import { ActionDrawer, ActionStatusTag } from './ActionDrawer';
import { CommsTab } from './CommsTab';
import { OrdersTab } from './OrdersTab';
import { QueueTab } from './QueueTab';
import { ResponsibilityTab } from './ResponsibilityTab';
import { LightTag, useUnitOptions, ymd } from './shared';
import type { ActionStatus, Milestone, Paged, Plan, SupervisionAction, TargetType } from './types';

type Cursor = number;

/**
 * 日常监督 (SPEC M8): the caller's work queue (工作台), a supervising body's plans with milestone lights,
 * its supervision actions, 主体责任派单 and 整改监督信息沟通会 with their tasks; a unit sees what is
 * addressed to it and answers here. Those who neither send nor process handovers (the leadership)
 * read the handovers here too.
 */
export default function SupervisionPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const issuer = can('supervision.write');
  const tab = params.get('tab') ?? 'queue';
  const readsHandovers =
    !can('handover.send') && !can('handover.process') && me.role !== 'unit' && me.role !== 'unit_head';
  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };
  return (
    <div>
      <PageHeader
        title={t('supervision.title')}
        intro={can('supervision.respond') && !issuer ? t('supervision.unitIntro') : t('supervision.intro')}
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'queue', label: t('supervision.tabs.queue'), children: <QueueTab /> },
          ...(can('supervision.respond') && !issuer
            ? []
            : [{ key: 'plans', label: t('supervision.tabs.plans'), children: <PlansTab /> }]),
          { key: 'actions', label: t('supervision.tabs.actions'), children: <ActionsTab /> },
          { key: 'orders', label: t('supervision.tabs.orders'), children: <OrdersTab /> },
          { key: 'comms', label: t('supervision.tabs.comms'), children: <CommsTab /> },
          ...(can('ledger.read')
            ? [{ key: 'resp', label: t('supervision.tabs.resp'), children: <ResponsibilityTab /> }]
            : []),
          ...(readsHandovers
            ? [{ key: 'handovers', label: t('supervision.tabs.handovers'), children: <HandoversTab /> }]
            : []),
        ]}
      />
    </div>
  );
}

function Pager({
  pages,
  next,
  setPages,
}: {
  pages: Cursor[];
  next: Cursor | null | undefined;
  setPages: (f: (p: Cursor[]) => Cursor[]) => void;
}) {
  const { t } = useTranslation();
  if (pages.length === 0 && !next) return null;
  return (
    <Space style={{ marginTop: 12 }}>
      <Button disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))}>
        {t('common.prevPage')}
      </Button>
      <Button disabled={!next} onClick={() => setPages((p) => [...p, next!])}>
        {t('common.nextPage')}
      </Button>
    </Space>
  );
}

// --- plans ------------------------------------------------------------------------------------

interface PlanForm {
  unitOrgId: number;
  title: string;
  content?: string;
  startDate?: Dayjs;
  endDate?: Dayjs;
  milestones?: { title: string; dueDate: Dayjs }[];
}

function PlansTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [unitOrgId, setUnitOrgId] = useState<number | undefined>();
  const [creating, setCreating] = useState(false);
  const [finishing, setFinishing] = useState<Milestone | null>(null);
  const [pages, setPages] = useState<Cursor[]>([]);
  const after = pages[pages.length - 1];
  const units = useUnitOptions();
  const q = useQuery({
    queryKey: ['supervision-plans', { unitOrgId, after }],
    queryFn: () => api.get<Paged<Plan>>('/supervision-plans', { unitOrgId, cursor: after, limit: 50 }),
    placeholderData: (prev) => prev,
  });
  const create = useMutation({
    mutationFn: (v: PlanForm) =>
      api.post<Plan>('/supervision-plans', {
        unitOrgId: v.unitOrgId,
        title: v.title.trim(),
        content: v.content?.trim() || undefined,
        startDate: ymd(v.startDate),
        endDate: ymd(v.endDate),
        milestones: (v.milestones ?? [])
          .filter((m) => m?.title?.trim() && m.dueDate)
          .map((m) => ({ title: m.title.trim(), dueDate: ymd(m.dueDate)! })),
      }),
    onSuccess: () => {
      toast('success', t('supervision.plan.created'));
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['supervision-plans'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const done = useMutation({
    mutationFn: (v: { doneDate?: Dayjs; note?: string }) =>
      api.post(`/supervision-milestones/${finishing!.id}/done`, {
        version: finishing!.version,
        doneDate: ymd(v.doneDate),
        note: v.note?.trim() || undefined,
      }),
    onSuccess: () => {
      toast('success', t('supervision.plan.milestoneDone'));
      setFinishing(null);
      void qc.invalidateQueries({ queryKey: ['supervision-plans'] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['supervision-plans'] })),
  });
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('supervision.filterUnit')}
          placeholder={t('supervision.filterUnit')}
          value={unitOrgId}
          onChange={(v) => {
            setUnitOrgId(v);
            setPages([]);
          }}
          options={units.data ?? []}
          style={{ width: 220 }}
        />
        {can('supervision.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
            {t('supervision.plan.create')}
          </Button>
        )}
      </div>
      <List<Plan>
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="plans-list"
        locale={{ emptyText: <Empty description={t('supervision.plan.none')} /> }}
        grid={{ gutter: 12, xs: 1, md: 2 }}
        renderItem={(p) => (
          <List.Item>
            <Card
              size="small"
              data-testid={`plan-${p.id}`}
              title={
                <Space size={4} wrap>
                  <LightTag light={p.light} testId={`plan-light-${p.id}`} />
                  <span>{p.title}</span>
                </Space>
              }
              extra={<Typography.Text type="secondary">{p.unitName}</Typography.Text>}
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.supervisorName}
                {(p.startDate || p.endDate) &&
                  ` · ${t('supervision.plan.period', { start: p.startDate ?? '—', end: p.endDate ?? '—' })}`}
              </Typography.Text>
              {p.content && (
                <Typography.Paragraph style={{ margin: '6px 0' }} ellipsis={{ rows: 3, expandable: true }}>
                  {p.content}
                </Typography.Paragraph>
              )}
              <List<Milestone>
                size="small"
                dataSource={p.milestones}
                locale={{ emptyText: t('supervision.plan.noMilestones') }}
                renderItem={(m) => (
                  <List.Item
                    data-testid={`milestone-${m.id}`}
                    actions={
                      !m.doneDate && can('supervision.write')
                        ? [
                            <Button key="done" size="small" icon={<CheckOutlined />} onClick={() => setFinishing(m)}>
                              {t('supervision.plan.markDone')}
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <Space size={4} wrap>
                      <LightTag light={m.light} />
                      <span>{m.title}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {m.doneDate
                          ? t('supervision.plan.doneOn', { date: m.doneDate })
                          : t('supervision.plan.dueOn', { date: m.dueDate })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </List.Item>
        )}
      />
      <Pager pages={pages} next={q.data?.nextCursor} setPages={setPages} />
      <FormModal<PlanForm>
        open={creating}
        title={t('supervision.plan.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        width={640}
        testId="plan-save"
        initialValues={{ milestones: [{ title: '', dueDate: undefined as unknown as Dayjs }] }}
      >
        <Form.Item
          name="unitOrgId"
          label={t('supervision.unit')}
          rules={[{ required: true, message: t('common.required', { field: t('supervision.unit') }) }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={units.data ?? []} data-testid="plan-unit" />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('supervision.plan.title')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('supervision.plan.title') }) },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label={t('supervision.plan.content')}>
          <Input.TextArea maxLength={10000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="startDate" label={t('supervision.plan.startDate')}>
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="endDate" label={t('supervision.plan.endDate')}>
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
        </Space>
        <Typography.Text strong>{t('supervision.plan.milestones')}</Typography.Text>
        <Form.List name="milestones">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'title']} noStyle>
                    <Input
                      maxLength={200}
                      placeholder={t('supervision.plan.milestoneTitle')}
                      aria-label={`${t('supervision.plan.milestoneTitle')} ${i + 1}`}
                      style={{ width: 300 }}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueDate']} noStyle>
                    <DatePicker
                      format="YYYY-MM-DD"
                      placeholder={t('supervision.plan.milestoneDue')}
                      aria-label={`${t('supervision.plan.milestoneDue')} ${i + 1}`}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('common.delete')}
                  />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ marginTop: 8 }}>
                {t('supervision.plan.addMilestone')}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
      <FormModal<{ doneDate?: Dayjs; note?: string }>
        open={!!finishing}
        title={`${t('supervision.plan.markDone')} · ${finishing?.title ?? ''}`}
        onCancel={() => setFinishing(null)}
        onFinish={(v) => done.mutate(v)}
        busy={done.isPending}
        initialValues={{ doneDate: dayjs() }}
      >
        <Form.Item name="doneDate" label={t('supervision.plan.doneOn', { date: '' }).trim()}>
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="note" label={t('supervision.plan.doneNote')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

// --- actions ----------------------------------------------------------------------------------

interface ActionForm {
  kind: SupervisionActionKind;
  unitOrgId: number;
  targetType: TargetType;
  targetId?: number;
  planId?: number;
  actionDate: Dayjs;
  title: string;
  content: string;
  responseRequired: boolean;
  responseDeadline?: Dayjs;
}

function ActionsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const issuer = can('supervision.write');
  const [kind, setKind] = useState<SupervisionActionKind | undefined>();
  const [status, setStatus] = useState<ActionStatus | undefined>();
  const [unitOrgId, setUnitOrgId] = useState<number | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [pages, setPages] = useState<Cursor[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const after = pages[pages.length - 1];
  const units = useUnitOptions(issuer);
  const q = useQuery({
    queryKey: ['supervision-actions', { kind, status, unitOrgId, overdue, after }],
    queryFn: () =>
      api.get<Paged<SupervisionAction>>('/supervision-actions', {
        kind,
        status,
        unitOrgId,
        overdue: overdue || undefined,
        cursor: after,
        limit: 50,
      }),
    placeholderData: (prev) => prev,
  });
  const reset = () => setPages([]);
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.filterKind')}
          placeholder={t('supervision.filterKind')}
          value={kind}
          onChange={(v) => {
            setKind(v);
            reset();
          }}
          options={SUPERVISION_ACTION_KINDS.map((k) => ({ value: k, label: t(`supervision.action.kinds.${k}`) }))}
          style={{ width: 180 }}
        />
        <Select
          allowClear
          aria-label={t('supervision.filterStatus')}
          placeholder={t('supervision.filterStatus')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            reset();
          }}
          options={(['open', 'responded', 'closed'] as const).map((s) => ({
            value: s,
            label: t(`supervision.action.status.${s}`),
          }))}
          style={{ width: 150 }}
        />
        {issuer && (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('supervision.filterUnit')}
            placeholder={t('supervision.filterUnit')}
            value={unitOrgId}
            onChange={(v) => {
              setUnitOrgId(v);
              reset();
            }}
            options={units.data ?? []}
            style={{ width: 200 }}
          />
        )}
        <Space size={4}>
          <Switch
            size="small"
            checked={overdue}
            onChange={(v) => {
              setOverdue(v);
              reset();
            }}
            aria-label={t('supervision.onlyOverdue')}
          />
          <span>{t('supervision.onlyOverdue')}</span>
        </Space>
        {issuer && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="action-create">
            {t('supervision.action.create')}
          </Button>
        )}
      </div>
      <List<SupervisionAction>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="actions-list"
        locale={{ emptyText: <Empty description={t('supervision.action.none')} /> }}
        renderItem={(a) => (
          <List.Item data-testid={`action-row-${a.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <ActionStatusTag status={a.status} />
                  {a.overdue && <Typography.Text type="danger">{t('supervision.overdue')}</Typography.Text>}
                  <Typography.Text strong>{t(`supervision.action.kinds.${a.kind}`)}</Typography.Text>
                  <span>{a.title}</span>
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {issuer ? a.unitName : a.supervisorName} · {a.actionDate}
                    {a.problemNumber ? ` · ${a.problemNumber}` : ''}
                    {a.responseRequired && a.responseDeadline
                      ? ` · ${t('supervision.action.respondBy', { date: a.responseDeadline })}`
                      : ''}
                  </Typography.Text>
                </div>
              </div>
              <Button
                type={
                  (!issuer && a.status === 'open' && a.responseRequired) || (issuer && a.status === 'responded')
                    ? 'primary'
                    : 'default'
                }
                onClick={() => setOpenId(a.id)}
                data-testid={`action-open-${a.id}`}
              >
                {!issuer && a.status === 'open' && a.responseRequired
                  ? t('supervision.action.respond')
                  : t('supervision.action.open')}
              </Button>
            </div>
          </List.Item>
        )}
      />
      <Pager pages={pages} next={q.data?.nextCursor} setPages={setPages} />
      {issuer && (
        <CreateActionModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(a) => {
            setCreating(false);
            setOpenId(a.id);
          }}
        />
      )}
      <ActionDrawer actionId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

interface LedgerOption {
  id: number;
  problemId: number;
  problemNumber: string;
  problemDescription: string;
  content: string;
  roundUnitId: number;
}

function CreateActionModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (a: SupervisionAction) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const units = useUnitOptions(open);
  const [unitOrgId, setUnitOrgId] = useState<number | undefined>();
  const [targetType, setTargetType] = useState<TargetType>('unit');
  const [required, setRequired] = useState(true);
  const ledger = useQuery({
    queryKey: ['supervision-target-ledger', unitOrgId],
    enabled: open && !!unitOrgId && targetType !== 'unit',
    queryFn: () => api.get<{ items: LedgerOption[] }>('/ledger', { unitOrgId, limit: 200 }),
  });
  const plans = useQuery({
    queryKey: ['supervision-plans', { unitOrgId, forSelect: true }],
    enabled: open && !!unitOrgId,
    queryFn: () => api.get<Paged<Plan>>('/supervision-plans', { unitOrgId, limit: 200 }),
  });
  const problemOptions = () => {
    const seen = new Map<number, string>();
    for (const m of ledger.data?.items ?? []) seen.set(m.problemId, `${m.problemNumber} ${m.problemDescription}`);
    return [...seen].map(([value, label]) => ({ value, label }));
  };
  const create = useMutation({
    mutationFn: (v: ActionForm) => {
      const row =
        v.targetType === 'measure'
          ? ledger.data?.items.find((m) => m.id === v.targetId)
          : ledger.data?.items.find((m) => m.problemId === v.targetId);
      return api.post<SupervisionAction>('/supervision-actions', {
        kind: v.kind,
        unitOrgId: v.unitOrgId,
        targetType: v.targetType,
        problemId: v.targetType === 'problem' ? v.targetId : undefined,
        measureId: v.targetType === 'measure' ? v.targetId : undefined,
        roundUnitId: v.targetType !== 'unit' ? row?.roundUnitId : undefined,
        planId: v.planId,
        actionDate: ymd(v.actionDate),
        title: v.title.trim(),
        content: v.content.trim(),
        responseRequired: v.responseRequired,
        responseDeadline: v.responseRequired ? ymd(v.responseDeadline) : undefined,
      });
    },
    onSuccess: (a) => {
      toast('success', t('supervision.action.created'));
      void qc.invalidateQueries({ queryKey: ['supervision-actions'] });
      onCreated(a);
    },
    onError: (e) => handleWriteError(e),
  });
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <FormModal<ActionForm>
      open={open}
      title={t('supervision.action.create')}
      onCancel={onClose}
      onFinish={(v) => create.mutate(v)}
      busy={create.isPending}
      width={640}
      testId="action-save"
      initialValues={{ kind: 'tracking', targetType: 'unit', actionDate: dayjs(), responseRequired: true }}
    >
      <Space wrap align="start">
        <Form.Item name="kind" label={t('supervision.action.kind')} rules={req(t('supervision.action.kind'))}>
          <Select
            style={{ width: 200 }}
            data-testid="action-kind"
            options={SUPERVISION_ACTION_KINDS.map((k) => ({ value: k, label: t(`supervision.action.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="unitOrgId" label={t('supervision.unit')} rules={req(t('supervision.unit'))}>
          <Select
            style={{ width: 240 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={units.data ?? []}
            onChange={(v: number) => setUnitOrgId(v)}
            data-testid="action-unit"
          />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="targetType" label={t('supervision.action.targetType')}>
          <Select
            style={{ width: 140 }}
            onChange={(v: TargetType) => setTargetType(v)}
            options={(['unit', 'problem', 'measure'] as const).map((k) => ({
              value: k,
              label: t(`supervision.action.targetTypes.${k}`),
            }))}
          />
        </Form.Item>
        {targetType !== 'unit' && (
          <Form.Item
            name="targetId"
            label={t(`supervision.action.${targetType}`)}
            rules={req(t(`supervision.action.${targetType}`))}
          >
            <Select
              style={{ width: 320 }}
              showSearch={{ optionFilterProp: 'label' }}
              loading={ledger.isLoading}
              placeholder={t('supervision.action.pickTarget')}
              options={
                targetType === 'problem'
                  ? problemOptions()
                  : (ledger.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.problemNumber} ${m.content}` }))
              }
            />
          </Form.Item>
        )}
      </Space>
      <Space wrap align="start">
        <Form.Item name="actionDate" label={t('supervision.action.date')} rules={req(t('supervision.action.date'))}>
          <DatePicker format="YYYY-MM-DD" allowClear={false} />
        </Form.Item>
        <Form.Item name="planId" label={t('supervision.action.plan')}>
          <Select
            allowClear
            style={{ width: 260 }}
            options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        </Form.Item>
      </Space>
      <Form.Item
        name="title"
        label={t('supervision.action.title')}
        rules={[
          { required: true, whitespace: true, message: t('common.required', { field: t('supervision.action.title') }) },
        ]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('supervision.action.content')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('common.required', { field: t('supervision.action.content') }),
          },
        ]}
      >
        <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="responseRequired" label={t('supervision.action.responseRequired')} valuePropName="checked">
          <Switch onChange={setRequired} />
        </Form.Item>
        {required && (
          <Form.Item
            name="responseDeadline"
            label={t('supervision.action.responseDeadline')}
            rules={req(t('supervision.action.responseDeadline'))}
          >
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
        )}
      </Space>
    </FormModal>
  );
}
