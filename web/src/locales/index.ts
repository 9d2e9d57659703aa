import type { Locale as AntdLocale } from 'antd/es/locale';
import antdEn from 'antd/locale/en_US';
import antdZhCN from 'antd/locale/zh_CN';
import antdZhTW from 'antd/locale/zh_TW';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-tw';
import 'dayjs/locale/en';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en';
import zhCN, { type Messages } from './zh-CN';
import zhTW from './zh-TW';

export const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const STORAGE_KEY = 'rectify.lang';

export const ANTD_LOCALES: Record<Lang, AntdLocale> = { 'zh-CN': antdZhCN, 'zh-TW': antdZhTW, en: antdEn };
const DAYJS_LOCALES: Record<Lang, string> = { 'zh-CN': 'zh-cn', 'zh-TW': 'zh-tw', en: 'en' };
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

/** Maps one browser language tag to ours: zh-TW / zh-HK / zh-MO / zh-Hant → 繁體, other zh → 简体. */
export function langOfTag(tag: string): Lang | null {
  const t = tag.toLowerCase();
  if (/^zh-(tw|hk|mo)\b|^zh-hant/.test(t)) return 'zh-TW';
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}

/** Remembered choice first, then the browser's languages in order; English when none is Chinese. */
export function detectLanguage(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  } catch {
    // storage may be blocked; fall through to the browser's languages
  }
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const lang = tag ? langOfTag(tag) : null;
    if (lang) return lang;
  }
  return 'en';
}

function apply(lang: Lang) {
  dayjs.locale(DAYJS_LOCALES[lang]);
  document.documentElement.lang = lang;
  document.title = `${MESSAGES[lang].app.name} · Rectify`;
  // Plain links (template downloads) get their messages in the same language as the UI.
  // biome-ignore lint/suspicious/noDocumentCookie: a non-secret preference read by the server's locale negotiation
  document.cookie = `rectify_lang=${lang}; path=/; SameSite=Strict; max-age=31536000`;
}

export function currentLang(): Lang {
  const l = i18n.language;
  return (LANGS as readonly string[]).includes(l) ? (l as Lang) : 'zh-CN';
}

export async function setLanguage(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switch for this visit
  }
  apply(lang);
  await i18n.changeLanguage(lang);
}

const initial = detectLanguage();
apply(initial);
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'zh-TW': { translation: zhTW }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
