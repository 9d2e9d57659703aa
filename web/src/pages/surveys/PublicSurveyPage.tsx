import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { formatCode, normaliseCode } from '../../../../domain/surveys';
import { api, isApiError } from '../../api/client';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { currentLang } from '../../locales';
import './surveys.css';

interface PublicSurvey {
  surveyId: number;
  title: string;
  intro: string;
  unitName: string;
  audience: 'cadre' | 'staff' | 'public';
  questions: {
    key: string;
    kind: 'choice' | 'text';
    text: string;
    allowComment: boolean;
    options: { key: string; label: string }[];
  }[];
}

type Values = Record<string, string | undefined>;

/**
 * The public answer page of a satisfaction survey (no login, phone first): /survey/<code> from the
 * printed QR code, or /survey to type a code in. Answers once per code; nothing about the person
 * is sent but the code and the answers.
 */
export default function PublicSurveyPage() {
  const { t } = useTranslation();
  const code = useParams()['*'] ?? '';
  return (
    <div className="public-survey">
      <div className="public-survey-top">
        <Typography.Text strong>{t('surveys.public.heading')}</Typography.Text>
        <LanguageSwitch size="small" />
      </div>
      {code ? <Answering key={code} code={decodeURIComponent(code)} /> : <EnterCode />}
    </div>
  );
}

function EnterCode() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const normal = normaliseCode(value);
  return (
    <Card>
      <Form layout="vertical" onFinish={() => normal && navigate(`/survey/${formatCode(normal)}`)}>
        <Form.Item label={t('surveys.public.enterCode')}>
          <Input
            size="large"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={t('surveys.public.codePlaceholder')}
            autoComplete="off"
            autoCapitalize="characters"
            data-testid="survey-code-input"
          />
        </Form.Item>
        <Button type="primary" size="large" block htmlType="submit" disabled={!normal}>
          {t('surveys.public.start')}
        </Button>
      </Form>
    </Card>
  );
}

function Answering({ code }: { code: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = currentLang();
  const [form] = Form.useForm<Values>();
  const survey = useQuery({
    queryKey: ['public-survey', code, lang],
    queryFn: () => api.get<PublicSurvey>(`/public/survey/${encodeURIComponent(code)}`),
    retry: false,
    refetchOnWindowFocus: false,
  });
  const submit = useMutation({
    mutationFn: (v: Values) =>
      api.post('/public/survey-answers', {
        code,
        surveyId: survey.data!.surveyId,
        answers: survey
          .data!.questions.map((q) => ({
            key: q.key,
            option: q.kind === 'choice' ? (v[`o_${q.key}`] ?? null) : null,
            text: v[`t_${q.key}`]?.trim() || null,
          }))
          .filter((a) => a.option || a.text),
      }),
  });
  const again = (
    <Button onClick={() => navigate('/survey')} data-testid="survey-again">
      {t('surveys.public.again')}
    </Button>
  );

  if (survey.isLoading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (survey.error)
    return (
      <Result
        status="warning"
        title={t('surveys.public.refused')}
        subTitle={isApiError(survey.error) ? survey.error.detail : String(survey.error)}
        extra={again}
        data-testid="survey-refused"
      />
    );
  if (submit.isSuccess)
    return (
      <Result
        status="success"
        title={t('surveys.public.thanks')}
        subTitle={t('surveys.public.thanksSub')}
        extra={again}
        data-testid="survey-thanks"
      />
    );
  const s = survey.data!;
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {s.title}
      </Typography.Title>
      <Space direction="vertical" size={2} style={{ marginBottom: 12 }}>
        <Typography.Text>{t('surveys.public.unit', { unit: s.unitName })}</Typography.Text>
        <Typography.Text type="secondary">
          {t('surveys.public.audience', { audience: t(`surveys.audience.${s.audience}`) })}
        </Typography.Text>
      </Space>
      {s.intro && <Typography.Paragraph>{s.intro}</Typography.Paragraph>}
      <Alert type="info" showIcon message={t('surveys.public.anonymous')} style={{ marginBottom: 16 }} />
      {submit.error && (
        <Alert
          type="error"
          showIcon
          message={isApiError(submit.error) ? submit.error.detail : String(submit.error)}
          style={{ marginBottom: 16 }}
          data-testid="survey-submit-error"
        />
      )}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => submit.mutate(v)} requiredMark>
        {s.questions.map((q, i) => (
          <div key={q.key} className="public-survey-question" data-testid={`question-${q.key}`}>
            {q.kind === 'choice' ? (
              <Form.Item
                name={`o_${q.key}`}
                label={`${i + 1}. ${q.text}`}
                rules={[{ required: true, message: t('surveys.public.required') }]}
              >
                <Radio.Group className="public-survey-options">
                  {q.options.map((o) => (
                    <Radio key={o.key} value={o.key}>
                      {o.label}
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
            ) : (
              <Form.Item name={`t_${q.key}`} label={`${i + 1}. ${q.text}`}>
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('surveys.public.text')} />
              </Form.Item>
            )}
            {q.kind === 'choice' && q.allowComment && (
              <Form.Item name={`t_${q.key}`} style={{ marginTop: -8 }}>
                <Input.TextArea rows={2} maxLength={2000} placeholder={t('surveys.public.comment')} />
              </Form.Item>
            )}
          </div>
        ))}
        <Button
          type="primary"
          size="large"
          block
          htmlType="submit"
          loading={submit.isPending}
          data-testid="survey-submit"
        >
          {t('surveys.public.submit')}
        </Button>
      </Form>
    </Card>
  );
}
