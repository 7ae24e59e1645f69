import { Migration } from '@mikro-orm/migrations';

/**
 * Escalation offers on messages (their reason, what the visitor did, the judged confidence)
 * and the visitor's feedback on replies (why a reply was rated down).
 */
export class Migration0004EscalationAndFeedback extends Migration {
  override up(): void {
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
}
