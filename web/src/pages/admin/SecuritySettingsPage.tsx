import { Col, Form, InputNumber, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../domain/roles';
import { PageHeader } from '../../components/PageHeader';
import { SettingForm } from './SettingForm';

interface Policy {
  minLength: number;
  minClasses: number;
  maxAgeDays: number;
}
interface Lockout {
  threshold: number;
  minutes: number;
}
interface Session {
  idleMinutes: number;
  absoluteHours: number;
}
interface TotpRoles {
  roles: Role[];
}

const pick =
  <T,>(keys: (keyof T)[]) =>
  (v: unknown): T => {
    const r = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
    return Object.fromEntries(keys.map((k) => [k, r[k as string]])) as T;
  };
const fromPolicy = pick<Policy>(['minLength', 'minClasses', 'maxAgeDays']);
const fromLockout = pick<Lockout>(['threshold', 'minutes']);
const fromSession = pick<Session>(['idleMinutes', 'absoluteHours']);
const same = <T,>(f: T) => f;
const fromTotp = (v: unknown): TotpRoles => ({ roles: Array.isArray(v) ? (v as Role[]) : [] });
const toTotp = (f: TotpRoles) => f.roles ?? [];

export default function SecuritySettingsPage() {
  const { t } = useTranslation();
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <div>
      <PageHeader title={t('settings.securityTitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <SettingForm<Policy>
            area="security"
            settingKey="security.passwordPolicy"
            title={t('settings.passwordPolicy')}
            fromValue={fromPolicy}
            toValue={same}
          >
            <Form.Item name="minLength" label={t('settings.minLength')} rules={req(t('settings.minLength'))}>
              <InputNumber min={8} max={64} precision={0} />
            </Form.Item>
            <Form.Item
              name="minClasses"
              label={t('settings.minClasses')}
              extra={t('settings.minClassesHint')}
              rules={req(t('settings.minClasses'))}
            >
              <InputNumber min={1} max={4} precision={0} />
            </Form.Item>
            <Form.Item
              name="maxAgeDays"
              label={t('settings.maxAgeDays')}
              extra={t('settings.maxAgeDaysHint')}
              rules={req(t('settings.maxAgeDays'))}
            >
              <InputNumber min={0} max={3650} precision={0} />
            </Form.Item>
          </SettingForm>
        </Col>
        <Col xs={24} xl={12}>
          <SettingForm<Lockout>
            area="security"
            settingKey="security.lockout"
            title={t('settings.lockout')}
            fromValue={fromLockout}
            toValue={same}
          >
            <Form.Item name="threshold" label={t('settings.threshold')} rules={req(t('settings.threshold'))}>
              <InputNumber min={3} max={20} precision={0} />
            </Form.Item>
            <Form.Item name="minutes" label={t('settings.lockMinutes')} rules={req(t('settings.lockMinutes'))}>
              <InputNumber min={1} max={1440} precision={0} />
            </Form.Item>
          </SettingForm>
        </Col>
        <Col xs={24} xl={12}>
          <SettingForm<Session>
            area="security"
            settingKey="security.session"
            title={t('settings.session')}
            fromValue={fromSession}
            toValue={same}
          >
            <Form.Item name="idleMinutes" label={t('settings.idleMinutes')} rules={req(t('settings.idleMinutes'))}>
              <InputNumber min={5} max={240} precision={0} />
            </Form.Item>
            <Form.Item
              name="absoluteHours"
              label={t('settings.absoluteHours')}
              rules={req(t('settings.absoluteHours'))}
            >
              <InputNumber min={1} max={72} precision={0} />
            </Form.Item>
          </SettingForm>
        </Col>
        <Col xs={24} xl={12}>
          <SettingForm<TotpRoles>
            area="security"
            settingKey="security.totpRequiredRoles"
            title={t('settings.totpRequiredRoles')}
            fromValue={fromTotp}
            toValue={toTotp}
          >
            <Form.Item name="roles" label={t('settings.totpRequiredRoles')} extra={t('settings.totpRequiredRolesHint')}>
              <Select mode="multiple" allowClear options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
            </Form.Item>
          </SettingForm>
        </Col>
      </Row>
    </div>
  );
}
