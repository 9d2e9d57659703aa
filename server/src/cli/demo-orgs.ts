import type { OrgType, SupervisorLine } from '../../../domain/roles.js';

/**
 * The organisations of the demo dataset (the seed's city, 玉溪, in its fifth term): the bodies that
 * run and supervise the rectification, and the 77 units inspected in the first ten rounds. Codes are
 * stable, so that the seed finds an organisation that already exists instead of making a second.
 */

export interface OrgSeed {
  code: string;
  name: string;
  shortName: string | null;
  type: OrgType;
  line?: SupervisorLine;
  parent: string | null; // code; null = the root (中共市委)
}

export const ROOT_CODE = 'ROOT';

export const CODES = {
  office: 'YX-XUNCHA',
  leadership: 'YX-LDXZ',
  followup: 'YX-DUCHA',
  commission: 'YX-JIWEI',
  conductOffice: 'YX-JIWEI-DFZF',
  organisation: 'YX-ZUZHI',
  propaganda: 'YX-XUANCHUAN',
  audit: 'YX-SHENJI',
  sasac: 'YX-GUOZI',
  housing: 'YX-ZHUJIAN',
  agriculture: 'YX-NONGYE',
  supplyCoop: 'YX-U67',
} as const;

export const supervisionOffice = (n: number) => `YX-JIWEI-JC${n}`;
export const stationedGroup = (n: number) => `YX-JIWEI-PZ${n}`;
export const cityLeader = (n: number) => `YX-LEADER-${n}`;

const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 派驻纪检监察组 and where each is stationed (综合监督单位 follow by sector). */
const STATIONED = [
  '市委办公室',
  '市政府办公室',
  '市财政局',
  '市教育体育局',
  '市卫生健康委',
  '市自然资源和规划局',
  '市公安局',
  '市总工会',
];

/** 分管市领导: the city leader in charge of a sector receives the feedback and follows its rectification. */
export const CITY_LEADERS = [
  '市委副书记（分管党群、群团工作）',
  '常务副市长（分管财政、发展改革、国资）',
  '副市长（分管住房城乡建设、人防、交通）',
  '副市长（分管农业农村、供销、乡村振兴）',
  '副市长（分管教育、卫生健康、民政）',
];

export const COUNTIES = [
  { key: 'HT', name: '红塔区', committee: '中共玉溪市红塔区委员会', short: '红塔区委' },
  { key: 'JC', name: '江川区', committee: '中共玉溪市江川区委员会', short: '江川区委' },
  { key: 'CJ', name: '澄江市', committee: '中共澄江市委员会', short: '澄江市委' },
  { key: 'TH', name: '通海县', committee: '中共通海县委员会', short: '通海县委' },
  { key: 'HN', name: '华宁县', committee: '中共华宁县委员会', short: '华宁县委' },
  { key: 'YM', name: '易门县', committee: '中共易门县委员会', short: '易门县委' },
  { key: 'ES', name: '峨山彝族自治县', committee: '中共峨山彝族自治县委员会', short: '峨山县委' },
  { key: 'XP', name: '新平彝族傣族自治县', committee: '中共新平彝族傣族自治县委员会', short: '新平县委' },
  { key: 'YJ', name: '元江哈尼族彝族傣族自治县', committee: '中共元江哈尼族彝族傣族自治县委员会', short: '元江县委' },
] as const;
export const countyCode = (key: string) => `YX-C-${key}`;

const GROUPS = {
  party: 'YX-G-PARTY',
  gov: 'YX-G-GOV',
  law: 'YX-G-LAW',
  inst: 'YX-G-INST',
  soe: 'YX-G-SOE',
  mass: 'YX-G-MASS',
} as const;

/** Everything except the inspected units: the root's children, the supervisors and the groupings. */
export function frameOrganisations(): OrgSeed[] {
  const o = (
    code: string,
    name: string,
    shortName: string | null,
    type: OrgType,
    parent: string | null,
    line?: SupervisorLine,
  ): OrgSeed => ({ code, name, shortName, type, parent, line });
  const out: OrgSeed[] = [
    o(CODES.leadership, '中共玉溪市委巡察工作领导小组', '市委巡察工作领导小组', 'leadership_group', null),
    o(CODES.office, '中共玉溪市委巡察工作领导小组办公室', '市委巡察办', 'inspection_office', null),
    o(CODES.followup, '中共玉溪市委办公室督查室', '市委督查室', 'followup_office', null),
    o(CODES.commission, '中共玉溪市纪律检查委员会 玉溪市监察委员会', '市纪委市监委', 'other', null),
    o(CODES.conductOffice, '市纪委市监委党风政风监督室', '党风政风监督室', 'discipline_office', CODES.commission),
    o(GROUPS.party, '市委工作机关', null, 'other', null),
    o(GROUPS.gov, '市政府工作部门', null, 'other', null),
    o(GROUPS.law, '市直政法机关', null, 'other', null),
    o(GROUPS.inst, '市直事业单位', null, 'other', null),
    o(GROUPS.soe, '市属国有企业', null, 'other', null),
    o(GROUPS.mass, '群团组织', null, 'other', null),
    o(CODES.organisation, '中共玉溪市委组织部', '市委组织部', 'supervisor', GROUPS.party, 'organisation'),
    o(CODES.propaganda, '中共玉溪市委宣传部', '市委宣传部', 'supervisor', GROUPS.party, 'propaganda'),
    o(CODES.audit, '玉溪市审计局', '市审计局', 'supervisor', GROUPS.gov, 'audit'),
    o(CODES.sasac, '玉溪市人民政府国有资产监督管理委员会', '市国资委', 'supervisor', GROUPS.gov, 'industry'),
    o(CODES.housing, '玉溪市住房和城乡建设局', '市住房城乡建设局', 'supervisor', GROUPS.gov, 'industry'),
    o(CODES.agriculture, '玉溪市农业农村局', '市农业农村局', 'supervisor', GROUPS.gov, 'industry'),
  ];
  for (let n = 1; n <= 5; n++) {
    out.push(
      o(
        supervisionOffice(n),
        `市纪委市监委第${CN[n]}监督检查室`,
        `第${CN[n]}监督检查室`,
        'supervisor',
        CODES.commission,
        'discipline',
      ),
    );
  }
  STATIONED.forEach((at, i) => {
    out.push(
      o(
        stationedGroup(i + 1),
        `市纪委市监委派驻第${CN[i + 1]}纪检监察组（驻${at}）`,
        `派驻第${CN[i + 1]}纪检监察组`,
        'supervisor',
        CODES.commission,
        'stationed',
      ),
    );
  });
  CITY_LEADERS.forEach((name, i) => {
    out.push(o(cityLeader(i + 1), `分管市领导：${name}`, name.replace(/（.*$/, ''), 'supervisor', null, 'leader'));
  });
  for (const c of COUNTIES) out.push(o(countyCode(c.key), c.committee, c.short, 'party_committee', null));
  return out;
}

export type UnitKind = 'dept' | 'party' | 'law' | 'inst' | 'soe' | 'mass' | 'county_dept' | 'civil_defence';

export interface UnitSeed extends OrgSeed {
  round: number; // the round of the ten that first inspected it
  kind: UnitKind;
  size: number; // relative size: how many measures its lists hold
  /** The party organisation the feedback is addressed to, and its 第一责任人's post. */
  party: string;
  secretaryPost: string;
  office: number; // liaison 监督检查室 (1–5)
  stationed: number | null; // 派驻纪检监察组 (1–8), none for enterprises and county bodies
  industry: string | null; // 行业主管部门 code
  leader: number; // 分管市领导 (1–5)
  projects: boolean; // runs construction projects (工程项目 problems)
  /** Share of the 人防 campaign's 301 problems (人防 units only). */
  campaignShare?: number;
}

type Row = [
  name: string,
  short: string,
  kind: UnitKind,
  size: number,
  party: string,
  post: string,
  office: number,
  stationed: number | null,
  leader: number,
  projects?: boolean,
  industry?: string | null,
];

const G: Record<UnitKind, string> = {
  dept: GROUPS.gov,
  party: GROUPS.party,
  law: GROUPS.law,
  inst: GROUPS.inst,
  soe: GROUPS.soe,
  mass: GROUPS.mass,
  county_dept: '',
  civil_defence: GROUPS.gov,
};

/** The units of each round in the order they were inspected (rounds 1–10; round 8 is the 回头看). */
const ROUND_UNITS: Record<number, Row[]> = {
  1: [
    ['玉溪市财政局', '市财政局', 'dept', 1.3, '党组', '党组书记、局长', 2, 3, 2],
    ['玉溪市发展和改革委员会', '市发展改革委', 'dept', 1.2, '党组', '党组书记、主任', 2, 2, 2, true],
    ['玉溪市自然资源和规划局', '市自然资源规划局', 'dept', 1.2, '党组', '党组书记、局长', 5, 6, 3, true],
    ['玉溪市住房公积金管理中心', '市住房公积金中心', 'inst', 0.9, '党组', '党组书记、主任', 2, 3, 2],
    [
      '玉溪市城市建设投资开发集团有限公司',
      '市城投集团',
      'soe',
      1.3,
      '党委',
      '党委书记、董事长',
      5,
      null,
      2,
      true,
      CODES.sasac,
    ],
    ['玉溪市人力资源和社会保障局', '市人力资源社会保障局', 'dept', 1.1, '党组', '党组书记、局长', 4, 5, 5],
    ['玉溪市司法局', '市司法局', 'dept', 0.9, '党组', '党组书记、局长', 1, 7, 1],
    ['玉溪市统计局', '市统计局', 'dept', 0.7, '党组', '党组书记、局长', 2, 2, 2],
  ],
  2: [
    ['玉溪市教育体育局', '市教育体育局', 'dept', 1.3, '党组', '党组书记、局长', 4, 4, 5, true],
    ['玉溪市卫生健康委员会', '市卫生健康委', 'dept', 1.3, '党组', '党组书记、主任', 4, 5, 5, true],
    ['玉溪市民政局', '市民政局', 'dept', 1.0, '党组', '党组书记、局长', 4, 5, 5],
    ['玉溪市交通运输局', '市交通运输局', 'dept', 1.1, '党组', '党组书记、局长', 5, 2, 3, true],
    ['玉溪市水利局', '市水利局', 'dept', 1.0, '党组', '党组书记、局长', 5, 6, 4, true],
    ['玉溪市市场监督管理局', '市市场监管局', 'dept', 1.1, '党组', '党组书记、局长', 2, 2, 2],
    ['玉溪市总工会', '市总工会', 'mass', 0.8, '党组', '党组书记、常务副主席', 3, 8, 1],
    ['玉溪市妇女联合会', '市妇联', 'mass', 0.7, '党组', '党组书记、主席', 3, 8, 1],
  ],
  3: [
    ['玉溪市生态环境局', '市生态环境局', 'dept', 1.1, '党组', '党组书记、局长', 5, 6, 3],
    ['玉溪市商务局', '市商务局', 'dept', 0.9, '党组', '党组书记、局长', 2, 2, 2],
    ['玉溪市文化和旅游局', '市文化和旅游局', 'dept', 1.0, '党组', '党组书记、局长', 4, 4, 5, true],
    ['玉溪市林业和草原局', '市林业和草原局', 'dept', 0.9, '党组', '党组书记、局长', 3, 6, 4],
    [
      '玉溪市交通投资建设集团有限公司',
      '市交投集团',
      'soe',
      1.2,
      '党委',
      '党委书记、董事长',
      5,
      null,
      3,
      true,
      CODES.sasac,
    ],
    ['玉溪市水务产业投资有限公司', '市水务公司', 'soe', 1.0, '党委', '党委书记、董事长', 5, null, 4, true, CODES.sasac],
    ['玉溪市残疾人联合会', '市残联', 'mass', 0.6, '党组', '党组书记、理事长', 3, 5, 5],
    ['玉溪市科学技术协会', '市科协', 'mass', 0.6, '党组', '党组书记、常务副主席', 3, 8, 1],
  ],
  4: [
    ['玉溪市扶贫开发办公室', '市扶贫办', 'dept', 1.1, '党组', '党组书记、主任', 3, 2, 4, false, CODES.agriculture],
    ['玉溪市医疗保障局', '市医疗保障局', 'dept', 0.9, '党组', '党组书记、局长', 4, 5, 5],
    ['玉溪市工业和信息化局', '市工业和信息化局', 'dept', 0.9, '党组', '党组书记、局长', 2, 2, 2],
    ['玉溪市科学技术局', '市科学技术局', 'dept', 0.8, '党组', '党组书记、局长', 2, 4, 5],
    ['玉溪市投资促进局', '市投资促进局', 'dept', 0.7, '党组', '党组书记、局长', 2, 2, 2],
    [
      '玉溪市农业发展投资有限公司',
      '市农投公司',
      'soe',
      0.9,
      '党委',
      '党委书记、董事长',
      3,
      null,
      4,
      true,
      CODES.agriculture,
    ],
    ['玉溪市疾病预防控制中心', '市疾控中心', 'inst', 0.7, '党总支', '党总支书记、主任', 4, 5, 5],
    ['玉溪市中医医院', '市中医医院', 'inst', 0.9, '党委', '党委书记', 4, 5, 5, true],
  ],
  5: [
    ['玉溪市人民防空办公室', '市人防办', 'civil_defence', 1.0, '党组', '党组书记、主任', 5, 6, 3, true, CODES.housing],
  ],
  6: [
    ['玉溪市公安局', '市公安局', 'dept', 1.3, '党委', '党委书记、局长', 1, 7, 1],
    ['玉溪市应急管理局', '市应急管理局', 'dept', 0.9, '党组', '党组书记、局长', 5, 2, 3],
    ['玉溪市政务服务管理局', '市政务服务局', 'dept', 0.7, '党组', '党组书记、局长', 2, 2, 2],
    ['玉溪市机关事务管理局', '市机关事务局', 'dept', 0.8, '党组', '党组书记、局长', 1, 1, 2, true],
    ['中共玉溪市委党校', '市委党校', 'party', 0.8, '党委', '党委书记、常务副校长', 1, 1, 1],
    ['玉溪市档案馆', '市档案馆', 'inst', 0.6, '党组', '党组书记、馆长', 1, 1, 1],
    ['玉溪市广播电视台', '市广播电视台', 'inst', 0.8, '党委', '党委书记、台长', 4, 4, 1],
    [
      '玉溪市国有资本投资运营集团有限公司',
      '市国投集团',
      'soe',
      1.2,
      '党委',
      '党委书记、董事长',
      5,
      null,
      2,
      true,
      CODES.sasac,
    ],
  ],
  7: [
    ['玉溪市中级人民法院', '市中级法院', 'law', 1.1, '党组', '党组书记、院长', 1, null, 1],
    ['玉溪市人民检察院', '市检察院', 'law', 1.0, '党组', '党组书记、检察长', 1, null, 1],
    ['中共玉溪市委政法委员会', '市委政法委', 'party', 0.7, '领导班子', '市委常委、政法委书记', 1, 1, 1],
    ['中共玉溪市委统一战线工作部', '市委统战部', 'party', 0.7, '部务会', '市委常委、统战部部长', 1, 1, 1],
    ['中共玉溪市委政策研究室', '市委政研室', 'party', 0.6, '室务会', '主任', 1, 1, 1],
    ['玉溪市抚仙湖管理局', '市抚仙湖管理局', 'dept', 1.0, '党组', '党组书记、局长', 5, 6, 3, true],
    ['玉溪市人民医院', '市人民医院', 'inst', 1.2, '党委', '党委书记', 4, 5, 5, true],
    ['玉溪市旅游投资有限公司', '市旅投公司', 'soe', 0.9, '党委', '党委书记、董事长', 5, null, 2, true, CODES.sasac],
  ],
  9: [
    [
      '玉溪市融资担保有限责任公司',
      '市融资担保公司',
      'soe',
      1.0,
      '党总支',
      '党总支书记、董事长',
      2,
      null,
      2,
      false,
      CODES.sasac,
    ],
    ['共青团玉溪市委员会', '团市委', 'mass', 0.6, '党组', '党组书记、书记', 3, 8, 1],
    ['玉溪市文学艺术界联合会', '市文联', 'mass', 0.6, '党组', '党组书记、主席', 3, 8, 1],
    ['玉溪市地方志编纂委员会办公室', '市地方志办', 'inst', 0.5, '党支部', '党支部书记、主任', 1, 1, 1],
    ['玉溪第一中学', '玉溪一中', 'inst', 0.9, '党委', '党委书记、校长', 4, 4, 5, true],
    [
      '中共玉溪市红塔区委政法委员会',
      '红塔区委政法委',
      'county_dept',
      0.6,
      '领导班子',
      '区委常委、政法委书记',
      1,
      null,
      1,
    ],
    ['中共玉溪市江川区委宣传部', '江川区委宣传部', 'county_dept', 0.6, '部务会', '区委常委、宣传部部长', 1, null, 1],
    ['玉溪市退役军人事务局', '市退役军人事务局', 'dept', 0.8, '党组', '党组书记、局长', 4, 5, 5],
  ],
  10: [
    [
      '玉溪市供销合作社联合社',
      '市供销社',
      'dept',
      1.0,
      '党组',
      '党组书记、理事会主任',
      3,
      2,
      4,
      false,
      CODES.agriculture,
    ],
    ['玉溪市工商业联合会', '市工商联', 'mass', 0.6, '党组', '党组书记、常务副主席', 3, 8, 1],
    ['玉溪市红十字会', '市红十字会', 'mass', 0.5, '党组', '党组书记、常务副会长', 3, 8, 5],
    ['玉溪市社会科学界联合会', '市社科联', 'mass', 0.5, '党组', '党组书记、主席', 3, 8, 1],
    ['玉溪市归国华侨联合会', '市侨联', 'mass', 0.5, '党组', '党组书记、主席', 3, 8, 1],
    ['玉溪市粮食和物资储备局', '市粮食和储备局', 'dept', 0.8, '党组', '党组书记、局长', 3, 2, 4],
    ['玉溪市城市管理局', '市城市管理局', 'dept', 1.0, '党组', '党组书记、局长', 5, 6, 3, true],
    ['中共通海县委组织部', '通海县委组织部', 'county_dept', 0.6, '部务会', '县委常委、组织部部长', 1, null, 1],
    ['中共易门县委宣传部', '易门县委宣传部', 'county_dept', 0.6, '部务会', '县委常委、宣传部部长', 1, null, 1],
    ['玉溪市妇幼保健院', '市妇幼保健院', 'inst', 0.7, '党总支', '党总支书记、院长', 4, 5, 5],
    ['玉溪市职业教育中心', '市职教中心', 'inst', 0.7, '党委', '党委书记、主任', 4, 4, 5],
  ],
};

/** County party departments inspected by the city, by the county they belong to. */
const COUNTY_OF: Record<string, string> = {
  红塔区委政法委: 'HT',
  江川区委宣传部: 'JC',
  通海县委组织部: 'TH',
  易门县委宣传部: 'YM',
};

/** The 77 inspected units, numbered in the order of the rounds (code YX-U01 … YX-U77). */
export function inspectedUnits(): UnitSeed[] {
  const out: UnitSeed[] = [];
  const push = (round: number, r: Row, parent: string, campaignShare?: number) => {
    const [name, short, kind, size, party, post, office, stationed, leader, projects, industry] = r;
    out.push({
      code: `YX-U${String(out.length + 1).padStart(2, '0')}`,
      name,
      shortName: short,
      type: 'inspected_unit',
      parent,
      round,
      kind,
      size,
      party,
      secretaryPost: post,
      office,
      stationed,
      industry: industry ?? null,
      leader,
      projects: projects ?? false,
      campaignShare,
    });
  };
  for (let round = 1; round <= 10; round++) {
    if (round === 8) continue; // 回头看: units of earlier rounds only
    for (const r of ROUND_UNITS[round]!) {
      const county = COUNTY_OF[r[1]];
      push(round, r, county ? countyCode(county) : G[r[2]], r[2] === 'civil_defence' ? 41 : undefined);
    }
    if (round === 5) {
      // The 人防 system's 机动巡察 takes in every county's 人防办 as well (市县联动).
      for (const c of COUNTIES) {
        const short = `${c.name.replace(/(彝族|傣族|哈尼族)+自治县$/, '县')}人防办`;
        push(
          5,
          [
            `${c.name}人民防空办公室`,
            short,
            'civil_defence',
            0.8,
            '党组',
            '党组书记、主任',
            5,
            null,
            3,
            true,
            CODES.housing,
          ],
          countyCode(c.key),
          c.key === 'HT' ? 36 : 28,
        );
      }
    }
  }
  return out;
}

/** Round 8 (“回头看”) goes back to six units of the first two rounds. */
export const LOOKBACK_UNITS = [
  '市财政局',
  '市住房公积金中心',
  '市城投集团',
  '市教育体育局',
  '市卫生健康委',
  '市水利局',
];

/** Internal departments by kind of unit: the responsible department of a problem and its owner. */
export const DEPARTMENTS: Record<UnitKind, readonly string[]> = {
  dept: ['办公室', '机关党委', '计划财务科', '人事科', '政策法规科', '综合科', '行政审批科', '规划发展科'],
  party: ['办公室', '机关党支部', '综合科', '干部科', '督查科'],
  law: ['政治部', '办公室', '机关党委', '执行局', '司法行政装备管理处', '案件管理部门'],
  inst: ['办公室', '党委办公室', '财务科', '人事科', '总务科', '业务科'],
  soe: ['综合办公室', '党群工作部', '财务融资部', '人力资源部', '工程管理部', '风险控制部', '投资发展部', '纪检监察室'],
  mass: ['办公室', '组织部', '宣传部', '权益部', '财务室'],
  county_dept: ['办公室', '干部科', '综合科', '机关党支部'],
  civil_defence: ['办公室', '工程建设管理科', '指挥通信科', '财务室', '宣传教育科'],
};

/**
 * The posts of a unit's deputies (一岗双责 members of its leadership), derived from its head's post:
 * 党组书记、局长 → 党组成员、副局长; 县委常委、组织部部长 → 副部长; enterprises have their own.
 */
export function deputyPosts(u: UnitSeed): string[] {
  const parts = u.secretaryPost.split('、');
  const first = parts[0]!;
  const title = parts[parts.length - 1]!;
  if (u.kind === 'soe') {
    const body = first.replace(/书记$/, ''); // 党委 / 党总支
    const posts = [`${body}副书记、总经理`, `${body}委员、副总经理`, `${body}委员、财务总监`];
    if (body === '党委') posts.push('党委委员、纪委书记');
    return posts;
  }
  const member = first.startsWith('党组')
    ? '党组成员、'
    : first.startsWith('党委')
      ? '党委委员、'
      : first.startsWith('党总支')
        ? '党总支委员、'
        : first.startsWith('党支部')
          ? '党支部委员、'
          : '';
  let deputy: string;
  if (/医院|保健院/.test(u.name)) deputy = '副院长';
  else if (title.endsWith('政法委书记')) deputy = '政法委副书记';
  else if (title.endsWith('部长')) deputy = '副部长';
  else if (title.startsWith('常务副')) deputy = title.slice(2);
  else deputy = title.replace(/(局长|主任|院长|检察长|馆长|台长|校长|主席|理事长|会长|书记)$/, '副$1');
  const posts = [`${member}${deputy}`, `${member}${deputy}`, `${member}${deputy}`];
  if (u.kind === 'law') posts.push('党组成员、政治部主任');
  else if (first.startsWith('党组') && u.size >= 1) posts.push('党组成员、机关党委书记');
  return posts;
}
