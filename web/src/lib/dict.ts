import type { DictEntry } from '../api/types';
import { currentLang } from '../locales';

/** A dictionary entry's name in the UI language (data is shown as stored, in its own three columns). */
export function dictLabel(d: Pick<DictEntry, 'labelZhCn' | 'labelZhTw' | 'labelEn' | 'code'>): string {
  const lang = currentLang();
  const label = lang === 'en' ? d.labelEn : lang === 'zh-TW' ? d.labelZhTw : d.labelZhCn;
  return label || d.labelZhCn || d.code;
}
