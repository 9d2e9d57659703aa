import { type ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../domain/calendar.js';
import { dueSteps } from '../../../domain/notices.js';
import { webhookSignature } from '../../src/modules/notices/delivery.service.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { addMeasure, addMeeting, makeUnit, type Unit } from './notices-fixture.js';
import type { WorkerMessage, WorkerRequest } from './scheduler-worker.js';

const BASE = process.env.TEST_DATABASE_URL;
if (!BASE) {
  console.log('\n'.padEnd(74, '=')); // loud: this acceptance test needs PostgreSQL
  console.log('  !!! scheduler.test.ts SKIPPED: two app processes on one PostgreSQL need TEST_DATABASE_URL.');
  console.log(''.padEnd(73, '='));
}

const SECRET = 'webhook-shared-secret-测试';
const FAILS_PER_NOTICE = 2; // the receiver answers 500 to the first two attempts of every notice
const START = '2026-12-01';
const DAYS = 31;
const GAP = new Set(['2026-12-13', '2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17']); // no instance up
const at = (date: string, hh: number, mm: number) =>
  Date.parse(`${date}T00:00:00Z`) - 8 * 3600_000 + (hh * 60 + mm) * 60_000;

describe.skipIf(!BASE)('the scheduler and the deliveries across two app processes on one PostgreSQL', () => {
  const masterKey = crypto.randomBytes(32); // the same for both processes (settings hold SM4-wrapped secrets)
  let t: TestApp; // instance 1, in this process; also the fixture makers
  let worker: WorkerProcess; // instance 2, another OS process (scheduler-worker.ts) on the same schema
  let smtp: SMTPServer;
  let hook: http.Server;
  const mails: { messageId: string; rcpt: string; subject: string }[] = [];
  const hookAttempts = new Map<string, number>();
  const hookAccepted: { key: string; noticeId: number; recipient: number }[] = [];
  let badSignatures = 0;
  const units: Unit[] = [];
  const measures: { id: number; deadline: string; unit: Unit }[] = [];

  beforeAll(async () => {
    t = await createTestApp('postgres', { masterKey });
    t.clock.set(at(START, 0, 0));

    // A real SMTP server; messages counted by Message-ID and recipient.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const messageId = /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '?';
          const subject = /^Subject:\s*(.*)$/im.exec(raw)?.[1] ?? '';
          for (const r of session.envelope.rcptTo) mails.push({ messageId, rcpt: r.address, subject });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    // A webhook receiver that verifies the signature, fails each notice's first attempts, then accepts.
    hook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-rectify-timestamp'] ?? '');
        const sig = String(req.headers['x-rectify-signature'] ?? '');
        if (sig !== `hmac-sm3=${webhookSignature(SECRET, ts, body)}`) {
          badSignatures++;
          res.writeHead(401).end();
          return;
        }
        const key = String(req.headers['idempotency-key']);
        const n = (hookAttempts.get(key) ?? 0) + 1;
        hookAttempts.set(key, n);
        if (n <= FAILS_PER_NOTICE) {
          res.writeHead(500).end('not yet');
          return;
        }
        const json = JSON.parse(body);
        hookAccepted.push({ key, noticeId: json.id, recipient: json.recipient.userId });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as AddressInfo).port;

    const ctx = t.ctx;
    const auditCtx = { actorId: null, actorName: 'test', ip: null, requestId: null };
    await ctx.settings.set(
      auditCtx,
      'system.smtp',
      { enabled: true, host: '127.0.0.1', port: smtpPort, secure: false, user: '', from: 'rectify@example.gov.cn' },
      0,
    );
    await ctx.settings.set(
      auditCtx,
      'system.webhook',
      { enabled: true, url: `http://127.0.0.1:${hookPort}/notify`, secret: SECRET },
      0,
    );

    const supOrg = await t.createOrg({ code: 'SUP', type: 'supervisor' });
    await t.createUser({ username: 'sup', role: 'supervisor', orgId: supOrg });
    await t.createUser({ username: 'leader', role: 'leader' });
    await t.createUser({ username: 'office', role: 'office' });
    for (let i = 0; i < 3; i++) units.push(await makeUnit(t, `U${i}`, supOrg));
    // Deadlines spread so that steps fall before, inside and after the downtime gap.
    for (const [i, offset] of [5, 12, 16, 22, 28, 33, 40].entries()) {
      const unit = units[i % units.length]!;
      const deadline = addDays(START, offset);
      measures.push({ id: await addMeasure(t, unit, { deadline }), deadline, unit });
    }
    await addMeeting(t, units[0]!, addDays(START, 9), 'planned'); // missed from day 10
    // Everyone has an e-mail address: every notice goes out on both channels.
    await ctx.db.updateTable('users').set({ email: sql<string>`username || '@example.gov.cn'` }).execute();

    // The second instance: a separate process on the same schema (the one createTestApp made here).
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(ctx.db);
    const url = `${BASE}${BASE!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${rows[0]!.schema}`)}`;
    worker = await WorkerProcess.start({
      SCHED_WORKER_DB_URL: url,
      SCHED_WORKER_MASTER_KEY: masterKey.toString('hex'),
      SCHED_WORKER_FILES_DIR: ctx.config.filesDir,
      SCHED_WORKER_NOW: String(t.clock.now()),
    });
    expect(worker.pid).not.toBe(process.pid);
    expect(t.app.scheduler.instance).toContain(`:${process.pid}:`);
    expect(worker.instance).toContain(`:${worker.pid}:`);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close(); // drops the schema
    await new Promise<void>((r) => smtp?.close(() => r()));
    await new Promise<void>((r) => hook?.close(() => r()));
  });

  // Both instances tick at the same simulated time, in turn: together (concurrently), this process
  // first, then the other process first.
  const modes = ['together', 'here-first', 'worker-first'] as const;
  let turn = 0;
  const tickBoth = async (mode: (typeof modes)[number] = modes[turn++ % modes.length]!) => {
    const now = t.clock.now();
    let rs: { ran: string[]; errors: string[] }[];
    if (mode === 'together') rs = await Promise.all([t.app.scheduler.tick(), worker.tick(now)]);
    else if (mode === 'here-first') rs = [await t.app.scheduler.tick(), await worker.tick(now)];
    else {
      const there = await worker.tick(now);
      rs = [await t.app.scheduler.tick(), there];
    }
    for (const r of rs) expect(r.errors).toEqual([]);
    return rs;
  };

  it('runs a simulated month: every warning delivered exactly once by e-mail and webhook, missed runs caught up once', async () => {
    const clock = t.clock;
    const ran: string[] = [];
    const ranBy = [0, 0]; // job runs started by this process, by the other process
    for (let d = 0; d < DAYS; d++) {
      const date = addDays(START, d);
      if (GAP.has(date)) continue; // downtime: no instance ticks
      // Keep the measures reported, so that what is tested here is the chain (stall has its own test).
      await t.ctx.db
        .updateTable('measures')
        .set({ lastProgressAt: at(date, 0, 0) })
        .execute();
      clock.set(at(date, 6, 55));
      await tickBoth(); // before the 07:00 run: yesterday's period is done, nothing new
      // From 07:00 through the morning, both instances tick every few minutes (retries with backoff).
      for (let m = 0; m <= 60; m += 5) {
        clock.set(at(date, 7, m));
        for (const [i, r] of (await tickBoth()).entries()) {
          ran.push(...r.ran);
          ranBy[i]! += r.ran.length;
        }
      }
    }
    // Drain: a quiet hour of ticks so that the last retries go out.
    for (let m = 0; m < 12; m++) {
      clock.advance(10 * 60_000);
      await tickBoth();
    }

    const db = t.ctx.db;
    // Each period ran once, by one instance; the gap's days have no run, the first day after it does.
    const runs = await db.selectFrom('jobRuns').selectAll().orderBy('periodKey').execute();
    const daily = runs.filter((r) => r.job === 'warnings.daily').map((r) => r.periodKey);
    // The first tick (06:55 on 12-01) runs 11-30's period; each day's 07:00 tick runs that day's. After
    // the downtime, the first tick (06:55 on 12-18) runs the latest missed period (12-17) once: the
    // four before it (12-13 … 12-16) are never run one by one.
    const up = [...Array(DAYS).keys()].map((d) => addDays(START, d)).filter((d) => !GAP.has(d));
    const expectedDays = ['2026-11-30', ...up, '2026-12-17'].sort();
    expect(daily).toEqual(expectedDays);
    expect(ran.filter((r) => r.startsWith('warnings.daily@')).sort()).toEqual(
      up.map((d) => `warnings.daily@${d}`), // (ran only records the ticks from 07:00)
    );
    const catchUp = runs.find((r) => r.job === 'warnings.daily' && r.periodKey === '2026-12-17')!;
    expect(Number(catchUp.startedAt)).toBe(at('2026-12-18', 6, 55));
    expect(runs.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
    const weekly = runs.filter((r) => r.job === 'warnings.weekly');
    // Mondays 12-07, 12-14 (down: caught up on 12-18, once), 12-21, 12-28; 11-30 was due at the first tick.
    expect(weekly.map((r) => r.periodKey)).toEqual([
      'w2026-11-30',
      'w2026-12-07',
      'w2026-12-14',
      'w2026-12-21',
      'w2026-12-28',
    ]);
    const caughtUp = weekly.find((r) => r.periodKey === 'w2026-12-14')!;
    expect(new Date(Number(caughtUp.startedAt) + 8 * 3600_000).toISOString().slice(0, 10)).toBe('2026-12-18');
    expect(new Set(runs.map((r) => r.claimedBy)).size).toBeGreaterThanOrEqual(1);
    const instances = [t.app.scheduler.instance, worker.instance];
    for (const r of runs) expect(instances).toContain(r.claimedBy);

    // Every chain step whose day came within the month fired once per recipient, the gap's on 12-18.
    const steps = (await t.ctx.settings.get('system.warnings')).steps;
    const last = addDays(START, DAYS - 1);
    for (const m of measures) {
      const notes = await db
        .selectFrom('notices')
        .select(['userId', 'idemKey', 'createdAt'])
        .where('entity', '=', 'measure')
        .where('entityId', '=', String(m.id))
        .where('idemKey', 'like', 'chain:%')
        .execute();
      const left = Math.round((Date.parse(m.deadline) - Date.parse(last)) / 86_400_000);
      const due = dueSteps(steps, left);
      // one recipient per step here (owner, leader, head, the one supervisor)
      expect(notes.length, `measure due ${m.deadline}`).toBe(due.length);
      expect(new Set(notes.map((n) => n.idemKey)).size).toBe(notes.length);
      for (const n of notes) {
        const day = new Date(Number(n.createdAt) + 8 * 3600_000).toISOString().slice(0, 10);
        expect(GAP.has(day)).toBe(false);
      }
    }
    const missed = await db.selectFrom('notices').select('id').where('kind', '=', 'meeting_missed').execute();
    expect(missed.length).toBe(2); // the unit head and the liaison supervisor, once

    // Deliveries: one per notice and channel, all sent.
    const notices = await db.selectFrom('notices').select(['id', 'userId']).execute();
    const deliveries = await db.selectFrom('noticeDeliveries').selectAll().execute();
    expect(notices.length).toBeGreaterThan(20);
    expect(deliveries.length).toBe(notices.length * 2);
    expect(deliveries.filter((d) => d.status !== 'sent')).toEqual([]);
    const webhookDeliveries = deliveries.filter((d) => d.channel === 'webhook');
    expect(webhookDeliveries.every((d) => d.attempts === FAILS_PER_NOTICE + 1)).toBe(true);
    expect(deliveries.filter((d) => d.channel === 'email').every((d) => d.attempts === 1)).toBe(true);

    // The SMTP server got each notice once, at its recipient's address.
    const byMessage = new Map<string, number>();
    for (const m of mails)
      byMessage.set(`${m.messageId}|${m.rcpt}`, (byMessage.get(`${m.messageId}|${m.rcpt}`) ?? 0) + 1);
    expect(mails.length).toBe(notices.length);
    expect([...byMessage.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(
      new Set(notices.map((n) => `<notice-${n.id}-email@rectify>`)),
    );

    // The webhook receiver accepted each notice once, after failing its first attempts; all signed.
    expect(badSignatures).toBe(0);
    expect(hookAccepted.length).toBe(notices.length);
    expect(new Set(hookAccepted.map((h) => h.noticeId))).toEqual(new Set(notices.map((n) => Number(n.id))));
    expect([...hookAttempts.values()].every((n) => n === FAILS_PER_NOTICE + 1)).toBe(true);
    // Both processes took part in sending (each delivery claimed by one of them).
    const claimants = new Set(deliveries.map((d) => d.claimedBy));
    expect([...claimants].every((c) => instances.includes(c!))).toBe(true);
    expect(claimants.size).toBe(2);
    const sentBy = instances.map((i) => deliveries.filter((d) => d.claimedBy === i).length);
    const claimedBy = instances.map((i) => runs.filter((r) => r.claimedBy === i).length);
    console.log(
      `scheduler month (pids ${process.pid} and ${worker.pid}): ${runs.length} job runs ` +
        `(claimed ${claimedBy.join(' + ')}; from 07:00 ${ranBy.join(' + ')}), ${notices.length} notices, ` +
        `${deliveries.length} deliveries (sent by ${sentBy.join(' + ')}), ${mails.length} e-mails, ` +
        `${hookAccepted.length} webhook posts accepted after ${[...hookAttempts.values()].reduce((a, b) => a + b, 0)} attempts`,
    );
  }, 600_000);

  it('a run whose claimant died is taken over after its lease, once; a done period is never run again', async () => {
    const db = t.ctx.db;
    const clock = t.clock;
    // The same job in both processes; the runs are counted from what each tick says it ran.
    t.app.scheduler.register({
      name: 'test.lease',
      schedule: { kind: 'daily', at: '03:00' },
      leaseMs: 60_000,
      run: async () => ({ ok: true, pid: process.pid }),
    });
    await worker.register('test.lease', '03:00', 60_000);
    let runs = 0;
    const tickCounting = async (mode?: (typeof modes)[number]) => {
      for (const r of await tickBoth(mode)) runs += r.ran.filter((x) => x.startsWith('test.lease@')).length;
    };
    // A claimant that died: its row is running with a lease still valid, then expired.
    const period = addDays(START, DAYS); // the day after the month
    clock.set(at(period, 3, 30));
    await db
      .insertInto('jobRuns')
      .values({
        job: 'test.lease',
        periodKey: period,
        status: 'running',
        claimedBy: 'dead-instance',
        leaseUntil: clock.now() + 60_000,
        attempts: 1,
        scheduledAt: at(period, 3, 0),
        startedAt: clock.now(),
        finishedAt: null,
        result: null,
        error: null,
      })
      .execute();
    await tickCounting('together');
    expect(runs).toBe(0); // the lease holds
    clock.advance(61_000);
    await tickCounting('together'); // both processes race for the expired lease
    await tickCounting('worker-first');
    await tickCounting('here-first');
    expect(runs).toBe(1); // taken over by exactly one process
    const row = await db.selectFrom('jobRuns').selectAll().where('job', '=', 'test.lease').executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
    expect(row.attempts).toBe(2);
    expect([t.app.scheduler.instance, worker.instance]).toContain(row.claimedBy);
  });
});

/** The second app instance: scheduler-worker.ts in its own Node process, driven over IPC. */
class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(r: { ran: string[]; errors: string[] }): void; reject(e: Error): void }
  >();
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly instance: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'reply') p?.resolve({ ran: m.ran, errors: m.errors });
      else p?.reject(new Error(`scheduler worker: ${m.error}`));
    });
    child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`scheduler worker exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(env: Record<string, string>): Promise<WorkerProcess> {
    const script = fileURLToPath(new URL('./scheduler-worker.ts', import.meta.url));
    const child = fork(script, [], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)), // where tsx is installed
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const instance = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: WorkerMessage) =>
        m.type === 'ready' ? resolve(m.instance) : reject(new Error(`unexpected ${JSON.stringify(m)}`)),
      );
      child.once('exit', (code, signal) => reject(new Error(`scheduler worker exited at start (${code ?? signal})`)));
      child.once('error', reject);
    });
    return new WorkerProcess(child, instance);
  }

  private request(req: WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never) {
    const id = this.nextId++;
    return new Promise<{ ran: string[]; errors: string[] }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...req, id } as WorkerRequest);
    });
  }

  /** Sets the other process's clock to `now` and runs one tick there. */
  tick(now: number) {
    return this.request({ type: 'tick', now });
  }

  async register(name: string, at: string, leaseMs: number) {
    await this.request({ type: 'register', name, at, leaseMs });
  }

  /** Closes the app there (its pool too) and waits for the process to end. */
  async close() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.request({ type: 'close' }).catch(() => this.child.kill());
    }
    await this.exited;
  }
}
