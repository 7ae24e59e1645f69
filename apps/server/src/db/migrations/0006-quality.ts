import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Quality monitoring: when each chat is due for evaluation, and the evaluations. */
export class Migration0006Quality extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql('alter table `chat_session` add column `evaluation_due_at` datetime null;');
    this.addSql('create index `chat_session_evaluation_due_at_index` on `chat_session` (`evaluation_due_at`);');
    this.addSql(`create table \`session_evaluation\` (
      \`id\` integer not null primary key autoincrement,
      \`session_id\` text not null,
      \`accuracy\` integer not null,
      \`completeness\` integer not null,
      \`resolution\` integer not null,
      \`score\` integer not null,
      \`hallucination\` integer not null default false,
      \`circular\` integer not null default false,
      \`question_type\` text null,
      \`negative_feedback\` integer not null default 0,
      \`method\` text check (\`method\` in ('model', 'heuristic')) not null,
      \`in_review\` integer not null default false,
      \`reviewed_at\` datetime null,
      \`message_count\` integer not null,
      \`evaluated_at\` datetime not null,
      constraint \`session_evaluation_session_id_foreign\` foreign key(\`session_id\`) references \`chat_session\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create unique index `session_evaluation_session_id_unique` on `session_evaluation` (`session_id`);');
    this.addSql('create index `session_evaluation_in_review_evaluated_at_index` on `session_evaluation` (`in_review`, `evaluated_at`);');
  }

  private postgresql(): void {
    this.addSql('alter table "chat_session" add column "evaluation_due_at" timestamptz null;');
    this.addSql('create index "chat_session_evaluation_due_at_index" on "chat_session" ("evaluation_due_at");');
    this.addSql(`create table "session_evaluation" (
      "id" serial primary key,
      "session_id" text not null,
      "accuracy" int not null,
      "completeness" int not null,
      "resolution" int not null,
      "score" int not null,
      "hallucination" boolean not null default false,
      "circular" boolean not null default false,
      "question_type" text null,
      "negative_feedback" int not null default 0,
      "method" text check ("method" in ('model', 'heuristic')) not null,
      "in_review" boolean not null default false,
      "reviewed_at" timestamptz null,
      "message_count" int not null,
      "evaluated_at" timestamptz not null,
      constraint "session_evaluation_session_id_foreign" foreign key ("session_id") references "chat_session" ("id") on delete cascade on update cascade);`);
    this.addSql('create unique index "session_evaluation_session_id_unique" on "session_evaluation" ("session_id");');
    this.addSql('create index "session_evaluation_in_review_evaluated_at_index" on "session_evaluation" ("in_review", "evaluated_at");');
  }
}
