import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { ESCALATION_REASONS, type ReasonCode, type ReasonMap, type ReasonRule, type WidgetAppearance } from '@ticket0/contracts';
import { Settings } from '../../db/entities/index.js';
import { databaseCaches } from '../../db/sql.js';
import type { Clock } from '../../lib/clock.js';

/** What each reason code does to the email ticket an escalation creates, until changed. */
export const DEFAULT_REASON_MAP: ReasonMap = {
  human_requested: { tags: [], priority: 'normal' },
  ai_uncertain: { tags: [], priority: 'normal' },
  ai_unavailable: { tags: [], priority: 'normal' },
  financial_dispute: { tags: ['billing'], priority: 'high' },
  legal_compliance: { tags: ['legal'], priority: 'urgent' },
  data_privacy: { tags: ['privacy'], priority: 'high' },
  distress_urgent: { tags: ['urgent'], priority: 'urgent' },
  unsafe_output: { tags: ['safety'], priority: 'high' },
};

const SETTINGS_ID = 1;

/**
 * The brand name set in the console, or null. Reads only: it never creates the settings row,
 * so parallel requests (code mails, transcripts) cannot race to insert it.
 */
export async function findBrandName(em: EntityManager): Promise<string | null> {
  return (await em.findOne(Settings, { id: SETTINGS_ID }))?.brandName ?? null;
}

/** The cache of the settings row; updateSettings invalidates it. */
export const SETTINGS_CACHE = 'settings';
/** Until invalidations reach every server process, a change made through another one shows within this time. */
const SETTINGS_MAX_AGE_MS = 60_000;

/** The settings as everyone but their editor reads them: cached, shared, never changed in place. */
export type SettingsSnapshot = Readonly<
  Pick<Settings, 'autoAssign' | 'reasonMap' | 'allowedOrigins' | 'brandName' | 'accentColor' | 'greeting' | 'assistantLabel' | 'retentionDays' | 'updatedAt'>
>;

/** The settings, read once per process until they change. */
export function getSettings(em: EntityManager, deps: { clock: Clock }): Promise<SettingsSnapshot> {
  return databaseCaches(em).get(
    SETTINGS_CACHE,
    async () => {
      const settings = await loadSettings(em, deps);
      return deepFreeze(
        structuredClone({
          autoAssign: settings.autoAssign,
          reasonMap: settings.reasonMap,
          allowedOrigins: settings.allowedOrigins,
          brandName: settings.brandName,
          accentColor: settings.accentColor,
          greeting: settings.greeting,
          assistantLabel: settings.assistantLabel,
          retentionDays: settings.retentionDays,
          updatedAt: settings.updatedAt,
        }),
      );
    },
    { maxAgeMs: SETTINGS_MAX_AGE_MS },
  );
}

/**
 * The settings row, created with the defaults the first time anyone asks. Created apart from
 * the caller's unit of work: when another request or process creates it at the same moment,
 * one insert wins and everyone reads that row.
 */
async function loadSettings(em: EntityManager, deps: { clock: Clock }): Promise<Settings> {
  const existing = await em.findOne(Settings, { id: SETTINGS_ID });
  if (existing) {
    // Reason codes added after the row was written get their defaults.
    existing.reasonMap = { ...DEFAULT_REASON_MAP, ...existing.reasonMap };
    return existing;
  }
  const fork = em.fork();
  fork.create(Settings, {
    id: SETTINGS_ID,
    autoAssign: true,
    reasonMap: structuredClone(DEFAULT_REASON_MAP),
    allowedOrigins: [],
    updatedAt: deps.clock.now(),
  });
  try {
    await fork.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  return em.findOneOrFail(Settings, { id: SETTINGS_ID });
}

export interface SettingsChange {
  autoAssign?: boolean;
  reasonMap?: Partial<Record<ReasonCode, ReasonRule>>;
  allowedOrigins?: string[];
  appearance?: Partial<WidgetAppearance>;
  retentionDays?: number | null;
}

/** The widget's appearance as stored (null fields: the widget's defaults). */
export function appearanceOf(settings: SettingsSnapshot): WidgetAppearance {
  return {
    brandName: settings.brandName,
    accentColor: settings.accentColor,
    greeting: settings.greeting,
    assistantLabel: settings.assistantLabel,
  };
}

/** Applies a partial change; the reason map merges per reason code. */
export async function updateSettings(em: EntityManager, deps: { clock: Clock }, change: SettingsChange): Promise<Settings> {
  const settings = await loadSettings(em, deps);
  if (change.autoAssign !== undefined) settings.autoAssign = change.autoAssign;
  if (change.reasonMap) {
    const next = { ...settings.reasonMap };
    for (const code of ESCALATION_REASONS) {
      const rule = change.reasonMap[code];
      if (rule) next[code] = { tags: [...new Set(rule.tags)], priority: rule.priority };
    }
    settings.reasonMap = next;
  }
  if (change.allowedOrigins) settings.allowedOrigins = [...new Set(change.allowedOrigins)].sort();
  for (const [field, value] of Object.entries(change.appearance ?? {}) as Array<[keyof WidgetAppearance, string | null | undefined]>) {
    if (value !== undefined) settings[field] = value;
  }
  if (change.retentionDays !== undefined) settings.retentionDays = change.retentionDays;
  settings.updatedAt = deps.clock.now();
  await em.flush();
  databaseCaches(em).invalidate(SETTINGS_CACHE);
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The tags and priority a ticket escalated for `reason` gets. */
export function ruleForReason(settings: Pick<SettingsSnapshot, 'reasonMap'>, reason: ReasonCode): ReasonRule {
  return settings.reasonMap[reason] ?? DEFAULT_REASON_MAP[reason];
}

/**
 * Origins allowed to call the API from a browser: the configured ones (PUBLIC_URL and
 * ALLOWED_ORIGINS, fixed at deploy time) plus those stored in settings. Rewrites `target`
 * in place, because the CORS gate holds that very Set.
 */
export function applyAllowedOrigins(target: Set<string>, configured: readonly string[], stored: readonly string[]): void {
  target.clear();
  for (const origin of configured) target.add(origin);
  for (const origin of stored) target.add(origin);
}

/** Days chats are kept (null: for ever), without creating the settings row. */
export async function findRetentionDays(em: EntityManager): Promise<number | null> {
  return (await em.findOne(Settings, { id: SETTINGS_ID }))?.retentionDays ?? null;
}
