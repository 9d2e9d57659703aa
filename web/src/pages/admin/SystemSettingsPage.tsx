import { Col, Form, Input, InputNumber, Row, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { SettingForm } from './SettingForm';
import DisclosureSettingsCard from './system-settings/DisclosureSettingsCard';
import MeetingsSettingsCard from './system-settings/MeetingsSettingsCard';
import WarningsSettingsCard from './system-settings/WarningsSettingsCard';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});

interface General {
  systemName: string;
  rectificationMonths: number;
  reminderDaysBefore: number;
  timezone: string;
}
interface Smtp {
  enabled: boolean;
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string;
  from: string;
}
interface Webhook {
  enabled: boolean;
  url: string;
  secret?: string;
}

const fromGeneral = (v: unknown) => rec(v) as unknown as General;
const toGeneral = (f: General) => ({
  systemName: f.systemName.trim(),
  rectificationMonths: f.rectificationMonths,
  reminderDaysBefore: f.reminderDaysBefore,
  timezone: f.timezone.trim(),
});
const fromSmtp = (v: unknown): Smtp => {
  const r = rec(v);
  return {
    enabled: !!r.enabled,
    host: String(r.host ?? ''),
    port: Number(r.port ?? 25),
    secure: !!r.secure,
    user: String(r.user ?? ''),
    password: '',
    from: String(r.from ?? ''),
  };
};
const toSmtp = (f: Smtp) => ({
  enabled: !!f.enabled,
  host: (f.host ?? '').trim(),
  port: f.port,
  secure: !!f.secure,
  user: (f.user ?? '').trim(),
  from: (f.from ?? '').trim(),
  ...(f.password ? { password: f.password } : {}), // write-only: sent only when typed
});
const fromWebhook = (v: unknown): Webhook => {
  const r = rec(v);
  return { enabled: !!r.enabled, url: String(r.url ?? ''), secret: '' };
};
const toWebhook = (f: Webhook) => ({
  enabled: !!f.enabled,
  url: (f.url ?? '').trim(),
  ...(f.secret ? { secret: f.secret } : {}),
});

function SetTag({ set }: { set: boolean }) {
  const { t } = useTranslation();
  return set ? <Tag color="green">{t('common.isSet')}</Tag> : <Tag>{t('common.notSet')}</Tag>;
}

export default function SystemSettingsPage() {
  const { t } = useTranslation();
  const requiredRule = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <div>
      <PageHeader title={t('settings.systemTitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <SettingForm<General>
            area="system"
            settingKey="system.general"
            title={t('settings.general')}
            fromValue={fromGeneral}
            toValue={toGeneral}
          >
            <Form.Item
              name="systemName"
              label={t('settings.systemName')}
              rules={requiredRule(t('settings.systemName'))}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="rectificationMonths"
              label={t('settings.rectificationMonths')}
              rules={requiredRule(t('settings.rectificationMonths'))}
            >
              <InputNumber min={1} max={24} precision={0} />
            </Form.Item>
            <Form.Item
              name="reminderDaysBefore"
              label={t('settings.reminderDaysBefore')}
              rules={requiredRule(t('settings.reminderDaysBefore'))}
            >
              <InputNumber min={0} max={60} precision={0} />
            </Form.Item>
            <Form.Item name="timezone" label={t('settings.timezone')} rules={requiredRule(t('settings.timezone'))}>
              <Input maxLength={64} />
            </Form.Item>
          </SettingForm>
        </Col>
        <Col xs={24} xl={12}>
          <SettingForm<Smtp>
            area="system"
            settingKey="system.smtp"
            title={t('settings.smtp')}
            fromValue={fromSmtp}
            toValue={toSmtp}
            extra={(v) => <SetTag set={!!rec(v).passwordSet} />}
          >
            <Form.Item name="enabled" label={t('settings.smtpEnabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="host" label={t('settings.host')}>
              <Input maxLength={200} placeholder="smtp.example.gov.cn" />
            </Form.Item>
            <Form.Item name="port" label={t('settings.port')} rules={requiredRule(t('settings.port'))}>
              <InputNumber min={1} max={65535} precision={0} />
            </Form.Item>
            <Form.Item name="secure" label={t('settings.secure')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="user" label={t('settings.user')}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
            <Form.Item name="password" label={t('settings.smtpPassword')} extra={t('common.keepBlank')}>
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="from" label={t('settings.from')}>
              <Input maxLength={200} />
            </Form.Item>
          </SettingForm>
        </Col>
        <Col xs={24} xl={12}>
          <SettingForm<Webhook>
            area="system"
            settingKey="system.webhook"
            title={t('settings.webhook')}
            fromValue={fromWebhook}
            toValue={toWebhook}
            extra={(v) => <SetTag set={!!rec(v).secretSet} />}
          >
            <Form.Item name="enabled" label={t('settings.webhookEnabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="url" label={t('settings.url')} rules={[{ type: 'url', message: t('settings.url') }]}>
              <Input maxLength={500} placeholder="https://gateway.example.gov.cn/notify" />
            </Form.Item>
            <Form.Item name="secret" label={t('settings.secret')} extra={t('common.keepBlank')}>
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
          </SettingForm>
        </Col>
        <MeetingsSettingsCard />
        <WarningsSettingsCard />
        <DisclosureSettingsCard />
      </Row>
    </div>
  );
}
