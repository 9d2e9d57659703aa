import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHECK_KINDS, type CheckKind, FAILING_GRADE } from '../../../../domain/evaluation';
import { ROUND_UNIT_STATUSES, type RoundUnitStatus } from '../../../../domain/rectification';
import { api, download } from '../../api/client';
import { handleWriteError, showError, toast } from '../../api/feedback';
import { useCan, useMe } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { FormModal } from '../rounds/FormModal';
import { ymd } from '../supervision/shared';
import type { Detail, Labels, ListItem, SheetView } from './types';

const GRADE_COLOR: Record<string, string> = {
  excellent: 'success',
  satisfactory: 'processing',
  basically_satisfactory: 'warning',
  unsatisfactory: 'error',
};

/** A dictionary label in the UI language. */
function useLabel() {
  const { i18n } = useTranslation();
  return (l: Labels | undefined, fallback = '') =>
    !l ? fallback : i18n.language === 'en' ? l.labelEn : i18n.language === 'zh-TW' ? l.labelZhTw : l.labelZhCn;
}

function GradeTag({ code, grades, testId }: { code: string | null; grades: SheetView['grades']; testId?: string }) {
  const label = useLabel();
  const { t } = useTranslation();
  if (!code) return <Tag data-testid={testId}>{t('evaluation.notEvaluated')}</Tag>;
  return (
    <Tag color={GRADE_COLOR[code] ?? 'default'} data-testid={testId} data-grade={code}>
      {label(
        grades.find((g) => g.code === code),
        code,
      )}
    </Tag>
  );
}

/** 检查考核评价 (SPEC M11): the round-units after their period, their checks, 汇商会, scores and grade. */
export default function EvaluationPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [roundId, setRoundId] = useState<number | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const [year, setYear] = useState(dayjs().year());
  const rounds = useQuery({
    queryKey: ['rounds'],
    queryFn: () => api.get<{ items: { id: number; name: string }[] }>('/rounds'),
  });
  const list = useQuery({
    queryKey: ['evaluation', 'list', { roundId, status, q }],
    queryFn: () =>
      api.get<{ items: ListItem[] }>('/evaluation/round-units', { roundId, status, q: q || undefined, limit: 200 }),
  });
  const grades = useQuery({
    queryKey: ['dictionaries', 'grade'],
    queryFn: () => api.get<{ items: SheetView['grades'] }>('/dictionaries', { kind: 'grade' }),
  });
  const gradeList = (grades.data?.items ?? []) as SheetView['grades'];
  const exportYear = () =>
    download(`/evaluation/export/grades?year=${year}`, `evaluation-grades-${year}.xlsx`).catch(showError);
  const exportScores = () => {
    if (!roundId) return toast('warning', t('evaluation.pickRound'));
    return download(`/evaluation/export/scores?roundId=${roundId}`, 'evaluation-scores.xlsx').catch(showError);
  };
  return (
    <div>
      <PageHeader
        title={t('menu.evaluation')}
        intro={t('evaluation.intro')}
        extra={
          can('evaluation.write') && (
            <>
              <Space.Compact>
                <InputNumber
                  aria-label={t('evaluation.year')}
                  min={2000}
                  max={2100}
                  value={year}
                  onChange={(v) => v && setYear(v)}
                  style={{ width: 90 }}
                />
                <Button onClick={exportYear} data-testid="export-year">
                  {t('evaluation.exportYear')}
                </Button>
              </Space.Compact>
              <Button onClick={exportScores}>{t('evaluation.exportScores')}</Button>
            </>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('evaluation.allRounds')}
          aria-label={t('evaluation.round')}
          style={{ width: 200 }}
          value={roundId}
          onChange={setRoundId}
          options={(rounds.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
        />
        <Select
          allowClear
          placeholder={t('evaluation.status')}
          aria-label={t('evaluation.status')}
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          options={ROUND_UNIT_STATUSES.map((s) => ({ value: s, label: t(`ledger.ruStatus.${s}`) }))}
        />
        <Input.Search
          allowClear
          placeholder={t('evaluation.searchUnit')}
          aria-label={t('evaluation.searchUnit')}
          style={{ width: 200 }}
          onSearch={(v) => setQ(v.trim())}
        />
      </Space>
      <List<ListItem>
        bordered
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('evaluation.none')} /> }}
        renderItem={(r) => (
          <List.Item data-testid={`eval-row-${r.roundUnitId}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <Typography.Text strong>{r.unitName}</Typography.Text>
                  <Typography.Text type="secondary">{r.roundName}</Typography.Text>
                  <Tag data-testid="ru-status">{t(`ledger.ruStatus.${r.status as RoundUnitStatus}`)}</Tag>
                  {r.cycle > 1 && <Tag>{t('evaluation.cycle', { n: r.cycle })}</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.deadline && t('evaluation.deadline', { date: r.deadline })} ·{' '}
                    {t('evaluation.checksCount', { n: r.checks })} ·{' '}
                    {t('evaluation.opinionsCount', { given: r.opinions, all: r.liaisons })}
                  </Typography.Text>
                </div>
              </div>
              <Space wrap>
                {(r.total ?? r.lastTotal) !== null && (
                  <Typography.Text>{t('evaluation.score', { score: r.total ?? r.lastTotal })}</Typography.Text>
                )}
                <GradeTag code={r.gradeCode ?? r.lastGradeCode} grades={gradeList} />
                <Button size="small" type="primary" onClick={() => setOpenId(r.roundUnitId)}>
                  {t('evaluation.open')}
                </Button>
              </Space>
            </div>
          </List.Item>
        )}
      />
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        width="min(760px, 100vw)"
        destroyOnHidden
        title={t('menu.evaluation')}
      >
        {openId !== null && <EvaluationDetail roundUnitId={openId} />}
      </Drawer>
    </div>
  );
}

type Act =
  | { act: 'check' }
  | { act: 'opinion' }
  | { act: 'score'; code: string; label: string; maxScore: number; score: number | null; version: number }
  | { act: 'deduction' }
  | { act: 'finalise' };

interface ActForm {
  kind?: CheckKind;
  checkedOn?: Dayjs;
  checkers?: string;
  subjects?: string;
  findings?: string;
  opinion?: string;
  suggestedGrade?: string;
  score?: number;
  note?: string;
  reasonCode?: string;
  conclusion?: string;
  personName?: string;
  personPost?: string;
  reason?: string;
  reDeadline?: Dayjs;
}

function EvaluationDetail({ roundUnitId }: { roundUnitId: number }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const label = useLabel();
  const qc = useQueryClient();
  const [acting, setActing] = useState<Act | null>(null);
  const key = ['evaluation', 'detail', roundUnitId];
  const d = useQuery({ queryKey: key, queryFn: () => api.get<Detail>(`/evaluation/round-units/${roundUnitId}`) });
  const reasons = useQuery({
    queryKey: ['dictionaries', 'deduction_reason'],
    enabled: can('evaluation.write'),
    queryFn: () =>
      api.get<{ items: (Labels & { code: string; extra: { points: number } | null })[] }>('/dictionaries', {
        kind: 'deduction_reason',
        active: true,
      }),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['evaluation'] });
  };
  const base = `/evaluation/round-units/${roundUnitId}`;
  const save = useMutation({
    mutationFn: async (v: ActForm) => {
      const a = acting!;
      const detail = d.data!;
      switch (a.act) {
        case 'check':
          return api.post(`${base}/checks`, {
            kind: v.kind,
            checkedOn: ymd(v.checkedOn),
            checkers: v.checkers,
            subjects: v.subjects?.trim() || undefined,
            findings: v.findings,
          });
        case 'opinion': {
          const mine = detail.opinions?.find((o) => o.supervisorOrgId === me.orgId);
          return api.put(`${base}/opinion`, {
            version: mine?.version ?? 0,
            opinion: v.opinion,
            suggestedGrade: v.suggestedGrade ?? null,
          });
        }
        case 'score':
          return api.put(`${base}/scores/${a.code}`, { version: a.version, score: v.score, note: v.note ?? null });
        case 'deduction':
          return api.post(`${base}/deductions`, { reasonCode: v.reasonCode, note: v.note?.trim() || undefined });
        case 'finalise':
          return api.post(`${base}/finalise`, {
            version: detail.version,
            conclusion: v.conclusion?.trim() || undefined,
            interview: v.personName
              ? {
                  personName: v.personName,
                  personPost: v.personPost?.trim() || undefined,
                  reason: v.reason?.trim() || undefined,
                }
              : undefined,
            reRectifyDeadline: ymd(v.reDeadline),
          });
      }
    },
    onSuccess: () => {
      toast('success', t('evaluation.saved'));
      setActing(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.delete(`/evaluation/deductions/${id}`),
    onSuccess: refresh,
    onError: (e) => handleWriteError(e, refresh),
  });
  if (!d.data) return <List loading={d.isLoading} />;
  const x = d.data;
  const s = x.sheet;
  const ru = x.roundUnit;
  const finalised = x.evaluation?.status === 'finalised';
  const write = can('evaluation.write') && x.open;
  const opine = can('evaluation.opinion') && x.open;
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const failing = s.gradeCode === FAILING_GRADE;

  const checks = (
    <div>
      {write && (
        <Button type="primary" style={{ marginBottom: 8 }} onClick={() => setActing({ act: 'check' })}>
          {t('evaluation.addCheck')}
        </Button>
      )}
      <List
        size="small"
        bordered
        dataSource={x.checks}
        locale={{ emptyText: t('evaluation.noChecks') }}
        renderItem={(c) => (
          <List.Item data-testid={`check-${c.id}`}>
            <div style={{ width: '100%' }}>
              <Space wrap size={4}>
                <Tag color="blue">{t(`evaluation.checkKind.${c.kind}`)}</Tag>
                <Typography.Text>{c.checkedOn}</Typography.Text>
                <Typography.Text type="secondary">{c.checkers}</Typography.Text>
              </Space>
              {c.subjects && <div style={{ fontSize: 12 }}>{c.subjects}</div>}
              <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 3, expandable: true }}>
                {c.findings}
              </Typography.Paragraph>
            </div>
          </List.Item>
        )}
      />
    </div>
  );

  const opinions = x.opinions && (
    <div>
      {opine && (
        <Button type="primary" style={{ marginBottom: 8 }} onClick={() => setActing({ act: 'opinion' })}>
          {x.opinions.some((o) => o.supervisorOrgId === me.orgId)
            ? t('evaluation.editOpinion')
            : t('evaluation.giveOpinion')}
        </Button>
      )}
      {x.missingOpinions && x.missingOpinions.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="missing-opinions"
          title={
            <span>
              {t('evaluation.missing')}
              {x.missingOpinions.map((m) => (
                <Tag key={m.orgId} style={{ marginInlineStart: 4 }}>
                  {m.name}
                </Tag>
              ))}
            </span>
          }
        />
      ) : (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="missing-opinions"
          title={x.opinions.length ? t('evaluation.allGiven') : t('evaluation.noLiaisons')}
        />
      )}
      <List
        size="small"
        bordered
        dataSource={x.opinions}
        locale={{ emptyText: t('evaluation.noOpinions') }}
        renderItem={(o) => (
          <List.Item data-testid={`opinion-${o.supervisorOrgId}`}>
            <div style={{ width: '100%' }}>
              <Space wrap size={4}>
                <Typography.Text strong>{o.supervisorName}</Typography.Text>
                {o.suggestedGrade && <GradeTag code={o.suggestedGrade} grades={s.grades} />}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {o.givenByName} · {dayjs(o.updatedAt).format('YYYY-MM-DD HH:mm')}
                </Typography.Text>
              </Space>
              <Typography.Paragraph style={{ margin: '4px 0 0' }}>{o.opinion}</Typography.Paragraph>
            </div>
          </List.Item>
        )}
      />
    </div>
  );

  const pct = (v: number | null) => (v === null ? t('common.none') : `${v}%`);
  const sheet = (
    <div>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} title={t('evaluation.figures', { date: s.asOf })}>
        <Descriptions.Item label={t('evaluation.measures')}>{s.figures.measures}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.closureRate')}>{pct(s.figures.closureRate)}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.onTimeRate')}>{pct(s.figures.onTimeRate)}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.overdue')}>{s.figures.overdue}</Descriptions.Item>
      </Descriptions>
      <List
        style={{ marginTop: 12 }}
        size="small"
        bordered
        header={<Typography.Text strong>{t('evaluation.indicator')}</Typography.Text>}
        dataSource={s.indicators}
        renderItem={(i) => (
          <List.Item data-testid={`indicator-${i.code}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 200px' }}>
                <Typography.Text>{label(i)}</Typography.Text>{' '}
                <Tag color={i.source === 'ledger' ? 'purple' : 'default'}>{t(`evaluation.source.${i.source}`)}</Tag>
                <div style={{ fontSize: 12 }}>
                  <Typography.Text type="secondary">
                    {t('evaluation.weight')} {i.weight} · {t('evaluation.maxScore')} {i.maxScore}
                    {i.note ? ` · ${i.note}` : ''}
                  </Typography.Text>
                </div>
              </div>
              <Space>
                <Typography.Text strong data-testid="indicator-score">
                  {i.score ?? t('common.none')}
                </Typography.Text>
                {write && i.source === 'entered' && (
                  <Button
                    size="small"
                    onClick={() =>
                      setActing({
                        act: 'score',
                        code: i.code,
                        label: label(i),
                        maxScore: i.maxScore,
                        score: i.score,
                        version: i.version,
                      })
                    }
                  >
                    {t('evaluation.enterScore')}
                  </Button>
                )}
              </Space>
            </div>
          </List.Item>
        )}
      />
      <List
        style={{ marginTop: 12 }}
        size="small"
        bordered
        header={
          <div className="period-row">
            <Typography.Text strong>{t('evaluation.deductions')}</Typography.Text>
            {write && (
              <Button size="small" onClick={() => setActing({ act: 'deduction' })}>
                {t('evaluation.addDeduction')}
              </Button>
            )}
          </div>
        }
        dataSource={s.deductions}
        locale={{ emptyText: t('evaluation.noDeductions') }}
        renderItem={(dd) => (
          <List.Item data-testid={`deduction-${dd.reasonCode}`}>
            <div className="period-row">
              <Space wrap size={4}>
                <Typography.Text>{label(dd)}</Typography.Text>
                {dd.computed && <Tag color="purple">{t('evaluation.computedCount', { n: dd.count })}</Tag>}
                {dd.note && <Typography.Text type="secondary">{dd.note}</Typography.Text>}
              </Space>
              <Space>
                <Typography.Text type="danger">{dd.points}</Typography.Text>
                {write && dd.id !== null && (
                  <Popconfirm title={t('common.delete')} onConfirm={() => remove.mutate(dd.id!)}>
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </div>
          </List.Item>
        )}
      />
      <div className="period-row" style={{ marginTop: 12 }}>
        <Space wrap>
          <Typography.Text strong>{t('evaluation.total')}</Typography.Text>
          <Typography.Text strong style={{ fontSize: 18 }} data-testid="sheet-total">
            {s.total ?? t('common.none')}
          </Typography.Text>
          <GradeTag code={s.gradeCode} grades={s.grades} testId="sheet-grade" />
          {!finalised && s.gradeCode && (
            <Typography.Text type="secondary">{t('evaluation.provisional')}</Typography.Text>
          )}
          {s.missing.length > 0 && <Tag color="warning">{t('evaluation.missingScores')}</Tag>}
        </Space>
        {write && (
          <Button
            type="primary"
            danger={failing}
            disabled={s.total === null}
            onClick={() => setActing({ act: 'finalise' })}
            data-testid="finalise"
          >
            {t('evaluation.finalise')}
          </Button>
        )}
      </div>
    </div>
  );

  const history = x.history && (
    <List
      size="small"
      bordered
      dataSource={x.history}
      locale={{ emptyText: t('evaluation.noHistory') }}
      renderItem={(h) => (
        <List.Item>
          <Space wrap size={4} style={{ fontSize: 12 }}>
            <Typography.Text type="secondary">{dayjs(h.at).format('YYYY-MM-DD HH:mm')}</Typography.Text>
            <Typography.Text>{h.actorName}</Typography.Text>
            <Tag>{t(`evaluation.history.${h.action}` as 'evaluation.history.score')}</Tag>
            <Typography.Text>{h.code}</Typography.Text>
            <Typography.Text>
              {h.before ?? '—'} → {h.after ?? '—'}
            </Typography.Text>
            {h.note && <Typography.Text type="secondary">{h.note}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );

  return (
    <div data-testid="evaluation-detail">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {ru.unitName}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{ru.roundName}</Typography.Text>
        <Tag color={ru.status === 're_rectifying' ? 'error' : 'default'} data-testid="detail-ru-status">
          {t(`ledger.ruStatus.${ru.status as RoundUnitStatus}`)}
        </Tag>
        <Tag>{t('evaluation.cycle', { n: ru.cycle })}</Tag>
        {ru.deadline && (
          <Typography.Text data-testid="detail-deadline">
            {t('evaluation.deadline', { date: ru.deadline })}
          </Typography.Text>
        )}
      </Space>
      {!x.open && !finalised && (
        <Alert type="info" showIcon title={t('evaluation.notOpen')} style={{ marginBottom: 8 }} />
      )}
      {finalised && x.evaluation && (
        <Alert
          type={x.evaluation.gradeCode === FAILING_GRADE ? 'error' : 'success'}
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="finalised"
          title={
            <Space wrap size={4}>
              {t('evaluation.finalised')}
              <GradeTag code={x.evaluation.gradeCode} grades={s.grades} />
              {t('evaluation.score', { score: x.evaluation.total })}
            </Space>
          }
          description={
            <div>
              {x.evaluation.finalisedAt && (
                <div>
                  {t('evaluation.finalisedBy', {
                    name: x.evaluation.finalisedByName ?? '',
                    date: dayjs(x.evaluation.finalisedAt).format('YYYY-MM-DD'),
                  })}
                </div>
              )}
              {x.evaluation.conclusion && <div>{x.evaluation.conclusion}</div>}
              {x.evaluation.accountabilityId && <Tag color="error">{t('evaluation.interviewRecorded')}</Tag>}
              {x.evaluation.reRectifyDeadline && (
                <Tag color="error" data-testid="re-rectify">
                  {t('evaluation.reRectify', { date: x.evaluation.reRectifyDeadline })}
                </Tag>
              )}
            </div>
          }
        />
      )}
      <Tabs
        items={[
          { key: 'sheet', label: t('evaluation.tabs.sheet'), children: sheet },
          { key: 'checks', label: t('evaluation.tabs.checks'), children: checks },
          ...(opinions ? [{ key: 'opinions', label: t('evaluation.tabs.opinions'), children: opinions }] : []),
          ...(history ? [{ key: 'history', label: t('evaluation.tabs.history'), children: history }] : []),
        ]}
      />
      {x.past.length > 0 && (
        <>
          <Typography.Title level={5}>{t('evaluation.past')}</Typography.Title>
          <List
            size="small"
            bordered
            dataSource={x.past}
            renderItem={(p) => (
              <List.Item>
                <Space wrap size={4}>
                  <Tag>{t('evaluation.cycle', { n: p.cycle })}</Tag>
                  <GradeTag code={p.gradeCode} grades={s.grades} />
                  <span>{t('evaluation.score', { score: p.total })}</span>
                  {p.reRectifyDeadline && (
                    <Tag color="error">{t('evaluation.reRectify', { date: p.reRectifyDeadline })}</Tag>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
      <FormModal<ActForm>
        open={!!acting}
        title={
          acting?.act === 'check'
            ? t('evaluation.addCheck')
            : acting?.act === 'opinion'
              ? t('evaluation.giveOpinion')
              : acting?.act === 'score'
                ? `${t('evaluation.enterScore')} · ${acting.label}`
                : acting?.act === 'deduction'
                  ? t('evaluation.addDeduction')
                  : t('evaluation.finaliseTitle', {
                      grade: label(
                        s.grades.find((g) => g.code === s.gradeCode),
                        '',
                      ),
                      score: s.total,
                    })
        }
        onCancel={() => setActing(null)}
        onFinish={(v) => save.mutate(v)}
        busy={save.isPending}
        okDanger={acting?.act === 'finalise' && failing}
        okText={acting?.act === 'finalise' ? t('evaluation.finalise') : undefined}
        testId="act-ok"
        initialValues={
          acting?.act === 'check'
            ? { kind: 'talk', checkedOn: dayjs() }
            : acting?.act === 'score'
              ? { score: acting.score ?? undefined }
              : acting?.act === 'opinion'
                ? (() => {
                    const mine = x.opinions?.find((o) => o.supervisorOrgId === me.orgId);
                    return { opinion: mine?.opinion, suggestedGrade: mine?.suggestedGrade ?? undefined };
                  })()
                : {}
        }
      >
        {acting?.act === 'check' && (
          <>
            <Form.Item name="kind" label={t('evaluation.tabs.checks')} rules={[{ required: true }]}>
              <Select
                options={CHECK_KINDS.map((k) => ({ value: k, label: t(`evaluation.checkKind.${k}`) }))}
                data-testid="check-kind"
              />
            </Form.Item>
            <Form.Item name="checkedOn" label={t('evaluation.checkedOn')} rules={[{ required: true }]}>
              <DatePicker format="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item name="checkers" label={t('evaluation.checkers')} rules={req(t('evaluation.checkers'))}>
              <Input maxLength={500} />
            </Form.Item>
            <Form.Item name="subjects" label={t('evaluation.subjects')}>
              <Input maxLength={1000} />
            </Form.Item>
            <Form.Item name="findings" label={t('evaluation.findings')} rules={req(t('evaluation.findings'))}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'opinion' && (
          <>
            <Form.Item name="opinion" label={t('evaluation.opinion')} rules={req(t('evaluation.opinion'))}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
            <Form.Item name="suggestedGrade" label={t('evaluation.suggestedGrade')}>
              <Select allowClear options={s.grades.map((g) => ({ value: g.code, label: label(g) }))} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'score' && (
          <>
            <Form.Item
              name="score"
              label={`${t('evaluation.scoreLabel')}（0–${acting.maxScore}）`}
              rules={[{ required: true, message: t('common.required', { field: t('evaluation.scoreLabel') }) }]}
            >
              <InputNumber min={0} max={acting.maxScore} precision={2} step={0.5} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="note" label={t('evaluation.note')}>
              <Input maxLength={2000} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'deduction' && (
          <>
            <Form.Item name="reasonCode" label={t('evaluation.reason')} rules={[{ required: true }]}>
              <Select
                data-testid="deduction-reason"
                options={(reasons.data?.items ?? []).map((r) => ({
                  value: r.code,
                  label: `${label(r)}（${r.extra?.points ?? ''}）`,
                }))}
              />
            </Form.Item>
            <Form.Item name="note" label={t('evaluation.note')}>
              <Input maxLength={2000} />
            </Form.Item>
          </>
        )}
        {acting?.act === 'finalise' && (
          <>
            <Form.Item name="conclusion" label={t('evaluation.conclusion')}>
              <Input.TextArea maxLength={20000} autoSize={{ minRows: 2, maxRows: 8 }} />
            </Form.Item>
            {failing && (
              <>
                <Alert type="error" showIcon title={t('evaluation.failingNote')} style={{ marginBottom: 12 }} />
                <Form.Item
                  name="personName"
                  label={t('evaluation.interviewPerson')}
                  rules={req(t('evaluation.interviewPerson'))}
                >
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="personPost" label={t('evaluation.interviewPost')}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="reason" label={t('evaluation.interviewReason')}>
                  <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 6 }} />
                </Form.Item>
                <Form.Item name="reDeadline" label={t('evaluation.reDeadline')} extra={t('evaluation.reDeadlineHelp')}>
                  <DatePicker format="YYYY-MM-DD" disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
                </Form.Item>
              </>
            )}
          </>
        )}
      </FormModal>
    </div>
  );
}
