import type { SurveysMenuMessages, SurveysMessages } from './surveys.zh-CN';
import type { Translation } from './types';

/** English — the surveys feature. */

export const surveysMenuEn: Translation<SurveysMenuMessages> = {
  surveys: 'Satisfaction surveys',
};

const surveysEn: Translation<SurveysMessages> = {};

export default surveysEn;
