import { SafetyOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, type InputProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { Me } from '../../api/types';
import { useAuth } from '../../app/auth';
import { AuthCard } from './AuthCard';

/** The 6-digit code field; Form.Item passes value/onChange through. */
export function TotpCodeInput(props: InputProps) {
  return (
    <Input
      prefix={<SafetyOutlined />}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      placeholder="000000"
      style={{ letterSpacing: 4, maxWidth: 220 }}
      {...props}
    />
  );
}

export const totpRules = (message: string) => [{ required: true, pattern: /^[0-9]{6}$/, message }];

/** After the password, for an account with TOTP: the 6-digit code. */
export function TotpVerifyPage() {
  const { t } = useTranslation();
  const { setMe } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      setMe(await api.post<Me>('/auth/totp/verify', { code: v.code }));
    } catch (e) {
      setError(isApiError(e) ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.totpTitle')} withLogout>
      <Typography.Paragraph>{t('auth.totpIntro')}</Typography.Paragraph>
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={onFinish} disabled={busy} requiredMark={false} size="large">
        <Form.Item name="code" label={t('auth.totpCode')} rules={totpRules(t('auth.totpCodeFormat'))}>
          <TotpCodeInput autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.verify')}
        </Button>
      </Form>
    </AuthCard>
  );
}
