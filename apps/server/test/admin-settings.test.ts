import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startConsole } from '../src/console-boot.js';
import { createHarness, rejection, serveHttp, stopHttp, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ env: { ALLOWED_ORIGINS: 'https://configured.example.com', PUBLIC_URL: 'http://support.local:3000' } });
});
afterEach(async () => {
  await h.close();
});

describe('settings', () => {
  it('start with auto-assign on and the default reason map', async () => {
    const admin = await h.operator('admin');
    const settings = await admin.caller.admin.settings.get();
    expect(settings.autoAssign).toBe(true);
    expect(settings.reasonMap.legal_compliance).toEqual({ tags: ['legal'], priority: 'urgent' });
    expect(settings.reasonMap.financial_dispute).toEqual({ tags: ['billing'], priority: 'high' });
    expect(settings.reasonMap.data_privacy).toEqual({ tags: ['privacy'], priority: 'high' });
    expect(settings.reasonMap.distress_urgent.tags).toEqual(['urgent']);
    expect(settings.allowedOrigins).toEqual([]);
    expect(settings.configuredOrigins).toEqual(['http://support.local:3000', 'https://configured.example.com']);
  });

  it('change one reason code without touching the others, and switch auto-assign off', async () => {
    const admin = await h.operator('admin');
    const updated = await admin.caller.admin.settings.update({
      autoAssign: false,
      reasonMap: { financial_dispute: { tags: ['billing', 'refunds'], priority: 'urgent' } },
    });
    expect(updated.autoAssign).toBe(false);
    expect(updated.reasonMap.financial_dispute).toEqual({ tags: ['billing', 'refunds'], priority: 'urgent' });
    expect(updated.reasonMap.legal_compliance).toEqual({ tags: ['legal'], priority: 'urgent' });
    expect((await admin.caller.admin.settings.get()).reasonMap.financial_dispute.priority).toBe('urgent');
  });

  it('reject an origin that is not one, naming it', async () => {
    const admin = await h.operator('admin');
    const error = await rejection(admin.caller.admin.settings.update({ allowedOrigins: ['shop.example.com'] }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/shop\.example\.com\\?" is not an origin such as https:\/\/shop\.example\.com/);
  });
});

describe('allowed origins', () => {
  let server: Server;
  let base: string;
  beforeEach(async () => {
    ({ server, base } = await serveHttp(h.services));
  });
  afterEach(async () => {
    await stopHttp(server);
  });

  const preflight = (origin: string) =>
    fetch(`${base}/trpc/chat.start`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

  it('an origin added in settings may call the API at once; removing it closes the door again', async () => {
    const admin = await h.operator('admin');
    expect((await preflight('https://new-shop.example.com')).status).toBe(403);
    await admin.caller.admin.settings.update({ allowedOrigins: ['https://new-shop.example.com/some/path'] });
    const allowed = await preflight('https://new-shop.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://new-shop.example.com');
    expect((await preflight('https://configured.example.com')).status).toBe(204);

    await admin.caller.admin.settings.update({ allowedOrigins: [] });
    expect((await preflight('https://new-shop.example.com')).status).toBe(403);
    expect((await preflight('https://configured.example.com')).status).toBe(204); // from ALLOWED_ORIGINS: always
  });

  it('stored origins are allowed again after a restart', async () => {
    const admin = await h.operator('admin');
    await admin.caller.admin.settings.update({ allowedOrigins: ['https://kept.example.com'] });
    h.services.allowedOrigins.clear(); // what a fresh process starts with…
    h.services.allowedOrigins.add('http://support.local:3000');
    expect((await preflight('https://kept.example.com')).status).toBe(403);
    await (await startConsole(h.services, () => {})).stop(); // …until boot loads the settings
    expect((await preflight('https://kept.example.com')).status).toBe(204);
  });
});

describe("the widget's appearance", () => {
  it('is set in the console and served to any page by chat.config, at once after a change', async () => {
    const admin = await h.operator('admin');
    const visitor = h.anonymous();
    expect(await visitor.chat.config()).toEqual({ brandName: null, accentColor: null, greeting: null, assistantLabel: null });
    const updated = await admin.caller.admin.settings.update({
      appearance: { brandName: ' Acme ', accentColor: '#0A7D4F', greeting: 'Hello from Acme!', assistantLabel: 'Acme AI' },
    });
    expect(updated.appearance).toEqual({ brandName: 'Acme', accentColor: '#0a7d4f', greeting: 'Hello from Acme!', assistantLabel: 'Acme AI' });
    expect(await visitor.chat.config()).toEqual(updated.appearance);
    // An empty text means "back to the default"; fields left out stay as they are.
    await admin.caller.admin.settings.update({ appearance: { assistantLabel: '  ' } });
    expect(await visitor.chat.config()).toEqual({ ...updated.appearance, assistantLabel: null });
  });

  it('refuses a colour that is not one and a brand name that is too long, with a readable message', async () => {
    const admin = await h.operator('admin');
    const colour = await rejection(admin.caller.admin.settings.update({ appearance: { accentColor: 'red; background:url(x)' } }));
    expect(colour.code).toBe('BAD_REQUEST');
    expect(colour.message).toContain('#2563eb');
    const long = await rejection(admin.caller.admin.settings.update({ appearance: { brandName: 'x'.repeat(61) } }));
    expect(long.code).toBe('BAD_REQUEST');
    expect((await admin.caller.admin.settings.get()).appearance.brandName).toBeNull();
  });

  it('only an admin may change it', async () => {
    const member = await h.operator('member');
    expect((await rejection(member.caller.admin.settings.update({ appearance: { brandName: 'Evil' } }))).code).toBe('FORBIDDEN');
  });
});
