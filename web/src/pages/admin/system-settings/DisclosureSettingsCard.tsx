import { Col, Form, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { DEFAULT_NAME_RANK_FROM, PERSON_RANKS } from '../../../../../domain/disclosure';
import { SettingForm } from '../SettingForm';

interface DisclosureForm {
  channels: string[];
  publishAmounts: boolean;
  nameRankFrom: string;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const fromValue = (v: unknown): DisclosureForm => {
  const r = rec(v);
  return {
    channels: Array.isArray(r.channels) ? (r.channels as string[]) : [],
    publishAmounts: r.publishAmounts === true,
    nameRankFrom: typeof r.nameRankFrom === 'string' ? r.nameRankFrom : DEFAULT_NAME_RANK_FROM,
  };
};
const toValue = (f: DisclosureForm) => ({
  channels: [...new Set((f.channels ?? []).map((c) => c.trim()).filter(Boolean))],
  publishAmounts: !!f.publishAmounts,
  nameRankFrom: f.nameRankFrom,
});

/** The system.disclosure setting card (a <Col> inside the system settings page's row). */
export default function DisclosureSettingsCard() {
  const { t } = useTranslation();
  return (
    <Col xs={24} xl={12}>
      <SettingForm<DisclosureForm>
        area="system"
        settingKey="system.disclosure"
        title={t('disclosure.settings.title')}
        fromValue={fromValue}
        toValue={toValue}
      >
        <Form.Item
          name="channels"
          label={t('disclosure.settings.channels')}
          extra={t('disclosure.settings.channelsHint')}
        >
          <Select mode="tags" tokenSeparators={[',', '，', '、']} maxCount={20} />
        </Form.Item>
        <Form.Item name="publishAmounts" label={t('disclosure.settings.publishAmounts')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="nameRankFrom"
          label={t('disclosure.settings.nameRankFrom')}
          extra={t('disclosure.settings.nameRankHint')}
        >
          <Select options={PERSON_RANKS.map((r) => ({ value: r, label: t(`disclosure.rank.${r}`) }))} />
        </Form.Item>
      </SettingForm>
    </Col>
  );
}
