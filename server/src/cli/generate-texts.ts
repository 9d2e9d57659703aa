/**
 * Word pools of the synthetic dataset (`npm run cli -- generate`): enough variety that a ledger
 * page, a text search and an export look like the real thing, built from small parts so that a
 * million rows cost little to make. Self-contained: the demo dataset has its own texts.
 */

/** A small deterministic generator (mulberry32): the same seed gives the same dataset. */
export class GenRandom {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** [0, 1) */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Picks by weight: `weights[i]` for `xs[i]`. */
  weighted<T>(xs: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < xs.length; i++) {
      x -= weights[i]!;
      if (x < 0) return xs[i]!;
    }
    return xs[xs.length - 1]!;
  }
  /** Shuffles `xs` in place (Fisher–Yates) and answers it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
  /** A log-uniform integer in [min, max]: many small amounts, a few large ones. */
  logUniform(min: number, max: number): number {
    return Math.round(Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min))));
  }
  /** base64url-like token of n characters. */
  token(n: number): string {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let s = '';
    for (let i = 0; i < n; i++) s += A[Math.floor(this.next() * 64)];
    return s;
  }
}

export const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 35 → 三十五 (up to 99). */
export function cnNumber(n: number): string {
  if (n <= 10) return CN_DIGITS[n]!;
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏飞鑫波海峰云林琳燕亮成东晓春雪梅丹辉永';

export function personName(r: GenRandom): string {
  const s = SURNAMES[r.int(0, SURNAMES.length - 1)]!;
  const g1 = GIVEN[r.int(0, GIVEN.length - 1)]!;
  return r.chance(0.6) ? s + g1 + GIVEN[r.int(0, GIVEN.length - 1)]! : s + g1;
}

const PLACE_A = '安宁平阳东西南北新永长兴丰华青白清河临昌泰宣云崇德瑞福江山宜嘉';
const PLACE_B = '宁平阳川江山城丰和兴源华林安溪庆德州南远化明泉乡';

/** A county-level place name: two characters and 县/市/区. */
export function placeName(i: number): string {
  const a = PLACE_A[i % PLACE_A.length]!;
  const b = PLACE_B[Math.floor(i / PLACE_A.length) % PLACE_B.length]!;
  const kind = ['县', '市', '区'][i % 3]!;
  return `${a}${b}${kind}`;
}

/** Departments and party organisations of a county or of the province, as inspected units. */
export const UNIT_DEPARTMENTS = [
  '发展和改革局',
  '教育体育局',
  '科技局',
  '工业和信息化局',
  '公安局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源局',
  '生态环境局',
  '住房和城乡建设局',
  '交通运输局',
  '水利局',
  '农业农村局',
  '商务局',
  '文化和旅游局',
  '卫生健康局',
  '退役军人事务局',
  '应急管理局',
  '审计局',
  '国有资产监督管理局',
  '市场监督管理局',
  '统计局',
  '医疗保障局',
  '林业和草原局',
  '乡村振兴局',
  '人民防空办公室',
  '供销合作社',
  '城市管理局',
  '总工会',
  '团委',
  '妇联',
  '人民医院',
  '第一中学',
  '城投集团有限公司',
  '水务集团有限公司',
  '融资担保有限公司',
  '人民法院',
  '人民检察院',
] as const;

/** Industry departments that supervise a sector (行业主管部门). */
export const INDUSTRY_DEPARTMENTS = [
  '省住房和城乡建设厅',
  '省交通运输厅',
  '省教育厅',
  '省卫生健康委员会',
  '省国有资产监督管理委员会',
  '省农业农村厅',
  '省财政厅',
  '省水利厅',
  '省自然资源厅',
  '省民政厅',
  '省文化和旅游厅',
  '省人民防空办公室',
] as const;

export const LEADER_POSTS = [
  '党组书记、局长',
  '党委书记',
  '党组副书记、副局长',
  '分管副局长',
  '纪检组长',
  '党委副书记',
];
export const DEPARTMENT_NAMES = ['办公室', '财务科', '人事科', '机关党委', '综合科', '规划科', '项目办', '审批科'];

export type CategoryCode =
  | 'party_leadership'
  | 'party_building'
  | 'strict_governance'
  | 'eight_point_rules'
  | 'formalism_bureaucratism'
  | 'personnel_selection'
  | 'ideology'
  | 'financial_management'
  | 'engineering_projects'
  | 'civil_air_defence';

/** The default problem categories (migration 0002) and how often each is found. */
export const CATEGORIES: readonly CategoryCode[] = [
  'party_leadership',
  'party_building',
  'strict_governance',
  'eight_point_rules',
  'formalism_bureaucratism',
  'personnel_selection',
  'ideology',
  'financial_management',
  'engineering_projects',
  'civil_air_defence',
];
export const CATEGORY_WEIGHTS = [12, 16, 12, 10, 10, 10, 8, 12, 8, 2];

/** The issue found, per category: the core of a problem description. */
export const ISSUES: Record<CategoryCode, readonly string[]> = {
  party_leadership: [
    '贯彻落实党中央决策部署不够坚决有力，部分重点任务推进缓慢',
    '党组（党委）会议“第一议题”制度执行不到位，学习流于形式',
    '落实意识形态和党建工作责任制有差距，研究部署不经常',
    '对上级巡视巡察反馈问题整改重视不够，部分问题反弹回潮',
    '重大事项请示报告制度执行不严格，存在先办后报情况',
    '服务保障全省发展大局的举措不多，履职尽责有短板',
  ],
  party_building: [
    '基层党组织建设薄弱，部分支部“三会一课”开展不经常',
    '党员发展和教育管理不规范，个别党员长期不参加组织生活',
    '党费收缴管理不严格，存在少交漏交情况',
    '民主生活会和组织生活会批评与自我批评辣味不足',
    '党支部书记抓党建述职评议考核流于形式',
    '基层党组织换届选举不及时，部分支部超期未换届',
  ],
  strict_governance: [
    '全面从严治党主体责任压得不实，层层传导压力递减',
    '廉政风险防控机制不健全，重点岗位监督管理薄弱',
    '对苗头性、倾向性问题抓早抓小不够，谈话提醒不经常',
    '“一岗双责”落实不到位，班子成员对分管领域廉政建设过问不多',
    '执纪问责偏宽偏软，对违规问题处理失之于宽',
  ],
  eight_point_rules: [
    '公务接待管理不规范，存在超标准接待和无公函接待问题',
    '公务用车管理使用不严格，存在公车私用情况',
    '违规发放津贴补贴，以各种名义发放福利',
    '会议费、培训费管理不规范，存在违规列支问题',
    '差旅费报销审核不严，存在超标准报销情况',
    '违规收送礼品礼金问题时有发生，纠治“四风”不彻底',
  ],
  formalism_bureaucratism: [
    '文山会海问题依然存在，部分会议重复召开、层层陪会',
    '督查检查考核过多过频，基层负担较重',
    '工作作风不实，调查研究走马观花，解决实际问题不多',
    '政务服务“最后一公里”不畅，群众办事多头跑',
    '台账材料过多，以留痕代替工作实绩',
  ],
  personnel_selection: [
    '干部选拔任用程序不规范，动议、考察环节把关不严',
    '干部档案管理不规范，“三龄两历一身份”审核不严',
    '违规超职数配备干部，超机构规格设置内设机构',
    '干部交流轮岗不到位，重点岗位人员长期不交流',
    '因私出国（境）证照管理不严格，集中保管制度落实不到位',
    '年轻干部培养选拔力度不够，干部队伍结构不合理',
  ],
  ideology: [
    '意识形态工作责任制落实不到位，阵地管理有漏洞',
    '网络舆情研判处置不及时，宣传思想工作创新不足',
    '理论学习中心组学习不规范，学习计划执行不到位',
    '新媒体平台管理不规范，信息发布审核把关不严',
  ],
  financial_management: [
    '财务管理制度不健全，大额资金使用未经集体研究',
    '专项资金使用管理不规范，存在挤占挪用问题',
    '国有资产管理不严格，资产账实不符、闲置浪费',
    '往来款项长期挂账未清理，债权债务底数不清',
    '政府采购程序不规范，存在化整为零规避招标情况',
    '非税收入未及时足额上缴，存在坐收坐支问题',
  ],
  engineering_projects: [
    '工程项目管理不规范，存在未批先建、边设计边施工问题',
    '工程变更签证管理不严，造价审核把关不严',
    '招投标监管不到位，存在围标串标风险',
    '工程款拨付审核不严，存在超进度支付问题',
    '项目竣工验收和决算审计滞后，部分项目长期未办理结算',
  ],
  civil_air_defence: [
    '人防工程易地建设费征收不到位，存在减免缓征不规范问题',
    '人防工程维护管理不到位，部分工程长期闲置',
    '人防工程平时开发利用收益管理不规范',
    '人防专项资金使用绩效不高，存在结余沉淀',
  ],
};

const DETAIL_PREFIX = ['经查，', '巡察发现，', '抽查发现，', '据统计，', '经核实，'];
const DETAIL_BODY = [
  '近三年有{n}个项目未按规定履行审批程序',
  '{year}年以来共有{n}笔支出未附合规票据',
  '抽查的{n}份档案中有多份存在信息不一致情况',
  '涉及金额{amount}万元',
  '有{n}名干部未按期完成交流轮岗',
  '{year}年召开的{n}次会议中有部分议题未形成纪要',
  '{n}个党支部未按要求开展主题党日活动',
  '有{n}项制度长期未修订完善',
];

/** A problem's description: the issue and a concrete finding. */
export function problemDescription(r: GenRandom, category: CategoryCode, year: number): string {
  const issue = r.pick(ISSUES[category]);
  const detail = r
    .pick(DETAIL_BODY)
    .replace('{n}', String(r.int(2, 48)))
    .replace('{year}', String(year - r.int(1, 3)))
    .replace('{amount}', (r.int(10, 9_000) / 10).toFixed(1));
  return `${issue}。${r.pick(DETAIL_PREFIX)}${detail}。`;
}

const MEASURE_VERBS = [
  '召开专题会议研究部署',
  '制定专项整改方案',
  '开展全面自查自纠',
  '组织专题学习培训',
  '建立问题整改台账',
  '修订完善相关制度',
  '开展专项清理整治',
  '建立常态化监督机制',
  '开展警示教育',
  '落实定期报告制度',
];
const MEASURE_OBJECTS: Record<CategoryCode, readonly string[]> = {
  party_leadership: ['第一议题学习制度', '重大事项请示报告制度', '重点任务落实清单', '党组议事规则'],
  party_building: ['三会一课记录', '党员教育管理台账', '党费收缴工作', '支部标准化建设'],
  strict_governance: ['廉政风险防控清单', '主体责任清单', '谈话提醒机制', '一岗双责履责记实'],
  eight_point_rules: ['公务接待管理办法', '公务用车使用登记', '津贴补贴发放清理', '会议培训费用审核'],
  formalism_bureaucratism: ['会议文件精简计划', '督查检查计划', '基层减负清单', '调查研究制度'],
  personnel_selection: ['干部选拔任用工作规程', '干部人事档案专项审核', '职数配备清理', '干部交流轮岗计划'],
  ideology: ['意识形态阵地台账', '网络舆情处置预案', '理论学习中心组学习计划', '新媒体发布审核制度'],
  financial_management: ['财务管理制度', '专项资金使用台账', '国有资产清查', '往来款项清理'],
  engineering_projects: ['工程项目审批台账', '工程变更签证管理办法', '招投标监管流程', '竣工决算审计'],
  civil_air_defence: ['人防易地建设费征收台账', '人防工程维护管理制度', '人防工程平时利用收益清查', '人防专项资金清理'],
};
const MEASURE_TAILS = [
  '，明确责任人和完成时限',
  '，逐项对账销号',
  '，形成长效机制',
  '，举一反三抓好整改',
  '，确保按期整改到位',
  '，整改情况向党组专题报告',
];

/** A measure's content: what will be done, on what, how. */
export function measureContent(r: GenRandom, category: CategoryCode): string {
  return `${r.pick(MEASURE_VERBS)}，${r.pick(MEASURE_VERBS.slice(5))}：${r.pick(MEASURE_OBJECTS[category])}${r.pick(MEASURE_TAILS)}。`;
}

export const FEEDBACK_OPENING =
  '根据省委统一部署，省委巡察组对你单位党组织开展了常规巡察。巡察组坚持以习近平新时代中国特色社会主义思想为指导，' +
  '聚焦坚持党的领导、加强党的建设、全面从严治党，深入查找问题。现将巡察发现的主要问题反馈如下，请认真抓好整改。';

/** The text a bench's text search looks for: a phrase in a few percent of the rows. */
export const SEARCH_PHRASE = '公务用车';

/** Short 整改进展 narratives of a period-end report, by the status reported. */
export const PROGRESS_NARRATIVES: Record<'completed' | 'in_progress' | 'not_started', readonly string[]> = {
  completed: [
    '已按期完成整改，相关制度已印发执行。',
    '已整改到位，佐证材料已归档备查。',
    '已完成整改，经党组（党委）会议审议通过。',
    '问题已整改完毕，建立台账逐项对账销号。',
    '已完成清理规范，举一反三开展自查。',
  ],
  in_progress: [
    '正在推进，已完成阶段性任务。',
    '已制定整改方案，正按时序推进。',
    '涉及多部门协调，正在加快推进。',
    '已完成初稿，待党组（党委）会议审议。',
    '正在组织清理核查，预计按期完成。',
  ],
  not_started: ['尚未启动，已明确责任人和完成时限。', '待上级政策明确后启动整改。'],
};

/** The summary of a generated period-end progress report. */
export const REPORT_SUMMARY = '整改期满，现将巡察反馈问题整改进展情况报告如下，逐项列明整改措施落实情况。';

/** What a unit writes when it applies for 销号, and the office's notes. */
export const CLOSURE_SUMMARIES = [
  '整改措施已全部落实，相关制度已印发执行，申请销号。',
  '问题已整改到位，佐证材料齐全，申请对账销号。',
  '已完成整改并建立长效机制，申请销号。',
] as const;
export const CLOSURE_VERIFY_NOTE = '经对账核实，整改到位，同意销号。';
export const RECHECK_PASSED_NOTE = '复查未发现问题反弹，整改成效巩固。';
