import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, type Message } from '../../db/entities/index.js';
import { fill, textsFor } from '../../lib/i18n/index.js';
import type { OutboxSender } from '../../mail/outbox.js';
import { textToHtml } from '../../mail/render.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { findBrandName } from '../settings/settings.js';
import { chatHistory } from './messages.js';
import type { VisitorSession } from './sessions.js';
import { brandOf } from './site.js';

/** One transcript mail a minute per chat: enough for a visitor, useless for flooding. */
export const TRANSCRIPT_COOLDOWN_MS = 60_000;

export interface TranscriptDeps {
  clock: Clock;
  outbox: OutboxSender;
}

/**
 * Mails the conversation, as the visitor sees it, to the chat's verified address (only a
 * verified one: the mail must not become a way to send text to anybody's inbox), in the
 * chat's language, through the outbox.
 */
export async function emailTranscript(em: EntityManager, deps: TranscriptDeps, session: VisitorSession): Promise<{ email: string }> {
  const email = session.verifiedEmail;
  if (!email) {
    throw new DomainError('BAD_REQUEST', textsFor(session.locale).errors.transcriptVerifyFirst);
  }
  const now = deps.clock.now();
  // Claimed in one statement, so parallel requests (or several server processes) send one mail.
  const claimed = await em.nativeUpdate(
    ChatSession,
    { id: session.id, $or: [{ transcriptSentAt: null }, { transcriptSentAt: { $lte: new Date(now.getTime() - TRANSCRIPT_COOLDOWN_MS) } }] },
    { transcriptSentAt: now },
  );
  if (!claimed) {
    throw new DomainError('TOO_MANY_REQUESTS', textsFor(session.locale).errors.transcriptTooSoon, Math.ceil(TRANSCRIPT_COOLDOWN_MS / 1000));
  }
  const t = textsFor(session.locale);
  const brand = brandOf(await findBrandName(em), session.origin);
  const messages = await chatHistory(em, session);
  const who = (message: Message) =>
    message.author === 'visitor' ? t.transcriptVisitor : message.author === 'ai' ? t.transcriptAssistant : t.transcriptTeam;
  const text = [fill(t.transcriptIntro, { brand }), '', ...messages.map((m) => `${who(m)} (${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC):\n${m.body}\n`)].join('\n');
  deps.outbox.queue(em, { to: email, subject: fill(t.transcriptSubject, { brand }), text, html: textToHtml(text) });
  await em.flush();
  deps.outbox.wake();
  return { email };
}
