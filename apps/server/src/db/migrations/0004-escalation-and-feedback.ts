import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * Escalation offers on messages (their reason, what the visitor did, the judged confidence)
 * and the visitor's feedback on replies (why a reply was rated down).
 */
export class Migration0004EscalationAndFeedback extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql('alter table `message` add column `escalation_reason` text null;');
    this.addSql(
      "alter table `message` add column `offer_status` text check (`offer_status` in ('pending', 'accepted', 'declined')) null;",
    );
    this.addSql('alter table `message` add column `confidence` integer null;');
    this.addSql(
      "alter table `message` add column `rating_reason` text check (`rating_reason` in ('wrong', 'unhelpful', 'rude', 'other')) null;",
    );
    this.addSql('alter table `message` add column `rating_comment` text null;');
    this.addSql('alter table `message` add column `rated_at` datetime null;');
  }

  private postgresql(): void {
    this.addSql('alter table "message" add column "escalation_reason" text null;');
    this.addSql(
      `alter table "message" add column "offer_status" text check ("offer_status" in ('pending', 'accepted', 'declined')) null;`,
    );
    this.addSql('alter table "message" add column "confidence" int null;');
    this.addSql(
      `alter table "message" add column "rating_reason" text check ("rating_reason" in ('wrong', 'unhelpful', 'rude', 'other')) null;`,
    );
    this.addSql('alter table "message" add column "rating_comment" text null;');
    this.addSql('alter table "message" add column "rated_at" timestamptz null;');
  }
}
