import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import type { Clock } from '../lib/clock.js';

/*
 * Takes the lease when nobody holds it or the holder's lease ran out, in one statement:
 * `returning` says whether this process got it.
 */
const CLAIM = `insert into reply_lease (message_id, owner, expires_at) values (?, ?, ?)
on conflict (message_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
where reply_lease.expires_at <= ? or reply_lease.owner = excluded.owner returning owner`; // after a space: the SQLite client looks for ' returning'

export interface ReplyLeaseOptions {
  /** A lease not renewed for this long is over: its holder is taken to have died. */
  ttlMs?: number;
  /** How often the holder renews its lease while it writes. */
  renewMs?: number;
}

/** One lease held by this process: renewed until released. */
export interface HeldLease {
  release(): Promise<void>;
}

/**
 * Which process is writing the reply to a visitor message, across every process on the
 * database: a row in `reply_lease` per message being answered. The holder renews it while the
 * model writes and deletes it once the reply is stored; a process that dies stops renewing,
 * so its lease runs out after `ttlMs` and a resend elsewhere may answer.
 */
export class ReplyLeases {
  /** This process, as lease holders are named. */
  readonly owner = `p_${randomBytes(9).toString('base64url')}`;
  readonly ttlMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    options: ReplyLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.renewMs = options.renewMs ?? Math.max(250, Math.floor(this.ttlMs / 3));
  }

  /** The lease on `messageId` when this process got it, else null (another process writes). */
  async claim(messageId: number): Promise<HeldLease | null> {
    const now = this.clock.now().getTime();
    const rows = await this.execute(CLAIM, [messageId, this.owner, now + this.ttlMs, now]);
    if (!rows.length) return null;
    const renew = setInterval(() => {
      const expiresAt = this.clock.now().getTime() + this.ttlMs;
      void this.execute('update reply_lease set expires_at = ? where message_id = ? and owner = ?', [expiresAt, messageId, this.owner]).catch(
        () => undefined, // the next renewal tries again; at worst the lease runs out and a resend elsewhere answers
      );
    }, this.renewMs);
    renew.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renew);
        await this.execute('delete from reply_lease where message_id = ? and owner = ?', [messageId, this.owner]);
      },
    };
  }

  /** Leases whose holders died long ago (not one is renewed for an hour) are deleted. */
  async sweep(): Promise<void> {
    await this.execute('delete from reply_lease where expires_at <= ?', [this.clock.now().getTime() - 60 * 60_000]);
  }

  private execute(sql: string, params: unknown[]): Promise<unknown[]> {
    return this.orm.em.getConnection().execute<unknown[]>(sql, params, 'all');
  }
}
