import type { MeasureType } from '../../../domain/rectification.js';
import type { Rng } from './demo-random.js';

/**
 * Text templates of the demo dataset: problems per category (as a 反馈意见 words them), measures per
 * category and type, with unit names, years, amounts and projects filled in. Amounts in the text are
 * the amounts recorded in the figures of the same measure, so that reading and counting agree.
 */

export const CATEGORIES = [
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
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The heading of each category's part of a feedback (反馈意见的“一、……方面”). */
export const SECTION_TITLES: Record<Category, string> = {
  party_leadership: '贯彻落实党的理论和路线方针政策及党中央、省委、市委重大决策部署方面',
  party_building: '落实新时代党的建设总要求方面',
  strict_governance: '落实全面从严治党战略部署方面',
  eight_point_rules: '落实中央八项规定精神方面',
  formalism_bureaucratism: '整治形式主义、官僚主义方面',
  personnel_selection: '选人用人和干部队伍建设方面',
  ideology: '落实意识形态工作责任制方面',
  financial_management: '财务管理和资金资产使用方面',
  engineering_projects: '工程项目建设管理方面',
  civil_air_defence: '人防工程建设和易地建设费征收管理方面',
};

export type Money = 'funds' | 'losses';

export interface TextCtx {
  rng: Rng;
  unit: string; // short name
  year: number; // the last full year before the inspection
  dept: string; // a department of the unit
  project: string;
  place: string;
}
export interface ProblemCtx extends TextCtx {
  amount: string; // formatted, e.g. 36.52万元
}
export interface ProblemTemplate {
  money?: Money;
  text: (c: ProblemCtx) => string;
}
export interface MeasureCtx extends TextCtx {
  rules: number; // rules established by this measure (0 while open)
  amount: string;
  people: number;
  cases: number;
  due: string; // e.g. 2018年8月底前
  doc: string; // a rules document
}
export type MeasureKind = 'rules' | 'funds' | 'losses' | 'account' | 'general';
export interface MeasureTemplate {
  kind: MeasureKind;
  text: (c: MeasureCtx) => string;
}

const n = (c: TextCtx, a: number, b: number) => c.rng.int(a, b);

export const PROBLEMS: Record<Category, ProblemTemplate[]> = {
  party_leadership: [
    {
      text: (c) =>
        `学习贯彻习近平新时代中国特色社会主义思想不够深入系统，${c.year}年党组理论学习中心组集中学习${n(c, 4, 7)}次，以传达文件、集体诵读为主，结合${c.unit}职能研讨交流不充分，学用结合不紧。`,
    },
    {
      text: (c) =>
        `贯彻落实党中央、省委和市委重大决策部署有差距，${c.year}年承担的${n(c, 8, 16)}项市委、市政府重点工作任务中，有${n(c, 2, 4)}项未按时序进度推进。`,
    },
    {
      text: (c) =>
        `“三重一大”事项集体决策制度执行不严格，${c.year}年有${n(c, 2, 6)}项重大事项未经党组会议研究即组织实施，个别事项先实施后补程序。`,
    },
    {
      text: (c) =>
        `“第一议题”制度落实不到位，${c.year}年党组会议传达学习上级重要会议和文件精神${n(c, 18, 40)}次，研究贯彻落实措施不具体，存在以会议贯彻会议、以文件落实文件的现象。`,
    },
    {
      text: (c) =>
        `履行主责主业不到位，服务全市高质量跨越式发展大局的思路不清、办法不多，${c.year}年${c.unit}牵头的${n(c, 3, 6)}项改革任务推进缓慢。`,
    },
    {
      text: (c) =>
        `聚焦群众急难愁盼问题不够，${c.year}年受理的${n(c, 120, 460)}件群众诉求和“12345”热线工单中，有${n(c, 9, 36)}件未按期办结，群众满意度不高。`,
    },
    {
      text: (c) =>
        `对上级巡视、审计反馈问题整改跟踪问效不够，${n(c, 2, 7)}个问题整改不彻底，存在“重部署、轻落实”现象。`,
    },
    {
      text: (c) =>
        `落实“放管服”改革要求有差距，${n(c, 3, 11)}项政务服务事项未按要求进驻市民服务中心，“一网通办”事项办理深度不够。`,
    },
    {
      text: (c) =>
        `落实“三湖”保护治理和生态文明建设要求担当不足，涉及${c.unit}职责的${n(c, 2, 5)}项任务推进不力，工作存在等靠思想。`,
    },
  ],
  party_building: [
    { text: (c) => `基层党组织建设薄弱，${n(c, 2, 6)}个党支部未按期换届，${n(c, 1, 3)}个党支部书记长期空缺。` },
    {
      text: (c) =>
        `“三会一课”制度落实不到位，抽查${n(c, 6, 12)}个党支部${c.year}年会议记录，有${n(c, 2, 5)}个支部党课次数不足、支委会研究党建工作少。`,
    },
    {
      text: (c) =>
        `发展党员工作不规范，抽查${n(c, 8, 20)}份党员发展材料，${n(c, 2, 6)}名发展对象培养考察期不足一年即被接收为预备党员，部分材料事后补签。`,
    },
    {
      text: (c) => `党费收缴管理不规范，${n(c, 6, 38)}名党员未按规定基数交纳党费，党费台账与交纳凭证不一致。`,
    },
    {
      text: (c) =>
        `${c.year}年度组织生活会和民主生活会质量不高，批评与自我批评“辣味”不足，班子成员相互提出的${n(c, 12, 30)}条批评意见多为工作建议，对照检查材料问题查摆不深。`,
    },
    { text: (c) => `党建与业务工作“两张皮”，${c.unit}党建工作考核指标设置不科学，党建工作成效难以体现在业务发展上。` },
    { text: (c) => `党员教育管理不严格，${n(c, 2, 9)}名流动党员长期未参加组织生活，组织关系转接不及时。` },
    { text: (c) => `民主评议党员流于形式，${c.year}年评议结果全部为“优秀”“合格”，未能起到教育激励作用。` },
    {
      text: (c) =>
        `机关党委（党总支）作用发挥不充分，专职党务干部配备不足，党务干部培训${c.year}年仅开展${n(c, 1, 2)}次。`,
    },
  ],
  strict_governance: [
    {
      text: (c) =>
        `党组落实全面从严治党主体责任不到位，${c.year}年仅召开${n(c, 1, 2)}次专题会议研究党风廉政建设工作，责任分解、检查考核流于形式。`,
    },
    {
      text: (c) =>
        `党组主要负责人履行第一责任人责任不到位，对班子成员和下属单位主要负责人开展廉政谈话不经常，${c.year}年仅开展${n(c, 1, 3)}次。`,
    },
    { text: (c) => `班子成员履行“一岗双责”不力，对分管领域廉政风险防控抓得不紧，${c.dept}等重点岗位存在廉政风险。` },
    {
      text: (c) =>
        `廉政风险点排查不全面，${n(c, 3, 8)}个重点岗位未制定防控措施，对审批、采购、资金拨付等关键环节监督不到位。`,
    },
    {
      text: (c) =>
        `执纪问责偏松偏软，${c.year - 2}年以来发现的${n(c, 3, 9)}起违规违纪问题仅作批评教育处理，监督执纪“四种形态”特别是第一种形态运用不经常。`,
    },
    { text: (c) => `内部监督制约机制不健全，${c.dept}人、财、物管理权力相对集中，存在“一人说了算”的风险。` },
    {
      text: (c) =>
        `对上一轮巡察和审计发现问题整改不彻底，${n(c, 2, 6)}个问题“挂账”未销号，存在以整改计划代替整改落实的现象。`,
    },
    {
      text: (c) =>
        `对下属单位和${c.dept}监督管理缺位，下属单位${n(c, 1, 3)}名干部因违纪问题受到处分，警示教育开展不经常。`,
    },
  ],
  eight_point_rules: [
    {
      money: 'funds',
      text: (c) => `违规发放津补贴，${c.year}年以“加班补助”“工作补贴”等名义违规发放津补贴${c.amount}。`,
    },
    {
      money: 'funds',
      text: (c) => `违规发放福利，${c.year}年节日期间以慰问名义向干部职工发放购物卡、实物，涉及金额${c.amount}。`,
    },
    {
      money: 'funds',
      text: (c) => `超标准报销差旅费，${n(c, 6, 40)}人次超标准报销住宿费、交通费，涉及金额${c.amount}。`,
    },
    {
      money: 'funds',
      text: (c) => `违规列支公务接待费，${c.year}年以工作餐名义列支餐费，无公函、无接待清单，涉及金额${c.amount}。`,
    },
    {
      text: (c) =>
        `公务接待管理不规范，抽查${c.year}年${n(c, 30, 90)}批次公务接待，有${n(c, 5, 20)}批次无公函、无接待清单，存在超标准、超范围接待。`,
    },
    {
      text: (c) =>
        `公务用车管理使用不规范，${n(c, 2, 6)}辆公务用车未按规定集中停放，派车单、行车记录不全，存在公车私用风险。`,
    },
    {
      text: (c) =>
        `以学习考察名义变相旅游，${c.year}年组织外出考察学习${n(c, 2, 5)}次，其中${n(c, 1, 2)}次绕道前往风景名胜区，行程与考察内容无关。`,
    },
    { text: (c) => `办公用房管理不规范，${n(c, 1, 4)}名领导干部办公用房面积超标准，腾退不及时。` },
    {
      text: (c) =>
        `会议费管理不规范，${c.year}年${n(c, 2, 6)}次会议在风景名胜区召开，会议费报销无会议通知、签到表等附件。`,
    },
  ],
  formalism_bureaucratism: [
    {
      text: (c) =>
        `文山会海问题突出，${c.year}年共印发文件${n(c, 180, 420)}份、召开会议${n(c, 90, 240)}次，部分会议重形式轻实效，增加基层负担。`,
    },
    {
      text: (c) =>
        `督查检查考核过多过频，${c.year}年要求基层报送各类报表材料${n(c, 40, 120)}份，部分报表内容重复，“痕迹管理”过度。`,
    },
    {
      text: (c) => `调查研究走过场，班子成员${c.year}年深入基层调研天数未达到规定要求，调研报告质量不高，成果转化少。`,
    },
    {
      text: (c) =>
        `工作作风漂浮，对群众反映的问题推诿扯皮，${n(c, 3, 14)}件信访事项超期未办结，部分答复“以文件回复文件”。`,
    },
    { text: (c) => `制定政策措施脱离实际，${n(c, 2, 5)}项政策文件出台后缺乏配套措施，落地见效不明显。` },
    { text: (c) => `工作推进“上热中温下冷”，对${c.unit}重点工作部署多、检查少，存在以会议落实会议的现象。` },
  ],
  personnel_selection: [
    {
      text: (c) =>
        `干部选拔任用程序不规范，抽查${n(c, 8, 24)}名干部任用档案，有${n(c, 2, 6)}人动议、民主推荐环节记录不全。`,
    },
    {
      text: (c) => `干部人事档案管理不规范，${n(c, 5, 30)}份档案存在“三龄二历一身份”认定不准确、材料缺失等问题。`,
    },
    { text: (c) => `领导干部个人有关事项报告不如实，${n(c, 1, 4)}名领导干部漏报房产、投资等事项。` },
    { text: (c) => `干部队伍结构不合理，年轻干部储备不足，35岁以下科级干部仅${n(c, 1, 4)}名，干部队伍断层明显。` },
    { text: (c) => `干部交流轮岗不到位，${n(c, 2, 7)}名干部在${c.dept}等重点岗位任职超过${n(c, 6, 10)}年未交流。` },
    { text: (c) => `编外人员管理不规范，超编制聘用编外人员${n(c, 3, 15)}名，部分编外人员从事执法、审批等工作。` },
    {
      text: (c) =>
        `干部考核评价不精准，${c.year - 2}至${c.year}年度考核“优秀”等次存在轮流坐庄现象，考核结果运用不充分。`,
    },
    { text: (c) => `干部因私出国（境）证照管理不严格，${n(c, 1, 5)}本证照未按规定集中保管。` },
  ],
  ideology: [
    {
      text: (c) =>
        `落实意识形态工作责任制不到位，党组${c.year}年仅专题研究意识形态工作${n(c, 1, 2)}次，意识形态工作未纳入班子成员述职述廉内容。`,
    },
    {
      text: (c) =>
        `意识形态阵地管理不严，${c.unit}门户网站、微信公众号信息发布“三审三校”制度落实不到位，${c.year}年出现${n(c, 2, 6)}次信息发布差错。`,
    },
    { text: (c) => `网络舆情应对处置机制不健全，对${c.year}年发生的${n(c, 1, 4)}起网络舆情研判处置不及时。` },
    { text: (c) => `意识形态领域风险研判不经常，${c.year}年未按要求开展意识形态领域形势分析研判。` },
    { text: (c) => `对讲座、论坛、报告会等意识形态阵地审核把关不严，${n(c, 1, 3)}场活动未履行审批程序。` },
  ],
  financial_management: [
    {
      money: 'funds',
      text: (c) => `非税收入未及时足额上缴财政，截至${c.year}年底滞留非税收入${c.amount}。`,
    },
    {
      money: 'funds',
      text: (c) => `专项资金使用不规范，挤占挪用${c.place}相关专项资金${c.amount}用于弥补办公经费。`,
    },
    { money: 'funds', text: (c) => `违规出借资金，${c.year}年未经集体研究向关联单位出借资金${c.amount}，至今未收回。` },
    {
      money: 'losses',
      text: (c) =>
        `国有资产管理混乱，${n(c, 2, 9)}处房产长期闲置或低价出租，未按规定公开招租，造成国有资产损失${c.amount}。`,
    },
    {
      money: 'losses',
      text: (c) => `应收未收款项长期挂账，截至${c.year}年底应收未收租金、往来款${c.amount}，清收不力。`,
    },
    {
      text: (c) => `财务管理制度执行不严格，${c.year}年${n(c, 12, 60)}笔支出无审批手续或审批手续不全，原始凭证不规范。`,
    },
    {
      text: (c) =>
        `政府采购不规范，${n(c, 2, 6)}个项目化整为零规避公开招标，${n(c, 1, 3)}个项目未按规定履行政府采购程序。`,
    },
    { text: (c) => `预算执行进度缓慢，${c.year}年项目支出预算执行率仅${n(c, 48, 72)}%，部分资金沉淀闲置。` },
    { text: (c) => `公务卡强制结算目录执行不到位，${c.year}年${n(c, 20, 90)}笔应使用公务卡结算的支出以现金支付。` },
  ],
  engineering_projects: [
    {
      money: 'losses',
      text: (c) => `工程款支付不规范，${c.project}超进度支付工程款，多支付${c.amount}，造成资金损失风险。`,
    },
    {
      money: 'losses',
      text: (c) => `工程变更签证管理不规范，${c.project}设计变更未经审批，增加投资${c.amount}。`,
    },
    {
      money: 'losses',
      text: (c) => `工程结算审核把关不严，${c.project}结算多计工程量，多结算工程款${c.amount}。`,
    },
    { text: (c) => `${c.project}未批先建，项目用地、规划手续不全即开工建设。` },
    {
      text: (c) =>
        `工程项目管理不规范，${n(c, 2, 7)}个项目存在先施工后招标、未按规定签订合同等问题，工程建设领域廉政风险突出。`,
    },
    { text: (c) => `项目竣工决算滞后，${n(c, 3, 12)}个已完工项目未按规定办理竣工决算和资产移交。` },
  ],
  civil_air_defence: [
    {
      money: 'funds',
      text: (c) => `${c.project}人防工程建设项目应收未收防空地下室易地建设费${c.amount}。`,
    },
    { money: 'funds', text: (c) => `违规减免${c.project}防空地下室易地建设费${c.amount}。` },
    {
      money: 'funds',
      text: (c) => `${c.project}应建未建防空地下室，应缴未缴易地建设费${c.amount}。`,
    },
    {
      money: 'funds',
      text: (c) => `易地建设费征收标准执行不严格，${c.project}按低标准征收，少征易地建设费${c.amount}。`,
    },
    { money: 'funds', text: (c) => `缓缴易地建设费审批不规范，${c.project}缓缴期满后未追缴，欠缴${c.amount}。` },
    { text: (c) => `人防工程竣工验收备案不规范，${c.project}结建人防工程未经竣工验收即投入使用。` },
    { text: (c) => `人防工程平时使用管理不规范，${c.project}人防工程被挪作他用，维护管理责任不落实。` },
  ],
};

/** Sentences a feedback adds to a problem to say where or how it showed (one in two problems). */
export const DETAILS: readonly ((c: TextCtx) => string)[] = [
  (c) => `巡察抽查发现，${c.dept}相关问题较为集中。`,
  (c) => `对${c.year - 1}年以来出现的同类问题未举一反三、建章立制。`,
  () => `班子成员对此认识不足，未提交党组（党委）会议专题研究。`,
  (c) => `巡察期间收到反映该问题的信访举报${n(c, 2, 9)}件。`,
  (c) => `${c.year - 1}年审计已指出该问题，但未整改到位。`,
  (c) => `涉及${c.dept}等${n(c, 2, 4)}个科室（部门）。`,
  () => `干部职工对此反映较多，个别谈话中多人提及。`,
  (c) => `${c.unit}对此问题长期“挂账”，未明确整改时限。`,
];

const GENERIC: Record<MeasureType, MeasureTemplate[]> = {
  immediate: [
    {
      kind: 'general',
      text: () => `召开党组（党委）会议专题研究该问题，逐项明确整改责任领导、责任部门和完成时限，立行立改。`,
    },
    { kind: 'general', text: (c) => `由${c.dept}立即开展自查自纠，建立问题整改台账，实行清单化、销号式管理。` },
    { kind: 'general', text: () => `对相关责任人进行提醒谈话，责令作出书面检查，举一反三查找同类问题。` },
    { kind: 'general', text: (c) => `立即对${c.dept}相关台账资料进行清理核查，${c.due}完成。` },
    { kind: 'general', text: (c) => `${c.due}完成自查自纠，对发现的问题当即纠正，整改结果书面报告巡察组。` },
  ],
  deadline: [
    { kind: 'general', text: (c) => `对照问题逐项梳理原因，${c.due}完成整改并形成整改情况报告报市委巡察办。` },
    { kind: 'general', text: (c) => `组织${c.dept}开展专项检查，对发现的问题逐一整改到位，${c.due}完成。` },
    { kind: 'general', text: (c) => `${c.due}完成问题整改，整改结果在${c.unit}内部公示。` },
    { kind: 'general', text: (c) => `对${c.year}年以来的同类问题开展“回头看”，${c.due}完成整改并建立台账。` },
    { kind: 'general', text: (c) => `制定专项整改方案，明确时间表、路线图，${c.due}完成。` },
    { kind: 'general', text: (c) => `主动向联系监督检查室报告整改进展，${c.due}完成整改。` },
  ],
  long_term: [
    { kind: 'general', text: () => `将该项工作纳入年度目标责任考核，定期督促检查，防止问题反弹，巩固整改成效。` },
    { kind: 'general', text: () => `每季度开展一次自查，向党组（党委）报告整改成果巩固情况，长期坚持。` },
    { kind: 'general', text: (c) => `${c.unit}领导班子每半年听取一次整改情况汇报，持续巩固整改成果。` },
    { kind: 'general', text: () => `将整改落实情况纳入年度述职述廉和民主生活会对照检查内容，长期坚持。` },
    { kind: 'general', text: (c) => `结合${c.year + 1}年度工作要点统筹推进，定期报告整改成效。` },
  ],
};

const rulesText = (c: MeasureCtx, verb: string) =>
  c.rules > 1 ? `${verb}${c.doc}等${c.rules}项制度` : c.rules === 1 ? `${verb}${c.doc}` : `${verb}${c.doc}等制度`;

const SPECIFIC: Record<Category, Partial<Record<MeasureType, MeasureTemplate[]>>> = {
  party_leadership: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '修订完善')}，制定年度学习计划，${c.due}完成。` },
      { kind: 'general', text: (c) => `对未按时序推进的重点任务逐项倒排工期、挂图作战，${c.due}全部推进到位。` },
    ],
    long_term: [
      { kind: 'rules', text: (c) => `${rulesText(c, '建立')}，把“第一议题”学习和研究落实结合起来，长期坚持。` },
      { kind: 'rules', text: (c) => `${rulesText(c, '健全')}，重大事项一律提交党组会议集体研究决定。` },
    ],
  },
  party_building: {
    deadline: [
      { kind: 'general', text: (c) => `${c.due}完成到期党支部换届选举，配齐配强党支部书记。` },
      { kind: 'rules', text: (c) => `${rulesText(c, '制定')}，每季度对“三会一课”落实情况检查通报一次。` },
      { kind: 'general', text: (c) => `开展党费收缴专项清理，${c.due}督促相关党员按规定补交党费。` },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '建立健全')}，推动党建与业务工作深度融合，长期坚持。` }],
  },
  strict_governance: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '制定')}，签订党风廉政建设责任书，${c.due}完成。` },
      { kind: 'account', text: (c) => accountText(c) },
      { kind: 'general', text: (c) => `对${c.dept}等重点岗位开展廉政风险排查，${c.due}制定防控措施。` },
    ],
    long_term: [
      { kind: 'rules', text: (c) => `${rulesText(c, '完善')}，每半年听取一次班子成员履行“一岗双责”情况汇报。` },
    ],
  },
  eight_point_rules: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '修订完善')}，严格执行公务接待、公务用车审批程序，${c.due}完成。` },
      { kind: 'account', text: (c) => accountText(c) },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '建立')}，节假日前开展廉政提醒，持续纠治“四风”问题。` }],
  },
  formalism_bureaucratism: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '制定')}，严格控制发文数量和会议规模，${c.due}完成。` },
      { kind: 'general', text: (c) => `清理合并各类报表，${c.due}前将报送基层的报表精简三分之一以上。` },
      { kind: 'account', text: (c) => accountText(c) },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '建立')}，常态化开展为基层减负监测。` }],
  },
  personnel_selection: {
    deadline: [
      { kind: 'general', text: (c) => `对干部人事档案开展专项审核，${c.due}完成问题档案的补充、更正和认定。` },
      { kind: 'rules', text: (c) => `${rulesText(c, '修订')}，规范动议、推荐、考察、讨论决定各环节，${c.due}完成。` },
      { kind: 'account', text: (c) => accountText(c) },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '制定')}，有计划地开展重点岗位干部交流轮岗。` }],
  },
  ideology: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '修订')}，明确信息发布审核责任人，${c.due}完成。` },
      {
        kind: 'general',
        text: (c) => `${c.due}前召开党组会议专题研究意识形态工作，开展一次意识形态领域形势分析研判。`,
      },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '健全')}，每半年专题研究一次意识形态工作，长期坚持。` }],
  },
  financial_management: {
    deadline: [
      { kind: 'rules', text: (c) => `${rulesText(c, '修订完善')}，规范支出审批程序，${c.due}完成。` },
      { kind: 'general', text: (c) => `${c.due}前完成往来款项专项清理，对长期挂账款项逐笔核实处理。` },
      { kind: 'account', text: (c) => accountText(c) },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '建立')}，每年开展一次内部审计，长期坚持。` }],
  },
  engineering_projects: {
    deadline: [
      { kind: 'general', text: (c) => `补办${c.project}相关审批手续，${c.due}完成竣工决算审计。` },
      { kind: 'rules', text: (c) => `${rulesText(c, '制定')}，规范招投标、变更签证和工程款支付，${c.due}完成。` },
    ],
    long_term: [{ kind: 'rules', text: (c) => `${rulesText(c, '建立')}，对在建项目实行全过程跟踪审计。` }],
  },
  civil_air_defence: {
    deadline: [
      { kind: 'general', text: (c) => `对${c.project}结建人防工程组织补充验收，${c.due}完成竣工验收备案。` },
      { kind: 'rules', text: (c) => `${rulesText(c, '制定')}，易地建设费征收、减免、缓缴一律集体研究，${c.due}完成。` },
    ],
    long_term: [
      {
        kind: 'rules',
        text: (c) => `${rulesText(c, '建立')}，建立易地建设费征收台账，每季度与住建、自然资源部门对账。`,
      },
    ],
  },
};

function accountText(c: MeasureCtx): string {
  const people = c.people > 0 ? `对${c.people}名相关责任人严肃问责` : '对相关责任人严肃问责';
  const cases = c.cases > 0 ? `，移送市纪委市监委立案审查调查${c.cases}件` : '';
  return `深入查找问题根源，${people}${cases}，${c.due}完成，以案促改。`;
}

/** The measure that recovers the money a problem names (追缴、清退、追回). */
export const MONEY_MEASURES: Record<Money, Partial<Record<Category, MeasureTemplate[]>>> = {
  funds: {
    eight_point_rules: [
      { kind: 'funds', text: (c) => `责令相关人员${c.due}清退违规发放、报销的款项${c.amount}，缴入单位财务账户。` },
      { kind: 'funds', text: (c) => `立即清退违规资金${c.amount}，对相关责任人进行诫勉谈话。` },
    ],
    financial_management: [
      { kind: 'funds', text: (c) => `${c.due}将${c.amount}足额收回并上缴国库，严格执行“收支两条线”。` },
      { kind: 'funds', text: (c) => `收回违规使用的资金${c.amount}，归还原资金渠道，${c.due}完成。` },
    ],
    civil_air_defence: [
      { kind: 'funds', text: (c) => `向建设单位下达缴费通知，${c.due}追缴易地建设费${c.amount}并全额缴入国库。` },
      { kind: 'funds', text: (c) => `撤销违规减免决定，依法追缴易地建设费${c.amount}，${c.due}完成。` },
      { kind: 'funds', text: (c) => `会同住建、自然资源部门联合催缴，清缴易地建设费${c.amount}。` },
    ],
  },
  losses: {
    financial_management: [
      { kind: 'losses', text: (c) => `成立清收专班，${c.due}收回应收款项${c.amount}，挽回经济损失。` },
      { kind: 'losses', text: (c) => `对闲置资产公开招租、依法追收，挽回经济损失${c.amount}，${c.due}完成。` },
    ],
    engineering_projects: [
      { kind: 'losses', text: (c) => `委托第三方开展结算审计，追回多支付的工程款${c.amount}，${c.due}完成。` },
      { kind: 'losses', text: (c) => `通过结算审核审减工程造价，挽回经济损失${c.amount}。` },
    ],
  },
};

/** A measure that only says how the work is done (no rules, money or accountability in it). */
export function genericTemplate(type: MeasureType, rng: Rng): MeasureTemplate {
  return rng.pick(GENERIC[type]);
}

/** Measure templates for one category and type (specific first, generic added for variety). */
export function measureTemplates(category: Category, type: MeasureType): MeasureTemplate[] {
  return [...(SPECIFIC[category][type] ?? []), ...GENERIC[type]];
}

/** Rules documents by category (建章立制). */
export const RULE_DOCS: Record<Category, readonly string[]> = {
  party_leadership: [
    '《党组理论学习中心组学习制度》',
    '《党组工作规则》',
    '《“三重一大”事项集体决策制度》',
    '《“第一议题”学习制度》',
  ],
  party_building: [
    '《“三会一课”制度落实督查办法》',
    '《发展党员工作规程》',
    '《党费收缴使用管理办法》',
    '《党支部工作考核办法》',
  ],
  strict_governance: [
    '《落实全面从严治党主体责任清单》',
    '《班子成员“一岗双责”责任清单》',
    '《廉政风险防控管理办法》',
    '《党风廉政建设责任制考核办法》',
  ],
  eight_point_rules: [
    '《公务接待管理办法》',
    '《公务用车管理办法》',
    '《差旅费管理办法》',
    '《会议费管理办法》',
    '《津贴补贴发放管理办法》',
  ],
  formalism_bureaucratism: [
    '《精文简会实施办法》',
    '《督查检查考核事项计划管理办法》',
    '《领导班子成员基层联系点制度》',
  ],
  personnel_selection: [
    '《干部选拔任用工作规程》',
    '《干部人事档案管理办法》',
    '《干部交流轮岗实施办法》',
    '《编外人员管理办法》',
  ],
  ideology: ['《意识形态工作责任制实施细则》', '《网站及新媒体信息发布审核制度》', '《网络舆情应对处置办法》'],
  financial_management: [
    '《财务管理制度》',
    '《政府采购内部控制制度》',
    '《国有资产管理办法》',
    '《往来款项清理管理办法》',
  ],
  engineering_projects: ['《工程项目管理办法》', '《工程变更签证管理办法》', '《工程款支付审核制度》'],
  civil_air_defence: [
    '《人防工程易地建设费征收管理办法》',
    '《人防工程竣工验收备案工作规程》',
    '《人防工程平时使用管理办法》',
  ],
};

/** Places of 玉溪 for project names. */
export const PLACES = [
  '聂耳路',
  '红塔大道',
  '九龙片区',
  '东风水库',
  '玉溪大河',
  '北城',
  '春和',
  '研和',
  '高仓',
  '大营街',
  '州城',
  '龙泉',
  '宁州',
  '秀山',
  '抚仙湖径流区',
  '星云湖',
  '杞麓湖',
  '九溪',
  '凤凰路',
  '珊瑚路',
];
const ESTATES = ['花园', '小区', '商业广场', '城市综合体', '家园', '公馆', '学府', '商住楼', '御景苑', '新城'];
const ESTATE_NAMES = [
  '锦绣',
  '阳光',
  '滨湖',
  '湖畔',
  '东风',
  '玉兴',
  '九龙',
  '凤凰',
  '龙泉',
  '书香',
  '碧水',
  '世纪',
  '翠湖',
  '春和',
  '金色',
];
const WORKS = [
  '道路提升改造工程',
  '片区棚户区改造项目',
  '污水处理厂提标改造工程',
  '综合管廊项目',
  '办公业务用房维修改造项目',
  '河道综合治理工程',
  '教学综合楼建设项目',
  '门急诊综合楼建设项目',
];

export function estateProject(rng: Rng, county: string): string {
  return `${county}${rng.pick(ESTATE_NAMES)}${rng.pick(ESTATES)}项目`;
}
export function worksProject(rng: Rng): string {
  return `${rng.pick(PLACES)}${rng.pick(WORKS)}`;
}

const SURNAMES =
  '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢普施钱段字者陆严孔';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国红梅志海燕云波辉鹏飞俊斌宇婷雪琳浩然春松晓东文学庆林丹萍亮坤';

export function personName(rng: Rng): string {
  const given = rng.chance(0.55) ? rng.pick([...GIVEN]) + rng.pick([...GIVEN]) : rng.pick([...GIVEN]);
  return rng.pick([...SURNAMES]) + given;
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 12 → 十二, 25 → 二十五 (up to 99). */
export function cnNumber(v: number): string {
  if (v < 10) return CN_DIGITS[v]!;
  const tens = Math.floor(v / 10);
  const ones = v % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

/** An amount in 分 as the documents write it: 万元 above ten thousand 元, else 元; exact. */
export function amountText(fen: bigint): string {
  const yuan = fen / 100n;
  const cents = fen % 100n;
  if (yuan >= 10_000n) {
    const wan = yuan / 10_000n;
    const rest = `${String(yuan % 10_000n).padStart(4, '0')}${String(cents).padStart(2, '0')}`.replace(/0+$/, '');
    return `${wan}${rest ? `.${rest}` : ''}万元`;
  }
  return `${yuan}${cents ? `.${String(cents).padStart(2, '0').replace(/0$/, '')}` : ''}元`;
}

/** '2018-08-31' → '2018年8月底前' (a measure's deadline as written in a 整改方案). */
export function dueText(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return Number(d) >= 25 ? `${y}年${m}月底前` : `${y}年${m}月${d}日前`;
}

// ── 整改进展报告, 对账销号 and 复查 (issue 4) ─────────────────────────────────────────────────────

/** What a progress narrative, a closure application or a note knows of its measure. */
export interface ProgressTextCtx {
  rng: Rng;
  unit: string; // short name
  kind: MeasureKind;
  type: MeasureType;
  doc: string;
  rules: number;
  amount: string; // formatted, e.g. 36.52万元
  people: number;
  cases: number;
  completedOn: string | null;
  deadline: string;
}

function dateText(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** What was done, as a unit reports a finished measure: the outcome its figures record. */
function outcome(c: ProgressTextCtx): string {
  switch (c.kind) {
    case 'rules':
      return c.rules > 1
        ? `制定（修订）《${c.doc}》等${c.rules}项制度，经党组（党委）会议审议通过后印发执行`
        : `修订完善《${c.doc}》，经党组（党委）会议审议通过后印发执行`;
    case 'funds':
      return `督促相关单位和个人退缴（清缴）违规资金${c.amount}，已全额缴入财政专户`;
    case 'losses':
      return `通过追缴、协商等方式挽回经济损失${c.amount}`;
    case 'account':
      return c.cases > 0
        ? `对${c.people}名相关责任人进行追责问责，其中立案审查${c.cases}人`
        : `对${c.people}名相关责任人进行批评教育、诫勉谈话等处理`;
    default:
      return c.rng.pick([
        '召开专题会议研究部署，逐项明确责任人和完成时限，已按要求整改到位',
        '对照问题开展全面自查，建立问题台账，逐项对账销号',
        '组织相关科室开展专项清理，整改情况已在班子会议上通报',
        '完善工作流程和审批程序，相关资料已整理归档',
        '举一反三开展排查，对发现的同类问题一并整改',
      ]);
  }
}

/** A progress report item's narrative (整改进展情况), by the status reported at the report's date. */
export function progressNarrative(c: ProgressTextCtx, reported: string): string {
  if (reported === 'not_started')
    return c.rng.pick([
      `该项措施尚未启动。已明确分管领导和责任科室，计划于${dueText(c.deadline)}完成。`,
      '该项措施涉及上级政策调整，待相关文件下发后启动，已列入下一阶段整改计划。',
    ]);
  if (reported === 'in_progress') {
    if (c.type === 'long_term')
      return c.rng.pick([
        '长期坚持事项。已建立常态化工作机制，每季度专题研究一次，阶段性成效已在班子会议上通报，将持续推进。',
        '长期坚持事项。已制定年度工作计划并分解到科室，定期督促检查，按季度报告落实情况。',
      ]);
    return c.rng.pick([
      `正在推进。已制定具体整改方案，完成前期清理核查，剩余工作正按时序推进，预计${dueText(c.deadline)}完成。`,
      '正在推进。涉及多个部门协调，已召开专题协调会明确分工，目前已完成阶段性任务。',
      `正在推进。相关制度已形成初稿，正在征求意见，拟提交党组（党委）会议审议后印发，预计${dueText(c.deadline)}完成。`,
    ]);
  }
  const on = c.completedOn ? `${dateText(c.completedOn)}已完成。` : '已完成。';
  const tail =
    reported === 'closed'
      ? '经市委巡察办和联系监督单位对账核实，已销号。'
      : reported === 'closure_requested'
        ? '已申请对账销号。'
        : c.rng.pick([
            '佐证材料已整理归档备查。',
            '整改情况已向党组（党委）专题报告。',
            '将持续巩固整改成效，防止问题反弹。',
          ]);
  return `${on}${outcome(c)}。${tail}`;
}

/** The summary of a period-end report (整改进展情况报告的总体情况). */
export function reportSummary(
  unit: string,
  counts: { problems: number; measures: number; done: number; open: number },
  period: 'period_end' | 'quarterly',
): string {
  const head =
    period === 'period_end'
      ? `${unit}党组（党委）坚决扛起巡察整改主体责任，成立由主要负责同志任组长的整改工作领导小组，对照反馈问题建立问题清单、责任清单、任务清单，逐项明确责任领导、责任科室和完成时限。`
      : `${unit}按季度报告长期坚持事项和未完成事项的推进情况。`;
  return `${head}截至本期，${counts.problems}个问题共${counts.measures}项整改措施中，已完成${counts.done}项，正在推进${counts.open}项。下一步，将持续抓好未完成事项的整改落实，做到问题不解决不松劲、整改不到位不销号。`;
}

/** What a unit writes when it applies for 销号. */
export function closureSummary(c: ProgressTextCtx, files: boolean): string {
  const evidence = files ? '相关佐证材料附后' : '纸质佐证材料已报市委巡察办存档';
  return `该项整改措施已于${c.completedOn ? dateText(c.completedOn) : '近期'}完成：${outcome(c)}。经单位党组（党委）审核，整改到位，${evidence}，申请对账销号。`;
}

export const OFFICE_VERIFY_NOTES = [
  '经对账核实，整改措施已落实，佐证材料齐全，同意销号。',
  '经查阅资料、实地核查，整改到位，同意销号。',
  '整改情况与台账一致，同意销号。',
] as const;
export const SUPERVISOR_VERIFY_NOTES = [
  '经日常监督了解，整改情况属实，同意销号。',
  '结合日常监督情况核实，整改到位，同意。',
  '已核实，无异议。',
] as const;
export const DECISION_NOTES = ['经巡察办和联系监督单位对账核实，同意销号。', '对账无误，予以销号。'] as const;
export const RECHECK_NOTES = [
  '复查：制度执行到位，未发现问题反弹。',
  '复查：整改成效巩固，长效机制运行正常。',
  '“回头看”复查：相关问题未再发生，整改成效持续巩固。',
] as const;
