import { CheckOutlined, CloseOutlined, RedoOutlined, RollbackOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Grid,
  Input,
  List,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClosureVerdict, REOPEN_SOURCES, type ReopenSource } from '../../../../domain/progress';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { MeasureStatusTag } from '../ledger/shared';
import { FileLink } from '../progress/evidence';
import { FormModal } from '../rounds/FormModal';
import { ClosureStatusTag } from './shared';
import type { ClosureDetail, RequiredVerifier, ReusedEvidence } from './types';

function verifierLabel(t: TFunction, v: RequiredVerifier): string {
  return v.kind === 'office' && !v.name ? t('roles.office') : v.name;
}

function reusedText(t: TFunction, r: ReusedEvidence): string {
  const where = r.elsewhere.map((e) => `${e.unitName} ${e.problemNumber}`);
  if (r.hiddenCount > 0) where.push(t('closure.hiddenReuse', { count: r.hiddenCount }));
  return t('closure.reusedOne', { file: r.name, where: where.join('；') || t('closure.elsewhere') });
}

/**
 * One closure application: the measure and its problem, the summary and evidence (downloads), a
 * warning when the same file was offered elsewhere, the verifications so far and who is still to
 * verify; then verify (office, liaison supervisor), decide (office), withdraw (the unit), reopen.
 */
export function ClosureDrawer({ closureId, onClose }: { closureId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [verdict, setVerdict] = useState<ClosureVerdict>('agree');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [reopening, setReopening] = useState(false);
  const detail = useQuery({
    queryKey: ['closure', closureId],
    queryFn: () => api.get<ClosureDetail>(`/closures/${closureId}`),
    enabled: !!closureId,
    staleTime: 0,
  });
  const c = detail.data && detail.data.id === closureId ? detail.data : undefined;
  const refresh = () => {
    for (const k of ['closure', 'closures', 'ledger', 'measure', 'dashboard', 'rechecks', 'closable'])
      void qc.invalidateQueries({ queryKey: [k] });
  };
  const verify = useMutation({
    mutationFn: () => api.post(`/closures/${c!.id}/verify`, { verdict, note: note.trim() || undefined }),
    onSuccess: () => {
      toast('success', t('closure.verified'));
      setNote('');
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const decide = useMutation({
    mutationFn: (v: { decision: 'approve' | 'reject'; note?: string }) =>
      api.post(`/closures/${c!.id}/decide`, {
        version: c!.version,
        decision: v.decision,
        note: v.note?.trim() || undefined,
      }),
    onSuccess: (_r, v) => {
      toast('success', t(v.decision === 'approve' ? 'closure.approved' : 'closure.rejected'));
      setDeciding(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const withdraw = useMutation({
    mutationFn: () => api.post(`/closures/${c!.id}/withdraw`, { version: c!.version }),
    onSuccess: () => {
      toast('success', t('closure.withdrawn'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const reopen = useMutation({
    mutationFn: (v: { source: ReopenSource; reason: string }) =>
      api.post(`/measures/${c!.measureId}/reopen`, {
        version: c!.measure.version,
        source: v.source,
        reason: v.reason.trim(),
      }),
    onSuccess: () => {
      toast('success', t('closure.reopened'));
      setReopening(false);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });

  const pending = c?.status === 'pending';
  const mine = !!c && c.applicantId === me.id;
  const myOrgVerified = !!c && c.verifications.some((v) => v.verifierOrgId === me.orgId);
  const mayVerify = pending && can('closure.verify') && !mine && !myOrgVerified;
  const mayDecide = pending && can('closure.decide') && !mine;
  const m = c?.measure;

  return (
    <Drawer
      open={!!closureId}
      onClose={onClose}
      size={screens.md ? 680 : '100%'}
      destroyOnHidden
      title={
        <Space wrap>
          {t('closure.detailTitle')}
          {c && <ClosureStatusTag status={c.status} />}
        </Space>
      }
    >
      {!c ? (
        <Spin />
      ) : (
        <div data-testid="closure-drawer" data-status={c.status} data-version={c.version}>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            {c.unitName && <Descriptions.Item label={t('closure.unit')}>{c.unitName}</Descriptions.Item>}
            <Descriptions.Item label={t('closure.problem')}>
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{c.problem.number}</Typography.Text>
                {c.problem.description && (
                  <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                    {c.problem.description}
                  </Typography.Paragraph>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('closure.measure')}>
              <Space orientation="vertical" size={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{m?.content}</span>
                {m && (
                  <Space wrap size={4}>
                    <MeasureStatusTag status={m.status} />
                    <Typography.Text type="secondary">
                      {t('closure.deadline', { date: m.effectiveDeadline })}
                      {m.ownerName ? ` · ${m.ownerName}` : ''}
                    </Typography.Text>
                  </Space>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('closure.applicant')}>
              {c.applicantName ?? '—'} · {formatTime(c.appliedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('closure.summary')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{c.summary}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('closure.files')}>
              <Space orientation="vertical" size={2}>
                {c.files.map((f) => (
                  <Space key={f.id} size={4} wrap>
                    <FileLink file={f} />
                    {f.reused && (
                      <Tag color="warning" icon={<WarningOutlined />} data-testid={`file-reused-${f.id}`}>
                        {t('closure.reusedTag')}
                      </Tag>
                    )}
                  </Space>
                ))}
                {c.files.length === 0 && <Typography.Text type="secondary">{t('progress.files.none')}</Typography.Text>}
              </Space>
            </Descriptions.Item>
          </Descriptions>

          {c.reusedEvidence?.length > 0 && (
            <Alert
              type="warning"
              showIcon
              icon={<WarningOutlined />}
              style={{ marginBottom: 12 }}
              data-testid="reused-evidence"
              title={t('closure.reusedTitle')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {c.reusedEvidence.map((r) => (
                    <li key={r.fileId}>{reusedText(t, r)}</li>
                  ))}
                </ul>
              }
            />
          )}

          {c.decidedAt && (
            <Alert
              type={c.status === 'rejected' ? 'error' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              title={t('closure.decidedBy', { who: c.decidedByName ?? '—', time: formatTime(c.decidedAt) })}
              description={c.decisionNote || undefined}
            />
          )}
          {c.reopenedAt && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('closure.reopenedBy', {
                who: c.reopenedByName ?? '—',
                time: formatTime(c.reopenedAt),
                source: c.reopenSource ? t(`closure.source.${c.reopenSource}`) : '—',
              })}
              description={c.reopenReason || undefined}
            />
          )}

          <Divider titlePlacement="start" plain>
            {t('closure.verifications')}
          </Divider>
          {c.requiredVerifiers?.length > 0 && (
            <div style={{ marginBottom: 8 }} data-testid="required-verifiers">
              <Typography.Text type="secondary">{t('closure.required')}：</Typography.Text>
              <Space wrap size={4}>
                {c.requiredVerifiers.map((v) => (
                  <Tag
                    key={`${v.kind}-${v.orgId}`}
                    color={v.done ? (v.verdict === 'disagree' ? 'error' : 'success') : 'default'}
                    data-done={v.done}
                  >
                    {verifierLabel(t, v)} ·{' '}
                    {v.done && v.verdict ? t(`closure.verdict.${v.verdict}`) : t('closure.notYet')}
                  </Tag>
                ))}
              </Space>
            </div>
          )}
          <List
            size="small"
            dataSource={c.verifications}
            locale={{ emptyText: t('closure.noVerifications') }}
            data-testid="verifications"
            renderItem={(v) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <Space wrap size={4}>
                    <Tag color={v.verdict === 'agree' ? 'success' : 'error'} data-verdict={v.verdict}>
                      {t(`closure.verdict.${v.verdict}`)}
                    </Tag>
                    <span>{v.verifierOrgName ?? t(`roles.${v.verifierRole}` as 'roles.office')}</span>
                    <Typography.Text type="secondary">
                      {v.verifierName ?? ''} · {formatTime(v.createdAt)}
                    </Typography.Text>
                  </Space>
                  {v.note && <span style={{ whiteSpace: 'pre-wrap' }}>{v.note}</span>}
                </Space>
              </List.Item>
            )}
          />

          {mayVerify && (
            <div className="closure-verify" data-testid="closure-verify">
              <Form layout="vertical" component="div">
                <Form.Item label={t('closure.myVerdict')}>
                  <Radio.Group
                    value={verdict}
                    onChange={(e) => setVerdict(e.target.value)}
                    optionType="button"
                    buttonStyle="solid"
                    options={[
                      { value: 'agree', label: t('closure.verdict.agree') },
                      { value: 'disagree', label: t('closure.verdict.disagree') },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  label={t('closure.note')}
                  htmlFor="verify-note"
                  required={verdict === 'disagree'}
                  validateStatus={noteError ? 'error' : undefined}
                  help={noteError ? t('closure.noteRequired') : undefined}
                >
                  <Input.TextArea
                    id="verify-note"
                    value={note}
                    onChange={(e) => {
                      setNote(e.target.value);
                      setNoteError(false);
                    }}
                    maxLength={2000}
                    autoSize={{ minRows: 2, maxRows: 6 }}
                  />
                </Form.Item>
                <Button
                  type="primary"
                  loading={verify.isPending}
                  data-testid="closure-verify-save"
                  onClick={() => {
                    if (verdict === 'disagree' && !note.trim()) return setNoteError(true);
                    verify.mutate();
                  }}
                >
                  {t('closure.submitVerdict')}
                </Button>
              </Form>
            </div>
          )}
          {pending && can('closure.verify') && myOrgVerified && (
            <Typography.Paragraph type="secondary">{t('closure.alreadyVerified')}</Typography.Paragraph>
          )}

          <div className="report-actions" style={{ marginTop: 16 }}>
            {mayDecide && (
              <>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => setDeciding('approve')}
                  data-testid="closure-approve"
                >
                  {t('closure.approve')}
                </Button>
                <Button
                  danger
                  icon={<CloseOutlined />}
                  onClick={() => setDeciding('reject')}
                  data-testid="closure-reject"
                >
                  {t('closure.reject')}
                </Button>
              </>
            )}
            {pending && mine && can('closure.apply') && (
              <Popconfirm
                title={t('closure.withdrawConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => withdraw.mutate()}
              >
                <Button icon={<RollbackOutlined />} loading={withdraw.isPending} data-testid="closure-withdraw">
                  {t('closure.withdraw')}
                </Button>
              </Popconfirm>
            )}
            {c.status === 'approved' && can('closure.decide') && (
              <Button icon={<RedoOutlined />} onClick={() => setReopening(true)} data-testid="closure-reopen">
                {t('closure.reopen')}
              </Button>
            )}
          </div>
        </div>
      )}
      <FormModal<{ note?: string }>
        open={!!deciding}
        title={deciding === 'reject' ? t('closure.rejectTitle') : t('closure.approveTitle')}
        onCancel={() => setDeciding(null)}
        onFinish={(v) => decide.mutate({ decision: deciding!, note: v.note })}
        busy={decide.isPending}
        okText={deciding === 'reject' ? t('closure.reject') : t('closure.approve')}
        okDanger={deciding === 'reject'}
        testId="closure-decide-save"
      >
        {deciding === 'approve' && (
          <Typography.Paragraph type="secondary">{t('closure.approveHint')}</Typography.Paragraph>
        )}
        <Form.Item
          name="note"
          label={deciding === 'reject' ? t('closure.rejectReason') : t('closure.note')}
          rules={
            deciding === 'reject'
              ? [
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('closure.rejectReason') }),
                  },
                ]
              : []
          }
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </FormModal>
      <FormModal<{ source: ReopenSource; reason: string }>
        open={reopening}
        title={t('closure.reopenTitle')}
        onCancel={() => setReopening(false)}
        onFinish={(v) => reopen.mutate(v)}
        busy={reopen.isPending}
        okText={t('closure.reopen')}
        okDanger
        testId="closure-reopen-save"
      >
        <Form.Item
          name="source"
          label={t('closure.reopenSource')}
          rules={[{ required: true, message: t('common.required', { field: t('closure.reopenSource') }) }]}
        >
          <Select options={REOPEN_SOURCES.map((s) => ({ value: s, label: t(`closure.source.${s}`) }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('closure.reopenReason')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('closure.reopenReason') }) },
          ]}
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </FormModal>
    </Drawer>
  );
}
