import { Readable } from 'node:stream';
import { sql, type Transaction } from 'kysely';
import { fenToYuan } from '../../../domain/money.js';
import { meetsPolicy, type PasswordPolicy } from '../../../domain/password.js';
import { rectificationRate } from '../../../domain/rectification.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/types.js';
import { SummaryRepository } from '../modules/ledger/summaries.repository.js';
import { SettingsService } from '../modules/settings/settings.service.js';
import type { AuditContext } from '../platform/audit/audit.service.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { systemClock } from '../platform/clock.js';
import type { AppContext } from '../platform/context.js';
import { createCryptoProvider } from '../platform/crypto.js';
import { createFileStore } from '../platform/files/index.js';
import { openRuntime } from '../runtime.js';
import { buildDemo, DEMO_USERS, type DemoDataset, demoStaffAccounts, ID_TABLES, type IdTable } from './demo-build.js';
import { COUNTIES, countyCode, frameOrganisations, inspectedUnits, ROOT_CODE } from './demo-orgs.js';
import { type CliCommand, cliActor, EXIT_FAIL, EXIT_OK, parseCommandArgs } from './lib/command.js';

/**
 * The demo dataset (issue 3 item 10): the seed's fifth term and its first ten rounds, with exactly
 * 77 units, 5,310 measures of which 4,975 are done (93.7%), 2,103 rules established, 1.49亿元 funds
 * returned and 8,967万元 losses recovered; the 人防 一盘棋 campaign of 301 problems; the supervising
 * bodies and their liaison links; one account for every role. Written in one transaction with
 * multi-row inserts, audited once (`demo.seed`), then the dashboard counters are rebuilt.
 */

/** A password the demo accounts share: four character classes, at least twelve characters. */
const DEMO_POLICY: PasswordPolicy = { minLength: 12, minClasses: 4, maxAgeDays: 0 };

export class DemoNotEmptyError extends Error {
  constructor() {
    super('the database already holds terms (届); the demo dataset is only loaded into an empty ledger');
  }
}

export interface DemoCounts {
  organisations: number;
  users: number;
  liaisonLinks: number;
  rounds: number;
  teams: number;
  teamMembers: number;
  roundUnits: number;
  units: number;
  problems: number;
  campaignProblems: number;
  measures: number;
  doneMeasures: number;
  rectificationRate: number | null;
  rulesEstablished: number;
  fundsReturned: string; // 元
  lossesRecovered: string; // 元
  peopleHeldAccountable: number;
  casesFiled: number;
  immediateItems: number;
  deadlineExtensions: number;
  progressReports: number;
  submittedReports: number;
  lateReports: number;
  progressReportItems: number;
  progressReportVersions: number;
  closures: number;
  approvedClosures: number;
  pendingClosures: number;
  closureVerifications: number;
  rechecks: number;
  passedRechecks: number;
  evidenceFiles: number;
  measureEvidence: number;
}

export interface DemoResult {
  /** The generated password of the demo accounts, to be printed once; null when RECTIFY_DEMO_PASSWORD is set. */
  password: string | null;
  termId: number;
  campaignId: number;
  counts: DemoCounts;
  /** Demo usernames that already existed: left untouched (their password is not the demo one). */
  keptUsers: string[];
  elapsedMs: number;
}

const SYSTEM: AuditContext = { actorId: null, actorName: 'system', ip: null, requestId: null };

/** Loads the demo dataset. Refuses (DemoNotEmptyError) when any term exists already. */
export async function seedDemo(ctx: AppContext, opts: { actor?: AuditContext } = {}): Promise<DemoResult> {
  const started = performance.now();
  const configured = ctx.config.demoPassword;
  const password = configured ?? generatePassword(ctx);
  if (!DEMO_USERS.every((u) => meetsPolicy(password, DEMO_POLICY, u.username)))
    throw new Error(
      'RECTIFY_DEMO_PASSWORD must have at least 12 characters of all four classes (a-z, A-Z, 0-9, other) and not contain a demo username',
    );
  // PBKDF2 is the slow part: hashed once, before the transaction. The demo accounts share one
  // password by design, so one salted hash for all of them gives nothing away.
  const hash = ctx.crypto.hashPassword(password);
  const now = ctx.clock.now();

  const ds = await ctx.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('terms').select('id').limit(1).executeTakeFirst()) throw new DemoNotEmptyError();
    const codes = [
      ROOT_CODE,
      ...frameOrganisations().map((o) => o.code),
      ...inspectedUnits().map((u) => u.code),
      ...COUNTIES.map((c) => countyCode(c.key)),
    ];
    const orgs = await trx.selectFrom('organisations').select(['id', 'code']).where('code', 'in', codes).execute();
    const users = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('username', 'in', [...DEMO_USERS.map((u) => u.username), ...demoStaffAccounts().map((u) => u.username)])
      .execute();
    const ds = buildDemo({
      orgIds: new Map(orgs.map((o) => [o.code, Number(o.id)])),
      userIds: new Map(users.map((u) => [u.username, Number(u.id)])),
      nextIds: await nextIds(trx),
      now,
    });
    // The demo accounts share the demo password; the staff behind the history have none.
    const demoNames = new Set(DEMO_USERS.map((u) => u.username));
    for (const u of ds.users) if (demoNames.has(u.username)) u.passwordHash = hash;
    await storeBlobs(ctx, ds);
    await write(trx, ds, ctx.dialect);
    if (ctx.dialect === 'postgres') await syncSequences(trx);
    await analyse(trx, ctx.dialect);
    await new SummaryRepository().recount(trx, null);
    await ctx.audit.record(trx, opts.actor ?? SYSTEM, {
      action: 'demo.seed',
      entity: 'term',
      entityId: ds.termId,
      after: counts(ds),
    });
    return ds;
  });
  return {
    password: configured ? null : password,
    termId: ds.termId,
    campaignId: ds.campaignId,
    counts: counts(ds),
    keptUsers: ds.keptUsers,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** `npm start -- --demo`: loads the demo dataset unless some term exists already (then null). */
export async function seedDemoIfEmpty(
  ctx: AppContext,
  opts: { actor?: AuditContext } = {},
): Promise<DemoResult | null> {
  if (await ctx.db.selectFrom('terms').select('id').limit(1).executeTakeFirst()) return null;
  try {
    return await seedDemo(ctx, opts);
  } catch (e) {
    if (e instanceof DemoNotEmptyError) return null; // another process got there first
    throw e;
  }
}

function generatePassword(ctx: AppContext): string {
  for (;;) {
    const pw = `Demo-${ctx.crypto.randomToken(12)}7x`;
    if (DEMO_USERS.every((u) => meetsPolicy(pw, DEMO_POLICY, u.username))) return pw;
  }
}

function counts(ds: DemoDataset): DemoCounts {
  const tenRounds = new Set(ds.rounds.filter((r) => r.type !== 'higher_inspection').map((r) => r.id));
  const sum = (f: (m: DemoDataset['measures'][number]) => number) => ds.measures.reduce((s, m) => s + f(m), 0);
  const done = ds.measures.filter((m) => m.isDone === 1).length;
  return {
    organisations: ds.organisations.length,
    users: ds.users.length,
    liaisonLinks: ds.liaisonLinks.length,
    rounds: ds.rounds.length,
    teams: ds.inspectionTeams.length,
    teamMembers: ds.teamMembers.length,
    roundUnits: ds.roundUnits.length,
    units: new Set(ds.roundUnits.filter((ru) => tenRounds.has(ru.roundId)).map((ru) => ru.unitOrgId)).size,
    problems: ds.problems.length,
    campaignProblems: ds.problems.filter((p) => p.campaignId === ds.campaignId).length,
    measures: ds.measures.length,
    doneMeasures: done,
    rectificationRate: rectificationRate(done, ds.measures.length),
    rulesEstablished: sum((m) => m.rulesEstablished ?? 0),
    fundsReturned: fenToYuan(ds.measures.reduce((s, m) => s + BigInt(m.fundsReturnedFen ?? 0), 0n)),
    lossesRecovered: fenToYuan(ds.measures.reduce((s, m) => s + BigInt(m.lossesRecoveredFen ?? 0), 0n)),
    peopleHeldAccountable: sum((m) => m.peopleHeldAccountable ?? 0),
    casesFiled: sum((m) => m.casesFiled ?? 0),
    immediateItems: ds.immediateItems.length,
    deadlineExtensions: ds.deadlineExtensions.length,
    progressReports: ds.progressReports.length,
    submittedReports: ds.progressReports.filter((x) => x.status === 'submitted').length,
    lateReports: ds.progressReports.filter((x) => x.late === 1).length,
    progressReportItems: ds.progressReportItems.length,
    progressReportVersions: ds.progressReportVersions.length,
    closures: ds.closures.length,
    approvedClosures: ds.closures.filter((x) => x.status === 'approved').length,
    pendingClosures: ds.closures.filter((x) => x.status === 'pending').length,
    closureVerifications: ds.closureVerifications.length,
    rechecks: ds.rechecks.length,
    passedRechecks: ds.rechecks.filter((x) => x.status === 'passed').length,
    evidenceFiles: ds.evidenceFiles.length,
    measureEvidence: ds.measureEvidence.length,
  };
}

/**
 * The demo's evidence files, written through the file store like an upload: staged (digest and size
 * computed while streaming), checked against the rows that cite them, then committed under their
 * digest. Content-addressed, so a blob left by a load that then failed is simply found again.
 */
async function storeBlobs(ctx: AppContext, ds: DemoDataset) {
  for (const b of ds.blobs) {
    const staged = await ctx.files.stage(Readable.from(b.bytes), b.bytes.length);
    try {
      if (staged.sm3 !== b.sm3 || staged.size !== b.bytes.length)
        throw new Error(
          `demo evidence file: the store computed ${staged.sm3} (${staged.size} bytes), expected ${b.sm3}`,
        );
      await staged.commit();
    } finally {
      await staged.discard();
    }
  }
}

const SNAKE: Record<IdTable, string> = {
  organisations: 'organisations',
  users: 'users',
  liaisonLinks: 'liaison_links',
  terms: 'terms',
  rounds: 'rounds',
  inspectionTeams: 'inspection_teams',
  teamMembers: 'team_members',
  roundUnits: 'round_units',
  roundUnitEvents: 'round_unit_events',
  briefings: 'briefings',
  feedbacks: 'feedbacks',
  feedbackCopies: 'feedback_copies',
  talkReports: 'talk_reports',
  campaigns: 'campaigns',
  problems: 'problems',
  problemResponsibles: 'problem_responsibles',
  measures: 'measures',
  immediateItems: 'immediate_items',
  deadlineExtensions: 'deadline_extensions',
  evidenceFiles: 'evidence_files',
  measureEvidence: 'measure_evidence',
  progressReports: 'progress_reports',
  progressReportItems: 'progress_report_items',
  progressReportVersions: 'progress_report_versions',
  closures: 'closures',
  closureVerifications: 'closure_verifications',
  rechecks: 'rechecks',
};

/** The first free id of every table the demo writes (ids are given explicitly, so rows can refer to each other). */
async function nextIds(trx: Transaction<DB>): Promise<Record<IdTable, number>> {
  const parts = ID_TABLES.map((t) => sql`SELECT ${t} AS t, max(id) AS m FROM ${sql.table(SNAKE[t])}`);
  const rows = await sql<{ t: string; m: number | string | null }>`${sql.join(parts, sql` UNION ALL `)}`.execute(trx);
  const out = {} as Record<IdTable, number>;
  for (const t of ID_TABLES) out[t] = 1;
  for (const r of rows.rows) out[r.t as IdTable] = Number(r.m ?? 0) + 1;
  return out;
}

/** On PostgreSQL, identity sequences do not see explicit ids: move each past the largest (one statement). */
async function syncSequences(trx: Transaction<DB>) {
  const parts = ID_TABLES.map(
    (t) =>
      sql`SELECT setval(pg_get_serial_sequence(${SNAKE[t]}, 'id'), m) FROM (SELECT max(id) AS m FROM ${sql.table(SNAKE[t])}) x WHERE m IS NOT NULL`,
  );
  await sql`${sql.join(parts, sql` UNION ALL `)}`.execute(trx);
}

/**
 * Fresh planner statistics after a bulk load. Without them SQLite may pick a low-selectivity index
 * for the summary rebuild (measures_overdue for `is_done = 1` instead of measures_problem) and scan
 * every done measure once per problem.
 */
async function analyse(trx: Transaction<DB>, dialect: 'sqlite' | 'postgres') {
  if (dialect === 'sqlite') await sql`ANALYZE`.execute(trx);
  else
    await sql`ANALYZE organisations, liaison_links, users, round_units, problems, measures, progress_reports, closures, rechecks`.execute(
      trx,
    );
}

/** Multi-row inserts, in chunks that stay under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
async function insertMany<T extends keyof DB & IdTable>(
  trx: Transaction<DB>,
  table: T,
  rows: readonly object[],
  maxParams: number,
) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(maxParams / columns));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const q = trx.insertInto(table).values(chunk as never);
    await (table === 'liaisonLinks'
      ? q.onConflict((oc) => oc.columns(['unitOrgId', 'supervisorOrgId'] as never).doNothing())
      : q
    ).execute();
  }
}

async function write(trx: Transaction<DB>, ds: DemoDataset, dialect: 'sqlite' | 'postgres') {
  const maxParams = dialect === 'postgres' ? 65_000 : 32_000;
  await insertMany(trx, 'organisations', ds.organisations, maxParams);
  await insertMany(trx, 'users', ds.users, maxParams);
  await insertMany(trx, 'liaisonLinks', ds.liaisonLinks, maxParams);
  await insertMany(trx, 'terms', ds.terms, maxParams);
  await insertMany(trx, 'rounds', ds.rounds, maxParams);
  await insertMany(trx, 'inspectionTeams', ds.inspectionTeams, maxParams);
  await insertMany(trx, 'teamMembers', ds.teamMembers, maxParams);
  await insertMany(trx, 'roundUnits', ds.roundUnits, maxParams);
  // round_unit_events belongs to the rounds module's migration (0010); written by plain SQL here.
  for (let i = 0; i < ds.roundUnitEvents.length; i += 2000) {
    const chunk = ds.roundUnitEvents.slice(i, i + 2000);
    await sql`INSERT INTO round_unit_events
      (id, round_unit_id, from_status, to_status, cycle, deadline, reason, actor_id, actor_name, at)
      VALUES ${sql.join(
        chunk.map(
          (e) =>
            sql`(${e.id}, ${e.roundUnitId}, ${e.fromStatus}, ${e.toStatus}, ${e.cycle}, ${e.deadline}, ${e.reason}, ${e.actorId}, ${e.actorName}, ${e.at})`,
        ),
      )}`.execute(trx);
  }
  await insertMany(trx, 'briefings', ds.briefings, maxParams);
  await insertMany(trx, 'feedbacks', ds.feedbacks, maxParams);
  await insertMany(trx, 'feedbackCopies', ds.feedbackCopies, maxParams);
  await insertMany(trx, 'talkReports', ds.talkReports, maxParams);
  await insertMany(trx, 'campaigns', ds.campaigns, maxParams);
  await insertMany(trx, 'problems', ds.problems, maxParams);
  await insertMany(trx, 'problemResponsibles', ds.problemResponsibles, maxParams);
  await insertMany(trx, 'measures', ds.measures, maxParams);
  await insertMany(trx, 'immediateItems', ds.immediateItems, maxParams);
  await insertMany(trx, 'deadlineExtensions', ds.deadlineExtensions, maxParams);
  await insertMany(trx, 'evidenceFiles', ds.evidenceFiles, maxParams);
  await insertMany(trx, 'progressReports', ds.progressReports, maxParams);
  await insertMany(trx, 'progressReportItems', ds.progressReportItems, maxParams);
  await insertMany(trx, 'progressReportVersions', ds.progressReportVersions, maxParams);
  await insertMany(trx, 'closures', ds.closures, maxParams);
  await insertMany(trx, 'closureVerifications', ds.closureVerifications, maxParams);
  await insertMany(trx, 'rechecks', ds.rechecks, maxParams);
  await insertMany(trx, 'measureEvidence', ds.measureEvidence, maxParams);
}

/** An application context for the command line: no HTTP server, the same services. */
export async function cliContext(config: Config, database: Database): Promise<AppContext> {
  const crypto = createCryptoProvider(config.masterKey);
  const audit = new AuditService(database.db, database.dialect, crypto, systemClock);
  await audit.ensureHeads();
  return {
    config,
    db: database.db,
    dialect: database.dialect,
    sqlite: database.sqlite,
    crypto,
    clock: systemClock,
    files: createFileStore(config),
    audit,
    settings: new SettingsService(database.db, config, crypto, systemClock, audit),
  };
}

export const command: CliCommand = {
  name: 'seed-demo',
  summary: 'Load the demo dataset (fifth term, ten rounds, 77 units, 5,310 measures) into an empty database',
  usage: [
    'npm run cli -- seed-demo',
    '',
    'Loads the fifth term of the seed (五届市委) and its first ten rounds: 77 units, 5,310 measures',
    '(93.7% done), 2,103 rules, 1.49亿元 returned, 8,967万元 recovered, the 人防 campaign of 301',
    'problems, the supervising bodies, and one account for every role: office, leader, supervisor,',
    'unit, unithead, discipline, followup, sysadmin, secadmin, auditor. Their password is',
    'RECTIFY_DEMO_PASSWORD when set, otherwise one is generated and printed once. Refuses to run when',
    'the database already holds a term.',
  ].join('\n'),
  async run(args, io) {
    parseCommandArgs(args, {}, { min: 0, max: 0 });
    const { config, database } = await openRuntime(io.env);
    try {
      const ctx = await cliContext(config, database);
      let r: DemoResult;
      try {
        r = await seedDemo(ctx, { actor: cliActor(io.env) });
      } catch (e) {
        if (e instanceof DemoNotEmptyError) {
          io.err(`seed-demo: ${e.message}. Nothing was changed.`);
          return EXIT_FAIL;
        }
        throw e;
      }
      const c = r.counts;
      io.out(`Demo dataset loaded in ${(r.elapsedMs / 1000).toFixed(1)} s (${database.dialect}):`);
      io.out(`  五届市委: ${c.rounds - 1} rounds + 1 provincial inspection, ${c.units} units, ${c.problems} problems`);
      io.out(
        `  ${c.measures} measures, ${c.doneMeasures} done (${c.rectificationRate}%), ${c.rulesEstablished} rules established`,
      );
      io.out(`  funds returned ${c.fundsReturned} 元, losses recovered ${c.lossesRecovered} 元`);
      io.out(`  人防 campaign: ${c.campaignProblems} problems`);
      io.out(
        `  progress reports: ${c.progressReports} (${c.submittedReports} submitted, ${c.lateReports} late), ${c.progressReportItems} items`,
      );
      io.out(
        `  closures: ${c.approvedClosures} approved, ${c.pendingClosures} pending, ${c.closureVerifications} verifications; ${c.rechecks} re-checks; ${c.evidenceFiles} evidence files`,
      );
      const made = DEMO_USERS.filter((u) => !r.keptUsers.includes(u.username)).map((u) => u.username);
      io.out(`  accounts: ${made.join(', ')}`);
      if (r.keptUsers.length) io.out(`  already present, left unchanged: ${r.keptUsers.join(', ')}`);
      if (r.password) {
        io.out('');
        io.out('============================================================');
        io.out(` Demo password (all demo accounts): ${r.password}`);
        io.out(' Shown once; set RECTIFY_DEMO_PASSWORD to choose it instead.');
        io.out('============================================================');
      } else io.out('  password: RECTIFY_DEMO_PASSWORD');
      return EXIT_OK;
    } finally {
      await database.close();
    }
  },
};
