import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** How far each operator has read each ticket: the console's unread state, per operator. */
export class Migration0012OperatorReads extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`operator_read\` (
      \`id\` integer not null primary key autoincrement,
      \`operator_id\` integer not null,
      \`ticket_id\` integer not null,
      \`last_message_id\` integer not null,
      \`read_at\` datetime not null,
      constraint \`operator_read_operator_id_foreign\` foreign key(\`operator_id\`) references \`operator\`(\`id\`) on delete cascade on update cascade,
      constraint \`operator_read_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create index `operator_read_operator_id_index` on `operator_read` (`operator_id`);');
    this.addSql('create index `operator_read_ticket_id_index` on `operator_read` (`ticket_id`);');
    this.addSql('create unique index `operator_read_operator_id_ticket_id_unique` on `operator_read` (`operator_id`, `ticket_id`);');
  }

  private postgresql(): void {
    this.addSql(`create table "operator_read" (
      "id" serial primary key,
      "operator_id" int not null,
      "ticket_id" int not null,
      "last_message_id" int not null,
      "read_at" timestamptz not null,
      constraint "operator_read_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete cascade on update cascade,
      constraint "operator_read_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on delete cascade on update cascade);`);
    this.addSql('create index "operator_read_operator_id_index" on "operator_read" ("operator_id");');
    this.addSql('create index "operator_read_ticket_id_index" on "operator_read" ("ticket_id");');
    this.addSql('create unique index "operator_read_operator_id_ticket_id_unique" on "operator_read" ("operator_id", "ticket_id");');
  }
}
