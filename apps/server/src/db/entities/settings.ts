import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import type { ReasonMap } from '@ticket0/contracts';

/** The console's settings: one row (id 1), created with defaults on first read. */
export class Settings {
  id!: number;
  autoAssign: Opt<boolean> = true;
  /** Reason code → tags and priority given to the email ticket an escalation creates. */
  reasonMap!: ReasonMap;
  /** Sites allowed to embed the widget, on top of ALLOWED_ORIGINS. */
  allowedOrigins: Opt<string[]> = [];
  /** The widget's brand name, accent colour, greeting and AI label; null: the defaults. */
  brandName: string | null = null;
  accentColor: string | null = null;
  greeting: string | null = null;
  assistantLabel: string | null = null;
  /** Chats quiet for longer than this many days are deleted; null: kept. */
  retentionDays: number | null = null;
  updatedAt: Opt<Date> = new Date();
}

export const SettingsSchema = new EntitySchema<Settings>({
  class: Settings,
  tableName: 'settings',
  properties: {
    id: { type: 'integer', primary: true },
    autoAssign: { type: 'boolean' },
    reasonMap: { type: 'json' },
    allowedOrigins: { type: 'json' },
    brandName: { type: 'text', nullable: true },
    accentColor: { type: 'text', nullable: true },
    greeting: { type: 'text', nullable: true },
    assistantLabel: { type: 'text', nullable: true },
    retentionDays: { type: 'integer', nullable: true },
    updatedAt: { type: 'Date' },
  },
});
