import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/** The context each visitor message was answered with, replayed in later prompts. */
export class Migration0010PromptContext extends Migration {
  override up(): void {
    if (dialectOf(this.driver) === 'postgresql') return this.postgresql();
    this.addSql('alter table `message` add column `prompt_context` json null;');
  }

  private postgresql(): void {
    this.addSql('alter table "message" add column "prompt_context" jsonb null;');
  }
}
