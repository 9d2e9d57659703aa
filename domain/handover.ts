/**
 * Handover (移交, SPEC M9): the states of one handed-over problem and who may move it, as one table
 * shared by the server (which enforces it) and the web app (which offers only legal moves).
 *
 *   handed_over ──accept (党风政风室)──▶ accepted ──dispatch (党风政风室)──▶ dispatched ──conclude (监督室)──▶ concluded
 *        └──return (党风政风室, with a reason, before accepting)──▶ returned
 *   dispatched ──note (the supervision office it was dispatched to)──▶ dispatched
 *
 * `returned` and `concluded` are final: the office hands a returned problem over again in a new
 * handover if it still wants to.
 */
import type { Role } from './roles.js';

export const HANDOVER_ITEM_STATUSES = [
  'handed_over', // 移交
  'accepted', // 已接收 (in the 党风政风室's supervision responsibility list, 监督责任清单)
  'dispatched', // 已分派 (in a supervision office's supervision ledger, 监督台账)
  'concluded', // 已办结
  'returned', // 已退回 (to the inspection office, with a reason)
] as const;
export type HandoverItemStatus = (typeof HANDOVER_ITEM_STATUSES)[number];

export const HANDOVER_ACTIONS = ['accept', 'return', 'dispatch', 'note', 'conclude'] as const;
export type HandoverAction = (typeof HANDOVER_ACTIONS)[number];

/** Why a problem may be handed over: it has a 长期坚持 measure not yet closed, or a measure not done. */
export const HANDOVER_KINDS = ['long_term', 'unrectified'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

/** Each action: from which state, to which state, by which role. */
export const HANDOVER_MOVES: Record<HandoverAction, { from: HandoverItemStatus; to: HandoverItemStatus; role: Role }> =
  {
    accept: { from: 'handed_over', to: 'accepted', role: 'discipline' },
    return: { from: 'handed_over', to: 'returned', role: 'discipline' },
    dispatch: { from: 'accepted', to: 'dispatched', role: 'discipline' },
    note: { from: 'dispatched', to: 'dispatched', role: 'supervisor' },
    conclude: { from: 'dispatched', to: 'concluded', role: 'supervisor' },
  };

/** The items that are still live (a problem is in at most one live handover). */
export const LIVE_HANDOVER_STATUSES: readonly HandoverItemStatus[] = ['handed_over', 'accepted', 'dispatched'];

export type HandoverDecision =
  | { ok: true; to: HandoverItemStatus }
  | { ok: false; reason: 'role' | 'state'; from: string; to: HandoverItemStatus };

/**
 * Whether `role` may take `action` on an item in `from`. A role other than the table's is refused
 * before the state is looked at (the server answers 403); a wrong state is refused as 409.
 */
export function decideHandover(from: string, action: HandoverAction, role: Role): HandoverDecision {
  const move = Object.hasOwn(HANDOVER_MOVES, action) ? HANDOVER_MOVES[action] : undefined;
  if (!move) return { ok: false, reason: 'state', from, to: from as HandoverItemStatus };
  if (role !== move.role) return { ok: false, reason: 'role', from, to: move.to };
  if (from !== move.from) return { ok: false, reason: 'state', from, to: move.to };
  return { ok: true, to: move.to };
}

/** The actions open on an item in `status` for `role` (what the web app offers). */
export function handoverActions(status: string, role: Role): HandoverAction[] {
  return HANDOVER_ACTIONS.filter((a) => decideHandover(status, a, role).ok);
}

/**
 * Which kind a problem is handed over as, from its measures; null when it may not be handed over
 * (every measure done, none of them a 长期坚持 measure still open, or no measures at all).
 * Long-term wins when both apply: it is the stronger reason for lasting supervision.
 */
export function handoverKind(
  measures: readonly { type: string; status: string; isDone: boolean }[],
): HandoverKind | null {
  if (measures.some((m) => m.type === 'long_term' && m.status !== 'closed')) return 'long_term';
  if (measures.some((m) => !m.isDone)) return 'unrectified';
  return null;
}
