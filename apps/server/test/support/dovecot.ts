import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/** Where Debian puts the daemon; `.ci/run` installs `dovecot-imapd` when it is missing. */
const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((path) => existsSync(path)) ?? 'dovecot';

export interface DovecotUser {
  user: string;
  password: string;
}

/**
 * A throw-away Dovecot IMAP server for tests: its configuration, passwords, mail and sockets
 * all live in one temporary folder, it listens on a free port on 127.0.0.1 with plaintext
 * logins allowed there, and `stop()` kills it and removes the folder.
 */
export class TestDovecot {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly users: DovecotUser[],
    private readonly config: string,
  ) {}

  /** `imap://user:pass@127.0.0.1:port/INBOX` for the first user. */
  url(mailbox = 'INBOX', user = this.users[0]!): string {
    return `imap://${encodeURIComponent(user.user)}:${encodeURIComponent(user.password)}@127.0.0.1:${this.port}/${mailbox}`;
  }

  static async start(users: DovecotUser[] = [{ user: 'support', password: 'test-password-1' }]): Promise<TestDovecot> {
    const dir = mkdtempSync(join(tmpdir(), 't0-dovecot-'));
    const port = await freePort();
    const me = userInfo();
    // As root, Dovecot will not run its login processes or touch mail as root: use its own
    // unprivileged users (installed with the package) and hand them the folder.
    const root = me.uid === 0;
    const internal = root ? 'dovecot' : me.username;
    const login = root ? 'dovenull' : me.username;
    const mailUser = root ? uidOf('dovecot') : { uid: me.uid, gid: me.gid };
    mkdirSync(join(dir, 'mail'));
    writeFileSync(join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''));
    const config = join(dir, 'dovecot.conf');
    writeFileSync(
      config,
      `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internal}
default_internal_group = ${root ? 'dovecot' : (spawnSync('id', ['-gn']).stdout.toString().trim() || me.username)}
default_login_user = ${login}
first_valid_uid = ${mailUser.uid}
last_valid_uid = ${mailUser.uid}
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
    );
    if (root) {
      chownSync(join(dir, 'mail'), mailUser.uid, mailUser.gid);
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'users'), 0o644);
    }
    const server = new TestDovecot(dir, port, users, config);
    // The daemon keeps inherited pipes open: give it none, and read its log on failure.
    const started = spawnSync(DOVECOT, ['-c', config], { stdio: 'ignore' });
    if (started.status !== 0) {
      const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start (exit ${started.status}): ${log}`);
    }
    await server.waitUntilListening();
    return server;
  }

  /** A connected client for `user`, to put mail into the box as a sending server would. */
  async client(user = this.users[0]!): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
    });
    await client.connect();
    return client;
  }

  /** Appends raw messages (RFC 5322 text) to a mailbox, unread. */
  async append(messages: string[], mailbox = 'INBOX', user = this.users[0]!): Promise<void> {
    const client = await this.client(user);
    try {
      for (const message of messages) await client.append(mailbox, message, []);
    } finally {
      await client.logout();
    }
  }

  /** UIDs of the messages flagged \Seen. */
  async seenUids(mailbox = 'INBOX', user = this.users[0]!): Promise<number[]> {
    const client = await this.client(user);
    try {
      await client.mailboxOpen(mailbox, { readOnly: true });
      const uids = await client.search({ seen: true }, { uid: true });
      return (uids || []).sort((a, b) => a - b);
    } finally {
      await client.logout();
    }
  }

  async stop(): Promise<void> {
    const pidFile = join(this.dir, 'run', 'master.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 0) {
      // SIGTERM makes the master end its children; wait for it, then make sure.
      signal(pid, 'SIGTERM');
      for (let i = 0; i < 100 && signal(pid, 0); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      signal(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilListening(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      try {
        const client = await this.client();
        await client.logout();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const log = existsSync(join(this.dir, 'dovecot.log')) ? readFileSync(join(this.dir, 'dovecot.log'), 'utf8') : '';
    await this.stop();
    throw new Error(`dovecot did not accept a login:\n${log}`);
  }
}

/** Sends a signal; false when the process is gone (or a zombie nobody reaps, in a container). */
function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    if (name === 0 && / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))) return false;
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function uidOf(user: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', user]).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', user]).stdout.toString().trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`no system user ${user}: install dovecot-imapd`);
  return { uid, gid };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
