import type { Kysely, Transaction } from 'kysely';
import type { NoticeKind } from '../../../../domain/notices.js';
import type { DB } from '../../db/types.js';
import { NoticesRepository } from './notices.repository.js';

export interface NoticeInput {
  userId: number;
  kind: NoticeKind | (string & {});
  severity?: 'info' | 'warning' | 'danger';
  title: string;
  body: string;
  link?: string | null;
  unitOrgId?: number | null;
  entity?: string | null;
  entityId?: string | number | null;
  /** rule:record:step:recipient (domain idemKey): the same key never makes a second notice. */
  idemKey: string;
}

const repo = new NoticesRepository();

/**
 * Creates a notice for one user inside the caller's transaction, with one delivery per channel out of
 * the app (e-mail when the user has an address, the webhook always); the scheduler's dispatcher sends
 * them. Channels switched off at sending time end as 'skipped'. Returns the new notice's id, or null
 * when a notice with this idempotency key already exists (nothing is written then).
 *
 * Other features: `await notify(trx, ctx.clock.now(), { userId, kind: 'handover', title, body, idemKey })`.
 */
export async function notify(trx: Transaction<DB> | Kysely<DB>, now: number, n: NoticeInput): Promise<number | null> {
  const user = await repo.userContact(trx, n.userId);
  if (!user || user.disabled) return null;
  const id = await repo.insertNotice(trx, {
    userId: n.userId,
    kind: n.kind,
    severity: n.severity ?? 'info',
    title: n.title.slice(0, 300),
    body: n.body,
    link: n.link ?? null,
    unitOrgId: n.unitOrgId ?? null,
    entity: n.entity ?? null,
    entityId: n.entityId === undefined || n.entityId === null ? null : String(n.entityId),
    idemKey: n.idemKey.slice(0, 300),
    createdAt: now,
  });
  if (id === null) return null;
  if (user.email) await repo.insertDelivery(trx, id, 'email', user.email, now);
  await repo.insertDelivery(trx, id, 'webhook', null, now);
  return id;
}
