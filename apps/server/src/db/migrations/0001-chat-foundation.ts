import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Tickets, chat sessions and their messages. */
export class Migration0001ChatFoundation extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`ticket\` (
      \`id\` integer not null primary key autoincrement,
      \`source\` text check (\`source\` in ('chat', 'email')) not null,
      \`status\` text check (\`status\` in ('open', 'pending', 'snoozed', 'resolved', 'closed')) not null default 'open',
      \`subject\` text not null,
      \`priority\` text check (\`priority\` in ('low', 'normal', 'high', 'urgent')) not null default 'normal',
      \`tags\` json not null,
      \`requester_email\` text null,
      \`linked_ticket_id\` integer null,
      \`escalation_reason\` text null,
      \`ai_summary\` text null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null,
      constraint \`ticket_linked_ticket_id_foreign\` foreign key(\`linked_ticket_id\`) references \`ticket\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `ticket_linked_ticket_id_index` on `ticket` (`linked_ticket_id`);');
    this.addSql('create index `ticket_source_status_index` on `ticket` (`source`, `status`);');

    this.addSql(`create table \`message\` (
      \`id\` integer not null primary key autoincrement,
      \`ticket_id\` integer not null,
      \`author\` text check (\`author\` in ('visitor', 'ai', 'system', 'operator', 'customer')) not null,
      \`kind\` text check (\`kind\` in ('text', 'escalation_offer', 'escalation_confirmation', 'suppressed')) not null default 'text',
      \`body\` text not null,
      \`client_message_id\` text null,
      \`reply_to_id\` integer null,
      \`rating\` text check (\`rating\` in ('up', 'down')) null,
      \`citations\` json not null,
      \`safety_verdict\` json null,
      \`model\` text null,
      \`latency_ms\` integer null,
      \`interrupted\` integer not null default false,
      \`created_at\` datetime not null,
      constraint \`message_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on delete cascade on update cascade,
      constraint \`message_reply_to_id_foreign\` foreign key(\`reply_to_id\`) references \`message\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `message_ticket_id_index` on `message` (`ticket_id`);');
    this.addSql('create index `message_ticket_id_id_index` on `message` (`ticket_id`, `id`);');
    this.addSql('create index `message_reply_to_id_index` on `message` (`reply_to_id`);');
    this.addSql(
      'create unique index `message_ticket_id_client_message_id_unique` on `message` (`ticket_id`, `client_message_id`);',
    );

    this.addSql(`create table \`chat_session\` (
      \`id\` text not null,
      \`token_hash\` text not null,
      \`origin\` text null,
      \`locale\` text null,
      \`client_address\` text null,
      \`verified_email\` text null,
      \`verified_at\` datetime null,
      \`ticket_id\` integer not null,
      \`created_at\` datetime not null,
      \`last_activity_at\` datetime not null,
      constraint \`chat_session_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on update cascade,
      primary key (\`id\`));`);
    this.addSql('create unique index `chat_session_ticket_id_unique` on `chat_session` (`ticket_id`);');
    this.addSql(
      'create index `chat_session_last_activity_at_index` on `chat_session` (`last_activity_at`);',
    );
  }

  /** The same tables on PostgreSQL: text as on SQLite (lengths are checked before storing), timestamptz, jsonb, boolean. */
  private postgresql(): void {
    this.addSql(`create table "ticket" (
      "id" serial primary key,
      "source" text check ("source" in ('chat', 'email')) not null,
      "status" text check ("status" in ('open', 'pending', 'snoozed', 'resolved', 'closed')) not null default 'open',
      "subject" text not null,
      "priority" text check ("priority" in ('low', 'normal', 'high', 'urgent')) not null default 'normal',
      "tags" jsonb not null,
      "requester_email" text null,
      "linked_ticket_id" int null,
      "escalation_reason" text null,
      "ai_summary" text null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "ticket_linked_ticket_id_foreign" foreign key ("linked_ticket_id") references "ticket" ("id") on delete set null on update cascade);`);
    this.addSql('create index "ticket_linked_ticket_id_index" on "ticket" ("linked_ticket_id");');
    this.addSql('create index "ticket_source_status_index" on "ticket" ("source", "status");');

    this.addSql(`create table "message" (
      "id" serial primary key,
      "ticket_id" int not null,
      "author" text check ("author" in ('visitor', 'ai', 'system', 'operator', 'customer')) not null,
      "kind" text check ("kind" in ('text', 'escalation_offer', 'escalation_confirmation', 'suppressed')) not null default 'text',
      "body" text not null,
      "client_message_id" text null,
      "reply_to_id" int null,
      "rating" text check ("rating" in ('up', 'down')) null,
      "citations" jsonb not null,
      "safety_verdict" jsonb null,
      "model" text null,
      "latency_ms" int null,
      "interrupted" boolean not null default false,
      "created_at" timestamptz not null,
      constraint "message_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on delete cascade on update cascade,
      constraint "message_reply_to_id_foreign" foreign key ("reply_to_id") references "message" ("id") on delete set null on update cascade);`);
    this.addSql('create index "message_ticket_id_index" on "message" ("ticket_id");');
    this.addSql('create index "message_ticket_id_id_index" on "message" ("ticket_id", "id");');
    this.addSql('create index "message_reply_to_id_index" on "message" ("reply_to_id");');
    this.addSql(
      'create unique index "message_ticket_id_client_message_id_unique" on "message" ("ticket_id", "client_message_id");',
    );

    this.addSql(`create table "chat_session" (
      "id" text not null,
      "token_hash" text not null,
      "origin" text null,
      "locale" text null,
      "client_address" text null,
      "verified_email" text null,
      "verified_at" timestamptz null,
      "ticket_id" int not null,
      "created_at" timestamptz not null,
      "last_activity_at" timestamptz not null,
      constraint "chat_session_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade,
      constraint "chat_session_pkey" primary key ("id"));`);
    this.addSql('create unique index "chat_session_ticket_id_unique" on "chat_session" ("ticket_id");');
    this.addSql('create index "chat_session_last_activity_at_index" on "chat_session" ("last_activity_at");');
  }
}
