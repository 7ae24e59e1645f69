import { ensureFirstOwner } from './domain/operators/operators.js';
import { applyAllowedOrigins, getSettings, SETTINGS_CACHE } from './domain/settings/settings.js';
import type { Services } from './app/services.js';

/**
 * The console's part of boot: the first owner on an empty database (a generated password is
 * printed once through `announce`), the allowed origins stored in settings, and the outbox
 * sender, which resumes whatever mail was still queued. Returns what shutdown must call.
 */
export async function startConsole(
  services: Services,
  announce: (text: string) => void = (text) => console.log(text),
): Promise<{ stop(): Promise<void> }> {
  const em = services.orm.em.fork();
  await ensureFirstOwner(
    em,
    services,
    { email: services.env.ADMIN_EMAIL, password: services.env.ADMIN_PASSWORD },
    announce,
  );
  const settings = await getSettings(em, services);
  applyAllowedOrigins(services.allowedOrigins, services.configuredOrigins, settings.allowedOrigins);
  // The console applies its own changes at once; a change another process made arrives as
  // an invalidation of the settings, and the origins and the widget's looks are read again.
  services.caches.onInvalidate((key, origin) => {
    if (key !== SETTINGS_CACHE || origin !== 'peer') return;
    services.widgetConfig.invalidate();
    getSettings(services.orm.em.fork(), services).then(
      (current) => applyAllowedOrigins(services.allowedOrigins, services.configuredOrigins, current.allowedOrigins),
      (error: unknown) => services.log.error('reading the allowed origins failed', { error: String(error) }),
    );
  });
  await services.outbox.start();
  return { stop: () => services.outbox.stop() };
}
