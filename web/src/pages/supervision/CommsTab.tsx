import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Input, List, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Organisation, Page } from '../../api/types';
import { useCan, useMe } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { DeadlineTag } from './QueueTab';
import { ymd } from './shared';
import type { Paged, SupervisionMeeting, SupervisionTask, SupervisionTaskStatus } from './types';

const TASK_COLOR: Record<SupervisionTaskStatus, string> = {
  open: 'gold',
  reported: 'processing',
  accepted: 'success',
  returned: 'error',
};

interface TaskForm {
  content: string;
  ownerOrgId: number;
  deadline: Dayjs;
}

interface MeetingForm {
  title: string;
  heldOn: Dayjs;
  location?: string;
  attendees?: { name: string; orgId?: number }[];
  summary: string;
  tasks?: TaskForm[];
}

type TaskAct = { task: SupervisionTask; act: 'report' | 'accept' | 'return' };

/** Every active organisation, as Select options (owners of decisions and attendees' units). */
function useAllOrgOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['org-options', 'all'],
    enabled,
    queryFn: async () => {
      const orgs = await api.get<Page<Organisation>>('/organisations', { active: true, limit: 1000 });
      return orgs.items.map((o) => ({ value: o.id, label: o.name }));
    },
  });
}

function TaskFields({ orgs, prefix }: { orgs: { value: number; label: string }[]; prefix?: number }) {
  const { t } = useTranslation();
  const name = (f: string) => (prefix === undefined ? f : [prefix, f]);
  return (
    <>
      <Form.Item
        name={name('content')}
        label={t('supervision.comms.taskContent')}
        rules={[{ required: true, whitespace: true, message: t('supervision.comms.taskContent') }]}
      >
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name={name('ownerOrgId')}
          label={t('supervision.comms.owner')}
          rules={[{ required: true, message: t('supervision.comms.owner') }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={orgs} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item
          name={name('deadline')}
          label={t('supervision.comms.deadline')}
          rules={[{ required: true, message: t('supervision.comms.deadline') }]}
        >
          <DatePicker />
        </Form.Item>
      </Space>
    </>
  );
}

/**
 * 整改监督信息沟通会: the meeting's record and its decisions as tasks with an owner and a deadline; the
 * owner reports, the convener accepts or returns; overdue tasks are flagged.
 */
export function CommsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const qc = useQueryClient();
  const writer = can('supervision.write');
  const [creating, setCreating] = useState(false);
  const [adding, setAdding] = useState<SupervisionMeeting | null>(null);
  const [acting, setActing] = useState<TaskAct | null>(null);
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const orgs = useAllOrgOptions(writer);
  const q = useQuery({
    queryKey: ['supervision-meetings'],
    queryFn: () => api.get<Paged<SupervisionMeeting>>('/supervision-meetings', { limit: 100 }),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['supervision-meetings'] });
    void qc.invalidateQueries({ queryKey: ['supervision-queue'] });
  };
  const create = useMutation({
    mutationFn: (v: MeetingForm) =>
      api.post<SupervisionMeeting>('/supervision-meetings', {
        title: v.title.trim(),
        heldOn: ymd(v.heldOn),
        location: v.location?.trim() || undefined,
        attendees: (v.attendees ?? [])
          .filter((a) => a?.name?.trim())
          .map((a) => ({ name: a.name.trim(), orgId: a.orgId })),
        summary: v.summary.trim(),
        tasks: (v.tasks ?? [])
          .filter((x) => x?.content?.trim())
          .map((x) => ({ content: x.content.trim(), ownerOrgId: x.ownerOrgId, deadline: ymd(x.deadline) })),
      }),
    onSuccess: () => {
      toast('success', t('supervision.comms.created'));
      setCreating(false);
      refresh();
    },
    onError: (e) => handleWriteError(e),
  });
  const addTask = useMutation({
    mutationFn: (v: TaskForm) =>
      api.post(`/supervision-meetings/${adding!.id}/tasks`, {
        content: v.content.trim(),
        ownerOrgId: v.ownerOrgId,
        deadline: ymd(v.deadline),
      }),
    onSuccess: () => {
      toast('success', t('supervision.comms.task.added'));
      setAdding(null);
      refresh();
    },
    onError: (e) => handleWriteError(e),
  });
  const act = useMutation({
    mutationFn: (v: { text?: string; completedOn?: Dayjs; note?: string }) => {
      const { task, act: kind } = acting!;
      const base = `/supervision-tasks/${task.id}`;
      if (kind === 'report')
        return api.post(`${base}/report`, {
          version: task.version,
          text: v.text!.trim(),
          completedOn: ymd(v.completedOn),
        });
      if (kind === 'accept')
        return api.post(`${base}/accept`, { version: task.version, note: v.note?.trim() || undefined });
      return api.post(`${base}/return`, { version: task.version, note: v.note!.trim() });
    },
    onSuccess: () => {
      const kind = acting!.act;
      toast(
        'success',
        t(
          kind === 'report'
            ? 'supervision.comms.task.reported'
            : kind === 'accept'
              ? 'supervision.comms.task.accepted'
              : 'supervision.comms.task.returned',
        ),
      );
      setActing(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });

  const isOwner = (x: SupervisionTask) =>
    x.ownerUserId !== null ? x.ownerUserId === me.id : x.ownerOrgId === me.orgId;
  const isConvener = (x: { convenerOrgId: number }) => writer && (me.role === 'office' || x.convenerOrgId === me.orgId);
  const today = dayjs().format('YYYY-MM-DD');
  const daysLeft = (d: string) => dayjs(d).diff(dayjs(today), 'day');
  const meetings = (q.data?.items ?? []).filter((m) => !onlyOverdue || m.overdueTasks > 0);

  return (
    <div>
      <div className="toolbar">
        <Space>
          <Switch checked={onlyOverdue} onChange={setOnlyOverdue} aria-label={t('supervision.onlyOverdue')} />
          <span>{t('supervision.onlyOverdue')}</span>
        </Space>
        {writer && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="comms-create">
            {t('supervision.comms.create')}
          </Button>
        )}
      </div>
      <List<SupervisionMeeting>
        loading={q.isLoading}
        dataSource={meetings}
        data-testid="comms-list"
        locale={{ emptyText: <Empty description={t('supervision.comms.none')} /> }}
        renderItem={(m) => (
          <List.Item>
            <Card
              size="small"
              style={{ width: '100%' }}
              data-testid={`comms-${m.id}`}
              title={
                <Space wrap size={4}>
                  <span>{m.title}</span>
                  {m.overdueTasks > 0 && (
                    <Tag color="error">{t('supervision.comms.overdueTasks', { n: m.overdueTasks })}</Tag>
                  )}
                  <Tag>{t('supervision.comms.openTasks', { n: m.openTasks })}</Tag>
                </Space>
              }
              extra={
                isConvener(m) && (
                  <Button size="small" onClick={() => setAdding(m)} data-testid={`comms-add-task-${m.id}`}>
                    {t('supervision.comms.task.add')}
                  </Button>
                )
              }
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[m.heldOn, m.convenerName, m.location].filter(Boolean).join(' · ')}
              </Typography.Text>
              {m.attendees.length > 0 && (
                <div style={{ fontSize: 12 }}>
                  {t('supervision.comms.labelled', {
                    label: t('supervision.comms.attendees'),
                    value: m.attendees.map((a) => a.name).join(t('supervision.comms.listSep')),
                  })}
                </div>
              )}
              {m.summary && (
                <Typography.Paragraph style={{ margin: '6px 0' }} ellipsis={{ rows: 3, expandable: true }}>
                  {m.summary}
                </Typography.Paragraph>
              )}
              <List<SupervisionTask>
                size="small"
                header={<Typography.Text strong>{t('supervision.comms.decisions')}</Typography.Text>}
                dataSource={m.tasks}
                renderItem={(x) => {
                  const owes = x.status === 'open' || x.status === 'returned';
                  return (
                    <List.Item
                      data-testid={`task-${x.id}`}
                      data-status={x.status}
                      actions={[
                        owes && isOwner(x) && (
                          <Button
                            key="r"
                            size="small"
                            type="primary"
                            onClick={() => setActing({ task: x, act: 'report' })}
                            data-testid={`task-report-${x.id}`}
                          >
                            {t('supervision.comms.task.report')}
                          </Button>
                        ),
                        x.status === 'reported' && isConvener(x) && (
                          <Button
                            key="a"
                            size="small"
                            type="primary"
                            onClick={() => setActing({ task: x, act: 'accept' })}
                            data-testid={`task-accept-${x.id}`}
                          >
                            {t('supervision.comms.task.accept')}
                          </Button>
                        ),
                        x.status === 'reported' && isConvener(x) && (
                          <Button
                            key="x"
                            size="small"
                            danger
                            onClick={() => setActing({ task: x, act: 'return' })}
                            data-testid={`task-return-${x.id}`}
                          >
                            {t('supervision.comms.task.return')}
                          </Button>
                        ),
                      ].filter(Boolean)}
                    >
                      <div style={{ minWidth: 0 }}>
                        <Space wrap size={4}>
                          <Tag color={TASK_COLOR[x.status]}>{t(`supervision.comms.task.status.${x.status}`)}</Tag>
                          {owes && <DeadlineTag daysLeft={daysLeft(x.deadline)} deadline={x.deadline} />}
                          <Typography.Text type="secondary">
                            {x.ownerOrgName}
                            {x.ownerUserName && ` · ${x.ownerUserName}`} ·{' '}
                            {t('supervision.comms.task.deadline', { date: x.deadline })}
                          </Typography.Text>
                        </Space>
                        <div style={{ overflowWrap: 'anywhere' }}>
                          {x.seq}. {x.content}
                        </div>
                        {x.reportText && (
                          <div style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
                            {t('supervision.comms.labelled', {
                              label: t('supervision.comms.task.reportText'),
                              value: x.reportText,
                            })}
                            {x.reportedAt && ` (${x.reportedByName ?? '—'} · ${formatTime(x.reportedAt)})`}
                          </div>
                        )}
                        {x.reviewNote && (
                          <div style={{ fontSize: 12 }}>
                            {t('supervision.comms.labelled', {
                              label: t('supervision.comms.task.reviewNote'),
                              value: x.reviewNote,
                            })}
                          </div>
                        )}
                      </div>
                    </List.Item>
                  );
                }}
              />
            </Card>
          </List.Item>
        )}
      />

      <FormModal<MeetingForm>
        open={creating}
        title={t('supervision.comms.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        initialValues={{ heldOn: dayjs(), tasks: [{} as TaskForm] }}
        width={720}
        testId="comms-form"
      >
        <Form.Item
          name="title"
          label={t('supervision.comms.title')}
          rules={[{ required: true, whitespace: true, message: t('supervision.comms.title') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            name="heldOn"
            label={t('supervision.comms.heldOn')}
            rules={[{ required: true, message: t('supervision.comms.heldOn') }]}
          >
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="location" label={t('supervision.comms.location')}>
            <Input maxLength={200} style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Form.Item label={t('supervision.comms.attendees')}>
          <Form.List name="attendees">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="baseline">
                    <Form.Item name={[f.name, 'name']} rules={[{ whitespace: true }]}>
                      <Input placeholder={t('supervision.comms.attendeeName')} maxLength={100} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'orgId']}>
                      <Select
                        allowClear
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('supervision.comms.attendeeOrg')}
                        options={orgs.data ?? []}
                        style={{ width: 220 }}
                      />
                    </Form.Item>
                    <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {t('supervision.comms.addAttendee')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('supervision.comms.summary')}
          rules={[{ required: true, whitespace: true, message: t('supervision.comms.summary') }]}
        >
          <Input.TextArea rows={3} maxLength={20000} />
        </Form.Item>
        <Typography.Text strong>{t('supervision.comms.decisions')}</Typography.Text>
        <Form.List name="tasks">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginTop: 8 }}
                  extra={<MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />}
                >
                  <TaskFields orgs={orgs.data ?? []} prefix={f.name} />
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ marginTop: 8 }}>
                {t('supervision.comms.addTask')}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>

      <FormModal<TaskForm>
        open={!!adding}
        title={t('supervision.comms.task.add')}
        onCancel={() => setAdding(null)}
        onFinish={(v) => addTask.mutate(v)}
        busy={addTask.isPending}
        testId="comms-task-form"
      >
        <TaskFields orgs={orgs.data ?? []} />
      </FormModal>

      <FormModal<{ text?: string; completedOn?: Dayjs; note?: string }>
        open={!!acting}
        title={
          acting &&
          t(
            acting.act === 'report'
              ? 'supervision.comms.task.report'
              : acting.act === 'accept'
                ? 'supervision.comms.task.accept'
                : 'supervision.comms.task.return',
          )
        }
        onCancel={() => setActing(null)}
        onFinish={(v) => act.mutate(v)}
        busy={act.isPending}
        okDanger={acting?.act === 'return'}
        initialValues={acting?.act === 'report' ? { completedOn: dayjs() } : {}}
        testId="task-act-form"
      >
        {acting && <Typography.Paragraph>{acting.task.content}</Typography.Paragraph>}
        {acting?.act === 'report' ? (
          <>
            <Form.Item
              name="text"
              label={t('supervision.comms.task.reportText')}
              rules={[{ required: true, whitespace: true, message: t('supervision.comms.task.reportText') }]}
            >
              <Input.TextArea rows={4} maxLength={10000} />
            </Form.Item>
            <Form.Item name="completedOn" label={t('supervision.comms.task.completedOn')}>
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="note"
            label={t(
              acting?.act === 'return' ? 'supervision.comms.task.returnReason' : 'supervision.comms.task.reviewNote',
            )}
            rules={
              acting?.act === 'return'
                ? [{ required: true, whitespace: true, message: t('supervision.comms.task.returnReason') }]
                : []
            }
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
      </FormModal>
    </div>
  );
}
