import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Corrections of AI replies and the lessons drawn from them. */
export class Migration0007Lessons extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`lesson\` (
      \`id\` integer not null primary key autoincrement,
      \`message_id\` integer null,
      \`flagged_by_id\` integer null,
      \`correction\` text null,
      \`text\` text not null,
      \`written_by\` text check (\`written_by\` in ('model', 'operator')) not null,
      \`status\` text check (\`status\` in ('pending', 'approved', 'disabled')) not null default 'pending',
      \`reviewed_by_id\` integer null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null,
      constraint \`lesson_message_id_foreign\` foreign key(\`message_id\`) references \`message\`(\`id\`) on delete set null on update cascade,
      constraint \`lesson_flagged_by_id_foreign\` foreign key(\`flagged_by_id\`) references \`operator\`(\`id\`) on delete set null on update cascade,
      constraint \`lesson_reviewed_by_id_foreign\` foreign key(\`reviewed_by_id\`) references \`operator\`(\`id\`) on delete set null on update cascade);`);
    this.addSql('create index `lesson_message_id_index` on `lesson` (`message_id`);');
    this.addSql('create index `lesson_flagged_by_id_index` on `lesson` (`flagged_by_id`);');
    this.addSql('create index `lesson_reviewed_by_id_index` on `lesson` (`reviewed_by_id`);');
    this.addSql('create index `lesson_status_index` on `lesson` (`status`);');
  }

  private postgresql(): void {
    this.addSql(`create table "lesson" (
      "id" serial primary key,
      "message_id" int null,
      "flagged_by_id" int null,
      "correction" text null,
      "text" text not null,
      "written_by" text check ("written_by" in ('model', 'operator')) not null,
      "status" text check ("status" in ('pending', 'approved', 'disabled')) not null default 'pending',
      "reviewed_by_id" int null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "lesson_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete set null on update cascade,
      constraint "lesson_flagged_by_id_foreign" foreign key ("flagged_by_id") references "operator" ("id") on delete set null on update cascade,
      constraint "lesson_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "operator" ("id") on delete set null on update cascade);`);
    this.addSql('create index "lesson_message_id_index" on "lesson" ("message_id");');
    this.addSql('create index "lesson_flagged_by_id_index" on "lesson" ("flagged_by_id");');
    this.addSql('create index "lesson_reviewed_by_id_index" on "lesson" ("reviewed_by_id");');
    this.addSql('create index "lesson_status_index" on "lesson" ("status");');
  }
}
