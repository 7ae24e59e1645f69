import type { Browser } from 'playwright-core';
import { FakeOllama } from '../../test/support/fake-ollama.js';
import { SmtpReceiver } from '../../test/support/smtp-receiver.js';
import { launchBrowser } from './browser.js';
import { startBuiltServer, type BuiltServer } from './server.js';

/** The first owner of every stack's console. */
export const OWNER = { email: 'owner@example.com', password: 'e2e owner password' };

export interface Stack {
  ollama: FakeOllama;
  /** Null unless asked for: without it the server keeps mail in its outbox. */
  smtp: SmtpReceiver | null;
  server: BuiltServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * What an end-to-end test drives: a fake model (and, when asked, a real SMTP receiver), the
 * built server with OWNER as its first owner, and a headless browser.
 */
export async function startStack(options: { smtp?: boolean; env?: Record<string, string> } = {}): Promise<Stack> {
  const ollama = await new FakeOllama().start();
  const smtp = options.smtp ? await new SmtpReceiver().start() : null;
  const server = await startBuiltServer({
    env: {
      OLLAMA_HOST: ollama.url,
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
      ...options.env,
    },
  });
  const browser = await launchBrowser();
  return {
    ollama,
    smtp,
    server,
    browser,
    async close() {
      await browser.close();
      await server.dispose();
      await smtp?.stop();
      await ollama.stop();
    },
  };
}
