import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * State several server processes share through the database: rate-limit counters (one row
 * per key and window, counted by one atomic upsert) and the lease a process holds while it
 * writes a reply, so a resend to another process waits instead of asking the model again.
 * Times are epoch milliseconds: compared with the server's clock, never the database's.
 */
export class Migration0011SharedState extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`rate_limit_counter\` (
      \`limit_key\` text not null,
      \`window_ms\` integer not null,
      \`started_at\` integer not null,
      \`expires_at\` integer not null,
      \`hits\` integer not null,
      primary key (\`limit_key\`, \`window_ms\`));`);
    this.addSql('create index `rate_limit_counter_expires_at_index` on `rate_limit_counter` (`expires_at`);');
    this.addSql(`create table \`reply_lease\` (
      \`message_id\` integer not null primary key,
      \`owner\` text not null,
      \`expires_at\` integer not null);`);
  }

  private postgresql(): void {
    this.addSql(`create table "rate_limit_counter" (
      "limit_key" text not null,
      "window_ms" bigint not null,
      "started_at" bigint not null,
      "expires_at" bigint not null,
      "hits" int not null,
      primary key ("limit_key", "window_ms"));`);
    this.addSql('create index "rate_limit_counter_expires_at_index" on "rate_limit_counter" ("expires_at");');
    this.addSql(`create table "reply_lease" (
      "message_id" int not null primary key,
      "owner" text not null,
      "expires_at" bigint not null);`);
  }
}
