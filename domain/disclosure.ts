/**
 * 整改公开 (SPEC M15): the states of a disclosure item, the public allow-list projection, the
 * 简体→繁體 table and the public site's words. Pure; shared by server and web.
 *
 * Two kinds of item: the progress report of a round-unit after its period (定时+适时), drafted from
 * the ledger's figures, and typical problems exposed in numbered batches before the investigation
 * ends (先曝光、后查处).
 */
import { canTransition, rectificationRate } from './rectification.js';

export const DISCLOSURE_KINDS = ['report', 'typical'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];

export const DISCLOSURE_STATUSES = [
  'draft', // 草稿: the office edits the public wording
  'submitted', // 已报审: waiting for the leadership
  'approved', // 已审批: the leadership agreed; the office publishes it
  'published', // 已发布: on the public site and the feed
  'withdrawn', // 已撤回: off every public page at once; kept with the reason, never deleted
] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

export const DISCLOSURE_TRANSITIONS: Record<DisclosureStatus, readonly DisclosureStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['approved', 'draft', 'withdrawn'], // the leadership approves or returns it
  approved: ['published', 'withdrawn'],
  published: ['withdrawn'],
  withdrawn: [],
};

export function canMoveDisclosure(from: string, to: string): boolean {
  return canTransition(DISCLOSURE_TRANSITIONS, from as DisclosureStatus, to as DisclosureStatus);
}

/** Only a draft's wording may change: what the leadership approved is what is published. */
export const disclosureEditable = (status: string) => status === 'draft';

/** Ranks (职级) of a person named in a typical problem, lowest first. */
export const PERSON_RANKS = [
  'staff', // 科员及以下
  'section', // 乡科级
  'county', // 县处级
  'bureau', // 厅局级
  'province', // 省部级
] as const;
export type PersonRank = (typeof PERSON_RANKS)[number];
export const DEFAULT_NAME_RANK_FROM: PersonRank = 'county';

/** Whether a person's name may be published: at or above the configured rank. */
export function nameIsPublic(rank: string, from: string): boolean {
  const r = PERSON_RANKS.indexOf(rank as PersonRank);
  const f = PERSON_RANKS.indexOf(from as PersonRank);
  return r >= 0 && f >= 0 && r >= f;
}

/** 张三 → 张某: the surname only (two characters for the common compound surnames). */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '令狐',
  '慕容',
  '歐陽',
  '司馬',
];
export function maskName(name: string): string {
  const n = name.trim();
  if (!n) return '';
  const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
  const surname = compound ?? Array.from(n)[0]!;
  // A surname is a Han character; anything else (a Latin name, a code) keeps nothing of the name.
  return /^\p{Script=Han}+$/u.test(surname) ? `${surname}某` : '某';
}

// --- 简体 → 繁體 -------------------------------------------------------------------------------

/**
 * One character to one character, the common ones of government text. Characters with several
 * traditional forms by meaning (干 乾/幹, 里 裡/里, 台 台/臺, 准 准/準 …) are left alone: the office
 * stores and edits the 繁體 wording of each item; this table only proposes it and converts names
 * shown as stored (units, rounds) on the 繁體 pages.
 */
const PAIRS =
  '万萬与與专專业業丛叢东東丝絲两兩严嚴丧喪个個临臨为為丽麗举舉义義乌烏乐樂乔喬习習乡鄉书書买買乱亂争爭亏虧云雲亚亞产產亩畝亲親亿億仅僅从從仑侖仓倉仪儀们們价價众眾优優会會伟偉传傳伤傷伦倫伪偽体體佣傭侠俠侣侶侦偵侧側侨僑俭儉债債倾傾偿償储儲儿兒兑兌党黨兰蘭关關兴興养養兽獸内內册冊军軍农農冯馮冲衝决決况況冻凍净淨凉涼减減凑湊凤鳳凭憑凯凱击擊刘劉则則刚剛创創删刪别別剂劑剑劍剧劇劝勸办辦务務动動励勵劲勁劳勞势勢勋勳区區医醫华華协協单單卖賣卢盧卫衛却卻厂廠厅廳历歷厉厲压壓厌厭县縣参參双雙发發变變叙敘叶葉号號叹嘆吓嚇吕呂吗嗎启啟吴吳员員呜嗚响響问問团團园園围圍图圖圆圓圣聖场場坏壞块塊坚堅坛壇坝壩坟墳坠墜垄壟垒壘执執扩擴扫掃扬揚扰擾抚撫抢搶护護报報担擔拟擬拢攏拥擁择擇挂掛挤擠挥揮损損换換据據掷擲揽攬携攜摄攝摆擺摇搖撑撐敌敵数數斋齋斗鬥无無旧舊时時旷曠昙曇显顯晋晉晒曬晓曉暂暫术術机機杀殺杂雜权權条條来來杨楊极極构構枪槍柜櫃标標栏欄树樹样樣档檔桥橋梦夢检檢楼樓欢歡欧歐残殘毁毀毕畢气氣汇匯汉漢污汙汤湯沟溝没沒沪滬泪淚泽澤洁潔浅淺测測济濟浓濃涉涉润潤涨漲渐漸渔漁湾灣湿濕满滿滥濫灭滅灯燈灵靈灾災炉爐点點炼煉烂爛热熱焕煥爱愛爷爺牵牽犹猶状狀独獨狮獅猎獵献獻环環现現玛瑪琼瓊电電画畫畅暢疗療疮瘡疯瘋盖蓋盘盤监監盗盜睁睜矿礦码碼础礎确確礼禮祸禍离離种種积積称稱稳穩穷窮窃竊竞競笔筆笼籠筑築签簽简簡粮糧紧緊纠糾红紅纪紀约約级級纯純纲綱纳納纵縱纷紛纸紙纹紋线線练練组組细細织織终終绍紹经經结結绕繞绘繪给給络絡绝絕统統继繼绩績续續维維综綜绿綠缓緩编編缘緣缩縮缴繳网網罗羅罚罰罢罷职職联聯聪聰肃肅胁脅胜勝脉脈脑腦脚腳脱脫腊臘舆輿艰艱节節芦蘆苏蘇范範荣榮药藥莱萊获獲萧蕭营營虑慮虚虛虽雖蚀蝕衔銜补補表表装裝见見观觀规規视視览覽觉覺误誤设設访訪证證评評识識诉訴词詞译譯试試诗詩诚誠话話询詢该該详詳语語误誤说說请請诸諸诺諾读讀课課谁誰调調谅諒谈談谋謀谍諜谓謂谢謝谨謹谱譜贝貝负負贡貢财財责責贤賢败敗账賬货貨质質购購贯貫贴貼贵貴贷貸贸貿费費资資赋賦赔賠赖賴赛賽赞贊赶趕趋趨跃躍践踐轨軌转轉轮輪软軟轻輕载載较較辅輔辆輛辈輩辉輝输輸辖轄边邊达達迁遷过過运運还還这這进進远遠违違连連迟遲适適选選递遞逻邏遗遺邓鄧郑鄭邮郵酱醬释釋鉴鑒针針钟鐘钢鋼钱錢铁鐵银銀销銷锁鎖错錯锋鋒键鍵镇鎮长長门門闭閉问問闲閒间間闻聞阀閥阅閱队隊阳陽阴陰阵陣阶階际際陆陸陈陳险險随隨隐隱难難雾霧韦韋页頁顶頂项項顺順须須顾顧顿頓预預领領频頻题題颜顏额額风風飞飛饭飯馆館驱驅验驗骗騙体體鱼魚鸟鳥齐齊龙龍龟龜' +
  '类類审審批批准准汇匯报報况況题題护護监監督督查查处處罚罰纪紀检檢察察巡巡廉廉洁潔门門户戶规規章章制制办辦属屬责責问問讯訊记記录錄档檔库庫复復杂雜征徵询詢实實际際乡鄉镇鎮县縣市市厅廳厂廠员員队隊级級层層权權益益资資产產帐帳税稅贪貪腐腐违違纪紀败敗滥濫侵侵占佔挪挪骗騙补補偿償罚罰没沒还還拨撥款款项項购購货貨仓倉储儲运運输輸统統计計划劃进進展展况況';

export const HANT: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const chars = Array.from(PAIRS);
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const [s, t] = [chars[i]!, chars[i + 1]!];
    if (s !== t && !m.has(s)) m.set(s, t);
  }
  return m;
})();

/** 简体 → 繁體 by the table; characters not in it stay as they are. */
export function toHant(text: string): string {
  let out = '';
  for (const ch of text) out += HANT.get(ch) ?? ch;
  return out;
}

// --- the public site's languages and words -----------------------------------------------------

export const SITE_LANGS = ['zh-Hans', 'zh-Hant'] as const;
export type SiteLang = (typeof SITE_LANGS)[number];

/** ?lang= first (zh-Hant, zh-TW, zh-HK …), then Accept-Language; 简体 by default. */
export function siteLang(query: string | undefined, acceptLanguage: string | undefined): SiteLang {
  const hant = (tag: string) => /^zh[-_](hant|tw|hk|mo)\b/i.test(tag.trim());
  const hans = (tag: string) => /^zh([-_](hans|cn|sg))?\b/i.test(tag.trim()) && !hant(tag);
  if (query) {
    if (hant(query)) return 'zh-Hant';
    if (hans(query)) return 'zh-Hans';
  }
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (hant(tag)) return 'zh-Hant';
    if (hans(tag)) return 'zh-Hans';
  }
  return 'zh-Hans';
}

/** Words of the public site and of generated report text, per locale (the web app adds English). */
export const SITE_MESSAGES = {
  'zh-CN': {
    siteTitle: '巡察整改公开',
    skip: '跳到正文',
    searchLabel: '搜索公开内容',
    search: '搜索',
    kindAll: '全部',
    kind_report: '整改进展情况',
    kind_typical: '典型问题通报',
    kindLabel: '类别',
    results: '共 {n} 条',
    none: '没有找到公开内容。',
    prev: '上一页',
    next: '下一页',
    page: '第 {page} 页，共 {pages} 页',
    pagination: '分页',
    publishedOn: '发布日期',
    unit: '被巡察单位',
    round: '巡察轮次',
    batch: '第{n}批',
    batchLabel: '批次',
    channels: '发布渠道',
    figures: '整改数据',
    problemsTotal: '反馈问题',
    problemsRectified: '已整改问题',
    measuresTotal: '整改措施',
    measuresDone: '已完成措施',
    rate: '整改率',
    problemRate: '问题整改率',
    rulesEstablished: '建立完善制度',
    peopleHeld: '问责处理人数',
    casesFiled: '立案件数',
    fundsReturned: '追缴退还资金（元）',
    lossesRecovered: '挽回经济损失（元）',
    byCategory: '按问题类别',
    category: '问题类别',
    count: '问题数',
    rectifiedCount: '已整改',
    problemList: '问题整改情况',
    number: '编号',
    status: '状态',
    status_rectified: '已整改',
    status_rectifying: '整改中',
    persons: '涉及人员',
    print: '打印版',
    back: '返回列表',
    feed: '订阅（Atom）',
    lang: '语言',
    langHans: '简体',
    langHant: '繁體',
    notFound: '该内容不存在或已撤回。',
    reportTitle: '{unit}关于{round}整改进展情况的通报',
    reportLead:
      '{unit}{round}整改期满。反馈问题{problems}个，已整改{rectified}个；整改措施{measures}项，已完成{done}项，整改率{rate}。',
    ratePct: '{rate}%',
    rateNone: '—',
    footer: '本页面内容由巡察机构发布。',
  },
  'zh-TW': {
    siteTitle: '巡察整改公開',
    skip: '跳到正文',
    searchLabel: '搜尋公開內容',
    search: '搜尋',
    kindAll: '全部',
    kind_report: '整改進展情況',
    kind_typical: '典型問題通報',
    kindLabel: '類別',
    results: '共 {n} 條',
    none: '沒有找到公開內容。',
    prev: '上一頁',
    next: '下一頁',
    page: '第 {page} 頁，共 {pages} 頁',
    pagination: '分頁',
    publishedOn: '發布日期',
    unit: '被巡察單位',
    round: '巡察輪次',
    batch: '第{n}批',
    batchLabel: '批次',
    channels: '發布管道',
    figures: '整改數據',
    problemsTotal: '回饋問題',
    problemsRectified: '已整改問題',
    measuresTotal: '整改措施',
    measuresDone: '已完成措施',
    rate: '整改率',
    problemRate: '問題整改率',
    rulesEstablished: '建立完善制度',
    peopleHeld: '問責處理人數',
    casesFiled: '立案件數',
    fundsReturned: '追繳退還資金（元）',
    lossesRecovered: '挽回經濟損失（元）',
    byCategory: '按問題類別',
    category: '問題類別',
    count: '問題數',
    rectifiedCount: '已整改',
    problemList: '問題整改情況',
    number: '編號',
    status: '狀態',
    status_rectified: '已整改',
    status_rectifying: '整改中',
    persons: '涉及人員',
    print: '列印版',
    back: '返回列表',
    feed: '訂閱（Atom）',
    lang: '語言',
    langHans: '简体',
    langHant: '繁體',
    notFound: '該內容不存在或已撤回。',
    reportTitle: '{unit}關於{round}整改進展情況的通報',
    reportLead:
      '{unit}{round}整改期滿。回饋問題{problems}個，已整改{rectified}個；整改措施{measures}項，已完成{done}項，整改率{rate}。',
    ratePct: '{rate}%',
    rateNone: '—',
    footer: '本頁面內容由巡察機構發布。',
  },
  en: {
    siteTitle: 'Inspection rectification: public disclosure',
    skip: 'Skip to content',
    searchLabel: 'Search disclosures',
    search: 'Search',
    kindAll: 'All',
    kind_report: 'Progress report',
    kind_typical: 'Typical problems',
    kindLabel: 'Kind',
    results: '{n} items',
    none: 'Nothing found.',
    prev: 'Previous',
    next: 'Next',
    page: 'Page {page} of {pages}',
    pagination: 'Pagination',
    publishedOn: 'Published',
    unit: 'Inspected unit',
    round: 'Round',
    batch: 'Batch {n}',
    batchLabel: 'Batch',
    channels: 'Channels',
    figures: 'Figures',
    problemsTotal: 'Problems fed back',
    problemsRectified: 'Problems rectified',
    measuresTotal: 'Measures',
    measuresDone: 'Measures done',
    rate: 'Rectification rate',
    problemRate: 'Problem rectification rate',
    rulesEstablished: 'Rules established',
    peopleHeld: 'People held accountable',
    casesFiled: 'Cases filed',
    fundsReturned: 'Funds returned (yuan)',
    lossesRecovered: 'Losses recovered (yuan)',
    byCategory: 'By category',
    category: 'Category',
    count: 'Problems',
    rectifiedCount: 'Rectified',
    problemList: 'Problems and their status',
    number: 'No.',
    status: 'Status',
    status_rectified: 'Rectified',
    status_rectifying: 'In progress',
    persons: 'People concerned',
    print: 'Print view',
    back: 'Back to the list',
    feed: 'Subscribe (Atom)',
    lang: 'Language',
    langHans: '简体',
    langHant: '繁體',
    notFound: 'This item does not exist or was withdrawn.',
    reportTitle: '{unit}: rectification progress after {round}',
    reportLead:
      'The rectification period of {unit} ({round}) has ended. {rectified} of {problems} problems rectified; {done} of {measures} measures done; rectification rate {rate}.',
    ratePct: '{rate}%',
    rateNone: '—',
    footer: 'Published by the inspection office.',
  },
} as const;
export type SiteLocale = keyof typeof SITE_MESSAGES;
export type SiteMessageKey = keyof (typeof SITE_MESSAGES)['zh-CN'];

export const localeOfSiteLang = (lang: SiteLang): SiteLocale => (lang === 'zh-Hant' ? 'zh-TW' : 'zh-CN');

export function siteText(locale: SiteLocale, key: SiteMessageKey, params: Record<string, string | number> = {}) {
  const template: string = SITE_MESSAGES[locale][key];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

// --- the report's figures and the public projection --------------------------------------------

/** Figures of a round-unit at drafting time, from the ledger's summaries (its one definition). */
export interface ReportFigures {
  problems: number;
  rectifiedProblems: number;
  measures: number;
  doneMeasures: number;
  rulesEstablished: number;
  peopleHeldAccountable: number;
  casesFiled: number;
  fundsReturnedFen: string;
  lossesRecoveredFen: string;
}
export interface ReportSnapshot {
  figures: ReportFigures;
  categories: { code: string; labelHans: string; labelHant: string; problems: number; rectified: number }[];
  problems: { number: string; categoryCode: string; rectified: boolean }[];
}

export interface PersonNamed {
  name: string;
  post: string;
  rank: string;
}

/** Everything the server knows about an item: internal fields included. Only the projection reads it. */
export interface DisclosureSource {
  id: number;
  kind: string;
  status: string;
  titleHans: string;
  titleHant: string;
  bodyHans: string;
  bodyHant: string;
  unitName: string;
  roundName: string;
  batchNumber: number | null;
  batchTitleHans: string | null;
  batchTitleHant: string | null;
  publishedOn: string | null;
  snapshot: ReportSnapshot | null;
  persons: PersonNamed[];
  channels: { channel: string; publishedOn: string }[];
  [internal: string]: unknown;
}

export interface PublicPolicy {
  publishAmounts: boolean;
  nameRankFrom: string;
}

/** Allowed keys, per level: the test checks the projection answers nothing else. */
export const PUBLIC_KEYS = {
  item: [
    'id',
    'kind',
    'title',
    'body',
    'unitName',
    'roundName',
    'batchNumber',
    'batchTitle',
    'publishedOn',
    'channels',
    'figures',
    'categories',
    'problems',
    'persons',
  ],
  channel: ['channel', 'publishedOn'],
  figures: [
    'problems',
    'rectifiedProblems',
    'measures',
    'doneMeasures',
    'rate',
    'problemRate',
    'rulesEstablished',
    'peopleHeldAccountable',
    'casesFiled',
    'fundsReturned',
    'lossesRecovered',
  ],
  category: ['label', 'problems', 'rectified'],
  problem: ['number', 'category', 'rectified'],
  person: ['post', 'name'],
} as const;

export interface PublicDisclosure {
  id: number;
  kind: DisclosureKind;
  title: string;
  body: string;
  unitName: string;
  roundName: string;
  batchNumber: number | null;
  batchTitle: string | null;
  publishedOn: string;
  channels: { channel: string; publishedOn: string }[];
  figures: {
    problems: number;
    rectifiedProblems: number;
    measures: number;
    doneMeasures: number;
    rate: number | null;
    problemRate: number | null;
    rulesEstablished: number;
    peopleHeldAccountable: number;
    casesFiled: number;
    fundsReturned: string | null;
    lossesRecovered: string | null;
  } | null;
  categories: { label: string; problems: number; rectified: number }[];
  problems: { number: string; category: string; rectified: boolean }[];
  persons: { post: string; name: string }[];
}

/** 分 as a decimal string → 元 with two decimals, exactly (no floating point). */
export function fenToYuan(fen: string): string {
  const neg = fen.startsWith('-');
  const digits = (neg ? fen.slice(1) : fen).replace(/^0+(?=\d)/, '').padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The public view of a published item, built key by key from the allow-list: whatever else the
 * source holds (internal notes, who drafted it, problem descriptions, responsible people, evidence,
 * clue content) never reaches it. Names below the configured rank become 张某; amounts appear only
 * when the setting says so. Names of units and rounds are shown in the page's script.
 */
export function projectPublic(src: DisclosureSource, policy: PublicPolicy, lang: SiteLang): PublicDisclosure {
  const hant = lang === 'zh-Hant';
  const script = (s: string) => (hant ? toHant(s) : s);
  const snap = src.kind === 'report' ? src.snapshot : null;
  const f = snap?.figures;
  const labels = new Map(
    (snap?.categories ?? []).map((c) => [str(c.code), hant ? str(c.labelHant) : str(c.labelHans)]),
  );
  return {
    id: int(src.id),
    kind: src.kind === 'report' ? 'report' : 'typical',
    title: hant ? str(src.titleHant) : str(src.titleHans),
    body: hant ? str(src.bodyHant) : str(src.bodyHans),
    unitName: script(str(src.unitName)),
    roundName: script(str(src.roundName)),
    batchNumber: src.batchNumber === null ? null : int(src.batchNumber),
    batchTitle: src.batchNumber === null ? null : hant ? str(src.batchTitleHant) : str(src.batchTitleHans),
    publishedOn: str(src.publishedOn),
    channels: (src.channels ?? []).map((c) => ({ channel: script(str(c.channel)), publishedOn: str(c.publishedOn) })),
    figures: f
      ? {
          problems: int(f.problems),
          rectifiedProblems: int(f.rectifiedProblems),
          measures: int(f.measures),
          doneMeasures: int(f.doneMeasures),
          rate: rectificationRate(int(f.doneMeasures), int(f.measures)),
          problemRate: rectificationRate(int(f.rectifiedProblems), int(f.problems)),
          rulesEstablished: int(f.rulesEstablished),
          peopleHeldAccountable: int(f.peopleHeldAccountable),
          casesFiled: int(f.casesFiled),
          fundsReturned: policy.publishAmounts ? fenToYuan(str(f.fundsReturnedFen) || '0') : null,
          lossesRecovered: policy.publishAmounts ? fenToYuan(str(f.lossesRecoveredFen) || '0') : null,
        }
      : null,
    categories: (snap?.categories ?? []).map((c) => ({
      label: hant ? str(c.labelHant) : str(c.labelHans),
      problems: int(c.problems),
      rectified: int(c.rectified),
    })),
    problems: (snap?.problems ?? []).map((p) => ({
      number: script(str(p.number)),
      category: labels.get(str(p.categoryCode)) ?? '',
      rectified: p.rectified === true,
    })),
    persons:
      src.kind === 'typical'
        ? (src.persons ?? []).map((p) => ({
            post: script(str(p.post)),
            name: script(nameIsPublic(str(p.rank), policy.nameRankFrom) ? str(p.name) : maskName(str(p.name))),
          }))
        : [],
  };
}

/** The generated title and lead of a report, in a locale's words (three-language messages). */
export function reportWording(
  locale: SiteLocale,
  unit: string,
  round: string,
  f: Pick<ReportFigures, 'problems' | 'rectifiedProblems' | 'measures' | 'doneMeasures'>,
) {
  const rate = rectificationRate(f.doneMeasures, f.measures);
  const rateText =
    rate === null ? siteText(locale, 'rateNone') : siteText(locale, 'ratePct', { rate: rate.toFixed(1) });
  return {
    title: siteText(locale, 'reportTitle', { unit, round }),
    lead: siteText(locale, 'reportLead', {
      unit,
      round,
      problems: f.problems,
      rectified: f.rectifiedProblems,
      measures: f.measures,
      done: f.doneMeasures,
      rate: rateText,
    }),
  };
}
