import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * How the widget presents itself (brand name, accent colour, greeting, the AI's label), and
 * when each chat was last mailed to its visitor.
 */
export class Migration0009WidgetAppearance extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    for (const column of ['brand_name', 'accent_color', 'greeting', 'assistant_label']) {
      this.addSql(`alter table \`settings\` add column \`${column}\` text null;`);
    }
    this.addSql('alter table `chat_session` add column `transcript_sent_at` datetime null;');
  }

  private postgresql(): void {
    for (const column of ['brand_name', 'accent_color', 'greeting', 'assistant_label']) {
      this.addSql(`alter table "settings" add column "${column}" text null;`);
    }
    this.addSql('alter table "chat_session" add column "transcript_sent_at" timestamptz null;');
  }
}
