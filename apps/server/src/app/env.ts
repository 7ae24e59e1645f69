import { z } from 'zod';
import { LOG_LEVELS } from '../lib/logger.js';
import { parseImapUrl } from '../mail/imap.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://');

const originList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const origins: string[] = [];
    for (const raw of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
      try {
        const url = new URL(raw);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
        origins.push(url.origin);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not an origin such as https://shop.example.com` });
        return z.NEVER;
      }
    }
    return origins;
  });

/** The deploy-time configuration. The names are a contract with the people who deploy this. */
const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_PATH: z.string().min(1).default('./data/ticket0.sqlite'),
    /** PostgreSQL instead of the SQLite file; several server processes may share it. */
    DATABASE_URL: z
      .string()
      .optional()
      .refine((value) => {
        if (!value) return true;
        try {
          const url = new URL(value);
          return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
        } catch {
          return false;
        }
      }, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/ticket0'),
    OLLAMA_HOST: httpUrl.default('http://127.0.0.1:11434'),
    OLLAMA_MODEL: z.string().min(1).default('llama3.2'),
    /**
     * Longest wait for the model's next piece of output before the reply counts as failed.
     * Applies to either provider; the name predates the second one.
     */
    OLLAMA_TIMEOUT_MS: positiveInt.default(30_000),
    /** `ollama` (its own API) or `openai`: any server speaking /v1/chat/completions. */
    MODEL_PROVIDER: z.enum(['ollama', 'openai'], { message: 'must be ollama or openai' }).default('ollama'),
    /** The OpenAI-compatible API's base, usually ending in /v1 (e.g. http://127.0.0.1:8080/v1). */
    OPENAI_BASE_URL: httpUrl
      // fetch refuses URLs with credentials; the key belongs in OPENAI_API_KEY.
      .refine((value) => !/^[a-z]+:\/\/[^/]*@/i.test(value), 'must not contain credentials: put the key in OPENAI_API_KEY')
      .optional(),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_MODEL: z.string().min(1).optional(),
    SMTP_URL: z
      .string()
      .optional()
      .refine((value) => !value || /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://'),
    MAIL_FROM: z.string().min(3).default('support@localhost'),
    /** The support mailbox read for customer replies: imaps://user:password@host:993/INBOX. */
    IMAP_URL: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (!value) return;
        try {
          parseImapUrl(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    /** How often the mailbox is read when IDLE brings nothing (or the server has no IDLE). */
    IMAP_POLL_SECONDS: positiveInt.default(60),
    /** Attachments larger than this are noted by name and size, not kept. */
    MAIL_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(0).default(10 * 1024 * 1024),
    /**
     * Webhooks may be delivered to loopback and private addresses (and http:// to this
     * machine). Off by default: an endpoint URL must not reach into the server's own network.
     */
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    ALLOWED_ORIGINS: originList,
    PUBLIC_URL: httpUrl.optional(),
    RATE_LIMIT_SESSION_PER_MINUTE: positiveInt.default(20),
    RATE_LIMIT_ADDRESS_PER_MINUTE: positiveInt.default(60),
    /**
     * Behind a reverse proxy, take the client address from X-Forwarded-For (its first entry)
     * instead of the socket, so rate limits apply per visitor rather than to the proxy.
     */
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    /** How long in-flight replies may run after SIGTERM before they are cut and stored. */
    SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
    /**
     * HMAC-SHA256 key the host site signs visitor identities with (unset: signed identities
     * are refused). At least 32 bytes, so it cannot be guessed offline from one token.
     */
    IDENTITY_SECRET: z
      .string()
      .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes (e.g. openssl rand -hex 32)')
      .optional(),
    /** How old a signed identity may be when the widget presents it. */
    IDENTITY_MAX_AGE_SECONDS: positiveInt.max(86_400, 'must be at most 86400 (one day)').default(600),
    /** debug also logs outgoing mail (addresses, text, codes); info and above never do. */
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.MODEL_PROVIDER !== 'openai') return;
    for (const name of ['OPENAI_BASE_URL', 'OPENAI_MODEL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when MODEL_PROVIDER is openai' });
    }
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
  }));

export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from `source` (normally `process.env`). Empty strings count as
 * unset. A bad value throws a ConfigError whose message is one line naming the variable.
 */
export function loadEnv(source: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Env {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'configuration');
  // Never echo secrets (passwords, API keys, credentials inside a URL such as DATABASE_URL) into logs.
  const value = present[name];
  const secret = /PASSWORD|SMTP_URL|IMAP_URL|DATABASE_URL|_KEY|SECRET/.test(name) || (typeof value === 'string' && /\/\/[^/]*@/.test(value));
  const shown = !secret && typeof value === 'string' ? ` (got "${value}")` : '';
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
}

/** loadEnv for a command: bad configuration prints its one line and ends the process with `exitCode`. */
export function loadEnvOrExit(exitCode: number): Env {
  try {
    return loadEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(exitCode);
  }
}
