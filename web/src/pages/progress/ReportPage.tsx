import {
  ArrowLeftOutlined,
  CheckOutlined,
  EditOutlined,
  FolderOpenOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Popconfirm, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { MEASURE_TYPES, type MeasureStatus, type MeasureType } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { MeasureStatusTag, MeasureTypeText } from '../ledger/shared';
import { EDITABLE_MEASURE_STATUSES } from '../ledger/types';
import { FormModal } from '../rounds/FormModal';
import { EvidenceUpload, FileList } from './evidence';
import { LateTag, periodLabel, ReportStatusTag } from './shared';
import type { EvidenceFile, ProgressReportDetail, ReportItem } from './types';
import { VersionsPanel } from './VersionsPanel';

interface ItemDraft {
  reportedStatus: MeasureStatus;
  narrative: string;
  files: EvidenceFile[];
}

const draftOf = (i: ReportItem): ItemDraft => ({
  reportedStatus: i.reportedStatus,
  narrative: i.narrative ?? '',
  files: i.files ?? [],
});

function sameDraft(a: ItemDraft, b: ItemDraft) {
  return (
    a.reportedStatus === b.reportedStatus &&
    a.narrative === b.narrative &&
    a.files.map((f) => f.id).join(',') === b.files.map((f) => f.id).join(',')
  );
}

/**
 * One progress report: per measure the status reported, a narrative and evidence files. The unit's
 * liaison fills it in and sends it for sign-off; the unit head signs it off (which submits it) or
 * returns it with a note; a submitted report can be revised. Every submitted revision is listed and
 * two can be compared.
 */
export default function ReportPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const id = Number(useParams().id);
  const report = useQuery({
    queryKey: ['progress-report', id],
    queryFn: () => api.get<ProgressReportDetail>(`/progress-reports/${id}`),
    staleTime: 0,
  });
  const r = report.data;
  const [drafts, setDrafts] = useState<Record<number, ItemDraft>>({});
  const [summary, setSummary] = useState<string>('');
  const [loadedAt, setLoadedAt] = useState<string>('');
  const [returning, setReturning] = useState(false);

  // (Re)load the editable copy whenever the server's record changes version.
  useEffect(() => {
    if (!r) return;
    const key = `${r.id}:${r.version}`;
    if (key === loadedAt) return;
    setLoadedAt(key);
    setDrafts(Object.fromEntries(r.items.map((i) => [i.measureId, draftOf(i)])));
    setSummary(r.summary ?? '');
  }, [r, loadedAt]);

  const dirtyItems = useMemo(
    () => (r ? r.items.filter((i) => drafts[i.measureId] && !sameDraft(drafts[i.measureId]!, draftOf(i))) : []),
    [r, drafts],
  );
  const summaryDirty = !!r && summary !== (r.summary ?? '');
  const editable = !!r && r.status === 'draft' && can('progress.write');

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['progress-report', id] });
    void qc.invalidateQueries({ queryKey: ['progress-reports'] });
    void qc.invalidateQueries({ queryKey: ['progress-periods'] });
    void qc.invalidateQueries({ queryKey: ['report-versions', id] });
  };

  /** Writes every changed item and the summary, one after the other, each on the version the last returned. */
  const saveAll = async (): Promise<number> => {
    let version = r!.version;
    const next = async (res: { version?: number } | null) => {
      if (res && typeof res.version === 'number') version = res.version;
      else version = (await api.get<ProgressReportDetail>(`/progress-reports/${id}`)).version;
    };
    for (const item of dirtyItems) {
      const d = drafts[item.measureId]!;
      await next(
        await api.put<{ version?: number }>(`/progress-reports/${id}/items/${item.measureId}`, {
          version,
          reportedStatus: d.reportedStatus,
          narrative: d.narrative.trim(),
          fileIds: d.files.map((f) => f.id),
        }),
      );
    }
    if (summaryDirty) {
      await next(await api.put<{ version?: number }>(`/progress-reports/${id}`, { version, summary: summary.trim() }));
    }
    return version;
  };

  const save = useMutation({
    mutationFn: saveAll,
    onSuccess: () => {
      toast('success', t('progress.saved'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const step = useMutation({
    mutationFn: async (v: { action: 'send' | 'signoff' | 'revise' | 'return'; note?: string }) => {
      const version = v.action === 'send' ? await saveAll() : r!.version;
      return api.post(
        `/progress-reports/${id}/${v.action}`,
        v.action === 'return' ? { version, note: v.note } : { version },
      );
    },
    onSuccess: (_res, v) => {
      toast('success', t(`progress.done.${v.action}`));
      setReturning(false);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });

  if (!r)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const setItem = (measureId: number, patch: Partial<ItemDraft>) =>
    setDrafts((all) => ({ ...all, [measureId]: { ...all[measureId]!, ...patch } }));
  const dirty = dirtyItems.length > 0 || summaryDirty;

  return (
    <div data-testid="report-page" data-status={r.status} data-version={r.version}>
      <div className="page-header">
        <Space wrap align="center">
          <Link to={`/progress?tab=periods&ru=${r.roundUnitId}`} aria-label={t('common.back')}>
            <Button type="text" icon={<ArrowLeftOutlined />} />
          </Link>
          <h1>
            {t('progress.reportTitle', { unit: r.unitName ?? '', period: periodLabel(t, r.periodSeq, r.periodKind) })}
          </h1>
          <ReportStatusTag status={r.status} />
          {r.late && <LateTag kind="late" />}
          {!r.late && r.overdue && <LateTag kind="overdue" />}
        </Space>
        <Link to={`/progress/units/${r.roundUnitId}/materials`} data-testid="report-materials">
          <Button icon={<FolderOpenOutlined />}>{t('progress.materials.open')}</Button>
        </Link>
      </div>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('progress.dueDate')}>{r.dueDate}</Descriptions.Item>
        <Descriptions.Item label={t('progress.revisionLabel')}>{r.revision}</Descriptions.Item>
        <Descriptions.Item label={t('progress.signedBy')}>{r.signedByName ?? '—'}</Descriptions.Item>
        {r.status === 'pending_signoff' ? (
          <Descriptions.Item label={t('progress.sentAtLabel')}>{formatTime(r.sentForSignoffAt)}</Descriptions.Item>
        ) : (
          <Descriptions.Item label={t('progress.submittedAtLabel')}>{formatTime(r.submittedAt)}</Descriptions.Item>
        )}
      </Descriptions>
      {r.status === 'draft' && r.returnNote && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="return-note"
          title={t('progress.returned', { time: formatTime(r.returnedAt) })}
          description={r.returnNote}
        />
      )}
      {r.status === 'pending_signoff' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={can('progress.signoff') ? t('progress.signoffHint') : t('progress.waitingSignoff')}
        />
      )}

      {r.items.length === 0 && <Alert type="info" title={t('progress.noItems')} style={{ marginBottom: 12 }} />}
      {r.items.map((item) => {
        const d = drafts[item.measureId] ?? draftOf(item);
        return (
          <Card
            key={item.measureId}
            size="small"
            className="report-item"
            data-testid={`report-item-${item.measureId}`}
            title={
              <span style={{ whiteSpace: 'normal' }}>
                {t('progress.itemTitle', { problem: item.problemNumber, seq: item.seq })}
              </span>
            }
            extra={
              <Space size={4} wrap>
                {(MEASURE_TYPES as readonly string[]).includes(item.type) && (
                  <Typography.Text type="secondary">
                    <MeasureTypeText type={item.type as MeasureType} />
                  </Typography.Text>
                )}
                {item.measureStatus && <MeasureStatusTag status={item.measureStatus} />}
              </Space>
            }
          >
            <div className="measure-content">{item.content}</div>
            {editable ? (
              <Form layout="vertical" component="div">
                <Form.Item label={t('progress.reportedStatus')} htmlFor={`status-${item.measureId}`}>
                  <Select
                    id={`status-${item.measureId}`}
                    value={d.reportedStatus}
                    onChange={(v) => setItem(item.measureId, { reportedStatus: v })}
                    options={[
                      ...EDITABLE_MEASURE_STATUSES.map((s) => ({ value: s, label: t(`ledger.measureStatus.${s}`) })),
                      ...((EDITABLE_MEASURE_STATUSES as readonly string[]).includes(d.reportedStatus)
                        ? []
                        : [{ value: d.reportedStatus, label: t(`ledger.measureStatus.${d.reportedStatus}`) }]),
                    ]}
                    style={{ maxWidth: 240 }}
                    data-testid={`item-status-${item.measureId}`}
                  />
                </Form.Item>
                <Form.Item label={t('progress.narrative')} htmlFor={`narrative-${item.measureId}`}>
                  <Input.TextArea
                    id={`narrative-${item.measureId}`}
                    value={d.narrative}
                    onChange={(e) => setItem(item.measureId, { narrative: e.target.value })}
                    maxLength={5000}
                    autoSize={{ minRows: 3, maxRows: 12 }}
                    placeholder={t('progress.narrativeHint')}
                    data-testid={`item-narrative-${item.measureId}`}
                  />
                </Form.Item>
                <Form.Item label={t('progress.evidence')} style={{ marginBottom: 0 }}>
                  <EvidenceUpload
                    roundUnitId={r.roundUnitId}
                    value={d.files}
                    onChange={(files) => setItem(item.measureId, { files })}
                    testId={`item-files-${item.measureId}`}
                  />
                </Form.Item>
              </Form>
            ) : (
              <Descriptions size="small" column={1} styles={{ label: { width: 84 } }}>
                <Descriptions.Item label={t('progress.reportedStatus')}>
                  <MeasureStatusTag status={d.reportedStatus} />
                </Descriptions.Item>
                <Descriptions.Item label={t('progress.narrative')}>
                  <span style={{ whiteSpace: 'pre-wrap' }} data-testid={`item-narrative-${item.measureId}`}>
                    {d.narrative || '—'}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('progress.evidence')}>
                  <FileList files={d.files} />
                </Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        );
      })}

      <Card size="small" title={t('progress.summary')} style={{ marginBottom: 12 }}>
        {editable ? (
          <Input.TextArea
            aria-label={t('progress.summary')}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            maxLength={10000}
            autoSize={{ minRows: 3, maxRows: 14 }}
            placeholder={t('progress.summaryHint')}
            data-testid="report-summary"
          />
        ) : (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.summary || '—'}</Typography.Paragraph>
        )}
      </Card>

      <div className="report-actions">
        {editable && (
          <>
            <Button
              icon={<SaveOutlined />}
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty}
              data-testid="report-save"
            >
              {t('progress.save')}
            </Button>
            <Popconfirm
              title={t('progress.sendConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => step.mutate({ action: 'send' })}
            >
              <Button type="primary" icon={<SendOutlined />} loading={step.isPending} data-testid="report-send">
                {t('progress.send')}
              </Button>
            </Popconfirm>
          </>
        )}
        {r.status === 'pending_signoff' && can('progress.signoff') && (
          <>
            <Popconfirm
              title={t('progress.signoffConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => step.mutate({ action: 'signoff' })}
            >
              <Button type="primary" icon={<CheckOutlined />} loading={step.isPending} data-testid="report-signoff">
                {t('progress.signoff')}
              </Button>
            </Popconfirm>
            <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="report-return">
              {t('progress.return')}
            </Button>
          </>
        )}
        {r.status === 'submitted' && can('progress.write') && (
          <Popconfirm
            title={t('progress.reviseConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => step.mutate({ action: 'revise' })}
          >
            <Button icon={<EditOutlined />} loading={step.isPending} data-testid="report-revise">
              {t('progress.revise')}
            </Button>
          </Popconfirm>
        )}
      </div>

      <VersionsPanel reportId={r.id} current={r.revision} status={r.status} />

      <FormModal<{ note: string }>
        open={returning}
        title={t('progress.returnTitle')}
        onCancel={() => setReturning(false)}
        onFinish={(v) => step.mutate({ action: 'return', note: v.note.trim() })}
        busy={step.isPending}
        okText={t('progress.return')}
        okDanger
        testId="return-save"
      >
        <Form.Item
          name="note"
          label={t('progress.returnNote')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('progress.returnNote') }) },
          ]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
