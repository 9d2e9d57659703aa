import { ledgerRecords, nextSerial, type ScopedRead } from '../records.js';

/** The handover feature's reads by path parameter (see route-table.test.ts). */
export const HANDOVER_SCOPED_READS: Record<string, ScopedRead> = {
  // 整改责任交接 (M18) belongs to its round-unit: whoever sees the round-unit sees its handovers.
  'GET /api/v1/round-units/:id/responsibility-handovers': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/responsibility-handovers/:id': {
    adminsSeeAll: false,
    make: async (t, o) => {
      const { roundUnit } = await ledgerRecords(t, o);
      const recorder = await t.createUser({ username: `rh_${o}_${nextSerial()}`, role: 'unit', orgId: o });
      const r = await t.ctx.db
        .insertInto('responsibilityHandovers')
        .values({
          roundUnitId: roundUnit,
          unitOrgId: o,
          fromUserId: null,
          fromName: '张三',
          toUserId: null,
          toName: '李四',
          effectiveDate: '2026-11-20',
          reason: '工作调动',
          measureCount: 0,
          recordedBy: recorder,
          createdAt: t.clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
  },
};

/** Its reads by path parameter that are not about one organisation's records, and why. */
export const HANDOVER_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/handovers/:id':
    'a handover (M9) is seen by the relation of the receiving bodies, not by ROLE_SCOPE: the office all, the 党风政风室 it was addressed to, the supervision offices its items were dispatched to, no one else (the leadership and units included) — proven in test/integration/handover.test.ts',
  'GET /api/v1/handover-items/:id':
    "a handed-over item is seen by the office, the receiving 党风政风室 and the supervision office it was dispatched to — even outside that office's liaison units — and by no one else; proven in test/integration/handover.test.ts",
};
