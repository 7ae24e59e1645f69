import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Customers (with their tickets) and the email verification codes of chat sessions. */
export class Migration0005Verification extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`customer\` (
      \`id\` integer not null primary key autoincrement,
      \`email\` text not null,
      \`name\` text null,
      \`external_id\` text null,
      \`metadata\` json not null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null);`);
    this.addSql('create unique index `customer_email_unique` on `customer` (`email`);');
    this.addSql('create unique index `customer_external_id_unique` on `customer` (`external_id`);');

    this.addSql(
      'alter table `ticket` add column `customer_id` integer null default null constraint `ticket_customer_id_foreign` references `customer`(`id`) on delete set null on update cascade;',
    );
    this.addSql('create index `ticket_customer_id_index` on `ticket` (`customer_id`);');

    this.addSql(`create table \`otp_challenge\` (
      \`id\` text not null,
      \`session_id\` text not null,
      \`email\` text not null,
      \`code_hash\` text not null,
      \`salt\` text not null,
      \`client_address\` text null,
      \`attempts\` integer not null default 0,
      \`expires_at\` datetime not null,
      \`consumed_at\` datetime null,
      \`replaced_at\` datetime null,
      \`created_at\` datetime not null,
      constraint \`otp_challenge_session_id_foreign\` foreign key(\`session_id\`) references \`chat_session\`(\`id\`) on delete cascade on update cascade,
      primary key (\`id\`));`);
    this.addSql('create index `otp_challenge_session_id_created_at_index` on `otp_challenge` (`session_id`, `created_at`);');
    this.addSql('create index `otp_challenge_email_created_at_index` on `otp_challenge` (`email`, `created_at`);');
    this.addSql(
      'create index `otp_challenge_client_address_created_at_index` on `otp_challenge` (`client_address`, `created_at`);',
    );
    this.addSql('create index `otp_challenge_created_at_index` on `otp_challenge` (`created_at`);');
  }

  private postgresql(): void {
    this.addSql(`create table "customer" (
      "id" serial primary key,
      "email" text not null,
      "name" text null,
      "external_id" text null,
      "metadata" jsonb not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql('create unique index "customer_email_unique" on "customer" ("email");');
    this.addSql('create unique index "customer_external_id_unique" on "customer" ("external_id");');

    this.addSql(
      'alter table "ticket" add column "customer_id" int null constraint "ticket_customer_id_foreign" references "customer" ("id") on delete set null on update cascade;',
    );
    this.addSql('create index "ticket_customer_id_index" on "ticket" ("customer_id");');

    this.addSql(`create table "otp_challenge" (
      "id" text not null,
      "session_id" text not null,
      "email" text not null,
      "code_hash" text not null,
      "salt" text not null,
      "client_address" text null,
      "attempts" int not null default 0,
      "expires_at" timestamptz not null,
      "consumed_at" timestamptz null,
      "replaced_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "otp_challenge_session_id_foreign" foreign key ("session_id") references "chat_session" ("id") on delete cascade on update cascade,
      constraint "otp_challenge_pkey" primary key ("id"));`);
    this.addSql('create index "otp_challenge_session_id_created_at_index" on "otp_challenge" ("session_id", "created_at");');
    this.addSql('create index "otp_challenge_email_created_at_index" on "otp_challenge" ("email", "created_at");');
    this.addSql(
      'create index "otp_challenge_client_address_created_at_index" on "otp_challenge" ("client_address", "created_at");',
    );
    this.addSql('create index "otp_challenge_created_at_index" on "otp_challenge" ("created_at");');
  }
}
