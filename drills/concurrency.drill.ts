/**
 * Issue 10 §5 — concurrency. Against one real server process per database:
 *  1. 50 clients update the same 10 measures by read-modify-write with optimistic versions
 *     (PATCH /measures/:id {version, rulesEstablished: read + 1, ownerName: unique token}). Every 200
 *     must be reflected in the final rows (final counter = number of 200s, final version = 1 + 200s,
 *     final ownerName = the token of the last 200), every refusal a 409 CONFLICT_STALE, no 5xx.
 *  2. Brute force: 10 source addresses (X-Forwarded-For, TRUST_PROXY=true) × 100 accounts in parallel
 *     with wrong passwords: no account answers more than 5 password checks (401) before 423
 *     ACCOUNT_LOCKED, and a bystander nobody attacked still signs in.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Client, pool } from './support/client.js';
import { DATABASES, PG_URL, record, skipped } from './support/results.js';
import { CATEGORY, DRILL_PASSWORD, seed } from './support/seed.js';
import { type DrillServer, type Installation, newInstallation, startServer } from './support/server.js';

const CLIENTS = Number(process.env.DRILL_CONCURRENCY_CLIENTS || 50);
const OPS = Number(process.env.DRILL_CONCURRENCY_OPS || 20); // read-modify-writes per client
const MEASURES = 10;
const ADDRESSES = 10;
const ACCOUNTS = Number(process.env.DRILL_BRUTE_ACCOUNTS || 100);
// Tries per account from each address: 10 per account in all by default, twice the lockout threshold.
const WAVES = Number(process.env.DRILL_BRUTE_WAVES || 1);

describe.each(DATABASES)('concurrency on %s', (dialect) => {
  let inst: Installation | null = null;
  let server: DrillServer | null = null;
  const enabled = dialect === 'sqlite' || !!PG_URL;

  afterAll(async () => {
    await server?.stop();
    await inst?.drop();
  });

  it.runIf(enabled)(`${CLIENTS} clients updating the same ${MEASURES} measures lose no update`, async () => {
    inst = await newInstallation(dialect);
    const users = Array.from({ length: CLIENTS }, (_, i) => ({ username: `w${i + 1}`, role: 'office' as const }));
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ username: `v${i + 1}`, role: 'unit' as const }));
    const { roundUnitIds } = await seed(inst, {
      users: [...users, ...accounts, { username: 'bystander', role: 'unit' }],
    });
    server = await startServer(inst, { TRUST_PROXY: 'true' });
    const office = new Client(server.baseUrl);
    await office.login('w1', DRILL_PASSWORD);
    const created = await office.post(`/api/v1/round-units/${roundUnitIds[0]}/problems`, {
      number: 'D-1',
      categoryCode: CATEGORY,
      description: 'drill',
      source: 'feedback',
      severity: 'high',
      measures: Array.from({ length: MEASURES }, (_, i) => ({
        content: `measure ${i + 1}`,
        type: 'deadline',
        deadline: '2027-01-31',
      })),
    });
    expect(created.status, created.text).toBe(201);
    const measureIds: number[] = created.body.measures.map((m: { id: number }) => Number(m.id));

    const clients = await Promise.all(
      users.map(async (u) => {
        const c = new Client(server!.baseUrl);
        await c.login(u.username, DRILL_PASSWORD);
        return c;
      }),
    );
    const ok = new Map<number, { version: number; token: string }[]>(measureIds.map((id) => [id, []]));
    let conflicts = 0;
    let otherRefusals = 0;
    let serverErrors = 0;
    let networkErrors = 0;
    const unexpected: string[] = [];
    const t0 = Date.now();
    await Promise.all(
      clients.map(async (c, ci) => {
        for (let k = 0; k < OPS; k++) {
          const id = measureIds[Math.floor(Math.random() * measureIds.length)]!;
          const read = await c.get(`/api/v1/measures/${id}`);
          if (read.status !== 200) {
            if (read.status >= 500) serverErrors++;
            else if (read.status === 0) networkErrors++;
            unexpected.push(`GET ${read.status} ${read.text.slice(0, 200)}`);
            continue;
          }
          const token = `c${ci}-${k}`;
          const w = await c.patch(`/api/v1/measures/${id}`, {
            version: read.body.version,
            rulesEstablished: read.body.rulesEstablished + 1,
            ownerName: token,
          });
          if (w.status === 200) ok.get(id)!.push({ version: w.body.version, token });
          else if (w.status === 409 && w.body?.code === 'CONFLICT_STALE') conflicts++;
          else {
            if (w.status >= 500) serverErrors++;
            else if (w.status === 0) networkErrors++;
            else otherRefusals++;
            unexpected.push(`PATCH ${w.status} ${w.text.slice(0, 200)}`);
          }
        }
      }),
    );
    const seconds = (Date.now() - t0) / 1000;

    let lost = 0;
    let successes = 0;
    let notReflected = 0;
    for (const id of measureIds) {
      const finals = await office.get(`/api/v1/measures/${id}`);
      const wins = ok.get(id)!;
      successes += wins.length;
      lost += wins.length - finals.body.rulesEstablished;
      const last = wins.reduce((a, b) => (b.version > a.version ? b : a), { version: 1, token: '' });
      const versions = new Set(wins.map((w) => w.version));
      // every success got its own version, the final row is the last success, the counter counts them all
      if (
        versions.size !== wins.length ||
        finals.body.version !== 1 + wins.length ||
        finals.body.rulesEstablished !== wins.length ||
        (wins.length > 0 && finals.body.ownerName !== last.token)
      )
        notReflected++;
    }
    const attempts = CLIENTS * OPS;
    console.log(
      `[concurrency ${dialect}] ${attempts} read-modify-writes in ${seconds.toFixed(1)} s: ${successes} ok, ${conflicts} 409, ` +
        `${serverErrors} 5xx, ${otherRefusals} other, ${networkErrors} network; lost ${lost}`,
      unexpected.slice(0, 5),
    );
    record({
      drill: 'concurrency',
      database: dialect,
      figure: `2xx of ${attempts} writes (${CLIENTS} clients)`,
      value: successes,
      target: '> 0',
      pass: successes > 0,
    });
    record({
      drill: 'concurrency',
      database: dialect,
      figure: 'lost updates',
      value: lost,
      target: '0',
      pass: lost === 0,
    });
    record({
      drill: 'concurrency',
      database: dialect,
      figure: 'measures whose final row ≠ its 2xx',
      value: notReflected,
      target: '0',
      pass: notReflected === 0,
    });
    record({
      drill: 'concurrency',
      database: dialect,
      figure: 'refusals that are not 409 CONFLICT_STALE',
      value: otherRefusals + networkErrors,
      target: '0',
      pass: otherRefusals + networkErrors === 0,
    });
    record({
      drill: 'concurrency',
      database: dialect,
      figure: '409 CONFLICT_STALE',
      value: conflicts,
      target: '= writes − 2xx',
      pass: conflicts + successes === attempts,
    });
    record({
      drill: 'concurrency',
      database: dialect,
      figure: '5xx',
      value: serverErrors,
      target: '0',
      pass: serverErrors === 0,
    });
    expect({ lost, notReflected, serverErrors, otherRefusals, networkErrors }).toEqual({
      lost: 0,
      notReflected: 0,
      serverErrors: 0,
      otherRefusals: 0,
      networkErrors: 0,
    });
  });

  it.runIf(enabled)(
    `brute force from ${ADDRESSES} addresses on ${ACCOUNTS} accounts locks each after 5 tries`,
    async () => {
      expect(server, 'the concurrency drill starts the server').not.toBeNull();
      const tries = new Map<string, { checked: number; locked: number; other: string[] }>();
      for (let a = 1; a <= ACCOUNTS; a++) tries.set(`v${a}`, { checked: 0, locked: 0, other: [] });
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: ADDRESSES }, async (_, ai) => {
          const attacker = new Client(server!.baseUrl, { 'x-forwarded-for': `198.51.100.${ai + 1}` });
          const jobs: string[] = [];
          for (let w = 0; w < WAVES; w++) for (let a = 1; a <= ACCOUNTS; a++) jobs.push(`v${a}`);
          await pool(jobs, 10, async (username) => {
            const r = await attacker.request('POST', '/api/v1/auth/login', {
              username,
              password: `wrong-${Math.random()}`,
            });
            const t = tries.get(username)!;
            if (r.status === 401 && r.body?.code === 'INVALID_CREDENTIALS') t.checked++;
            else if (r.status === 423 && r.body?.code === 'ACCOUNT_LOCKED') t.locked++;
            else t.other.push(`${r.status} ${r.text.slice(0, 120)}`);
          });
        }),
      );
      const seconds = (Date.now() - t0) / 1000;
      const maxChecked = Math.max(...[...tries.values()].map((t) => t.checked));
      const others = [...tries.values()].flatMap((t) => t.other);
      const unlocked = [...tries.values()].filter((t) => t.locked === 0).length;
      const bystander = await new Client(server!.baseUrl, { 'x-forwarded-for': '198.51.100.1' }).request(
        'POST',
        '/api/v1/auth/login',
        { username: 'bystander', password: DRILL_PASSWORD },
      );
      console.log(
        `[brute force ${dialect}] ${ADDRESSES * WAVES * ACCOUNTS} wrong logins in ${seconds.toFixed(1)} s; ` +
          `max password checks per account ${maxChecked}; other answers ${others.length}`,
        others.slice(0, 5),
      );
      record({
        drill: 'brute-force',
        database: dialect,
        figure: `max tries answered per account (${ADDRESSES} addr × ${ACCOUNTS} accts × ${WAVES})`,
        value: maxChecked,
        target: '≤ 5',
        pass: maxChecked <= 5,
      });
      record({
        drill: 'brute-force',
        database: dialect,
        figure: 'attacked accounts not locked',
        value: unlocked,
        target: '0',
        pass: unlocked === 0,
      });
      record({
        drill: 'brute-force',
        database: dialect,
        figure: 'answers other than 401/423',
        value: others.length,
        target: '0',
        pass: others.length === 0,
      });
      record({
        drill: 'brute-force',
        database: dialect,
        figure: 'bystander login status',
        value: bystander.status,
        target: '200',
        pass: bystander.status === 200,
      });
      expect({ maxChecked, unlocked, others: others.length, bystander: bystander.status }).toEqual({
        maxChecked: 5,
        unlocked: 0,
        others: 0,
        bystander: 200,
      });
    },
  );

  it.skipIf(enabled)('needs TEST_DATABASE_URL', () => {
    skipped('concurrency', dialect, 'TEST_DATABASE_URL not set');
    skipped('brute-force', dialect, 'TEST_DATABASE_URL not set');
  });
});
