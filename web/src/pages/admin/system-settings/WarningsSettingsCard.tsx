import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { SettingForm } from '../SettingForm';

const RECIPIENTS = ['owner', 'leader_in_charge', 'principal', 'supervisors'] as const;
type Recipient = (typeof RECIPIENTS)[number];

interface Warnings {
  steps: { daysBefore: number; recipient: Recipient }[];
  digestWeekday: number;
  dailyAt: string;
  onBooksDays: number;
  routinePhrases: string[];
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const fromWarnings = (v: unknown): Warnings => {
  const r = rec(v);
  return {
    steps: Array.isArray(r.steps) ? (r.steps as Warnings['steps']) : [],
    digestWeekday: Number(r.digestWeekday ?? 1),
    dailyAt: String(r.dailyAt ?? '07:00'),
    onBooksDays: Number(r.onBooksDays ?? 90),
    routinePhrases: Array.isArray(r.routinePhrases) ? (r.routinePhrases as string[]) : [],
  };
};
const toWarnings = (f: Warnings) => ({
  steps: (f.steps ?? []).map((s) => ({ daysBefore: s.daysBefore, recipient: s.recipient })),
  digestWeekday: f.digestWeekday,
  dailyAt: (f.dailyAt ?? '').trim(),
  onBooksDays: f.onBooksDays,
  routinePhrases: (f.routinePhrases ?? []).map((p) => p.trim()).filter(Boolean),
});

/** The system.warnings setting card (a <Col> inside the system settings page's row): 催着改's chain. */
export default function WarningsSettingsCard() {
  const { t } = useTranslation();
  const required = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <Col xs={24} xl={12}>
      <SettingForm<Warnings>
        area="system"
        settingKey="system.warnings"
        title={t('notices.settings.title')}
        fromValue={fromWarnings}
        toValue={toWarnings}
      >
        <Form.Item label={t('notices.settings.steps')} extra={t('notices.settings.daysBeforeHelp')}>
          <Form.List name="steps">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item
                      name={[field.name, 'daysBefore']}
                      rules={required(t('notices.settings.daysBefore'))}
                      noStyle
                    >
                      <InputNumber
                        min={-365}
                        max={365}
                        precision={0}
                        aria-label={t('notices.settings.daysBefore')}
                        addonAfter={t('notices.settings.daysBefore')}
                        style={{ width: 200 }}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'recipient']}
                      rules={required(t('notices.settings.recipient'))}
                      noStyle
                    >
                      <Select
                        aria-label={t('notices.settings.recipient')}
                        style={{ minWidth: 170 }}
                        options={RECIPIENTS.map((r) => ({ value: r, label: t(`notices.settings.recipients.${r}`) }))}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label="remove"
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                {fields.length < 10 && (
                  <Button icon={<PlusOutlined />} onClick={() => add({ daysBefore: 7, recipient: 'owner' })}>
                    {t('notices.settings.addStep')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item
          name="dailyAt"
          label={t('notices.settings.dailyAt')}
          rules={[
            ...required(t('notices.settings.dailyAt')),
            { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' },
          ]}
        >
          <Input maxLength={5} placeholder="07:00" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="digestWeekday" label={t('notices.settings.digestWeekday')}>
          <Select
            style={{ width: 160 }}
            options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({
              value: d,
              label: t(`notices.settings.weekdays.d${d}` as 'notices.settings.weekdays.d1'),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="onBooksDays"
          label={t('notices.settings.onBooksDays')}
          rules={required(t('notices.settings.onBooksDays'))}
        >
          <InputNumber min={1} max={3650} precision={0} />
        </Form.Item>
        <Form.Item name="routinePhrases" label={t('notices.settings.routinePhrases')}>
          <Select mode="tags" maxCount={30} tokenSeparators={[',', '，']} />
        </Form.Item>
      </SettingForm>
    </Col>
  );
}
