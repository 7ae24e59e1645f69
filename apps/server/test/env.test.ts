import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../src/app/env.js';
import { databaseOptions, describeDatabase } from '../src/db/orm.js';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_PATH: './data/ticket0.sqlite',
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      OLLAMA_MODEL: 'llama3.2',
      MAIL_FROM: 'support@localhost',
      PUBLIC_URL: 'http://localhost:3000',
      ALLOWED_ORIGINS: [],
    });
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.MODEL_PROVIDER).toBe('ollama');
    expect(env.OPENAI_BASE_URL).toBeUndefined();
  });

  it('reads an OpenAI-compatible provider with its base URL, model and optional key', () => {
    expect(loadEnv({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', OPENAI_MODEL: 'qwen2.5-3b' })).toMatchObject({
      MODEL_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1',
      OPENAI_MODEL: 'qwen2.5-3b',
    });
    expect(loadEnv({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'https://api.example.com/v1', OPENAI_MODEL: 'm', OPENAI_API_KEY: 'sk-1' }).OPENAI_API_KEY).toBe('sk-1');
  });

  it.each([
    [{ MODEL_PROVIDER: 'openai', OPENAI_MODEL: 'qwen2.5-3b' }, 'Invalid configuration: OPENAI_BASE_URL is required when MODEL_PROVIDER is openai'],
    [{ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }, 'Invalid configuration: OPENAI_MODEL is required when MODEL_PROVIDER is openai'],
  ])('stops with one line naming what the openai provider lacks (%o)', (source, message) => {
    expect(() => loadEnv(source)).toThrow(new ConfigError(message));
  });

  it('needs no OPENAI_* variables while the provider is ollama', () => {
    expect(loadEnv({ OPENAI_MODEL: 'ignored' }).MODEL_PROVIDER).toBe('ollama');
  });

  it('derives PUBLIC_URL from PORT and trims a trailing slash when given', () => {
    expect(loadEnv({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadEnv({ PUBLIC_URL: 'https://support.example.com/' }).PUBLIC_URL).toBe('https://support.example.com');
  });

  it('reads ALLOWED_ORIGINS as a comma list of origins', () => {
    expect(loadEnv({ ALLOWED_ORIGINS: 'https://shop.example.com, https://blog.example.com/path' }).ALLOWED_ORIGINS).toEqual([
      'https://shop.example.com',
      'https://blog.example.com',
    ]);
  });

  it('trusts X-Forwarded-For only when TRUST_PROXY is set', () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
  });

  it('leaves signed identities off unless IDENTITY_SECRET is set, with a 10-minute age limit by default', () => {
    expect(loadEnv({}).IDENTITY_SECRET).toBeUndefined();
    expect(loadEnv({}).IDENTITY_MAX_AGE_SECONDS).toBe(600);
    const secret = 'x'.repeat(32);
    expect(loadEnv({ IDENTITY_SECRET: secret, IDENTITY_MAX_AGE_SECONDS: '120' })).toMatchObject({ IDENTITY_SECRET: secret, IDENTITY_MAX_AGE_SECONDS: 120 });
  });

  it('stops at boot on an IDENTITY_SECRET shorter than 32 bytes, without printing it', () => {
    expect(() => loadEnv({ IDENTITY_SECRET: 'short-secret' })).toThrow(
      new ConfigError('Invalid configuration: IDENTITY_SECRET must be at least 32 bytes (e.g. openssl rand -hex 32)'),
    );
    expect(() => loadEnv({ IDENTITY_MAX_AGE_SECONDS: '0' })).toThrow(/IDENTITY_MAX_AGE_SECONDS/);
  });

  it('logs at info unless LOG_LEVEL says otherwise', () => {
    expect(loadEnv({}).LOG_LEVEL).toBe('info');
    expect(loadEnv({ LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv({ PORT: '', SMTP_URL: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['OLLAMA_HOST', 'localhost:11434'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['ALLOWED_ORIGINS', 'shop.example.com'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['RATE_LIMIT_SESSION_PER_MINUTE', '0'],
    ['OLLAMA_TIMEOUT_MS', '-5'],
    ['TRUST_PROXY', 'yes please'],
    ['MODEL_PROVIDER', 'anthropic'],
    ['OPENAI_BASE_URL', '127.0.0.1:8080/v1'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://db.example.com/ticket0'],
    ['DATABASE_URL', 'postgres://db.example.com'],
    ['DATABASE_URL', 'not a url'],
    ['IMAP_URL', 'https://imap.example.com'],
    ['IMAP_URL', 'imaps://imap.example.com/INBOX'],
    ['IMAP_POLL_SECONDS', '0'],
    ['WEBHOOK_ALLOW_PRIVATE', 'sometimes'],
  ])('stops on a bad %s with one line naming it', (name, value) => {
    let error: unknown;
    try {
      loadEnv({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`Invalid configuration: ${name} `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('never repeats a password or SMTP credentials in the error', () => {
    expect(() => loadEnv({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadEnv({ ADMIN_PASSWORD: 'short' })).not.toThrow(/short/);
    expect(() => loadEnv({ SMTP_URL: 'http://user:hunter2@mail' })).not.toThrow(/hunter2/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://user:hunter2@db/ticket0' })).not.toThrow(/hunter2/);
  });

  it('uses PostgreSQL when DATABASE_URL is set and the SQLite file otherwise, naming either without its password', () => {
    const postgres = loadEnv({ DATABASE_URL: 'postgresql://ticket0:hunter2@db.internal:5432/ticket0' });
    expect(databaseOptions(postgres)).toEqual({ databaseUrl: 'postgresql://ticket0:hunter2@db.internal:5432/ticket0' });
    expect(describeDatabase(postgres)).toBe('postgresql://ticket0:***@db.internal:5432/ticket0');
    const sqlite = loadEnv({ DATABASE_PATH: ':memory:' });
    expect(databaseOptions(sqlite)).toEqual({ dbName: ':memory:' });
    expect(describeDatabase(sqlite)).toBe(':memory:');
  });

  it('reads IMAP_URL (unset: no inbound mail) and never repeats its password', () => {
    expect(loadEnv({}).IMAP_URL).toBeUndefined();
    expect(loadEnv({ IMAP_URL: 'imaps://support%40shop.example:pa55@imap.example.com/Support' }).IMAP_URL).toContain('imap.example.com');
    expect(() => loadEnv({ IMAP_URL: 'pop3://support:hunter2@mail.example.com' })).toThrow(/^Invalid configuration: IMAP_URL must start with imaps:\/\//);
    expect(() => loadEnv({ IMAP_URL: 'pop3://support:hunter2@mail.example.com' })).not.toThrow(/hunter2/);
    expect(() => loadEnv({ IMAP_URL: 'imaps://support@mail.example.com' })).not.toThrow(/support@/);
  });

  it('refuses credentials inside OPENAI_BASE_URL without repeating them', () => {
    const source = { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'https://me:sk-hunter2@api.example.com/v1', OPENAI_MODEL: 'm' };
    expect(() => loadEnv(source)).toThrow(/^Invalid configuration: OPENAI_BASE_URL must not contain credentials: put the key in OPENAI_API_KEY$/);
    expect(() => loadEnv(source)).not.toThrow(/hunter2/);
  });
});
