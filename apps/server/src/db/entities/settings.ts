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
    updatedAt: { type: 'Date' },
  },
});
