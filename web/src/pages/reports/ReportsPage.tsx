import {
  DownloadOutlined,
  FileExcelOutlined,
  FileWordOutlined,
  MinusCircleOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, withQuery } from '../../api/client';
import { handleWriteError, showError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { FormModal } from '../rounds/FormModal';
import { OrgSearchSelect, useRounds, useTermOptions } from '../rounds/shared';
import {
  type MeetingKind,
  type Minutes,
  type MinutesKind,
  REPORT_FILES,
  type ReportKind,
  type ReportMeeting,
  TASK_COLOR,
} from './types';

const MEETING_KINDS: MeetingKind[] = ['leading_group', 'secretary', 'standing_committee'];
const MINUTES_KINDS: MinutesKind[] = [...MEETING_KINDS, 'other'];
const REPORT_KINDS: ReportKind[] = ['comprehensive', 'progress_statistics', 'open_measures'];
const ymd = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

/** Reports (M13): generated documents for a term or round, the 三个汇报 records and the minutes. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  // The office, the leadership and the 督查室 keep or read the records; a unit reads only its tasks.
  const seesRecords = can('report.write') || can('task.follow') || me.role === 'leader';
  return (
    <>
      <PageHeader title={t('menu.reports')} intro={t('reports.intro')} />
      <GenerateCard />
      {seesRecords && (
        <Tabs
          style={{ marginTop: 16 }}
          items={[
            { key: 'meetings', label: t('reports.tabs.meetings'), children: <MeetingsTab /> },
            { key: 'minutes', label: t('reports.tabs.minutes'), children: <MinutesTab /> },
          ]}
        />
      )}
    </>
  );
}

function GenerateCard() {
  const { t } = useTranslation();
  const can = useCan();
  const [termId, setTermId] = useState<number | undefined>();
  const [roundId, setRoundId] = useState<number | undefined>();
  const canRounds = can('round.read');
  const termOptions = useTermOptions(canRounds);
  const rounds = useRounds({ termId }, canRounds);
  const [busy, setBusy] = useState<ReportKind | null>(null);
  const get = async (kind: ReportKind) => {
    setBusy(kind);
    try {
      await download(withQuery(REPORT_FILES[kind].path, { termId, roundId }), REPORT_FILES[kind].fallback);
      toast('success', t('reports.downloaded'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };
  const labels: Record<ReportKind, string> = {
    comprehensive: t('reports.comprehensive'),
    progress_statistics: t('reports.progressStatistics'),
    open_measures: t('reports.openMeasures'),
  };
  return (
    <Card size="small" title={t('reports.generate')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          aria-label={t('reports.term')}
          placeholder={t('reports.allTerms')}
          value={termId}
          onChange={(v) => {
            setTermId(v);
            setRoundId(undefined);
          }}
          options={termOptions}
          style={{ width: 180 }}
          data-testid="report-term"
        />
        <Select
          allowClear
          aria-label={t('reports.round')}
          placeholder={t('reports.allRounds')}
          value={roundId}
          onChange={setRoundId}
          options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          style={{ width: 240 }}
          data-testid="report-round"
        />
      </Space>
      <Space wrap>
        {REPORT_KINDS.map((k) => (
          <Button
            key={k}
            icon={k === 'comprehensive' ? <FileWordOutlined /> : <FileExcelOutlined />}
            type={k === 'comprehensive' ? 'primary' : 'default'}
            loading={busy === k}
            onClick={() => void get(k)}
            data-testid={`download-${k}`}
          >
            {labels[k]}
          </Button>
        ))}
      </Space>
    </Card>
  );
}

interface MeetingForm {
  kind: MeetingKind;
  meetingDate: Dayjs;
  roundId?: number;
  title: string;
  summary: string;
  reportKind?: ReportKind;
}

function MeetingsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const rounds = useRounds({}, can('round.read'));
  const q = useQuery({
    queryKey: ['report-meetings'],
    queryFn: () => api.get<{ items: ReportMeeting[] }>('/report-meetings'),
    select: (d) => d.items,
  });
  const create = useMutation({
    mutationFn: (v: MeetingForm) =>
      api.post<ReportMeeting>('/report-meetings', {
        kind: v.kind,
        meetingDate: ymd(v.meetingDate),
        roundId: v.roundId,
        title: v.title.trim(),
        summary: v.summary.trim(),
        reportKind: v.reportKind,
      }),
    onSuccess: () => {
      toast('success', t('reports.meeting.created'));
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['report-meetings'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  return (
    <div>
      {can('report.write') && (
        <div className="toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="meeting-create">
            {t('reports.meeting.create')}
          </Button>
        </div>
      )}
      <List<ReportMeeting>
        loading={q.isLoading}
        dataSource={q.data ?? []}
        data-testid="meetings-list"
        locale={{ emptyText: <Empty description={t('reports.meeting.none')} /> }}
        renderItem={(m) => (
          <List.Item data-testid={`meeting-${m.id}`}>
            <Card
              size="small"
              style={{ width: '100%' }}
              title={
                <Space wrap size={4}>
                  <Tag color="blue">{t(`reports.meetingKind.${m.kind}`)}</Tag>
                  <span>{m.title}</span>
                </Space>
              }
              extra={<Typography.Text type="secondary">{m.meetingDate}</Typography.Text>}
            >
              {(m.roundName || m.termName) && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {m.roundName ?? m.termName}
                </Typography.Text>
              )}
              <Typography.Paragraph style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>
                {m.summary}
              </Typography.Paragraph>
              {m.reportKind && (
                <Space wrap>
                  <Typography.Text type="secondary">
                    {t('reports.meeting.report')}：{t(`reports.reportKind.${m.reportKind}`)}
                  </Typography.Text>
                  {m.figures && (
                    <Typography.Text type="secondary">
                      {t('reports.meeting.figures', {
                        measures: m.figures.measures ?? 0,
                        done: m.figures.doneMeasures ?? 0,
                        rate: m.figures.rectificationRate == null ? '—' : `${m.figures.rectificationRate.toFixed(1)}%`,
                      })}
                    </Typography.Text>
                  )}
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    onClick={() => {
                      const f = REPORT_FILES[m.reportKind!];
                      download(withQuery(f.path, { termId: m.termId, roundId: m.roundId }), f.fallback).catch(
                        showError,
                      );
                    }}
                  >
                    {t('reports.meeting.download')}
                  </Button>
                </Space>
              )}
            </Card>
          </List.Item>
        )}
      />
      <FormModal<MeetingForm>
        open={creating}
        title={t('reports.meeting.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        width={600}
        initialValues={{ kind: 'standing_committee' }}
      >
        <Form.Item name="kind" label={t('reports.meeting.kind')} rules={[{ required: true }]}>
          <Select options={MEETING_KINDS.map((k) => ({ value: k, label: t(`reports.meetingKind.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="meetingDate"
          label={t('reports.meeting.date')}
          rules={[{ required: true, message: t('common.required', { field: t('reports.meeting.date') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="roundId" label={t('reports.round')}>
          <Select allowClear options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('reports.meeting.title')} rules={required(t('reports.meeting.title'))}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="summary" label={t('reports.meeting.summary')} rules={required(t('reports.meeting.summary'))}>
          <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="reportKind" label={t('reports.meeting.report')} extra={t('reports.meeting.reportHint')}>
          <Select allowClear options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.reportKind.${k}`) }))} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

interface MinutesForm {
  kind: MinutesKind;
  meetingDate: Dayjs;
  docNumber?: string;
  title: string;
  content: string;
  roundId?: number;
  decisions: { content: string; ownerOrgId: number; deadline: Dayjs }[];
}

function MinutesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const rounds = useRounds({}, can('round.read'));
  const q = useQuery({
    queryKey: ['minutes'],
    queryFn: () => api.get<{ items: Minutes[] }>('/minutes'),
    select: (d) => d.items,
  });
  const create = useMutation({
    mutationFn: (v: MinutesForm) =>
      api.post<Minutes>('/minutes', {
        kind: v.kind,
        meetingDate: ymd(v.meetingDate),
        docNumber: v.docNumber?.trim() || undefined,
        title: v.title.trim(),
        content: v.content.trim(),
        roundId: v.roundId,
        decisions: v.decisions.map((d) => ({
          content: d.content.trim(),
          ownerOrgId: d.ownerOrgId,
          deadline: ymd(d.deadline),
        })),
      }),
    onSuccess: () => {
      toast('success', t('reports.minutes.created'));
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['minutes'] });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  return (
    <div>
      {can('report.write') && (
        <div className="toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="minutes-create">
            {t('reports.minutes.create')}
          </Button>
        </div>
      )}
      <List<Minutes>
        loading={q.isLoading}
        dataSource={q.data ?? []}
        data-testid="minutes-list"
        locale={{ emptyText: <Empty description={t('reports.minutes.none')} /> }}
        renderItem={(m) => (
          <List.Item data-testid={`minutes-${m.id}`}>
            <Card
              size="small"
              style={{ width: '100%' }}
              title={
                <Space wrap size={4}>
                  <Tag color="blue">{t(`reports.meetingKind.${m.kind}`)}</Tag>
                  <span>{m.title}</span>
                </Space>
              }
              extra={<Typography.Text type="secondary">{m.meetingDate}</Typography.Text>}
            >
              {m.docNumber && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {m.docNumber}
                </Typography.Text>
              )}
              <Typography.Paragraph style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>
                {m.content}
              </Typography.Paragraph>
              <Typography.Text strong>{t('reports.minutes.tasks', { count: m.tasks.length })}</Typography.Text>
              <List
                size="small"
                dataSource={m.tasks}
                renderItem={(task) => (
                  <List.Item>
                    <Space wrap size={4}>
                      <Typography.Text strong>{task.seq}.</Typography.Text>
                      <Tag color={TASK_COLOR[task.status]}>{t(`reports.task.status.${task.status}`)}</Tag>
                      {task.overdue && <Tag color="error">{t('reports.task.overdue')}</Tag>}
                      <span>{task.content}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('reports.task.owner', { org: task.ownerOrgName })} ·{' '}
                        {t('reports.task.deadline', { date: task.deadline })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </List.Item>
        )}
      />
      <FormModal<MinutesForm>
        open={creating}
        title={t('reports.minutes.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        width={680}
        initialValues={{ kind: 'standing_committee', decisions: [{} as never] }}
        testId="minutes-save"
      >
        <Form.Item name="kind" label={t('reports.minutes.kind')} rules={[{ required: true }]}>
          <Select options={MINUTES_KINDS.map((k) => ({ value: k, label: t(`reports.meetingKind.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="meetingDate"
          label={t('reports.minutes.date')}
          rules={[{ required: true, message: t('common.required', { field: t('reports.minutes.date') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" data-testid="minutes-date" />
        </Form.Item>
        <Form.Item name="docNumber" label={t('reports.minutes.docNumber')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="title" label={t('reports.minutes.title')} rules={required(t('reports.minutes.title'))}>
          <Input maxLength={200} data-testid="minutes-title" />
        </Form.Item>
        <Form.Item name="content" label={t('reports.minutes.content')} rules={required(t('reports.minutes.content'))}>
          <Input.TextArea maxLength={50000} autoSize={{ minRows: 3, maxRows: 8 }} data-testid="minutes-content" />
        </Form.Item>
        <Form.Item name="roundId" label={t('reports.round')}>
          <Select allowClear options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
        <Typography.Text strong>{t('reports.minutes.decisions')}</Typography.Text>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card size="small" key={f.key} style={{ marginTop: 8 }} data-testid={`decision-${i}`}>
                  <Form.Item
                    name={[f.name, 'content']}
                    label={t('reports.minutes.decision', { n: i + 1 })}
                    rules={required(t('reports.minutes.decision', { n: i + 1 }))}
                  >
                    <Input.TextArea maxLength={4000} autoSize={{ minRows: 1, maxRows: 4 }} />
                  </Form.Item>
                  <Space wrap align="start">
                    <Form.Item
                      name={[f.name, 'ownerOrgId']}
                      label={t('reports.minutes.owner')}
                      rules={[{ required: true, message: t('common.required', { field: t('reports.minutes.owner') }) }]}
                    >
                      <OrgSearchSelect style={{ width: 240 }} aria-label={t('reports.minutes.owner')} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'deadline']}
                      label={t('reports.minutes.deadline')}
                      rules={[
                        { required: true, message: t('common.required', { field: t('reports.minutes.deadline') }) },
                      ]}
                    >
                      <DatePicker format="YYYY-MM-DD" />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={t('common.delete')}
                        style={{ marginTop: 30 }}
                      />
                    )}
                  </Space>
                </Card>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add()}
                style={{ marginTop: 8 }}
                data-testid="decision-add"
              >
                {t('reports.minutes.addDecision')}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </div>
  );
}
