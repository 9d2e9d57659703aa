/**
 * 催着改 (SPEC M14, M18): the warning chain's rules, the scheduler's periods and the delivery backoff.
 * Pure: dates are 'YYYY-MM-DD' in Asia/Shanghai (UTC+8, no daylight saving), instants epoch ms.
 */
import { addDays, parseDate } from './calendar.js';

export const CHAIN_RECIPIENTS = ['owner', 'leader_in_charge', 'principal', 'supervisors'] as const;
export type ChainRecipient = (typeof CHAIN_RECIPIENTS)[number];

export interface ChainStep {
  /** Days before the effective deadline; 0 = on the day, negative = days overdue. */
  daysBefore: number;
  recipient: ChainRecipient;
}

export const NOTICE_KINDS = ['deadline', 'overdue', 'stalled', 'meeting_missed', 'warning_signs', 'digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Calendar days from `today` to `deadline` (negative once it has passed). */
export function daysUntil(today: string, deadline: string): number {
  return Math.round((parseDate(deadline).getTime() - parseDate(today).getTime()) / 86_400_000);
}

/**
 * The steps due for a measure with `daysLeft` days to its deadline: every step whose threshold has
 * been reached. A step fires once per (measure, deadline, step, recipient) — the idempotency key — so
 * a daily run fires each step on its day, and a run after downtime still fires the steps whose day
 * fell inside the gap (once), instead of losing them.
 */
export function dueSteps(steps: readonly ChainStep[], daysLeft: number): ChainStep[] {
  return steps.filter((s) => daysLeft <= s.daysBefore);
}

/** The step's place in the chain: before the deadline a reminder, on or after it an overdue alert. */
export function stepKind(step: ChainStep): NoticeKind {
  return step.daysBefore > 0 ? 'deadline' : 'overdue';
}

/** rule:record:step:recipient — the unique key that makes a rerun add nothing. */
export function idemKey(rule: string, record: string, step: string, recipientUserId: number): string {
  return `${rule}:${record}:${step}:u${recipientUserId}`;
}

/** An open measure is stalled when its last progress (or, without any, its creation) is this old. */
export function isStalled(lastProgressAt: number | null, createdAt: number, now: number, stalledDays: number): boolean {
  return now - (lastProgressAt ?? createdAt) >= stalledDays * 86_400_000;
}

/** 日常工作代替整改: progress text that restates routine work, flagged for a person to review. */
export function looksLikeRoutineWork(text: string, phrases: readonly string[]): boolean {
  const t = text.replace(/\s+/g, '');
  return phrases.some((p) => p.trim() !== '' && t.includes(p.replace(/\s+/g, '')));
}

export const MAX_DELIVERY_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 6 * 3600_000;
/** Wait before the next attempt after `attempts` failed ones: 1, 2, 4 … minutes, at most 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

// --- Scheduler periods --------------------------------------------------------------------------

export type Schedule =
  | { kind: 'daily'; at: string } // 'HH:MM' local time
  | { kind: 'weekly'; weekday: number; at: string } // ISO weekday 1 = Monday
  | { kind: 'interval'; minutes: number };

const OFFSET_MS = 8 * 3600_000; // Asia/Shanghai

function localInstant(date: string, at: string): number {
  const [h, m] = at.split(':').map(Number);
  return parseDate(date).getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000 - OFFSET_MS;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a date. */
export function isoWeekday(date: string): number {
  const d = parseDate(date).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The latest scheduled instant at or before `now` and its period key. The scheduler runs a job for
 * this period only: periods missed while no instance was up are not replayed one by one — the run
 * of the latest period catches them all up once (the warning rules look at the state, not at the day).
 */
export function latestDue(schedule: Schedule, now: number): { periodKey: string; at: number } {
  if (schedule.kind === 'interval') {
    const step = schedule.minutes * 60_000;
    const n = Math.floor(now / step);
    return { periodKey: `i${schedule.minutes}-${n}`, at: n * step };
  }
  const today = new Date(now + OFFSET_MS).toISOString().slice(0, 10);
  for (let back = 0; back <= 7; back++) {
    const date = addDays(today, -back);
    if (schedule.kind === 'weekly' && isoWeekday(date) !== schedule.weekday) continue;
    const at = localInstant(date, schedule.at);
    if (at <= now) return { periodKey: schedule.kind === 'weekly' ? `w${date}` : date, at };
  }
  throw new Error('unreachable: a daily or weekly schedule is due within 8 days');
}

/** Seven days before `today`, the start of the digest's week. */
export function weekStart(today: string): string {
  return addDays(today, -7);
}
