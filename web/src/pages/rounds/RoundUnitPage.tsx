import { ArrowLeftOutlined, EditOutlined, PrinterOutlined, TableOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Row,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ROUND_UNIT_TRANSITIONS, type RoundUnitStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { LedgerImportDialog } from '../ledger/LedgerImportDialog';
import { dateOr, RoundUnitStatusTag, todayText } from '../ledger/shared';
import { NotFound } from '../Results';
import { BriefingsPanel, CopiesPanel, TalkReportsPanel } from './DistributionPanels';
import { FeedbackPanel } from './FeedbackPanel';
import { FormModal } from './FormModal';
import { ImmediatePanel } from './ImmediatePanel';
import { ProblemsPanel } from './ProblemsPanel';
import { useRoundUnit } from './shared';
import type { RoundUnit, RoundUnitDetail } from './types';

export default function RoundUnitPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [params, setParams] = useSearchParams();
  const [importing, setImporting] = useState(false);
  const detail = useRoundUnit(id);
  if (!Number.isInteger(id) || id <= 0 || (detail.isError && !detail.data)) return <NotFound />;
  if (!detail.data) return <Spin style={{ display: 'block', margin: 48 }} />;
  const ru = detail.data;
  const isUnit = me.role === 'unit' || me.role === 'unit_head';
  const tab = params.get('tab') ?? (ru.feedback || can('round.write') ? 'feedback' : 'problems');

  const tabs = [
    { key: 'feedback', label: t('ledger.ru.tabFeedback'), children: <FeedbackPanel ru={ru} /> },
    { key: 'problems', label: t('ledger.ru.tabProblems'), children: <ProblemsPanel ru={ru} /> },
    { key: 'immediate', label: t('ledger.ru.tabImmediate'), children: <ImmediatePanel ru={ru} /> },
    { key: 'copies', label: t('ledger.ru.tabDistribution'), children: <CopiesPanel ru={ru} /> },
    ...(can('round.write') || ru.talkReports.length
      ? [{ key: 'talk', label: t('ledger.ru.tabTalk'), children: <TalkReportsPanel ru={ru} /> }]
      : []),
    ...(!isUnit
      ? [{ key: 'briefings', label: t('ledger.ru.tabBriefings'), children: <BriefingsPanel ru={ru} /> }]
      : []),
  ];

  return (
    <div className="print-area">
      <PageHeader
        title={ru.unitName}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/rounds/${ru.roundId}`)} className="no-print">
              {ru.roundName}
            </Button>
            <Button
              icon={<TableOutlined />}
              onClick={() => navigate(`/ledger?roundUnitId=${ru.id}`)}
              className="no-print"
              data-testid="ru-ledger"
            >
              {t('ledger.ru.viewLedger')}
            </Button>
            {can('ledger.import') && (
              <Button
                icon={<UploadOutlined />}
                onClick={() => setImporting(true)}
                className="no-print"
                data-testid="ru-import"
              >
                {t('ledger.sheet.import')}
              </Button>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} className="no-print">
              {t('ledger.ru.print')}
            </Button>
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <OverviewCard ru={ru} />
        </Col>
        <Col xs={24} lg={10}>
          <HistoryCard ru={ru} />
        </Col>
        <Col span={24}>
          <Card size="small">
            <Tabs
              activeKey={tabs.some((x) => x.key === tab) ? tab : 'feedback'}
              onChange={(k) => {
                const p = new URLSearchParams(params);
                p.set('tab', k);
                setParams(p, { replace: true });
              }}
              items={tabs}
            />
          </Card>
        </Col>
      </Row>
      <LedgerImportDialog
        open={importing}
        roundUnitId={ru.id}
        roundUnitLabel={`${ru.roundName} · ${ru.unitName}`}
        onClose={() => setImporting(false)}
      />
    </div>
  );
}

// ── overview, deadline and status moves ─────────────────────────────────────────────────────────

interface MoveForm {
  reason?: string;
  deadline?: Dayjs | null;
}

function OverviewCard({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [moving, setMoving] = useState<RoundUnitStatus | null>(null);
  const [editingDeadline, setEditingDeadline] = useState(false);
  const writable = can('round.write');
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['round-units'] });
    void qc.invalidateQueries({ queryKey: ['rounds'] });
    void qc.invalidateQueries({ queryKey: ['dashboard'] });
  };

  // Only the legal next states of the table, and of those only what the server allows this caller now.
  const moves = ROUND_UNIT_TRANSITIONS[ru.status].filter((s) => ru.allowedTransitions.includes(s));
  const reopening = (to: RoundUnitStatus) =>
    to === 're_rectifying' || (ru.status === 'period_ended' && to === 'rectifying');

  const move = useMutation({
    mutationFn: (v: { to: RoundUnitStatus } & MoveForm) =>
      api.post<RoundUnit>(`/round-units/${ru.id}/transition`, {
        to: v.to,
        version: ru.version,
        reason: v.reason?.trim() || undefined,
        deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : undefined,
      }),
    onSuccess: (_r, v) => {
      toast('success', t(`ledger.ruStatus.${v.to}`));
      setMoving(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const saveDeadline = useMutation({
    mutationFn: (v: { deadline: Dayjs }) =>
      api.patch<RoundUnit>(`/round-units/${ru.id}`, { version: ru.version, deadline: v.deadline.format('YYYY-MM-DD') }),
    onSuccess: () => {
      toast('success', t('common.saved'));
      setEditingDeadline(false);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });

  return (
    <Card title={t('ledger.ru.overview')} size="small">
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('ledger.ru.round')}>
          <Link to={`/rounds/${ru.roundId}`}>{ru.roundName}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.rounds.type')}>{t(`ledger.roundTypes.${ru.roundType}`)}</Descriptions.Item>
        <Descriptions.Item label={t('ledger.ru.team')}>{ru.teamName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('ledger.ru.status')}>
          <Space size={4} wrap>
            <span data-testid="ru-status">
              <RoundUnitStatusTag status={ru.status} />
            </span>
            {ru.cycle > 1 && <Tag>{t('ledger.ru.cycleN', { n: ru.cycle })}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.round.feedbackDate')}>
          <span data-testid="ru-feedback-date">{dateOr(ru.feedbackDate)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('ledger.round.deadline')}>
          <Space size={4} wrap>
            <Typography.Text strong data-testid="ru-deadline">
              {dateOr(ru.deadline)}
            </Typography.Text>
            {ru.deadlineOverridden && (
              <Typography.Text type="secondary">{t('ledger.ru.deadlineManual')}</Typography.Text>
            )}
            {writable && ru.feedbackDate && (
              <Button
                size="small"
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditingDeadline(true)}
                className="no-print"
              >
                {t('ledger.ru.editDeadline')}
              </Button>
            )}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      {ru.status === 'awaiting_feedback' && <Alert type="info" showIcon title={t('ledger.ru.awaitingHint')} />}
      {writable && ru.status !== 'awaiting_feedback' && (
        <div className="no-print" style={{ marginTop: 12 }}>
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>
            {t('ledger.ru.moveTo')}
          </Typography.Text>
          {moves.length === 0 && <Typography.Text type="secondary">{t('ledger.ru.noMoves')}</Typography.Text>}
          <Space wrap>
            {moves.map((to) =>
              reopening(to) ? (
                <Button key={to} onClick={() => setMoving(to)} data-testid={`ru-move-${to}`}>
                  {t(`ledger.ruMove.${to}`)}
                </Button>
              ) : (
                <Popconfirm
                  key={to}
                  title={t('ledger.ru.moveTitle', { to: t(`ledger.ruStatus.${to}`) })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => move.mutateAsync({ to }).catch(() => undefined)}
                >
                  <Button type={to === 'period_ended' ? 'default' : 'primary'} data-testid={`ru-move-${to}`}>
                    {t(`ledger.ruMove.${to}`)}
                  </Button>
                </Popconfirm>
              ),
            )}
          </Space>
        </div>
      )}
      <FormModal<MoveForm>
        open={!!moving}
        title={moving ? t('ledger.ru.moveTitle', { to: t(`ledger.ruStatus.${moving}`) }) : ''}
        onCancel={() => setMoving(null)}
        onFinish={(v) => moving && move.mutate({ to: moving, ...v })}
        busy={move.isPending}
        okText={t('common.confirm')}
      >
        <Form.Item
          name="reason"
          label={t('ledger.ru.reason')}
          rules={[{ required: true, whitespace: true, message: t('ledger.ru.reasonRequired') }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 6 }} />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t('ledger.ru.newDeadline')}
          extra={moving === 're_rectifying' ? t('ledger.ru.newDeadlineHint') : undefined}
          rules={
            moving === 'rectifying'
              ? [{ required: true, message: t('common.required', { field: t('ledger.ru.newDeadline') }) }]
              : []
          }
        >
          <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < todayText()} style={{ width: 200 }} />
        </Form.Item>
      </FormModal>
      <FormModal<{ deadline: Dayjs }>
        open={editingDeadline}
        title={t('ledger.ru.editDeadline')}
        onCancel={() => setEditingDeadline(false)}
        onFinish={(v) => saveDeadline.mutate(v)}
        busy={saveDeadline.isPending}
        initialValues={{ deadline: ru.deadline ? dayjs(ru.deadline) : undefined }}
      >
        <Form.Item
          name="deadline"
          label={t('ledger.round.deadline')}
          extra={t('ledger.ru.deadlineRule')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.round.deadline') }) }]}
        >
          <DatePicker
            disabledDate={(d) => !!ru.feedbackDate && d.format('YYYY-MM-DD') < ru.feedbackDate}
            style={{ width: 200 }}
          />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

function HistoryCard({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  return (
    <Card title={t('ledger.ru.history')} size="small">
      <Timeline
        items={[...ru.history].reverse().map((e) => ({
          key: e.id,
          color: e.toStatus === 're_rectifying' ? 'red' : e.toStatus === 'published' ? 'green' : 'blue',
          content: (
            <div>
              <Space size={4} wrap>
                {e.fromStatus && (
                  <>
                    <RoundUnitStatusTag status={e.fromStatus} />→
                  </>
                )}
                <RoundUnitStatusTag status={e.toStatus} />
                {e.cycle > 1 && <Tag>{t('ledger.ru.cycleN', { n: e.cycle })}</Tag>}
              </Space>
              <div>
                <Typography.Text type="secondary">
                  {formatTime(e.at)} · {e.actorName ?? '—'}
                  {e.deadline ? ` · ${t('ledger.round.deadline')} ${e.deadline}` : ''}
                </Typography.Text>
              </div>
              {e.reason && <Typography.Paragraph style={{ margin: 0 }}>{e.reason}</Typography.Paragraph>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
