import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * Known visitors: signed identities used once, extra keys to a chat (continued from another
 * device), the privacy audit trail, and how long chats are kept.
 */
export class Migration0014KnownVisitors extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`identity_token_use\` (
      \`token_hash\` text not null primary key,
      \`expires_at\` datetime not null);`);
    this.addSql('create index `identity_token_use_expires_at_index` on `identity_token_use` (`expires_at`);');
    this.addSql(`create table \`chat_session_key\` (
      \`id\` integer not null primary key autoincrement,
      \`session_id\` text not null,
      \`token_hash\` text not null,
      \`created_at\` datetime not null,
      constraint \`chat_session_key_session_id_foreign\` foreign key(\`session_id\`) references \`chat_session\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create unique index `chat_session_key_token_hash_unique` on `chat_session_key` (`token_hash`);');
    this.addSql('create index `chat_session_key_session_id_index` on `chat_session_key` (`session_id`);');
    this.addSql(`create table \`audit_entry\` (
      \`id\` integer not null primary key autoincrement,
      \`action\` text check (\`action\` in ('customer_exported', 'customer_erased', 'conversation_deleted', 'retention_deleted', 'identity_refused')) not null,
      \`operator_id\` integer null,
      \`customer_id\` integer null,
      \`subject\` text null,
      \`detail\` text null,
      \`created_at\` datetime not null,
      constraint \`audit_entry_operator_id_foreign\` foreign key(\`operator_id\`) references \`operator\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `audit_entry_operator_id_index` on `audit_entry` (`operator_id`);');
    this.addSql('create index `audit_entry_customer_id_index` on `audit_entry` (`customer_id`);');
    this.addSql('create index `audit_entry_created_at_index` on `audit_entry` (`created_at`);');
    this.addSql('alter table `settings` add column `retention_days` integer null;');
    this.addSql('create index `chat_session_verified_email_index` on `chat_session` (`verified_email`);');
  }

  private postgresql(): void {
    this.addSql(`create table "identity_token_use" (
      "token_hash" text not null primary key,
      "expires_at" timestamptz not null);`);
    this.addSql('create index "identity_token_use_expires_at_index" on "identity_token_use" ("expires_at");');
    this.addSql(`create table "chat_session_key" (
      "id" serial primary key,
      "session_id" varchar(25) not null,
      "token_hash" text not null,
      "created_at" timestamptz not null,
      constraint "chat_session_key_session_id_foreign" foreign key ("session_id") references "chat_session" ("id") on delete cascade on update cascade);`);
    this.addSql('create unique index "chat_session_key_token_hash_unique" on "chat_session_key" ("token_hash");');
    this.addSql('create index "chat_session_key_session_id_index" on "chat_session_key" ("session_id");');
    this.addSql(`create table "audit_entry" (
      "id" serial primary key,
      "action" text check ("action" in ('customer_exported', 'customer_erased', 'conversation_deleted', 'retention_deleted', 'identity_refused')) not null,
      "operator_id" int null,
      "customer_id" int null,
      "subject" text null,
      "detail" text null,
      "created_at" timestamptz not null,
      constraint "audit_entry_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete set null on update cascade);`);
    this.addSql('create index "audit_entry_operator_id_index" on "audit_entry" ("operator_id");');
    this.addSql('create index "audit_entry_customer_id_index" on "audit_entry" ("customer_id");');
    this.addSql('create index "audit_entry_created_at_index" on "audit_entry" ("created_at");');
    this.addSql('alter table "settings" add column "retention_days" int null;');
    this.addSql('create index "chat_session_verified_email_index" on "chat_session" ("verified_email");');
  }
}
