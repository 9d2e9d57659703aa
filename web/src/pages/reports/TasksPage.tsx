import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { TASK_COLOR, type Task, type TaskStatus, type TaskWithEvents } from './types';
import '../progress/progress.css';

type Act = 'urge' | 'report' | 'accept' | 'return';
const STATUSES: TaskStatus[] = ['open', 'reported', 'returned', 'closed'];

/**
 * 限时办结: the tasks minutes decided. The 督查室 (task.follow) sees them all, urges, accepts or returns;
 * the owning unit (supervision.respond) reports what it did; the office and the leadership read.
 */
export default function TasksPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const follows = can('task.follow');
  const answers = can('supervision.respond');
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [acting, setActing] = useState<{ task: Task; act: Act } | null>(null);
  const [logOf, setLogOf] = useState<number | null>(null);
  const q = useQuery({
    queryKey: ['tasks', { status, overdue }],
    queryFn: () => api.get<{ items: Task[] }>('/tasks', { status, overdue: overdue ? true : undefined, limit: 200 }),
    select: (d) => d.items,
  });
  const log = useQuery({
    queryKey: ['tasks', 'one', logOf],
    enabled: logOf !== null,
    queryFn: () => api.get<TaskWithEvents>(`/tasks/${logOf}`),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['tasks'] });
  const act = useMutation({
    mutationFn: (v: { text?: string; note?: string }) => {
      const { task, act: kind } = acting!;
      const base = `/tasks/${task.id}`;
      if (kind === 'urge') return api.post(`${base}/urge`, { note: v.note?.trim() || undefined });
      if (kind === 'report') return api.post(`${base}/report`, { version: task.version, text: v.text!.trim() });
      if (kind === 'accept')
        return api.post(`${base}/accept`, { version: task.version, note: v.note?.trim() || undefined });
      return api.post(`${base}/return`, { version: task.version, note: v.note!.trim() });
    },
    onSuccess: () => {
      const done: Record<Act, string> = {
        urge: t('reports.task.urgedDone'),
        report: t('reports.task.reported'),
        accept: t('reports.task.accepted'),
        return: t('reports.task.returned'),
      };
      toast('success', done[acting!.act]);
      setActing(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const noteLabel: Record<Act, string> = {
    urge: t('reports.task.urgeNote'),
    report: t('reports.task.reportText'),
    accept: t('reports.task.acceptNote'),
    return: t('reports.task.returnNote'),
  };
  const mustWrite = acting?.act === 'report' || acting?.act === 'return';
  return (
    <>
      <PageHeader title={t('menu.tasks')} intro={t('reports.task.intro')} />
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('reports.task.filterStatus')}
          placeholder={t('reports.task.filterStatus')}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`reports.task.status.${s}`) }))}
          style={{ width: 160 }}
        />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="tasks-overdue">
          {t('reports.task.overdueOnly')}
        </Checkbox>
      </div>
      <List<Task>
        loading={q.isLoading}
        dataSource={q.data ?? []}
        data-testid="tasks-list"
        locale={{ emptyText: <Empty description={t('reports.task.none')} /> }}
        renderItem={(task) => (
          <List.Item data-testid={`task-${task.id}`}>
            <Card
              size="small"
              style={{ width: '100%' }}
              title={
                <Space wrap size={4}>
                  <Tag color={TASK_COLOR[task.status]} data-testid="task-status" data-status={task.status}>
                    {t(`reports.task.status.${task.status}`)}
                  </Tag>
                  {task.overdue && (
                    <Tag color="error" data-testid="task-overdue">
                      {t('reports.task.overdue')}
                    </Tag>
                  )}
                  {task.urgeCount > 0 && <Tag color="orange">{t('reports.task.urged', { count: task.urgeCount })}</Tag>}
                </Space>
              }
              extra={
                <Typography.Text type="secondary">
                  {t('reports.task.deadline', { date: task.deadline })}
                </Typography.Text>
              }
            >
              <div className="period-row">
                <div style={{ minWidth: 0, flex: '1 1 260px' }}>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{task.content}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('reports.task.owner', { org: task.ownerOrgName })}
                    {task.ownerUserName ? ` · ${t('reports.task.ownerPerson', { name: task.ownerUserName })}` : ''} ·{' '}
                    {t('reports.task.from', { title: task.minutesTitle })}
                  </Typography.Text>
                  {task.reportText && (
                    <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                      {t('reports.task.reportTextLabel', { text: task.reportText })}
                    </Typography.Paragraph>
                  )}
                  {task.reviewNote && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('reports.task.reviewNoteLabel', { text: task.reviewNote })}
                    </Typography.Text>
                  )}
                </div>
                <Space wrap>
                  <Button size="small" onClick={() => setLogOf(task.id)}>
                    {t('reports.task.log')}
                  </Button>
                  {follows && (task.status === 'open' || task.status === 'returned') && (
                    <Button size="small" onClick={() => setActing({ task, act: 'urge' })} data-testid="task-urge">
                      {t('reports.task.urge')}
                    </Button>
                  )}
                  {answers && (task.status === 'open' || task.status === 'returned') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setActing({ task, act: 'report' })}
                      data-testid="task-report"
                    >
                      {t('reports.task.report')}
                    </Button>
                  )}
                  {follows && task.status === 'reported' && (
                    <>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => setActing({ task, act: 'accept' })}
                        data-testid="task-accept"
                      >
                        {t('reports.task.accept')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => setActing({ task, act: 'return' })}
                        data-testid="task-return"
                      >
                        {t('reports.task.return')}
                      </Button>
                    </>
                  )}
                </Space>
              </div>
            </Card>
          </List.Item>
        )}
      />
      <FormModal<{ text?: string; note?: string }>
        open={!!acting}
        title={acting ? t(`reports.task.${acting.act}`) : ''}
        onCancel={() => setActing(null)}
        onFinish={(v) => act.mutate(v)}
        busy={act.isPending}
        okDanger={acting?.act === 'return'}
        testId="task-act-ok"
      >
        {acting && (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{acting.task.content}</Typography.Paragraph>
        )}
        {acting && (
          <Form.Item
            name={acting.act === 'report' ? 'text' : 'note'}
            label={noteLabel[acting.act]}
            rules={
              mustWrite
                ? [
                    {
                      required: true,
                      whitespace: true,
                      message: t('common.required', { field: noteLabel[acting.act] }),
                    },
                  ]
                : []
            }
          >
            <Input.TextArea
              maxLength={acting.act === 'report' ? 10000 : 2000}
              autoSize={{ minRows: 2, maxRows: 8 }}
              data-testid="task-act-text"
            />
          </Form.Item>
        )}
      </FormModal>
      <Modal
        open={logOf !== null}
        title={t('reports.task.log')}
        footer={null}
        onCancel={() => setLogOf(null)}
        destroyOnHidden
      >
        <Timeline
          items={(log.data?.events ?? []).map((e) => ({
            color: e.kind === 'return' ? 'red' : e.kind === 'close' ? 'green' : e.kind === 'urge' ? 'orange' : 'blue',
            children: (
              <>
                <Typography.Text strong>{t(`reports.task.event.${e.kind}`)}</Typography.Text>{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.actorOrgName} {e.actorName} · {formatTime(e.createdAt)}
                </Typography.Text>
                {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
              </>
            ),
          }))}
        />
      </Modal>
    </>
  );
}
