import { Migration } from '@mikro-orm/migrations';

/** The context each visitor message was answered with, replayed in later prompts. */
export class Migration0010PromptContext extends Migration {
  override up(): void {
    this.addSql('alter table `message` add column `prompt_context` json null;');
  }
}
