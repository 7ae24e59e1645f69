import { Migration } from '@mikro-orm/migrations';

/** Which escalation rule made an offer, and the language the visitor's message was read in. */
export class Migration0008EscalationRule extends Migration {
  override up(): void {
    this.addSql('alter table `message` add column `escalation_rule` text null;');
    this.addSql('alter table `message` add column `escalation_language` text null;');
  }
}
