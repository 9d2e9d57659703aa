import { Col, Form, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import { SettingForm } from '../SettingForm';

interface Meetings {
  dueDays: number;
}

const fromMeetings = (v: unknown): Meetings => {
  const r = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return { dueDays: Number(r.dueDays ?? 60) };
};
const toMeetings = (f: Meetings) => ({ dueDays: f.dueDays });

/**
 * The system.meetings setting card (a <Col> inside the system settings page's row): within how many
 * days of the feedback the 整改专题民主生活会 must be held (SPEC M10).
 */
export default function MeetingsSettingsCard() {
  const { t } = useTranslation();
  return (
    <Col xs={24} xl={12}>
      <SettingForm<Meetings>
        area="system"
        settingKey="system.meetings"
        title={t('supervision.settings.meetingsTitle')}
        fromValue={fromMeetings}
        toValue={toMeetings}
      >
        <Form.Item
          name="dueDays"
          label={t('supervision.settings.dueDays')}
          extra={t('supervision.settings.dueDaysHelp')}
          rules={[{ required: true, message: t('common.required', { field: t('supervision.settings.dueDays') }) }]}
        >
          <InputNumber min={1} max={365} precision={0} />
        </Form.Item>
      </SettingForm>
    </Col>
  );
}
