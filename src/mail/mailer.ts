import type { createTransport, Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { enqueueJob } from '../jobs/queue.js';
import { insertOutboxMessage } from './repository.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Sends now; used by the mail job, never directly by a request. */
  deliver(message: MailMessage): Promise<void>;
  readonly transport: 'smtp' | 'outbox';
}

export const MAIL_JOB = 'mail.send';

/**
 * SMTP when SMTP_URL is set. Otherwise nodemailer still builds the real message (headers,
 * encoding) and it is kept in the outbox table, readable by administrators in demo mode.
 */
export function createMailer(options: { smtpUrl?: string; from: string; db: Database; clock: Clock }): Mailer {
  // nodemailer is loaded when the first mail leaves (the job worker), not at start (docs/decisions/0039).
  let transporter: Promise<Transporter> | undefined;
  const transport = (settings: Parameters<typeof createTransport>[0]) =>
    (transporter ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(settings)));
  if (options.smtpUrl) {
    const smtpUrl = options.smtpUrl;
    return {
      transport: 'smtp',
      async deliver(message) {
        await (await transport(smtpUrl)).sendMail({ from: options.from, ...message });
      },
    };
  }
  return {
    transport: 'outbox',
    async deliver(message) {
      const builder = await transport({ streamTransport: true, buffer: true, newline: 'unix' });
      const info = await builder.sendMail({ from: options.from, ...message });
      await insertOutboxMessage(options.db, {
        to_address: message.to,
        subject: message.subject,
        text_body: message.text,
        raw_message: (info.message as Buffer).toString('utf8'),
        created_at: options.clock.now(),
      });
    },
  };
}

/** Queues a mail in the caller's transaction: it leaves only if the change commits. */
export async function queueMail(db: Kysely<DB>, now: Date, message: MailMessage): Promise<void> {
  await enqueueJob(db, now, MAIL_JOB, { ...message });
}

export function mailJobHandler(mailer: Mailer) {
  return async (payload: Record<string, unknown>) => {
    const { to, subject, text } = payload as unknown as MailMessage;
    await mailer.deliver({ to, subject, text });
  };
}
