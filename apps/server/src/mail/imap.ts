import { ImapFlow } from 'imapflow';
import { UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/sqlite';
import { MailboxCursor } from '../db/entities/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { parseInboundMail, type InboundMail } from './inbound.js';

/** Where a message sits: its unique key across restarts and servers. */
export interface MailboxKey {
  mailbox: string;
  uidValidity: number;
  uid: number;
}

/** What IMAP_URL says: `imaps://user:pass@host:993/INBOX` (imap:// for a plain local server). */
export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
}

/** Reads IMAP_URL; throws a message naming the problem but never the password. */
export function parseImapUrl(value: string): ImapTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('must be a URL such as imaps://user:password@imap.example.com:993/INBOX');
  }
  if (url.protocol !== 'imaps:' && url.protocol !== 'imap:') throw new Error('must start with imaps:// (or imap://)');
  if (!url.hostname) throw new Error('must name the IMAP host');
  if (!url.username || !url.password) throw new Error('must carry the user and password: imaps://user:password@host/INBOX');
  const secure = url.protocol === 'imaps:';
  const port = url.port ? Number(url.port) : secure ? 993 : 143;
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  if (mailbox.length > 200) throw new Error('names a mailbox longer than 200 characters');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox,
  };
}

export interface MailboxReaderOptions {
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  target: ImapTarget;
  maxAttachmentBytes: number;
  /** Larger messages are not downloaded: their headers are kept with a note. */
  maxMessageBytes?: number;
  /** Looks again this often even when IDLE says nothing (or the server has no IDLE). */
  pollMs?: number;
  /** Stores one mail and acts on it, exactly once per key; resolves once it is stored. */
  handle(mail: InboundMail, key: MailboxKey): Promise<void>;
  /** Connect attempts after a failure wait this long (and up to 5 min). */
  reconnectMs?: number;
}

/**
 * Reads the support mailbox. New messages arrive by IDLE (where the server has it) or by the
 * poll; each is stored through `handle` and only then flagged \Seen. The database, not this
 * object, remembers how far the mailbox has been read (`mailbox_cursor`), and the stored
 * mail's unique key (mailbox, UIDVALIDITY, UID) makes a second reader — another server, or
 * this one after a crash between storing and flagging — skip what is already stored.
 */
export class MailboxReader {
  private client: ImapFlow | null = null;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private readonly pollMs: number;

  constructor(private readonly options: MailboxReaderOptions) {
    this.pollMs = options.pollMs ?? 60_000;
  }

  async start(): Promise<void> {
    this.started = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client) await client.logout().catch(() => client.close());
  }

  /** Something may have arrived: read the mailbox now. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One pass: connects if needed and stores every new message. Tests call it directly. */
  async runOnce(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce()
        .then(() => {
          this.failures = 0;
        })
        .catch((error: unknown) => {
          this.failures++;
          this.options.log.warn('reading the support mailbox failed; will retry', { error: describe(error), failures: this.failures });
          this.dropClient();
        })
        .finally(() => {
          if (this.again) {
            this.again = false;
            this.schedule(0);
          } else {
            const backoff = Math.min(5 * 60_000, (this.options.reconnectMs ?? 5_000) * 2 ** Math.max(0, this.failures - 1));
            this.schedule(this.failures ? backoff : this.pollMs);
          }
        });
    }, delayMs);
    this.timer.unref();
  }

  private dropClient(): void {
    const client = this.client;
    this.client = null;
    client?.close();
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.dropClient();
    const { target } = this.options;
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.password },
      // imapflow's own logger would print protocol lines (and addresses); ours logs outcomes.
      logger: false,
      // This connection only reads the box: go into IDLE as soon as a pass is over (the
      // default waits 15 s). Without IDLE on the server, a NOOP every so often does it.
      autoIdleDelay: 500,
      missingIdleCommand: 'NOOP',
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    });
    client.on('error', (error: unknown) => this.options.log.warn('IMAP connection error', { error: describe(error) }));
    client.on('close', () => {
      if (this.client === client) this.client = null;
    });
    // New mail while IDLE: read it now rather than at the next poll.
    client.on('exists', () => this.wake());
    await client.connect();
    await client.mailboxOpen(target.mailbox);
    this.client = client;
    this.options.log.info('reading the support mailbox', { host: target.host, mailbox: target.mailbox });
    return client;
  }

  private async pass(): Promise<void> {
    const client = await this.connect();
    // A search sees the session's view of the box: NOOP first, so mail that arrived since
    // the last command (and its EXISTS not yet read) is in it.
    await client.noop();
    const { mailbox: name } = this.options.target;
    const box = client.mailbox;
    if (!box) throw new Error('mailbox not open');
    const uidValidity = Number(box.uidValidity);
    const em = this.options.orm.em.fork();
    const cursor = await em.findOne(MailboxCursor, { mailbox: name });
    let uids: number[];
    let floor: number;
    if (!cursor || cursor.uidValidity !== uidValidity) {
      // First read (or the server renumbered the box): take what is unread, not years of
      // history. The stored mail's Message-ID keeps a renumbered message from counting twice.
      floor = Math.max(0, Number(box.uidNext ?? 1) - 1);
      uids = (await client.search({ seen: false }, { uid: true })) || [];
      await this.saveCursor(name, uidValidity, floor, cursor !== null);
    } else {
      floor = cursor.lastUid;
      uids = (await client.search({ uid: `${floor + 1}:*` }, { uid: true })) || [];
      // "n:*" always names the last message, even one below n.
      uids = uids.filter((uid) => uid > floor);
    }
    uids.sort((a, b) => a - b);
    for (const uid of uids) {
      await this.readOne(client, { mailbox: name, uidValidity, uid });
      if (uid > floor) await this.saveCursor(name, uidValidity, uid, true);
    }
  }

  private async readOne(client: ImapFlow, key: MailboxKey): Promise<void> {
    const limit = this.options.maxMessageBytes ?? 40 * 1024 * 1024;
    const meta = await client.fetchOne(String(key.uid), { uid: true, size: true }, { uid: true });
    if (!meta) return; // expunged meanwhile
    let source: Buffer;
    let note: string | null = null;
    if ((meta.size ?? 0) > limit) {
      const headersOnly = await client.fetchOne(String(key.uid), { uid: true, headers: true }, { uid: true });
      source = Buffer.concat([headersOnly ? Buffer.from(headersOnly.headers ?? '') : Buffer.alloc(0), Buffer.from('\r\n')]);
      note = `This message is ${meta.size} bytes, over the ${limit}-byte limit: only its headers were read; it stays in the mailbox.`;
    } else {
      const full = await client.fetchOne(String(key.uid), { uid: true, source: true }, { uid: true });
      if (!full || !full.source) return;
      source = full.source;
    }
    const mail = await parseInboundMail(source, { maxAttachmentBytes: this.options.maxAttachmentBytes });
    if (note) mail.text = `${note}\n\n${mail.text}`;
    await this.options.handle(mail, key);
    // Only now that it is stored: a crash before this line leaves it unread, and the unique
    // key stops the next pass from acting on it twice.
    await client.messageFlagsAdd(String(key.uid), ['\\Seen'], { uid: true });
  }

  /** Moves the cursor forward (never back), whoever else moves it at the same time. */
  private async saveCursor(mailbox: string, uidValidity: number, lastUid: number, exists: boolean): Promise<void> {
    const em = this.options.orm.em.fork();
    const now = this.options.clock.now();
    if (exists) {
      const moved = await em.nativeUpdate(
        MailboxCursor,
        { mailbox, $or: [{ uidValidity: { $ne: uidValidity } }, { lastUid: { $lt: lastUid } }] },
        { uidValidity, lastUid, updatedAt: now },
      );
      if (moved > 0) return;
      if (await em.count(MailboxCursor, { mailbox })) return;
    }
    try {
      await em.insert(MailboxCursor, { mailbox, uidValidity, lastUid, updatedAt: now });
    } catch (error) {
      // Another server created it first: move it from there.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      await this.saveCursor(mailbox, uidValidity, lastUid, true);
    }
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { message?: string; responseText?: string; code?: string };
    return [e.code, e.responseText ?? e.message].filter(Boolean).join(': ').slice(0, 300);
  }
  return String(error).slice(0, 300);
}
