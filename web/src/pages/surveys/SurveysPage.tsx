import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Collapse,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  QRCode,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  DEFAULT_OPTIONS,
  type LocalText,
  localText,
  MAX_BATCH_SIZE,
  MIN_BATCH_SIZE,
  OPTION_COUNTS,
  SURVEY_AUDIENCES,
  type SurveyAudience,
  type SurveyQuestion,
  type SurveyStatus,
} from '../../../../domain/surveys';
import { api, download } from '../../api/client';
import { handleWriteError, showError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { currentLang } from '../../locales';
import { FormModal } from '../rounds/FormModal';
import './surveys.css';

interface Summary {
  id: number;
  title: LocalText;
  status: SurveyStatus;
  unitCount: number;
  codeCount: number;
  usedCount: number;
  version: number;
}
interface Batch {
  id: number;
  roundUnitId: number;
  unitName: string;
  audience: SurveyAudience;
  label: string | null;
  codeCount: number;
  usedCount: number;
  responseRate: number | null;
  createdAt: number;
}
interface Detail extends Summary {
  intro: LocalText;
  questions: SurveyQuestion[];
  units: { roundUnitId: number; unitName: string; roundName: string }[];
  batches: Batch[];
}
interface Codes {
  batch: Batch;
  surveyTitle: LocalText;
  codes: string[];
}
interface TallyOut {
  satisfied: number;
  unsatisfied: number;
  excluded: number;
  rate: number | null;
}
interface Results {
  responses: number;
  codeCount: number;
  usedCount: number;
  responseRate: number | null;
  tally: TallyOut;
  units: {
    roundUnitId: number;
    unitName: string;
    roundName: string;
    responses: number;
    codeCount: number;
    usedCount: number;
    responseRate: number | null;
    tally: TallyOut;
    audiences: {
      audience: SurveyAudience;
      codeCount: number;
      usedCount: number;
      responses: number;
      responseRate: number | null;
      tally: TallyOut;
    }[];
    questions: {
      key: string;
      kind: string;
      text: LocalText;
      options: { key: string; label: LocalText; count: number }[];
      tally: TallyOut;
      comments: string[];
    }[];
  }[];
}

const STATUS_COLOR: Record<SurveyStatus, string> = { draft: 'default', open: 'processing', closed: 'success' };
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const lt = (x: LocalText) => localText(x, currentLang());

/** 满意度测评 (SPEC M11): questionnaires, one-time codes and their print sheet, results. */
export default function SurveysPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = Number(params.get('id')) || null;
  return (
    <div>
      <PageHeader title={t('menu.surveys')} intro={t('surveys.intro')} />
      {id ? (
        <SurveyView id={id} onBack={() => setParams({})} />
      ) : (
        <SurveyList onOpen={(x) => setParams({ id: String(x) })} />
      )}
    </div>
  );
}

function useRoundUnits(enabled: boolean) {
  return useQuery({
    queryKey: ['round-units', 'all'],
    enabled,
    queryFn: () =>
      api.get<{ items: { id: number; unitName: string; roundName: string }[] }>('/round-units', { limit: 1000 }),
  });
}

function SurveyList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['surveys'],
    queryFn: () => api.get<{ items: Summary[] }>('/surveys', { limit: 200 }),
  });
  const units = useRoundUnits(creating);
  const create = useMutation({
    mutationFn: (v: { title: string; roundUnitIds: number[] }) =>
      api.post<Detail>('/surveys', {
        title: { zh: v.title.trim() },
        roundUnitIds: v.roundUnitIds ?? [],
      }),
    onSuccess: (d) => {
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      onOpen(d.id);
    },
    onError: (e) => handleWriteError(e),
  });
  return (
    <div>
      {can('survey.write') && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          style={{ marginBottom: 12 }}
          data-testid="survey-create"
        >
          {t('surveys.create')}
        </Button>
      )}
      <List<Summary>
        bordered
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('surveys.none')} /> }}
        renderItem={(s) => (
          <List.Item data-testid={`survey-${s.id}`} style={{ cursor: 'pointer' }} onClick={() => onOpen(s.id)}>
            <Space wrap>
              <Tag color={STATUS_COLOR[s.status]}>{t(`surveys.status.${s.status}`)}</Tag>
              <Typography.Link strong>{lt(s.title)}</Typography.Link>
              <Typography.Text type="secondary">
                {t('surveys.summary', { units: s.unitCount, used: s.usedCount, codes: s.codeCount })}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <FormModal<{ title: string; roundUnitIds: number[] }>
        open={creating}
        title={t('surveys.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        testId="survey-create-ok"
      >
        <Form.Item name="title" label={t('surveys.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="survey-title" />
        </Form.Item>
        <Form.Item name="roundUnitIds" label={t('surveys.field.units')}>
          <Select
            mode="multiple"
            loading={units.isLoading}
            optionFilterProp="label"
            data-testid="survey-units"
            options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.unitName} · ${u.roundName}` }))}
          />
        </Form.Item>
      </FormModal>
    </div>
  );
}

function SurveyView({ id, onBack }: { id: number; onBack: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [tab, setTab] = useState('questionnaire');
  const [sheet, setSheet] = useState<Codes | null>(null);
  const detail = useQuery({ queryKey: ['surveys', id], queryFn: () => api.get<Detail>(`/surveys/${id}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['surveys'] });
  const move = useMutation({
    mutationFn: (to: 'open' | 'close') => api.post<Detail>(`/surveys/${id}/${to}`, { version: detail.data!.version }),
    onSuccess: () => {
      toast('success', t('surveys.saved'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  if (sheet) return <PrintSheet codes={sheet} onBack={() => setSheet(null)} />;
  const d = detail.data;
  if (!d) return <Card loading={detail.isLoading} />;
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('surveys.back')}
        </Button>
        <Tag color={STATUS_COLOR[d.status]} data-testid="survey-status">
          {t(`surveys.status.${d.status}`)}
        </Tag>
        <Typography.Text strong>{lt(d.title)}</Typography.Text>
        {can('survey.write') && d.status === 'draft' && (
          <Popconfirm title={t('surveys.openConfirm')} onConfirm={() => move.mutate('open')}>
            <Button type="primary" loading={move.isPending} data-testid="survey-open">
              {t('surveys.open')}
            </Button>
          </Popconfirm>
        )}
        {can('survey.write') && d.status === 'open' && (
          <Popconfirm title={t('surveys.closeConfirm')} onConfirm={() => move.mutate('close')}>
            <Button danger loading={move.isPending} data-testid="survey-close">
              {t('surveys.close')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'questionnaire', label: t('surveys.tabs.questionnaire'), children: <Questionnaire survey={d} /> },
          {
            key: 'batches',
            label: <span data-testid="tab-batches">{t('surveys.tabs.batches')}</span>,
            children: <Batches survey={d} onPrint={setSheet} />,
          },
          {
            key: 'results',
            label: <span data-testid="tab-results">{t('surveys.tabs.results')}</span>,
            children: <ResultsView id={id} />,
          },
        ]}
      />
    </div>
  );
}

// --- questionnaire ------------------------------------------------------------------------------

function nextKey(prefix: string, used: readonly string[]) {
  let n = used.length + 1;
  while (used.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** A new questionnaire starts with one standard 满意/基本满意/不满意/不了解 question to word. */
function initial(s: Detail): SurveyQuestion[] {
  return s.questions.length
    ? s.questions
    : [{ key: 'q1', kind: 'choice', text: { zh: '' }, options: [...DEFAULT_OPTIONS], allowComment: true }];
}

function Questionnaire({ survey }: { survey: Detail }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const editable = survey.status === 'draft' && can('survey.write');
  const [title, setTitle] = useState<LocalText>(survey.title);
  const [intro, setIntro] = useState<LocalText>(survey.intro);
  const [units, setUnits] = useState<number[]>(survey.units.map((u) => u.roundUnitId));
  const [questions, setQuestions] = useState<SurveyQuestion[]>(initial(survey));
  useEffect(() => {
    setTitle(survey.title);
    setIntro(survey.intro);
    setUnits(survey.units.map((u) => u.roundUnitId));
    setQuestions(initial(survey));
  }, [survey]);
  const roundUnits = useRoundUnits(editable);
  const save = useMutation({
    mutationFn: () =>
      api.patch<Detail>(`/surveys/${survey.id}`, {
        version: survey.version,
        title,
        intro,
        roundUnitIds: units,
        questions,
      }),
    onSuccess: () => {
      toast('success', t('surveys.saved'));
      void qc.invalidateQueries({ queryKey: ['surveys'] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['surveys'] })),
  });
  const setQ = (i: number, patch: Partial<SurveyQuestion>) =>
    setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));

  if (!editable)
    return (
      <div>
        {survey.status !== 'draft' && (
          <Alert type="info" showIcon message={t('surveys.readOnly')} style={{ marginBottom: 12 }} />
        )}
        <Typography.Paragraph>
          {t('surveys.field.units')}：{survey.units.map((u) => `${u.unitName}（${u.roundName}）`).join('、') || '—'}
        </Typography.Paragraph>
        {lt(survey.intro) && <Typography.Paragraph type="secondary">{lt(survey.intro)}</Typography.Paragraph>}
        <List
          bordered
          dataSource={survey.questions}
          renderItem={(q, i) => (
            <List.Item>
              <div>
                <Typography.Text strong>
                  {i + 1}. {lt(q.text)}
                </Typography.Text>{' '}
                <Tag>{t(`surveys.kind.${q.kind}`)}</Tag>
                {q.kind === 'choice' && (
                  <div>
                    {q.options.map((o) => (
                      <Tag
                        key={o.key}
                        color={o.counts === 'satisfied' ? 'green' : o.counts === 'unsatisfied' ? 'red' : 'default'}
                      >
                        {lt(o.label)}
                      </Tag>
                    ))}
                  </div>
                )}
              </div>
            </List.Item>
          )}
        />
      </div>
    );

  const textInputs = (v: LocalText, set: (x: LocalText) => void, labels: [string, string, string], testId?: string) => (
    <>
      <Form.Item label={labels[0]} required>
        <Input value={v.zh} onChange={(e) => set({ ...v, zh: e.target.value })} maxLength={500} data-testid={testId} />
      </Form.Item>
      <Collapse
        ghost
        size="small"
        items={[
          {
            key: 'tr',
            label: t('surveys.translations'),
            children: (
              <>
                <Form.Item label={labels[1]}>
                  <Input value={v.tw ?? ''} onChange={(e) => set({ ...v, tw: e.target.value })} maxLength={500} />
                </Form.Item>
                <Form.Item label={labels[2]}>
                  <Input value={v.en ?? ''} onChange={(e) => set({ ...v, en: e.target.value })} maxLength={500} />
                </Form.Item>
              </>
            ),
          },
        ]}
      />
    </>
  );

  return (
    <Form layout="vertical">
      {textInputs(title, setTitle, [t('surveys.field.title'), t('surveys.field.titleTw'), t('surveys.field.titleEn')])}
      <Form.Item label={t('surveys.field.intro')}>
        <Input.TextArea
          value={intro.zh}
          onChange={(e) => setIntro({ ...intro, zh: e.target.value })}
          rows={2}
          maxLength={2000}
        />
      </Form.Item>
      <Form.Item label={t('surveys.field.units')}>
        <Select
          mode="multiple"
          value={units}
          onChange={setUnits}
          optionFilterProp="label"
          loading={roundUnits.isLoading}
          data-testid="survey-edit-units"
          options={[
            ...survey.units
              .filter((u) => !(roundUnits.data?.items ?? []).some((r) => r.id === u.roundUnitId))
              .map((u) => ({ value: u.roundUnitId, label: `${u.unitName} · ${u.roundName}` })),
            ...(roundUnits.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.unitName} · ${u.roundName}` })),
          ]}
        />
      </Form.Item>
      {questions.map((q, i) => (
        <Card
          key={q.key}
          size="small"
          style={{ marginBottom: 12 }}
          title={`${i + 1}. ${t(`surveys.kind.${q.kind}`)}`}
          extra={
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}
            >
              {t('surveys.remove')}
            </Button>
          }
          data-testid={`edit-question-${i}`}
        >
          {textInputs(
            q.text,
            (x) => setQ(i, { text: x }),
            [t('surveys.field.question'), t('surveys.field.questionTw'), t('surveys.field.questionEn')],
            `question-text-${i}`,
          )}
          {q.kind === 'choice' && (
            <>
              {q.options.map((o, k) => (
                <Space key={o.key} wrap style={{ marginBottom: 8 }}>
                  <Input
                    value={o.label.zh}
                    placeholder={t('surveys.field.option')}
                    maxLength={100}
                    style={{ width: 160 }}
                    onChange={(e) =>
                      setQ(i, {
                        options: q.options.map((x, m) =>
                          m === k ? { ...x, label: { ...x.label, zh: e.target.value } } : x,
                        ),
                      })
                    }
                  />
                  <Select
                    value={o.counts}
                    style={{ width: 150 }}
                    options={OPTION_COUNTS.map((c) => ({ value: c, label: t(`surveys.counts.${c}`) }))}
                    onChange={(c) => setQ(i, { options: q.options.map((x, m) => (m === k ? { ...x, counts: c } : x)) })}
                  />
                  <Button
                    size="small"
                    icon={<DeleteOutlined />}
                    aria-label={t('surveys.remove')}
                    onClick={() => setQ(i, { options: q.options.filter((_, m) => m !== k) })}
                  />
                </Space>
              ))}
              <Space wrap>
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() =>
                    setQ(i, {
                      options: [
                        ...q.options,
                        {
                          key: nextKey(
                            'o',
                            q.options.map((o) => o.key),
                          ),
                          label: { zh: '' },
                          counts: 'satisfied',
                        },
                      ],
                    })
                  }
                >
                  {t('surveys.addOption')}
                </Button>
                <Checkbox checked={q.allowComment} onChange={(e) => setQ(i, { allowComment: e.target.checked })}>
                  {t('surveys.field.allowComment')}
                </Checkbox>
              </Space>
            </>
          )}
        </Card>
      ))}
      <Space wrap>
        <Button
          icon={<PlusOutlined />}
          data-testid="add-choice"
          onClick={() =>
            setQuestions((qs) => [
              ...qs,
              {
                key: nextKey(
                  'q',
                  qs.map((q) => q.key),
                ),
                kind: 'choice',
                text: { zh: '' },
                options: [...DEFAULT_OPTIONS],
                allowComment: false,
              },
            ])
          }
        >
          {t('surveys.addChoice')}
        </Button>
        <Button
          icon={<PlusOutlined />}
          data-testid="add-text"
          onClick={() =>
            setQuestions((qs) => [
              ...qs,
              {
                key: nextKey(
                  'q',
                  qs.map((q) => q.key),
                ),
                kind: 'text',
                text: { zh: '' },
                options: [],
                allowComment: false,
              },
            ])
          }
        >
          {t('surveys.addText')}
        </Button>
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="survey-save">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

// --- batches and the print sheet ----------------------------------------------------------------

function Batches({ survey, onPrint }: { survey: Detail; onPrint: (c: Codes) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ roundUnitId: number; audience: SurveyAudience; count: number; label?: string }>();
  const create = useMutation({
    mutationFn: (v: { roundUnitId: number; audience: SurveyAudience; count: number; label?: string }) =>
      api.post<Codes>(`/surveys/${survey.id}/batches`, { ...v, label: v.label?.trim() || undefined }),
    onSuccess: (c) => {
      toast('success', t('surveys.batch.created', { count: c.codes.length }));
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      onPrint(c);
    },
    onError: (e) => handleWriteError(e),
  });
  const reprint = async (b: Batch) => {
    try {
      onPrint(await api.get<Codes>(`/survey-batches/${b.id}/codes`));
    } catch (e) {
      showError(e);
    }
  };
  return (
    <div>
      {can('survey.write') &&
        (survey.status === 'closed' ? (
          <Alert type="info" showIcon message={t('surveys.batch.closed')} style={{ marginBottom: 12 }} />
        ) : (
          <Card size="small" style={{ marginBottom: 12 }}>
            <Form
              form={form}
              layout="inline"
              initialValues={{ audience: 'public', count: 50 }}
              onFinish={(v) => create.mutate(v)}
              style={{ rowGap: 8 }}
            >
              <Form.Item name="roundUnitId" label={t('surveys.field.unit')} rules={[{ required: true }]}>
                <Select
                  style={{ minWidth: 180 }}
                  data-testid="batch-unit"
                  options={survey.units.map((u) => ({ value: u.roundUnitId, label: u.unitName }))}
                />
              </Form.Item>
              <Form.Item name="audience" label={t('surveys.field.audience')} rules={[{ required: true }]}>
                <Select
                  style={{ width: 110 }}
                  data-testid="batch-audience"
                  options={SURVEY_AUDIENCES.map((a) => ({ value: a, label: t(`surveys.audience.${a}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="count"
                label={t('surveys.field.count')}
                rules={[{ required: true }]}
                tooltip={t('surveys.batch.minMax', { min: MIN_BATCH_SIZE, max: MAX_BATCH_SIZE })}
              >
                <InputNumber min={MIN_BATCH_SIZE} max={MAX_BATCH_SIZE} precision={0} data-testid="batch-count" />
              </Form.Item>
              <Form.Item name="label" label={t('surveys.field.label')}>
                <Input maxLength={200} style={{ width: 160 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="batch-create">
                {t('surveys.batch.create')}
              </Button>
            </Form>
          </Card>
        ))}
      <Table<Batch>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={survey.batches}
        locale={{ emptyText: <Empty description={t('surveys.batch.none')} /> }}
        columns={[
          { title: t('surveys.field.unit'), dataIndex: 'unitName' },
          {
            title: t('surveys.field.audience'),
            dataIndex: 'audience',
            render: (a: SurveyAudience) => t(`surveys.audience.${a}`),
          },
          { title: t('surveys.field.label'), dataIndex: 'label', render: (l: string | null) => l ?? '—' },
          { title: t('surveys.batch.codes'), dataIndex: 'codeCount' },
          { title: t('surveys.batch.used'), dataIndex: 'usedCount' },
          { title: t('surveys.batch.rate'), dataIndex: 'responseRate', render: pct },
          ...(can('survey.write')
            ? [
                {
                  key: 'print',
                  title: '',
                  render: (_: unknown, b: Batch) => (
                    <Button size="small" icon={<PrinterOutlined />} onClick={() => void reprint(b)}>
                      {t('surveys.batch.reprint')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}

function PrintSheet({ codes, onBack }: { codes: Codes; onBack: () => void }) {
  const { t } = useTranslation();
  const base = `${window.location.origin}/survey`;
  return (
    <div className="survey-sheet" data-testid="print-sheet">
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('surveys.sheet.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('surveys.sheet.print')}
        </Button>
        <Typography.Text type="secondary">{t('surveys.sheet.hint', { url: base })}</Typography.Text>
      </Space>
      <div className="survey-sheet-grid">
        {codes.codes.map((c) => (
          <div className="survey-sheet-card" key={c} data-testid="sheet-card">
            <div className="meta">{lt(codes.surveyTitle)}</div>
            <div className="meta">
              {codes.batch.unitName} · {t(`surveys.audience.${codes.batch.audience}`)}
            </div>
            <QRCode value={`${base}/${c}`} size={120} bordered={false} type="svg" />
            <div className="code" data-testid="sheet-code">
              {c}
            </div>
            <div className="meta">{t('surveys.sheet.scan')}</div>
          </div>
        ))}
      </div>
    </div>
  );
}

// --- results ------------------------------------------------------------------------------------

function ResultsView({ id }: { id: number }) {
  const { t } = useTranslation();
  const r = useQuery({
    queryKey: ['surveys', id, 'results'],
    queryFn: () => api.get<Results>(`/surveys/${id}/results`),
  });
  if (!r.data) return <Card loading={r.isLoading} />;
  const d = r.data;
  return (
    <div data-testid="survey-results">
      <Space wrap size="large" style={{ marginBottom: 12 }}>
        <Statistic title={t('surveys.results.rate')} value={pct(d.tally.rate)} />
        <Statistic title={t('surveys.results.responses')} value={d.responses} />
        <Statistic title={t('surveys.results.responseRate')} value={pct(d.responseRate)} />
        <Button
          onClick={() => void download(`/surveys/${id}/results.xlsx`, `survey-${id}-results.xlsx`).catch(showError)}
        >
          {t('surveys.results.export')}
        </Button>
      </Space>
      {d.units.map((u) => (
        <Card
          key={u.roundUnitId}
          size="small"
          style={{ marginBottom: 12 }}
          title={`${u.unitName} · ${u.roundName}`}
          data-testid={`result-unit-${u.roundUnitId}`}
          extra={
            <Space wrap>
              <Tag color="red">
                {t('surveys.results.rate')} {pct(u.tally.rate)}
              </Tag>
              <span>
                {t('surveys.results.responses')} {u.responses}
              </span>
            </Space>
          }
        >
          <Typography.Text strong>{t('surveys.results.byAudience')}</Typography.Text>
          <Table
            rowKey="audience"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            style={{ marginBottom: 12 }}
            dataSource={u.audiences.filter((a) => a.codeCount > 0 || a.responses > 0)}
            columns={[
              {
                title: t('surveys.field.audience'),
                dataIndex: 'audience',
                render: (a: SurveyAudience) => t(`surveys.audience.${a}`),
              },
              { title: t('surveys.results.codes'), dataIndex: 'codeCount' },
              { title: t('surveys.results.used'), dataIndex: 'usedCount' },
              { title: t('surveys.results.responseRate'), dataIndex: 'responseRate', render: pct },
              { title: t('surveys.results.rate'), key: 'rate', render: (_: unknown, a) => pct(a.tally.rate) },
            ]}
          />
          {u.questions.map((q, i) => (
            <div key={q.key} style={{ marginBottom: 12 }}>
              <Typography.Text strong>
                {i + 1}. {lt(q.text)}
              </Typography.Text>
              {q.kind === 'choice' && (
                <div>
                  <Space wrap size={4}>
                    {q.options.map((o) => (
                      <Tag key={o.key}>
                        {lt(o.label)} {o.count}
                      </Tag>
                    ))}
                    <Tag color="red" data-testid={`rate-${u.roundUnitId}-${q.key}`}>
                      {t('surveys.results.rate')} {pct(q.tally.rate)}
                    </Tag>
                  </Space>
                </div>
              )}
              {q.comments.length > 0 && (
                <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
                  {q.comments.map((c, k) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: anonymous remarks have no id, and may repeat
                    <li key={k}>{c}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </Card>
      ))}
    </div>
  );
}
