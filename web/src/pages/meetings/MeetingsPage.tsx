import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, DatePicker, Empty, Form, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCOUNTABILITY_KINDS, type AccountabilityKind, type MeetingStatus } from '../../../../domain/meetings';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { FormModal } from '../rounds/FormModal';
import { ymd } from '../supervision/shared';
import { CadreTab } from './CadreTab';
import { AttendeeFields, MeetingDrawer, useAttendeeOrgs } from './MeetingDetail';

interface Meeting {
  id: number;
  roundUnitId: number;
  roundName: string;
  unitName: string;
  cycle: number;
  status: MeetingStatus;
  dueDate: string;
  plannedDate: string;
  plan: string | null;
  report: string | null;
  heldOn: string | null;
  problemsFound: string | null;
  measuresDecided: string | null;
  overdue: boolean;
  heldLate: boolean;
  reviewNote: string | null;
  version: number;
}

interface Unplanned {
  roundUnitId: number;
  roundName: string;
  unitName: string;
  dueDate: string;
  overdue: boolean;
}

interface Accountability {
  id: number;
  kind: AccountabilityKind;
  problemNumber: string;
  problemDescription: string;
  roundName: string;
  unitName: string;
  personName: string;
  personPost: string | null;
  personUnitName: string;
  reason: string;
  decidingOrgName: string;
  decidedOn: string;
  outcome: string | null;
  negativeList: boolean;
}

const STATUS_COLOR: Record<MeetingStatus, string> = { planned: 'gold', held: 'processing', reviewed: 'success' };

/** 整改专题民主生活会 (SPEC M10) and accountability records (M12). */
export default function MeetingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [tab, setTab] = useState('meetings');
  return (
    <div>
      <PageHeader title={t('supervision.meeting.title')} intro={t('supervision.meeting.intro')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'meetings', label: t('supervision.meeting.tabs.meetings'), children: <MeetingsTab /> },
          ...(can('accountability.read')
            ? [
                {
                  key: 'accountability',
                  label: t('supervision.meeting.tabs.accountability'),
                  children: <AccountabilityTab />,
                },
                { key: 'cadre', label: t('supervision.meeting.tabs.cadre'), children: <CadreTab /> },
              ]
            : []),
        ]}
      />
    </div>
  );
}

type MeetingAct =
  | { act: 'plan'; roundUnitId: number; title: string }
  | { act: 'held' | 'review'; meeting: Meeting; title: string };

function MeetingsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [acting, setActing] = useState<MeetingAct | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const attendeeOrgs = useAttendeeOrgs(acting?.act === 'held');
  const meetings = useQuery({
    queryKey: ['democratic-meetings'],
    queryFn: () => api.get<{ items: Meeting[] }>('/democratic-meetings', { limit: 200 }),
  });
  const unplanned = useQuery({
    queryKey: ['democratic-meetings', 'unplanned'],
    queryFn: () => api.get<{ items: Unplanned[] }>('/democratic-meetings/unplanned', { limit: 200 }),
  });
  const save = useMutation({
    mutationFn: (v: {
      plannedDate?: Dayjs;
      plan?: string;
      heldOn?: Dayjs;
      report?: string;
      attendees?: { name: string; orgId: number; side: string }[];
      problemsFound?: string;
      measuresDecided?: string;
      note?: string;
    }) => {
      const a = acting!;
      if (a.act === 'plan')
        return api.post(`/round-units/${a.roundUnitId}/democratic-meetings`, {
          plannedDate: ymd(v.plannedDate),
          plan: v.plan?.trim() || undefined,
        });
      if (a.act === 'held')
        return api.post(`/democratic-meetings/${a.meeting.id}/held`, {
          version: a.meeting.version,
          heldOn: ymd(v.heldOn),
          report: v.report?.trim() || undefined,
          attendees: (v.attendees ?? []).map((x) => ({ name: x.name.trim(), orgId: x.orgId, side: x.side })),
          problemsFound: v.problemsFound?.trim() || undefined,
          measuresDecided: v.measuresDecided?.trim() || undefined,
        });
      return api.post(`/democratic-meetings/${a.meeting.id}/review`, {
        version: a.meeting.version,
        note: v.note!.trim(),
      });
    },
    onSuccess: () => {
      toast('success', t('supervision.meeting.saved'));
      setActing(null);
      void qc.invalidateQueries({ queryKey: ['democratic-meetings'] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['democratic-meetings'] })),
  });
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <div>
      {(unplanned.data?.items.length ?? 0) > 0 && (
        <>
          <Typography.Title level={5}>{t('supervision.meeting.unplanned')}</Typography.Title>
          <List<Unplanned>
            bordered
            size="small"
            style={{ marginBottom: 16 }}
            dataSource={unplanned.data?.items ?? []}
            renderItem={(u) => (
              <List.Item>
                <div className="period-row">
                  <Space wrap size={4}>
                    <Typography.Text strong>{u.unitName}</Typography.Text>
                    <Typography.Text type="secondary">{u.roundName}</Typography.Text>
                    <span>{t('supervision.meeting.due', { date: u.dueDate })}</span>
                    {u.overdue && <Tag color="error">{t('supervision.meeting.overdue')}</Tag>}
                  </Space>
                  {can('meeting.write') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setActing({ act: 'plan', roundUnitId: u.roundUnitId, title: u.unitName })}
                    >
                      {t('supervision.meeting.plan')}
                    </Button>
                  )}
                </div>
              </List.Item>
            )}
          />
        </>
      )}
      <List<Meeting>
        bordered
        loading={meetings.isLoading}
        dataSource={meetings.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('supervision.meeting.none')} /> }}
        renderItem={(m) => (
          <List.Item data-testid={`meeting-${m.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <Tag color={STATUS_COLOR[m.status]}>{t(`supervision.meeting.status.${m.status}`)}</Tag>
                  {m.overdue && <Tag color="error">{t('supervision.meeting.overdue')}</Tag>}
                  {m.heldLate && <Tag color="warning">{t('supervision.meeting.heldLate')}</Tag>}
                  <Typography.Text strong>{m.unitName}</Typography.Text>
                  <Typography.Text type="secondary">{m.roundName}</Typography.Text>
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('supervision.meeting.due', { date: m.dueDate })} ·{' '}
                    {m.heldOn
                      ? t('supervision.meeting.held', { date: m.heldOn })
                      : t('supervision.meeting.planned', { date: m.plannedDate })}
                  </Typography.Text>
                </div>
                {m.problemsFound && (
                  <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
                    {t('supervision.meeting.problemsFound')}：{m.problemsFound}
                  </Typography.Paragraph>
                )}
                {m.reviewNote && (
                  <Typography.Text type="secondary">
                    {t('supervision.meeting.reviewNote')}：{m.reviewNote}
                  </Typography.Text>
                )}
              </div>
              <Space wrap>
                <Button size="small" onClick={() => setOpenId(m.id)} data-testid={`meeting-open-${m.id}`}>
                  {t('supervision.meeting.open')}
                </Button>
                {can('meeting.write') && m.status === 'planned' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setActing({ act: 'held', meeting: m, title: m.unitName })}
                  >
                    {t('supervision.meeting.recordHeld')}
                  </Button>
                )}
                {can('meeting.supervise') && m.status === 'held' && (
                  <Button size="small" onClick={() => setActing({ act: 'review', meeting: m, title: m.unitName })}>
                    {t('supervision.meeting.review')}
                  </Button>
                )}
              </Space>
            </div>
          </List.Item>
        )}
      />
      <FormModal<{
        plannedDate?: Dayjs;
        plan?: string;
        heldOn?: Dayjs;
        report?: string;
        attendees?: { name: string; orgId: number; side: string }[];
        problemsFound?: string;
        measuresDecided?: string;
        note?: string;
      }>
        open={!!acting}
        title={
          acting
            ? `${t(acting.act === 'plan' ? 'supervision.meeting.plan' : acting.act === 'held' ? 'supervision.meeting.recordHeld' : 'supervision.meeting.review')} · ${acting.title}`
            : ''
        }
        onCancel={() => setActing(null)}
        onFinish={(v) => save.mutate(v)}
        busy={save.isPending}
        width={600}
        initialValues={{ heldOn: dayjs() }}
      >
        {acting?.act === 'plan' && (
          <>
            <Form.Item
              name="plannedDate"
              label={t('supervision.meeting.plannedDate')}
              rules={req(t('supervision.meeting.plannedDate'))}
            >
              <DatePicker format="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item name="plan" label={t('supervision.meeting.planText')}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'held' && (
          <>
            <Form.Item
              name="heldOn"
              label={t('supervision.meeting.heldOn')}
              rules={req(t('supervision.meeting.heldOn'))}
            >
              <DatePicker format="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item
              name="report"
              label={t('supervision.meeting.report')}
              rules={[
                {
                  required: !acting.meeting.report,
                  whitespace: true,
                  message: t('common.required', { field: t('supervision.meeting.report') }),
                },
              ]}
            >
              <Input.TextArea maxLength={100000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
            <AttendeeFields orgs={attendeeOrgs.data ?? []} />
            <Form.Item name="problemsFound" label={t('supervision.meeting.problemsFound')}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
            <Form.Item name="measuresDecided" label={t('supervision.meeting.measuresDecided')}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'review' && (
          <Form.Item
            name="note"
            label={t('supervision.meeting.reviewNote')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('supervision.meeting.reviewNote') }),
              },
            ]}
          >
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
          </Form.Item>
        )}
      </FormModal>
      <MeetingDrawer meetingId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

interface AccForm {
  problemId: number;
  kind: AccountabilityKind;
  personName: string;
  personPost?: string;
  reason: string;
  decidedOn: Dayjs;
  outcome?: string;
  negativeList?: boolean;
}

function AccountabilityTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [kind, setKind] = useState<AccountabilityKind | undefined>();
  const [creating, setCreating] = useState(false);
  const q = useQuery({
    queryKey: ['accountability', { kind }],
    queryFn: () => api.get<{ items: Accountability[] }>('/accountability', { kind, limit: 200 }),
  });
  const ledger = useQuery({
    queryKey: ['accountability-problems'],
    enabled: creating,
    queryFn: () =>
      api.get<{ items: { problemId: number; problemNumber: string; problemDescription: string; unitName: string }[] }>(
        '/ledger',
        { limit: 200, sort: 'unit' },
      ),
  });
  const problems = new Map<number, string>();
  for (const m of ledger.data?.items ?? [])
    problems.set(m.problemId, `${m.unitName} · ${m.problemNumber} ${m.problemDescription}`);
  const create = useMutation({
    mutationFn: (v: AccForm) =>
      api.post(`/problems/${v.problemId}/accountability`, {
        kind: v.kind,
        personName: v.personName.trim(),
        personPost: v.personPost?.trim() || undefined,
        reason: v.reason.trim(),
        decidedOn: ymd(v.decidedOn),
        outcome: v.outcome?.trim() || undefined,
        negativeList: !!v.negativeList,
      }),
    onSuccess: () => {
      toast('success', t('supervision.accountability.created'));
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['accountability'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.filterKind')}
          placeholder={t('supervision.filterKind')}
          value={kind}
          onChange={setKind}
          options={ACCOUNTABILITY_KINDS.map((k) => ({ value: k, label: t(`supervision.accountability.kinds.${k}`) }))}
          style={{ width: 180 }}
        />
        {can('accountability.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('supervision.accountability.create')}
          </Button>
        )}
      </div>
      <List<Accountability>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('supervision.accountability.none')} /> }}
        renderItem={(r) => (
          <List.Item>
            <div style={{ minWidth: 0, width: '100%' }}>
              <Space wrap size={4}>
                <Tag color="volcano">{t(`supervision.accountability.kinds.${r.kind}`)}</Tag>
                <Typography.Text strong>{r.personName}</Typography.Text>
                {r.personPost && <span>{r.personPost}</span>}
                <Typography.Text type="secondary">{r.personUnitName}</Typography.Text>
                {r.negativeList && <Tag color="error">{t('supervision.accountability.negativeListTag')}</Tag>}
              </Space>
              <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
                {r.reason}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.unitName} · {r.problemNumber} · {r.decidingOrgName} · {r.decidedOn}
                {r.outcome ? ` · ${r.outcome}` : ''}
              </Typography.Text>
            </div>
          </List.Item>
        )}
      />
      <FormModal<AccForm>
        open={creating}
        title={t('supervision.accountability.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        width={640}
        initialValues={{ kind: 'interview', decidedOn: dayjs() }}
      >
        <Form.Item
          name="problemId"
          label={t('supervision.accountability.problem')}
          rules={[
            { required: true, message: t('common.required', { field: t('supervision.accountability.problem') }) },
          ]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={ledger.isLoading}
            options={[...problems].map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="kind" label={t('supervision.accountability.kind')}>
            <Select
              style={{ width: 180 }}
              options={ACCOUNTABILITY_KINDS.map((k) => ({
                value: k,
                label: t(`supervision.accountability.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="personName"
            label={t('supervision.accountability.personName')}
            rules={req(t('supervision.accountability.personName'))}
          >
            <Input maxLength={100} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="personPost" label={t('supervision.accountability.personPost')}>
            <Input maxLength={100} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="reason"
          label={t('supervision.accountability.reason')}
          rules={req(t('supervision.accountability.reason'))}
        >
          <Input.TextArea maxLength={10000} autoSize={{ minRows: 2, maxRows: 8 }} />
        </Form.Item>
        <Form.Item
          name="decidedOn"
          label={t('supervision.accountability.decidedOn')}
          rules={[
            { required: true, message: t('common.required', { field: t('supervision.accountability.decidedOn') }) },
          ]}
        >
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="outcome" label={t('supervision.accountability.outcome')}>
          <Input.TextArea maxLength={10000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="negativeList" valuePropName="checked">
          <Checkbox>{t('supervision.accountability.negativeList')}</Checkbox>
        </Form.Item>
      </FormModal>
    </div>
  );
}
