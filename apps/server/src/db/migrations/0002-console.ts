import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Operators and their sessions, settings, the outbox, and ticket assignees. */
export class Migration0002Console extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`operator\` (
      \`id\` integer not null primary key autoincrement,
      \`email\` text not null,
      \`name\` text not null,
      \`password_hash\` text not null,
      \`role\` text check (\`role\` in ('member', 'admin', 'owner')) not null default 'member',
      \`availability\` text check (\`availability\` in ('available', 'away')) not null default 'available',
      \`capacity\` integer not null default 5,
      \`joined_at\` datetime not null,
      \`password_changed_at\` datetime not null);`);
    this.addSql('create unique index `operator_email_unique` on `operator` (`email`);');

    this.addSql(`create table \`operator_session\` (
      \`id\` integer not null primary key autoincrement,
      \`token_hash\` text not null,
      \`operator_id\` integer not null,
      \`created_at\` datetime not null,
      \`last_seen_at\` datetime not null,
      \`expires_at\` datetime not null,
      \`client_address\` text null,
      constraint \`operator_session_operator_id_foreign\` foreign key(\`operator_id\`) references \`operator\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create unique index `operator_session_token_hash_unique` on `operator_session` (`token_hash`);');
    this.addSql('create index `operator_session_operator_id_index` on `operator_session` (`operator_id`);');

    this.addSql(`create table \`settings\` (
      \`id\` integer not null primary key,
      \`auto_assign\` integer not null default true,
      \`reason_map\` json not null,
      \`allowed_origins\` json not null,
      \`updated_at\` datetime not null);`);

    this.addSql(`create table \`outbox_email\` (
      \`id\` integer not null primary key autoincrement,
      \`to\` text not null,
      \`subject\` text not null,
      \`text\` text not null,
      \`html\` text null,
      \`status\` text check (\`status\` in ('queued', 'sent', 'failed')) not null default 'queued',
      \`attempts\` integer not null default 0,
      \`last_error\` text null,
      \`next_attempt_at\` datetime null,
      \`sent_at\` datetime null,
      \`provider_message_id\` text null,
      \`ticket_id\` integer null,
      \`message_id\` integer null,
      \`operator_id\` integer null,
      \`created_at\` datetime not null,
      constraint \`outbox_email_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on delete set null on update cascade,
      constraint \`outbox_email_message_id_foreign\` foreign key(\`message_id\`) references \`message\`(\`id\`) on delete set null on update cascade,
      constraint \`outbox_email_operator_id_foreign\` foreign key(\`operator_id\`) references \`operator\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `outbox_email_status_next_attempt_at_index` on `outbox_email` (`status`, `next_attempt_at`);');
    this.addSql('create index `outbox_email_ticket_id_index` on `outbox_email` (`ticket_id`);');
    this.addSql('create index `outbox_email_message_id_index` on `outbox_email` (`message_id`);');
    this.addSql('create index `outbox_email_operator_id_index` on `outbox_email` (`operator_id`);');

    // SQLite adds a column with a foreign key only when its default is null.
    this.addSql(
      'alter table `ticket` add column `assignee_id` integer null default null constraint `ticket_assignee_id_foreign` references `operator`(`id`) on delete set null on update cascade;',
    );
    this.addSql('create index `ticket_assignee_id_index` on `ticket` (`assignee_id`);');
    // The ticket queue lists by last change within a source.
    this.addSql('create index `ticket_source_updated_at_index` on `ticket` (`source`, `updated_at`);');
  }

  private postgresql(): void {
    this.addSql(`create table "operator" (
      "id" serial primary key,
      "email" text not null,
      "name" text not null,
      "password_hash" text not null,
      "role" text check ("role" in ('member', 'admin', 'owner')) not null default 'member',
      "availability" text check ("availability" in ('available', 'away')) not null default 'available',
      "capacity" int not null default 5,
      "joined_at" timestamptz not null,
      "password_changed_at" timestamptz not null);`);
    this.addSql('create unique index "operator_email_unique" on "operator" ("email");');

    this.addSql(`create table "operator_session" (
      "id" serial primary key,
      "token_hash" text not null,
      "operator_id" int not null,
      "created_at" timestamptz not null,
      "last_seen_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "client_address" text null,
      constraint "operator_session_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete cascade on update cascade);`);
    this.addSql('create unique index "operator_session_token_hash_unique" on "operator_session" ("token_hash");');
    this.addSql('create index "operator_session_operator_id_index" on "operator_session" ("operator_id");');

    this.addSql(`create table "settings" (
      "id" int not null primary key,
      "auto_assign" boolean not null default true,
      "reason_map" jsonb not null,
      "allowed_origins" jsonb not null,
      "updated_at" timestamptz not null);`);

    this.addSql(`create table "outbox_email" (
      "id" serial primary key,
      "to" text not null,
      "subject" text not null,
      "text" text not null,
      "html" text null,
      "status" text check ("status" in ('queued', 'sent', 'failed')) not null default 'queued',
      "attempts" int not null default 0,
      "last_error" text null,
      "next_attempt_at" timestamptz null,
      "sent_at" timestamptz null,
      "provider_message_id" text null,
      "ticket_id" int null,
      "message_id" int null,
      "operator_id" int null,
      "created_at" timestamptz not null,
      constraint "outbox_email_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on delete set null on update cascade,
      constraint "outbox_email_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete set null on update cascade,
      constraint "outbox_email_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete set null on update cascade);`);
    this.addSql('create index "outbox_email_status_next_attempt_at_index" on "outbox_email" ("status", "next_attempt_at");');
    this.addSql('create index "outbox_email_ticket_id_index" on "outbox_email" ("ticket_id");');
    this.addSql('create index "outbox_email_message_id_index" on "outbox_email" ("message_id");');
    this.addSql('create index "outbox_email_operator_id_index" on "outbox_email" ("operator_id");');

    this.addSql(
      'alter table "ticket" add column "assignee_id" int null constraint "ticket_assignee_id_foreign" references "operator" ("id") on delete set null on update cascade;',
    );
    this.addSql('create index "ticket_assignee_id_index" on "ticket" ("assignee_id");');
    this.addSql('create index "ticket_source_updated_at_index" on "ticket" ("source", "updated_at");');
  }
}
