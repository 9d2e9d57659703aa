import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLang, LANGS, type Lang, MESSAGES, setLanguage } from '../locales';

export function LanguageSwitch({ size }: { size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  return (
    <Select<Lang>
      aria-label={t('lang.label')}
      size={size}
      value={currentLang()}
      onChange={(l) => void setLanguage(l)}
      prefix={<GlobalOutlined />}
      popupMatchSelectWidth={false}
      style={{ minWidth: 130 }}
      data-testid="lang-switch"
      options={LANGS.map((l) => ({ value: l, label: MESSAGES[l].lang[l] }))}
    />
  );
}
