import type { SurveysMenuMessages, SurveysMessages } from './surveys.zh-CN';
import type { Translation } from './types';

/** 繁體中文 — the surveys feature. */

export const surveysMenuZhTW: Translation<SurveysMenuMessages> = {
  surveys: '滿意度測評',
};

const surveysZhTW: Translation<SurveysMessages> = {};

export default surveysZhTW;
