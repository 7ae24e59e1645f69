import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * Knowledge-base articles, their passages, and an FTS5 index over the passages.
 *
 * The FTS table keeps its own copy of each passage's text (not an external-content table):
 * deleting a row by rowid then needs no original values, so the triggers below stay correct
 * whatever order the ORM writes in. The article title is copied into every passage's row so
 * a question naming the article's subject finds its passages; a title change updates it.
 * Visibility and published are deliberately NOT in the index: searches join the article
 * table and filter there, so flipping an article to draft hides it at once.
 */
export class Migration0003KnowledgeBase extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql(`create table \`knowledge_article\` (
      \`id\` integer not null primary key autoincrement,
      \`slug\` text not null,
      \`title\` text not null,
      \`body\` text not null,
      \`published\` integer not null default false,
      \`visibility\` text check (\`visibility\` in ('public', 'internal')) not null default 'public',
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null);`);
    this.addSql('create unique index `knowledge_article_slug_unique` on `knowledge_article` (`slug`);');
    this.addSql(
      'create index `knowledge_article_published_visibility_index` on `knowledge_article` (`published`, `visibility`);',
    );

    this.addSql(`create table \`knowledge_passage\` (
      \`id\` integer not null primary key autoincrement,
      \`article_id\` integer not null,
      \`position\` integer not null,
      \`heading\` text not null,
      \`text\` text not null,
      constraint \`knowledge_passage_article_id_foreign\` foreign key(\`article_id\`) references \`knowledge_article\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create index `knowledge_passage_article_id_index` on `knowledge_passage` (`article_id`);');

    // Porter stemming so "refunds"/"refunded" meet "refund"; diacritics folded ("café" = "cafe").
    this.addSql(`create virtual table \`knowledge_passage_fts\` using fts5(
      \`title\`, \`heading\`, \`text\`,
      tokenize = 'porter unicode61 remove_diacritics 2');`);

    this.addSql(`create trigger \`knowledge_passage_fts_insert\` after insert on \`knowledge_passage\` begin
      insert into \`knowledge_passage_fts\` (rowid, \`title\`, \`heading\`, \`text\`)
        select new.\`id\`, a.\`title\`, new.\`heading\`, new.\`text\` from \`knowledge_article\` a where a.\`id\` = new.\`article_id\`;
    end;`);
    this.addSql(`create trigger \`knowledge_passage_fts_delete\` after delete on \`knowledge_passage\` begin
      delete from \`knowledge_passage_fts\` where rowid = old.\`id\`;
    end;`);
    this.addSql(`create trigger \`knowledge_passage_fts_update\` after update on \`knowledge_passage\` begin
      delete from \`knowledge_passage_fts\` where rowid = old.\`id\`;
      insert into \`knowledge_passage_fts\` (rowid, \`title\`, \`heading\`, \`text\`)
        select new.\`id\`, a.\`title\`, new.\`heading\`, new.\`text\` from \`knowledge_article\` a where a.\`id\` = new.\`article_id\`;
    end;`);
    this.addSql(`create trigger \`knowledge_article_fts_title\` after update of \`title\` on \`knowledge_article\` begin
      update \`knowledge_passage_fts\` set \`title\` = new.\`title\`
        where rowid in (select \`id\` from \`knowledge_passage\` where \`article_id\` = new.\`id\`);
    end;`);
  }

  /**
   * On PostgreSQL the index is a table of tsvectors, one per passage, kept by triggers like the
   * FTS5 table: the article title (weight A), the heading path (B) and the text (C) under the
   * `ticket0_search` configuration — English stemming with accents folded (the `unaccent`
   * dictionary, a trusted extension any database owner may create) — and a GIN index.
   */
  private postgresql(): void {
    this.addSql(`create table "knowledge_article" (
      "id" serial primary key,
      "slug" text not null,
      "title" text not null,
      "body" text not null,
      "published" boolean not null default false,
      "visibility" text check ("visibility" in ('public', 'internal')) not null default 'public',
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql('create unique index "knowledge_article_slug_unique" on "knowledge_article" ("slug");');
    this.addSql(
      'create index "knowledge_article_published_visibility_index" on "knowledge_article" ("published", "visibility");',
    );

    this.addSql(`create table "knowledge_passage" (
      "id" serial primary key,
      "article_id" int not null,
      "position" int not null,
      "heading" text not null,
      "text" text not null,
      constraint "knowledge_passage_article_id_foreign" foreign key ("article_id") references "knowledge_article" ("id") on delete cascade on update cascade);`);
    this.addSql('create index "knowledge_passage_article_id_index" on "knowledge_passage" ("article_id");');

    this.addSql('create extension if not exists unaccent;');
    this.addSql('create text search configuration ticket0_search (copy = pg_catalog.english);');
    this.addSql(
      'alter text search configuration ticket0_search alter mapping for hword, hword_part, word with unaccent, english_stem;',
    );
    this.addSql(`create function knowledge_passage_document(title text, heading text, body text) returns tsvector
      language sql stable as $$
        select setweight(to_tsvector('ticket0_search', title), 'A')
          || setweight(to_tsvector('ticket0_search', heading), 'B')
          || setweight(to_tsvector('ticket0_search', body), 'C')
      $$;`);

    // Deleting a passage deletes its row through the foreign key.
    this.addSql(`create table "knowledge_passage_fts" (
      "id" int not null primary key references "knowledge_passage" ("id") on delete cascade,
      "document" tsvector not null);`);
    this.addSql('create index "knowledge_passage_fts_document_index" on "knowledge_passage_fts" using gin ("document");');

    this.addSql(`create function knowledge_passage_fts_write() returns trigger language plpgsql as $$
      begin
        insert into "knowledge_passage_fts" ("id", "document")
          select new."id", knowledge_passage_document(a."title", new."heading", new."text")
          from "knowledge_article" a where a."id" = new."article_id"
          on conflict ("id") do update set "document" = excluded."document";
        return null;
      end $$;`);
    this.addSql(`create trigger "knowledge_passage_fts_write" after insert or update on "knowledge_passage"
      for each row execute function knowledge_passage_fts_write();`);
    this.addSql(`create function knowledge_article_fts_title() returns trigger language plpgsql as $$
      begin
        update "knowledge_passage_fts" f set "document" = knowledge_passage_document(new."title", p."heading", p."text")
          from "knowledge_passage" p where p."id" = f."id" and p."article_id" = new."id";
        return null;
      end $$;`);
    this.addSql(`create trigger "knowledge_article_fts_title" after update of "title" on "knowledge_article"
      for each row when (old."title" is distinct from new."title") execute function knowledge_article_fts_title();`);
  }
}
