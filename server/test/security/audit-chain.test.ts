/**
 * M16 / GB/T 22239 §8.1.4.3 c–d: the audit log is tamper-evident and append-only, and no business
 * write commits without its audit record. The chain itself is pure (platform/audit/chain.ts), so
 * tampering is tried in memory on a log written by the real AuditService; the database half runs on
 * every dialect.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainHead,
  type ChainRow,
  GENESIS_HASH,
  headMac,
  rowHash,
  type StoredHead,
  type Unhashed,
  verifyChain,
  verifyChains,
} from '../../src/platform/audit/chain.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { expectProblem } from './support.js';

const TAMPER_RUNS = Number(process.env.AUDIT_TAMPER_RUNS ?? 1000);
const SEED = Number(process.env.FC_SEED ?? 20261127);

interface Log {
  rows: ChainRow[];
  head: ChainHead | null;
}
interface Tamper {
  kind: string;
  /** 1-based position of the first row (or the place after the last row) that must be reported. */
  expected: number;
  apply(log: Log): Log;
}

const clone = (log: Log): Log => ({ rows: log.rows.map((r) => ({ ...r })), head: log.head && { ...log.head } });
const HEX = '0123456789abcdef';
/** The same hex string with one character changed. */
const flipHex = (h: string, i: number, d: number) =>
  h.slice(0, i % h.length) + HEX[(HEX.indexOf(h[i % h.length]!) + 1 + (d % 15)) % 16] + h.slice((i % h.length) + 1);

/** Builds a chain with rowHash directly, as the service does, for synthetic clean logs. */
function chainOf(key: Buffer, contents: Omit<Unhashed, 'seq'>[]): Log {
  let prev = GENESIS_HASH;
  const rows = contents.map((c, i) => {
    const base = { ...c, seq: i + 1 };
    const hash = rowHash(key, prev, base);
    const row = { ...base, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  return { rows, head: { seq: rows.length, hash: prev, mac: headMac(key, rows.length, prev) } };
}

const contentArb = fc.record({
  at: fc.integer({ min: 0, max: 2 ** 48 }),
  actorId: fc.option(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { nil: null }),
  actorName: fc.option(fc.string({ maxLength: 20, unit: 'binary' }), { nil: null }),
  ip: fc.option(fc.ipV4(), { nil: null }),
  requestId: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  action: fc.constantFrom('org.create', 'auth.login', 'auth.login.failed', 'settings.update', 'user.update'),
  entity: fc.option(fc.constantFrom('organisation', 'user', 'setting'), { nil: null }),
  entityId: fc.option(fc.integer({ min: 1, max: 1e6 }).map(String), { nil: null }),
  before: fc.option(fc.json({ maxDepth: 2 }), { nil: null }),
  after: fc.option(fc.json({ maxDepth: 2 }), { nil: null }),
  result: fc.constantFrom('ok', 'denied', 'failed'),
});

/** Every kind of tampering, each knowing where verification must first complain. */
function tamperArb(key: Buffer, n: number): fc.Arbitrary<Tamper> {
  const pos = fc.integer({ min: 1, max: n });
  const edit = fc
    .tuple(
      pos,
      fc.constantFrom<keyof ChainRow>(
        'seq',
        'at',
        'actorId',
        'actorName',
        'ip',
        'requestId',
        'action',
        'entity',
        'entityId',
        'before',
        'after',
        'result',
        'prevHash',
        'hash',
      ),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.string({ maxLength: 30 }),
      fc.boolean(),
    )
    .map(
      ([p, field, delta, text, toNull]): Tamper => ({
        kind: `edit ${field}`,
        expected: p,
        apply(log) {
          const row = log.rows[p - 1]! as unknown as Record<string, unknown>;
          const old = row[field];
          if (field === 'prevHash' || field === 'hash') row[field] = flipHex(old as string, delta, delta);
          else if (field === 'seq' || field === 'at') row[field] = Number(old) + (delta % 2 ? delta : -delta);
          else if (field === 'actorId') row[field] = old === null || toNull === false ? Number(old ?? 0) + delta : null;
          else {
            const next = toNull && old !== null && field !== 'action' && field !== 'result' ? null : text;
            row[field] = next === old ? `${old ?? ''}x` : next;
          }
          return log;
        },
      }),
    );

  const twoEdits = fc
    .tuple(pos, pos, fc.constantFrom('actorName', 'after', 'at' as const), fc.string({ maxLength: 10 }))
    .map(
      ([p, q, field, text]): Tamper => ({
        kind: 'edit two rows',
        expected: Math.min(p, q),
        apply(log) {
          for (const i of new Set([p, q])) {
            const row = log.rows[i - 1]! as unknown as Record<string, unknown>;
            row[field] = field === 'at' ? Number(row.at) + 1 : `${String(row[field] ?? '')}${text}!`;
          }
          return log;
        },
      }),
    );

  const remove = pos.map(
    (p): Tamper => ({
      kind: p === n ? 'delete last row' : 'delete row',
      expected: p,
      apply(log) {
        log.rows.splice(p - 1, 1);
        return log;
      },
    }),
  );

  const swap = fc
    .tuple(pos, pos)
    .filter(([a, b]) => a !== b)
    .map(
      ([a, b]): Tamper => ({
        kind: 'swap rows',
        expected: Math.min(a, b),
        apply(log) {
          const r = log.rows;
          [r[a - 1], r[b - 1]] = [r[b - 1]!, r[a - 1]!];
          return log;
        },
      }),
    );

  const truncate = fc.integer({ min: 0, max: n - 1 }).map(
    (keep): Tamper => ({
      kind: 'truncate tail',
      expected: keep + 1,
      apply(log) {
        log.rows.length = keep;
        return log;
      },
    }),
  );

  const head = fc
    .tuple(fc.constantFrom('seq', 'hash', 'mac', 'delete', 'rollback'), fc.integer({ min: 1, max: n - 1 }))
    .map(
      ([what, k]): Tamper => ({
        kind: `head ${what}`,
        expected: n + 1,
        apply(log) {
          const h = log.head!;
          if (what === 'delete') log.head = null;
          else if (what === 'seq') h.seq = Number(h.seq) + (k % 2 ? k : -k);
          else if (what === 'hash') h.hash = flipHex(h.hash, k, k);
          else if (what === 'mac') h.mac = flipHex(h.mac, k, k);
          else {
            // A genuine older head (say, from a backup) put back while the rows stay.
            const older = log.rows[k - 1]!;
            log.head = { seq: k, hash: older.hash, mac: headMac(key, k, older.hash) };
          }
          return log;
        },
      }),
    );

  const forge = fc
    .tuple(fc.integer({ min: 1, max: n + 1 }), contentArb, fc.constantFrom('random hash', 'wrong key', 'plain SM3'))
    .map(
      ([p, content, how]): Tamper => ({
        kind: `insert forged row (${how})`,
        expected: p,
        apply(log) {
          const prev = p === 1 ? GENESIS_HASH : log.rows[p - 2]!.hash;
          const base = { ...content, seq: p };
          const hash =
            how === 'random hash'
              ? crypto.randomBytes(32).toString('hex')
              : how === 'wrong key'
                ? rowHash(crypto.randomBytes(32), prev, base)
                : crypto
                    .createHash('sm3')
                    .update(`${prev}|${JSON.stringify(base)}`)
                    .digest('hex');
          log.rows.splice(p - 1, 0, { ...base, prevHash: prev, hash });
          return log;
        },
      }),
    );

  const replay = fc.tuple(fc.integer({ min: 1, max: n + 1 }), pos).map(
    ([p, q]): Tamper => ({
      kind: 'insert a copy of a real row',
      // A copy of row p put just before row p checks out itself; the original then repeats its seq.
      expected: q === p ? p + 1 : p,
      apply(log) {
        log.rows.splice(p - 1, 0, { ...log.rows[q - 1]! });
        return log;
      },
    }),
  );

  const rechain = fc.tuple(pos, fc.string({ minLength: 1, maxLength: 10 })).map(
    ([p, text]): Tamper => ({
      kind: 'edit and re-chain with a guessed key',
      expected: p,
      apply(log) {
        const guessed = crypto.randomBytes(32);
        log.rows[p - 1]!.actorName = `${log.rows[p - 1]!.actorName ?? ''}${text}`;
        let prev = p === 1 ? GENESIS_HASH : log.rows[p - 2]!.hash;
        for (const row of log.rows.slice(p - 1)) {
          row.prevHash = prev;
          row.hash = rowHash(guessed, prev, row);
          prev = row.hash;
        }
        log.head = { seq: log.rows.length, hash: prev, mac: headMac(guessed, log.rows.length, prev) };
        return log;
      },
    }),
  );

  return fc.oneof(edit, edit, twoEdits, remove, swap, truncate, head, forge, replay, rechain);
}

describe('audit hash chain (pure)', () => {
  let t: TestApp;
  let key: Buffer;
  let clean: Log;

  beforeAll(async () => {
    // A few hundred real rows, written by the AuditService of a real app: sign-ins, failures, writes.
    t = await createTestApp('sqlite');
    await t.createUser({ username: 'sec', role: 'secadmin' });
    const sec = await t.login('sec');
    for (let i = 0; i < 40; i++) {
      const res = await sec.post('/api/v1/organisations', {
        parentId: null,
        code: `AUD-${i}`,
        name: `单位 ${i} <b>"'`,
        type: 'inspected_unit',
      });
      expect(res.statusCode).toBe(201);
      if (i % 5 === 0) await t.anonymous().post('/api/v1/auth/login', { username: `ghost${i}`, password: 'wrong' });
    }
    for (let i = 0; i < 260; i++) {
      t.clock.advance(1000 + i);
      await t.ctx.audit.recordAlone(
        {
          actorId: i % 7 ? i : null,
          actorName: i % 7 ? `用户${i}` : null,
          ip: `10.0.0.${i % 250}`,
          requestId: `r${i}`,
        },
        {
          action: ['org.update', 'file.download', 'export.ledger', 'user.update'][i % 4]!,
          entity: i % 3 ? 'organisation' : undefined,
          entityId: i % 3 ? i : null,
          before: i % 2 ? { name: `旧${i}`, password: 'never stored' } : undefined,
          after: { name: `新${i}`, note: '\u202e RTL 😀' },
          result: (['ok', 'denied', 'failed'] as const)[i % 3],
        },
      );
    }
    key = t.ctx.audit.chainKey;
    const rows: ChainRow[] = [];
    for await (const r of t.ctx.audit.repo.scan(t.ctx.db)) rows.push(r);
    clean = { rows, head: (await t.ctx.audit.repo.head(t.ctx.db)) ?? null };
  });
  afterAll(() => t.close());

  it('verifies the untouched log, and every genuine prefix of it, without a false alarm', async () => {
    const n = clean.rows.length;
    expect(n).toBeGreaterThanOrEqual(300);
    expect(await verifyChain(key, clean.rows, clean.head)).toEqual({ ok: true, checked: n });
    expect(await t.ctx.audit.verify()).toEqual({ ok: true, checked: n });
    for (let k = 0; k <= n; k++) {
      const hash = k ? clean.rows[k - 1]!.hash : GENESIS_HASH;
      const r = await verifyChain(key, clean.rows.slice(0, k), { seq: k, hash, mac: headMac(key, k, hash) });
      expect(r, `prefix ${k}`).toEqual({ ok: true, checked: k });
    }
    expect(JSON.stringify(clean.rows)).not.toContain('never stored'); // secrets are redacted before hashing
  });

  it('raises no false alarm on 200 random clean logs', async () => {
    let clean200 = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(contentArb, { maxLength: 40 }), async (contents) => {
        const log = chainOf(key, contents);
        expect(await verifyChain(key, log.rows, log.head)).toEqual({ ok: true, checked: contents.length });
        clean200++;
      }),
      { numRuns: 200, seed: SEED },
    );
    expect(clean200).toBe(200);
  });

  it(`detects ${TAMPER_RUNS} random tamperings, each at the expected position`, async () => {
    const n = clean.rows.length;
    const kinds = new Map<string, number>();
    let detected = 0;
    await fc.assert(
      fc.asyncProperty(tamperArb(key, n), async (tamper) => {
        const log = tamper.apply(clone(clean));
        const r = await verifyChain(key, log.rows, log.head);
        expect(r.ok, tamper.kind).toBe(false);
        expect(r.firstBad?.position, `${tamper.kind}: ${r.firstBad?.reason}`).toBe(tamper.expected);
        detected++;
        kinds.set(tamper.kind, (kinds.get(tamper.kind) ?? 0) + 1);
      }),
      { numRuns: TAMPER_RUNS, seed: SEED, endOnFailure: true },
    );
    const summary = [...kinds].sort().map(([k, c]) => `${k}: ${c}`);
    console.log(
      `audit-chain: ${detected}/${TAMPER_RUNS} tamperings detected at the right position\n  ${summary.join('\n  ')}`,
    );
    expect(detected).toBe(TAMPER_RUNS);
    for (const k of ['delete row', 'swap rows', 'truncate tail', 'head mac', 'head delete', 'edit hash', 'edit seq']) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });

  it('names the first bad position for each kind of damage (worked examples)', async () => {
    const n = clean.rows.length;
    const at = async (f: (l: Log) => unknown) => {
      const l = clone(clean);
      f(l);
      return (await verifyChain(key, l.rows, l.head)).firstBad;
    };
    const edited = await at((l) => {
      l.rows[9]!.action = 'nothing.happened';
    });
    expect(edited).toMatchObject({ position: 10, seq: 10, reason: 'row content does not match its hash' });
    expect(await at((l) => l.rows.splice(4, 1))).toMatchObject({ position: 5, seq: 6 });
    const truncated = await at((l) => {
      l.rows.length = 100;
    });
    expect(truncated).toMatchObject({ position: 101, seq: 101 });
    const headless = await at((l) => {
      l.head = null;
    });
    expect(headless).toMatchObject({ position: n + 1, reason: 'head record missing' });
    const behind = await at((l) => {
      l.head!.seq = n - 1;
    });
    expect(behind).toMatchObject({ position: n + 1, reason: 'head record altered' });
  });
});

/** A log over several chains as PostgreSQL writes it: rows interleaved, seqs rising with gaps. */
function chainsOf(
  key: Buffer,
  items: { content: Omit<Unhashed, 'seq'>; chain: number; gap: number }[],
  chains: number,
) {
  const tails = Array.from({ length: chains + 1 }, () => ({ seq: 0, hash: GENESIS_HASH }));
  let seq = 0;
  const rows: ChainRow[] = items.map(({ content, chain, gap }) => {
    seq += 1 + gap; // a rolled-back writer leaves its seq unused
    const base = { ...content, seq, chain };
    const tail = tails[chain]!;
    const hash = rowHash(key, tail.hash, base);
    const row = { ...base, prevHash: tail.hash, hash };
    tails[chain] = { seq, hash };
    return row;
  });
  const heads: StoredHead[] = tails
    .slice(1)
    .map((t, i) => ({ id: i + 1, seq: t.seq, hash: t.hash, mac: headMac(key, t.seq, t.hash, i + 1) }));
  return { rows, heads };
}

describe('audit hash chains (pure)', () => {
  const key = crypto.randomBytes(32);
  const K = 4;
  const itemArb = fc.record({
    content: contentArb,
    chain: fc.integer({ min: 1, max: K }),
    gap: fc.constantFrom(0, 0, 0, 2),
  });
  const logArb = fc.array(itemArb, { minLength: 8, maxLength: 40 }).filter((items) => {
    // every chain used, so that each kind of damage has a place to happen
    return new Set(items.map((i) => i.chain)).size === K;
  });
  const verify = (l: { rows: ChainRow[]; heads: StoredHead[] }) => verifyChains(key, l.rows, l.heads, K);
  const copy = (l: { rows: ChainRow[]; heads: StoredHead[] }) => ({
    rows: l.rows.map((r) => ({ ...r })),
    heads: l.heads.map((h) => ({ ...h })),
  });

  it('verifies 200 random interleaved logs with gaps in the seq, without a false alarm', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async (items) => {
        const log = chainsOf(key, items, K);
        expect(await verify(log)).toEqual({ ok: true, checked: items.length });
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('finds a row moved to another chain, a chain cut short, and a head missing, swapped or reset', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(logArb, fc.nat(), fc.integer({ min: 1, max: K - 1 }), async (items, pick, shift) => {
        const clean = chainsOf(key, items, K);
        const n = clean.rows.length;
        const p = (pick % n) + 1;
        const row = clean.rows[p - 1]!;
        const chain = Number(row.chain);
        const other = ((chain - 1 + shift) % K) + 1;

        const moved = copy(clean);
        moved.rows[p - 1]!.chain = other;
        expect((await verify(moved)).firstBad?.position, 'row moved to another chain').toBe(p);

        // The last row of one chain deleted: its chain ends early; every row read checks out.
        const lastOf = clean.rows.map((r) => r.chain).lastIndexOf(chain);
        const cut = copy(clean);
        cut.rows.splice(lastOf, 1);
        const cutBad = (await verify(cut)).firstBad;
        expect(cutBad, 'chain cut short').toMatchObject({ position: n, chain });
        expect(cutBad?.reason).toMatch(/truncated/);

        const headless = copy(clean);
        headless.heads = headless.heads.filter((h) => h.id !== other);
        expect((await verify(headless)).firstBad, 'head missing').toMatchObject({
          position: n + 1,
          chain: other,
          reason: 'head record missing',
        });

        // Two genuine heads under each other's chain: a head's MAC names its chain.
        const swapped = copy(clean);
        const a = swapped.heads[chain - 1]!;
        const b = swapped.heads[other - 1]!;
        [a.id, b.id] = [b.id, a.id];
        expect((await verify(swapped)).firstBad?.reason, 'heads swapped').toBe('head record altered');

        // A chain's rows dropped and its head put back to genesis with another chain's genesis MAC.
        const reset = copy(clean);
        reset.rows = reset.rows.filter((r) => r.chain !== chain);
        reset.heads[chain - 1] = { id: chain, seq: 0, hash: GENESIS_HASH, mac: headMac(key, 0, GENESIS_HASH, other) };
        expect((await verify(reset)).firstBad?.reason, 'chain reset').toBe('head record altered');
        runs++;
      }),
      { numRuns: 200, seed: SEED },
    );
    expect(runs).toBe(200);
  });

  it('accepts a log from before chains (chain 1 only, one head) and no longer once chains have heads', async () => {
    const old = chainOf(key, [
      {
        at: 1,
        actorId: null,
        actorName: null,
        ip: null,
        requestId: null,
        action: 'org.create',
        entity: null,
        entityId: null,
        before: null,
        after: null,
        result: 'ok',
      },
      {
        at: 2,
        actorId: 7,
        actorName: 'a',
        ip: null,
        requestId: 'r',
        action: 'user.update',
        entity: 'user',
        entityId: '7',
        before: null,
        after: '{}',
        result: 'ok',
      },
    ]);
    const rows = old.rows.map(({ chain: _, ...r }) => r); // no chain column yet
    expect(await verifyChains(key, rows, [{ ...old.head!, id: 1 }], 16)).toEqual({ ok: true, checked: 2 });
    // Once the application has given chains 2… their heads, each one is needed.
    const heads: StoredHead[] = [{ ...old.head!, id: 1 }];
    for (let c = 2; c <= 16; c++)
      heads.push({ id: c, seq: 0, hash: GENESIS_HASH, mac: headMac(key, 0, GENESIS_HASH, c) });
    expect(await verifyChains(key, rows, heads, 16)).toEqual({ ok: true, checked: 2 });
    expect(
      (
        await verifyChains(
          key,
          rows,
          heads.filter((h) => h.id !== 9),
          16,
        )
      ).firstBad,
    ).toMatchObject({
      chain: 9,
      reason: 'head record missing',
    });
  });
});

describe.each(DIALECTS)('audit log in the database on %s', (dialect) => {
  let t: TestApp;
  let sec: Agent;
  let auditor: Agent;
  const count = async () =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log`.execute(t.ctx.db)).rows[0]!.n);
  const orgExists = async (code: string) =>
    !!(await t.ctx.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst());

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.createUser({ username: 'sec', role: 'secadmin' });
    await t.createUser({ username: 'aud', role: 'auditor' });
    sec = await t.login('sec');
    auditor = await t.login('aud');
    for (let i = 0; i < 5; i++) {
      const r = await sec.post('/api/v1/organisations', {
        parentId: null,
        code: `DB-${i}`,
        name: `单位${i}`,
        type: 'other',
      });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('refuses UPDATE, DELETE and wholesale deletion of audit rows in the database itself', async () => {
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(7);
    await expect(sql`UPDATE audit_log SET action = 'forged' WHERE seq = 2`.execute(t.ctx.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`UPDATE audit_log SET after = NULL`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 3`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      await expect(sql`TRUNCATE audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    }
    expect(await count()).toBe(before);
    expect(await t.ctx.audit.verify()).toEqual({ ok: true, checked: before });
  });

  it('does not commit a business write whose audit record cannot be written (head missing)', async () => {
    const heads = await t.ctx.db.selectFrom('auditHead').selectAll().execute();
    expect(heads.length).toBe(dialect === 'postgres' ? 16 : 1);
    const before = await count();
    await t.ctx.db.deleteFrom('auditHead').execute();
    try {
      const res = await sec.post('/api/v1/organisations', {
        parentId: null,
        code: 'NO-AUDIT-1',
        name: '无审计',
        type: 'other',
      });
      expectProblem(res, 500, 'INTERNAL');
      expect(res.body).not.toContain('audit head missing');
    } finally {
      await t.ctx.db.insertInto('auditHead').values(heads).execute();
    }
    expect(await orgExists('NO-AUDIT-1')).toBe(false);
    expect(await count()).toBe(before);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('does not commit a business write whose audit insert fails (sequence taken)', async () => {
    const head = await t.ctx.db
      .selectFrom('auditHead')
      .select(['seq', 'hash', 'mac'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const before = await count();
    const last = await t.ctx.audit.repo.lastSeq(t.ctx.db);
    // Put the seq one row back: the next audit row collides with an existing seq and the insert fails.
    // SQLite takes it from the head, PostgreSQL from a sequence.
    if (dialect === 'postgres') await sql`SELECT setval('audit_log_seq', ${last - 1})`.execute(t.ctx.db);
    else
      await t.ctx.db
        .updateTable('auditHead')
        .set({ seq: Number(head.seq) - 1 })
        .where('id', '=', 1)
        .execute();
    try {
      const res = await sec.post('/api/v1/organisations', {
        parentId: null,
        code: 'NO-AUDIT-2',
        name: '无审计',
        type: 'other',
      });
      expectProblem(res, 500, 'INTERNAL');
    } finally {
      if (dialect === 'postgres') await sql`SELECT setval('audit_log_seq', ${last})`.execute(t.ctx.db);
      else await t.ctx.db.updateTable('auditHead').set(head).where('id', '=', 1).execute();
    }
    expect(await orgExists('NO-AUDIT-2')).toBe(false);
    expect(await count()).toBe(before);
    // …and the same write goes through once the log can take it.
    const ok = await sec.post('/api/v1/organisations', {
      parentId: null,
      code: 'NO-AUDIT-2',
      name: '有审计',
      type: 'other',
    });
    expect(ok.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('catches an audit row overwritten with INSERT OR REPLACE (SQLite fires no DELETE trigger for it)', async () => {
    if (dialect !== 'sqlite') {
      await expect(
        sql`INSERT INTO audit_log SELECT * FROM audit_log WHERE seq = 1 ON CONFLICT (seq) DO UPDATE SET action = 'x'`.execute(
          t.ctx.db,
        ),
      ).rejects.toThrow(/append-only/);
      return;
    }
    const replace = (name: string) => sql`INSERT OR REPLACE INTO audit_log
      SELECT seq, at, actor_id, ${name}, ip, request_id, action, entity, entity_id, before, after, result, prev_hash, hash, chain
      FROM audit_log WHERE seq = 2`;
    const original = (
      await sql<{ actorName: string }>`SELECT actor_name FROM audit_log WHERE seq = 2`.execute(t.ctx.db)
    ).rows[0]!.actorName;
    let replaced = true;
    try {
      await replace('mallory').execute(t.ctx.db);
    } catch (e) {
      expect(String(e)).toMatch(/append-only/);
      replaced = false;
    }
    const verdict = await t.ctx.audit.verify();
    if (replaced) {
      expect(verdict).toMatchObject({ ok: false, firstBad: { position: 2, seq: 2 } });
      await replace(original).execute(t.ctx.db); // put it back for the next test
      expect((await t.ctx.audit.verify()).ok).toBe(true);
    } else expect(verdict.ok).toBe(true);
  });

  it('spreads concurrent writers over the chains (PostgreSQL); one transaction keeps to one chain', async () => {
    const before = await count();
    const ctx = { actorId: null, actorName: 'chains', ip: null, requestId: null };
    const writes = Array.from({ length: 40 }, (_, i) =>
      t.ctx.db.transaction().execute(async (trx) => {
        await t.ctx.audit.record(trx, ctx, { action: 'test.first', entityId: i });
        // held a moment, so that the others must find other chains
        if (dialect === 'postgres') await sql`SELECT pg_sleep(0.01)`.execute(trx);
        await t.ctx.audit.record(trx, ctx, { action: 'test.second', entityId: i });
      }),
    );
    if (dialect === 'postgres') await Promise.all(writes);
    else for (const w of writes) await w;
    const rows = await t.ctx.db
      .selectFrom('auditLog')
      .select(['seq', 'chain', 'action', 'entityId'])
      .where('action', 'like', 'test.%')
      .execute();
    expect(rows.length).toBe(80);
    expect(await count()).toBe(before + 80);
    const chainOfWrite = new Map<string, Set<number>>();
    for (const r of rows)
      chainOfWrite.set(r.entityId!, (chainOfWrite.get(r.entityId!) ?? new Set()).add(Number(r.chain)));
    expect([...chainOfWrite.values()].every((c) => c.size === 1)).toBe(true);
    const used = new Set(rows.map((r) => Number(r.chain)));
    if (dialect === 'postgres') expect(used.size).toBeGreaterThan(1);
    else expect([...used]).toEqual([1]);
    expect(new Set(rows.map((r) => Number(r.seq))).size).toBe(80);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('makes a writer wait for a chain when every chain is taken, then append after it (PostgreSQL)', async () => {
    if (dialect !== 'postgres') return;
    const before = await count();
    let written = false;
    let pending: Promise<void> | undefined;
    await t.ctx.db.transaction().execute(async (holder) => {
      const held = await sql`SELECT id FROM audit_head FOR UPDATE`.execute(holder);
      expect(held.rows.length).toBe(16);
      pending = t.ctx.audit
        .recordAlone({ actorId: null, actorName: 'waiter', ip: null, requestId: null }, { action: 'test.wait' })
        .then(() => {
          written = true;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(written).toBe(false);
    });
    await pending;
    expect(written).toBe(true);
    expect(await count()).toBe(before + 1);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('lets the auditor find a row edited behind the trigger, by position', async () => {
    const clean = await auditor.get('/api/v1/audit/verify');
    expect(clean.statusCode).toBe(200);
    expect(clean.json().ok).toBe(true);
    if (dialect === 'postgres') await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.ctx.db);
    else await sql`DROP TRIGGER audit_log_no_update`.execute(t.ctx.db);
    await sql`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 4`.execute(t.ctx.db);
    const res = await auditor.get('/api/v1/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, firstBad: { position: 4, seq: 4 } });
  });
});
