import { z } from 'zod';
import { escalationReasonSchema, type EscalationReason } from '../messages.js';
import { tagSchema, ticketPrioritySchema } from './tickets.js';

/* Console settings: auto-assignment, what each escalation reason does, embedding sites. */

/** Reason codes: the fixed list of escalation reasons; the console keys settings on it. */
const reasonCodeSchema = escalationReasonSchema;
export type ReasonCode = EscalationReason;

export const reasonRuleSchema = z.object({
  tags: z.array(tagSchema).max(10),
  priority: ticketPrioritySchema,
});
export type ReasonRule = z.infer<typeof reasonRuleSchema>;

export const reasonMapSchema = z.record(reasonCodeSchema, reasonRuleSchema);
export type ReasonMap = Record<ReasonCode, ReasonRule>;

/** An origin such as `https://shop.example.com` (scheme, host, port; no path). */
export const originSchema = z
  .string()
  .trim()
  .max(255)
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null')
        return url.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an origin such as https://shop.example.com`,
    });
    return z.NEVER;
  });

/** `#2563eb`: the widget's accent colour, six hex digits. */
export const accentColorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour such as #2563eb (# and six hex digits).')
  .transform((value) => value.toLowerCase());

/** A short text the site owner sets; empty means "use the default". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max} characters.`)
    .transform((value) => value || null)
    .nullable();

/** How the widget presents itself on every site, unless the page's attributes say otherwise. */
export const widgetAppearanceSchema = z.object({
  /** The brand the widget and its mails name (`Acme`); null: the site's host name. */
  brandName: z.string().nullable(),
  accentColor: z.string().nullable(),
  /** The assistant's first message; null: the widget's own greeting, in the visitor's language. */
  greeting: z.string().nullable(),
  /** How the AI is labelled (`AI assistant`); null: the widget's default, never empty. */
  assistantLabel: z.string().nullable(),
});
export type WidgetAppearance = z.infer<typeof widgetAppearanceSchema>;

export const widgetAppearanceInputSchema = z.object({
  brandName: optionalText(60).optional(),
  accentColor: accentColorSchema.nullable().optional(),
  greeting: optionalText(300).optional(),
  assistantLabel: optionalText(40).optional(),
});

export const settingsSchema = z.object({
  autoAssign: z.boolean(),
  reasonMap: reasonMapSchema,
  /** Sites allowed to embed the widget, besides those in ALLOWED_ORIGINS. */
  allowedOrigins: z.array(z.string()),
  /** From ALLOWED_ORIGINS and PUBLIC_URL: always allowed, changed only by redeploying. */
  configuredOrigins: z.array(z.string()),
  appearance: widgetAppearanceSchema,
  /** Chats quiet for longer than this many days are deleted; null: kept for ever. */
  retentionDays: z.number().int().positive().nullable(),
  updatedAt: z.date().nullable(),
});
export type SettingsView = z.infer<typeof settingsSchema>;

export const settingsUpdateInputSchema = z.object({
  autoAssign: z.boolean().optional(),
  reasonMap: z.partialRecord(reasonCodeSchema, reasonRuleSchema).optional(),
  allowedOrigins: z.array(originSchema).max(100).optional(),
  appearance: widgetAppearanceInputSchema.optional(),
  retentionDays: z
    .number()
    .int('Use a whole number of days.')
    .min(1, 'Keep chats at least 1 day, or turn retention off.')
    .max(36_500, 'Use at most 36500 days.')
    .nullable()
    .optional(),
});
export type SettingsUpdateInput = z.input<typeof settingsUpdateInputSchema>;
