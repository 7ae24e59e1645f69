import { Migration } from '@mikro-orm/migrations';

/** How the widget presents itself: brand name, accent colour, greeting, the AI's label. */
export class Migration0008WidgetAppearance extends Migration {
  override up(): void {
    for (const column of ['brand_name', 'accent_color', 'greeting', 'assistant_label']) {
      this.addSql(`alter table \`settings\` add column \`${column}\` text null;`);
    }
  }
}
