import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Messages of the support mailbox that could not be stored: attempts, then the failure kept for admins. */
export class Migration0015MailboxFailures extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`mailbox_failure\` (
      \`id\` integer not null primary key autoincrement,
      \`mailbox\` text not null,
      \`uid_validity\` double not null,
      \`uid\` double not null,
      \`message_id_header\` text null,
      \`attempts\` integer not null,
      \`failed\` integer not null default false,
      \`last_error\` text not null,
      \`source\` blob null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null);`);
    this.addSql(
      'create unique index `mailbox_failure_mailbox_uid_validity_uid_unique` on `mailbox_failure` (`mailbox`, `uid_validity`, `uid`);',
    );
  }

  private postgresql(): void {
    this.addSql(`create table "mailbox_failure" (
      "id" serial primary key,
      "mailbox" varchar(200) not null,
      "uid_validity" double precision not null,
      "uid" double precision not null,
      "message_id_header" text null,
      "attempts" int not null,
      "failed" boolean not null default false,
      "last_error" text not null,
      "source" bytea null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(
      'create unique index "mailbox_failure_mailbox_uid_validity_uid_unique" on "mailbox_failure" ("mailbox", "uid_validity", "uid");',
    );
  }
}
