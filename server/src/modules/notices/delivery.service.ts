import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { backoffMs, MAX_DELIVERY_ATTEMPTS } from '../../../../domain/notices.js';
import type { AppContext } from '../../platform/context.js';
import { NoticesRepository } from './notices.repository.js';

const LEASE_MS = 2 * 60_000;
const BATCH = 50;
const MAX_PER_PASS = 500;

/** The webhook's signature: HMAC-SM3 (hex) keyed with the shared secret, over `${timestamp}.${body}`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return crypto.createHmac('sm3', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('hex');
}
export const WEBHOOK_HEADERS = {
  timestamp: 'x-rectify-timestamp',
  signature: 'x-rectify-signature',
  delivery: 'x-rectify-delivery',
  idempotency: 'idempotency-key',
} as const;

type Outcome = { status: 'sent' } | { status: 'skipped'; reason: string } | { status: 'error'; reason: string };

/**
 * Sends the deliveries out of the app. Each is claimed by a conditional update (pending and due, or
 * sending with an expired lease) before anything goes out, so two instances never send the same one;
 * a failure goes back to pending after an exponential backoff, and after MAX_DELIVERY_ATTEMPTS it is
 * failed (the office can requeue it). A process killed between the receiver's acceptance and the
 * 'sent' record would send again after the lease: the Message-ID and the Idempotency-Key are stable
 * per notice and channel, so the receiver can recognise such a repeat.
 */
export class DeliveryService {
  private readonly repo = new NoticesRepository();
  private transport: { key: string; t: Transporter } | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly instance: string,
  ) {}

  /** One pass over the due deliveries; returns how many were claimed here, by outcome. */
  async dispatch(now: number) {
    const counts = { sent: 0, retry: 0, failed: 0, skipped: 0 };
    const smtp = await this.ctx.settings.get('system.smtp');
    const webhook = await this.ctx.settings.get('system.webhook');
    const smtpPassword = smtp.enabled ? await this.ctx.settings.secret('system.smtp', 'password') : null;
    const webhookSecret = webhook.enabled ? await this.ctx.settings.secret('system.webhook', 'secret') : null;
    let handled = 0;
    while (handled < MAX_PER_PASS) {
      const due = await this.repo.dueDeliveries(this.ctx.db, now, BATCH);
      if (!due.length) break;
      let claimedAny = false;
      for (const { id } of due) {
        handled++;
        if (!(await this.repo.claimDelivery(this.ctx.db, Number(id), this.instance, now, LEASE_MS))) continue;
        claimedAny = true;
        const d = await this.repo.deliveryWithNotice(this.ctx.db, Number(id));
        if (!d) continue;
        let outcome: Outcome;
        try {
          if (d.channel === 'email') {
            outcome = !smtp.enabled
              ? { status: 'skipped', reason: 'SMTP is switched off' }
              : !d.email
                ? { status: 'skipped', reason: 'no e-mail address' }
                : await this.sendEmail(smtp, smtpPassword, d);
          } else if (d.channel === 'webhook') {
            outcome = !webhook.enabled
              ? { status: 'skipped', reason: 'the webhook is switched off' }
              : !webhookSecret
                ? { status: 'skipped', reason: 'the webhook has no secret to sign with' }
                : await this.sendWebhook(webhook.url, webhookSecret, d);
          } else outcome = { status: 'skipped', reason: `unknown channel ${d.channel}` };
        } catch (err) {
          outcome = { status: 'error', reason: err instanceof Error ? err.message : String(err) };
        }
        const at = this.ctx.clock.now();
        if (outcome.status === 'sent') {
          await this.repo.finishDelivery(this.ctx.db, Number(id), this.instance, {
            status: 'sent',
            now: at,
            sentAt: at,
            lastError: null,
          });
          counts.sent++;
        } else if (outcome.status === 'skipped') {
          await this.repo.finishDelivery(this.ctx.db, Number(id), this.instance, {
            status: 'skipped',
            now: at,
            lastError: outcome.reason,
          });
          counts.skipped++;
        } else {
          const attempts = d.attempts; // already counts this one
          const final = attempts >= MAX_DELIVERY_ATTEMPTS;
          await this.repo.finishDelivery(this.ctx.db, Number(id), this.instance, {
            status: final ? 'failed' : 'pending',
            now: at,
            nextAttemptAt: at + backoffMs(attempts),
            lastError: outcome.reason,
          });
          if (final) counts.failed++;
          else counts.retry++;
        }
      }
      if (!claimedAny || due.length < BATCH) break;
    }
    return counts;
  }

  private transporter(smtp: { host: string; port: number; secure: boolean; user: string }, password: string | null) {
    const key = JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.user, password]);
    if (this.transport?.key === key) return this.transport.t;
    this.transport?.t.close();
    const t = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.transport = { key, t };
    return t;
  }

  private async sendEmail(
    smtp: { host: string; port: number; secure: boolean; user: string; from: string },
    password: string | null,
    d: { noticeId: number | bigint; title: string; body: string; email: string | null; displayName: string },
  ): Promise<Outcome> {
    await this.transporter(smtp, password).sendMail({
      from: smtp.from || smtp.user,
      to: { name: d.displayName, address: d.email ?? '' },
      subject: d.title,
      text: d.body,
      messageId: `<notice-${d.noticeId}-email@rectify>`,
      headers: { 'X-Rectify-Notice': String(d.noticeId) },
    });
    return { status: 'sent' };
  }

  private async sendWebhook(
    url: string,
    secret: string,
    d: NonNullable<Awaited<ReturnType<NoticesRepository['deliveryWithNotice']>>>,
  ): Promise<Outcome> {
    const body = JSON.stringify({
      id: Number(d.noticeId),
      idempotencyKey: d.idemKey,
      kind: d.kind,
      severity: d.severity,
      title: d.title,
      body: d.body,
      link: d.link,
      unitOrgId: d.unitOrgId === null ? null : Number(d.unitOrgId),
      entity: d.entity,
      entityId: d.entityId,
      createdAt: Number(d.createdAt),
      recipient: {
        userId: Number(d.userId),
        username: d.username,
        displayName: d.displayName,
        email: d.email,
        phone: d.phone,
      },
    });
    const timestamp = String(this.ctx.clock.now());
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: `hmac-sm3=${webhookSignature(secret, timestamp, body)}`,
        [WEBHOOK_HEADERS.delivery]: String(d.id),
        [WEBHOOK_HEADERS.idempotency]: `notice-${d.noticeId}-webhook`,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { status: 'sent' };
    return { status: 'error', reason: `HTTP ${res.status}` };
  }

  close() {
    this.transport?.t.close();
    this.transport = null;
  }
}
