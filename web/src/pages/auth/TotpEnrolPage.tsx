import { Alert, Button, Form, QRCode, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { toast } from '../../api/feedback';
import { useAuth } from '../../app/auth';
import { AuthCard } from './AuthCard';
import { TotpCodeInput, totpRules } from './TotpVerifyPage';

/**
 * TOTP enrolment: a new secret from the server (QR code drawn locally by antd, plus the secret and
 * the otpauth link as text), then a first code to turn it on.
 */
export function TotpEnrol({ onDone }: { onDone: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await api.post<{ secret: string; otpauthUrl: string }>('/auth/totp/setup'));
    } catch (e) {
      setError(isApiError(e) ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  const enable = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/totp/enable', { code: v.code });
      toast('success', t('auth.enrolDone'));
      await onDone();
    } catch (e) {
      setError(isApiError(e) ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Steps
        size="small"
        current={setup ? 1 : 0}
        style={{ marginBottom: 16 }}
        items={[{ title: t('auth.enrolStart') }, { title: t('auth.enrolEnable') }]}
      />
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {!setup ? (
        <Button type="primary" onClick={() => void start()} loading={busy}>
          {t('auth.enrolStart')}
        </Button>
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Text>{t('auth.enrolScan')}</Typography.Text>
          <QRCode value={setup.otpauthUrl} size={180} bordered={false} />
          <div>
            <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
              {t('auth.enrolSecret')}
            </Typography.Text>
            <Typography.Text code copyable className="mono" data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
              {t('auth.enrolUrl')}
            </Typography.Text>
            <Typography.Text className="mono" copyable style={{ fontSize: 12 }}>
              {setup.otpauthUrl}
            </Typography.Text>
          </div>
          <Form layout="vertical" onFinish={enable} disabled={busy} requiredMark={false}>
            <Form.Item name="code" label={t('auth.enrolConfirm')} rules={totpRules(t('auth.totpCodeFormat'))}>
              <TotpCodeInput />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('auth.enrolEnable')}
            </Button>
          </Form>
        </Space>
      )}
    </div>
  );
}

/** The forced step when the user's role requires TOTP and none is enrolled. */
export function TotpEnrolPage() {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  return (
    <AuthCard title={t('auth.enrolTitle')} withLogout>
      <Typography.Paragraph>{t('auth.enrolIntro')}</Typography.Paragraph>
      <TotpEnrol onDone={refresh} />
    </AuthCard>
  );
}
