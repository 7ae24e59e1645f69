import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, watchForErrors } from './support/browser.js';
import { OWNER, startStack, type Stack } from './support/stack.js';

const SECRET = 'e2e-identity-secret-of-at-least-32-bytes';

/**
 * The shop's own site, on another origin: its server signs the signed-in customer's identity
 * on every page load, as the README shows, and hands the token to the widget.
 */
function startShop(chatUrl: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://shop').searchParams;
    const email = query.get('user') ?? 'ana@example.com';
    const payload = Buffer.from(JSON.stringify({ email, name: 'Ana', issuedAt: Math.floor(Date.now() / 1000) })).toString('base64url');
    const token = `${payload}.${createHmac('sha256', query.get('secret') ?? SECRET).update(payload).digest('base64url')}`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><title>Shop</title>
      <script type="module" src="${chatUrl()}/widget.js"></script></head>
      <body><h1>Shop</h1><ticket0-chat identity="${token}"></ticket0-chat></body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

let stack: Stack;
let shop: Awaited<ReturnType<typeof startShop>>;

beforeAll(async () => {
  shop = await startShop(() => stack.server.url);
  stack = await startStack({ env: { IDENTITY_SECRET: SECRET, ALLOWED_ORIGINS: shop.url } });
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => shop?.server.close(resolve));
});

describe('a customer signed in to the shop', () => {
  it('is verified without a code, and finds the same conversation on a second device', async () => {
    const phone = await stack.browser.newContext();
    const page = await phone.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${shop.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    await page.getByText('Verified: ana@example.com').waitFor();
    expect(await page.getByRole('button', { name: 'Verify your email' }).count()).toBe(0);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Where is my parcel 5521?');
    await input.press('Enter');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Where is my parcel 5521?').waitFor();
    await log.locator('.message.ai').first().waitFor();
    expect(errors).toEqual([]);

    const laptop = await stack.browser.newContext();
    const second = await laptop.newPage();
    await second.goto(`${shop.url}/`);
    await second.getByRole('button', { name: 'Open support chat' }).click();
    await second.getByText('Verified: ana@example.com').waitFor();
    const recent = second.getByRole('navigation', { name: 'Continue a recent conversation' });
    await recent.getByRole('button').first().click();
    await second.getByRole('log', { name: 'Conversation' }).getByText('Where is my parcel 5521?').waitFor();

    // Another customer of the shop sees none of it.
    const other = await stack.browser.newContext();
    const bo = await other.newPage();
    await bo.goto(`${shop.url}/?user=bo@example.com`);
    await bo.getByRole('button', { name: 'Open support chat' }).click();
    await bo.getByText('Verified: bo@example.com').waitFor();
    expect(await bo.getByRole('navigation', { name: 'Continue a recent conversation' }).count()).toBe(0);
    await Promise.all([phone.close(), laptop.close(), other.close()]);
  }, 40_000); // three browser contexts

  it('a token signed with another secret is refused: no badge, the reason shown', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/?secret=${'x'.repeat(40)}`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    await page.getByText('This identity token is not valid', { exact: false }).waitFor();
    expect(await page.getByText('Verified:', { exact: false }).count()).toBe(0);
    await context.close();
  });
});

describe('an admin answering a privacy request', () => {
  it('downloads everything about the customer, erases them, and the text is gone from the database file', async () => {
    // The customer record comes from the shop's systems, through the import command.
    const dir = mkdtempSync(join(tmpdir(), 'kv-e2e-'));
    writeFileSync(join(dir, 'customers.json'), JSON.stringify([{ email: 'ana@example.com', name: 'Ana Lopez' }]));
    const imported = spawnSync('npx', ['tsx', 'scripts/import-customers.ts', join(dir, 'customers.json')], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, ...stack.server.databaseEnv },
      encoding: 'utf8',
    });
    rmSync(dir, { recursive: true, force: true });
    expect(imported.status, imported.stderr).toBe(0);

    const context = await stack.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, stack.server.url, OWNER);
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: /Ana Lopez/ }).click();
    await page.getByRole('heading', { name: 'Ana Lopez' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export everything (JSON)' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { customer: { email: string }; chats: unknown[] };
    expect(exported.customer.email).toBe('ana@example.com');
    expect(JSON.stringify(exported.chats)).toContain('Where is my parcel 5521?');

    await page.getByRole('button', { name: 'Erase this customer…' }).click();
    await page.getByLabel('Type the email address to confirm').fill('ana@example.com');
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByText('Erased: the customer, 2 chats', { exact: false }).waitFor();

    // On SQLite the file is ours to read (PostgreSQL's rows are checked in test/known-visitors.test.ts).
    const file = stack.server.databaseEnv.DATABASE_PATH;
    if (file && !stack.server.databaseEnv.DATABASE_URL) {
      const bytes = [file, `${file}-wal`]
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join('');
      expect(bytes).toContain('SQLite format 3');
      expect(bytes).not.toContain('Where is my parcel 5521?');
      expect(bytes).not.toContain('ana@example.com');
    }

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit' }).click();
    const entries = page.getByRole('list', { name: 'Audit entries' });
    await entries.getByText('Customer erased').waitFor();
    await entries.getByText('Customer exported').waitFor();
    await entries.getByText('Signed identity refused').waitFor();
    expect(await entries.innerText()).not.toContain('ana@example.com');
    await context.close();
  }, 60_000); // the import command starts tsx: slow on a busy machine
});
