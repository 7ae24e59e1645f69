import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * Mail read from the support mailbox (kept whole, keyed by mailbox + UIDVALIDITY + UID so it
 * is acted on once), its attachments, how far the mailbox has been read, blocked senders, the
 * Message-IDs of the mail we send (replies thread onto them), and webhooks with their queue.
 */
export class Migration0013InboundMailAndWebhooks extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql('alter table `outbox_email` add column `message_id_header` text null;');
    this.addSql('alter table `outbox_email` add column `in_reply_to` text null;');
    this.addSql('create index `outbox_email_message_id_header_index` on `outbox_email` (`message_id_header`);');

    this.addSql(`create table \`inbound_email\` (
      \`id\` integer not null primary key autoincrement,
      \`mailbox\` text not null,
      \`uid_validity\` double not null,
      \`uid\` double not null,
      \`message_id_header\` text null,
      \`from_address\` text not null,
      \`subject\` text not null,
      \`text\` text not null,
      \`html\` text null,
      \`disposition\` text check (\`disposition\` in ('ticket', 'auto_reply', 'own_mail', 'blocked')) not null,
      \`note\` text null,
      \`ticket_id\` integer null,
      \`message_id\` integer null,
      \`sent_at\` datetime null,
      \`created_at\` datetime not null,
      constraint \`inbound_email_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on delete set null on update cascade,
      constraint \`inbound_email_message_id_foreign\` foreign key(\`message_id\`) references \`message\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `inbound_email_message_id_header_index` on `inbound_email` (`message_id_header`);');
    this.addSql('create index `inbound_email_ticket_id_index` on `inbound_email` (`ticket_id`);');
    this.addSql('create index `inbound_email_message_id_index` on `inbound_email` (`message_id`);');
    this.addSql('create unique index `inbound_email_mailbox_uid_validity_uid_unique` on `inbound_email` (`mailbox`, `uid_validity`, `uid`);');

    this.addSql(`create table \`mail_attachment\` (
      \`id\` integer not null primary key autoincrement,
      \`email_id\` integer not null,
      \`filename\` text not null,
      \`content_type\` text not null,
      \`size\` integer not null,
      \`kept\` integer not null,
      \`content\` blob null,
      \`created_at\` datetime not null,
      constraint \`mail_attachment_email_id_foreign\` foreign key(\`email_id\`) references \`inbound_email\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create index `mail_attachment_email_id_index` on `mail_attachment` (`email_id`);');

    this.addSql(`create table \`mailbox_cursor\` (
      \`id\` integer not null primary key autoincrement,
      \`mailbox\` text not null,
      \`uid_validity\` double not null,
      \`last_uid\` double not null,
      \`updated_at\` datetime not null);`);
    this.addSql('create unique index `mailbox_cursor_mailbox_unique` on `mailbox_cursor` (`mailbox`);');

    this.addSql(`create table \`blocked_sender\` (
      \`id\` integer not null primary key autoincrement,
      \`pattern\` text not null,
      \`created_at\` datetime not null);`);
    this.addSql('create unique index `blocked_sender_pattern_unique` on `blocked_sender` (`pattern`);');

    this.addSql(`create table \`webhook_endpoint\` (
      \`id\` integer not null primary key autoincrement,
      \`url\` text not null,
      \`events\` json not null,
      \`secret\` text not null,
      \`enabled\` integer not null default true,
      \`description\` text null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null);`);

    this.addSql(`create table \`webhook_delivery\` (
      \`id\` integer not null primary key autoincrement,
      \`endpoint_id\` integer not null,
      \`event\` text not null,
      \`event_id\` text not null,
      \`payload\` text not null,
      \`status\` text check (\`status\` in ('queued', 'delivered', 'failed')) not null default 'queued',
      \`attempts\` integer not null default 0,
      \`next_attempt_at\` datetime null,
      \`claimed_until\` datetime null,
      \`last_status\` integer null,
      \`last_error\` text null,
      \`delivered_at\` datetime null,
      \`created_at\` datetime not null,
      constraint \`webhook_delivery_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoint\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create index `webhook_delivery_endpoint_id_index` on `webhook_delivery` (`endpoint_id`);');
    this.addSql('create index `webhook_delivery_status_next_attempt_at_index` on `webhook_delivery` (`status`, `next_attempt_at`);');
    this.addSql('create index `webhook_delivery_endpoint_id_id_index` on `webhook_delivery` (`endpoint_id`, `id`);');
  }

  private postgresql(): void {
    this.addSql('alter table "outbox_email" add column "message_id_header" varchar(300) null;');
    this.addSql('alter table "outbox_email" add column "in_reply_to" varchar(300) null;');
    this.addSql('create index "outbox_email_message_id_header_index" on "outbox_email" ("message_id_header");');

    this.addSql(`create table "inbound_email" (
      "id" serial primary key,
      "mailbox" varchar(200) not null,
      "uid_validity" double precision not null,
      "uid" double precision not null,
      "message_id_header" varchar(300) null,
      "from_address" varchar(320) not null,
      "subject" varchar(400) not null,
      "text" text not null,
      "html" text null,
      "disposition" text check ("disposition" in ('ticket', 'auto_reply', 'own_mail', 'blocked')) not null,
      "note" varchar(300) null,
      "ticket_id" int null,
      "message_id" int null,
      "sent_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "inbound_email_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on delete set null on update cascade,
      constraint "inbound_email_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete set null on update cascade);`);
    this.addSql('create index "inbound_email_message_id_header_index" on "inbound_email" ("message_id_header");');
    this.addSql('create index "inbound_email_ticket_id_index" on "inbound_email" ("ticket_id");');
    this.addSql('create index "inbound_email_message_id_index" on "inbound_email" ("message_id");');
    this.addSql('create unique index "inbound_email_mailbox_uid_validity_uid_unique" on "inbound_email" ("mailbox", "uid_validity", "uid");');

    this.addSql(`create table "mail_attachment" (
      "id" serial primary key,
      "email_id" int not null,
      "filename" varchar(300) not null,
      "content_type" varchar(200) not null,
      "size" int not null,
      "kept" boolean not null,
      "content" bytea null,
      "created_at" timestamptz not null,
      constraint "mail_attachment_email_id_foreign" foreign key ("email_id") references "inbound_email" ("id") on delete cascade on update cascade);`);
    this.addSql('create index "mail_attachment_email_id_index" on "mail_attachment" ("email_id");');

    this.addSql(`create table "mailbox_cursor" (
      "id" serial primary key,
      "mailbox" varchar(200) not null,
      "uid_validity" double precision not null,
      "last_uid" double precision not null,
      "updated_at" timestamptz not null);`);
    this.addSql('create unique index "mailbox_cursor_mailbox_unique" on "mailbox_cursor" ("mailbox");');

    this.addSql(`create table "blocked_sender" (
      "id" serial primary key,
      "pattern" varchar(320) not null,
      "created_at" timestamptz not null);`);
    this.addSql('create unique index "blocked_sender_pattern_unique" on "blocked_sender" ("pattern");');

    this.addSql(`create table "webhook_endpoint" (
      "id" serial primary key,
      "url" varchar(2000) not null,
      "events" jsonb not null,
      "secret" varchar(100) not null,
      "enabled" boolean not null default true,
      "description" varchar(200) null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);

    this.addSql(`create table "webhook_delivery" (
      "id" serial primary key,
      "endpoint_id" int not null,
      "event" varchar(40) not null,
      "event_id" varchar(40) not null,
      "payload" text not null,
      "status" text check ("status" in ('queued', 'delivered', 'failed')) not null default 'queued',
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz null,
      "claimed_until" timestamptz null,
      "last_status" int null,
      "last_error" text null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on delete cascade on update cascade);`);
    this.addSql('create index "webhook_delivery_endpoint_id_index" on "webhook_delivery" ("endpoint_id");');
    this.addSql('create index "webhook_delivery_status_next_attempt_at_index" on "webhook_delivery" ("status", "next_attempt_at");');
    this.addSql('create index "webhook_delivery_endpoint_id_id_index" on "webhook_delivery" ("endpoint_id", "id");');
  }
}
