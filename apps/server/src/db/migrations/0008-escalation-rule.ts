import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** Which escalation rule made an offer, and the language the visitor's message was read in. */
export class Migration0008EscalationRule extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql('alter table `message` add column `escalation_rule` text null;');
    this.addSql('alter table `message` add column `escalation_language` text null;');
  }

  private postgresql(): void {
    this.addSql('alter table "message" add column "escalation_rule" text null;');
    this.addSql('alter table "message" add column "escalation_language" text null;');
  }
}
