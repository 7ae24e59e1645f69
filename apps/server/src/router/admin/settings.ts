import { settingsSchema, settingsUpdateInputSchema } from '@ticket0/contracts';
import { applyAllowedOrigins, getSettings, updateSettings } from '../../domain/settings/settings.js';
import { adminProcedure, router } from '../trpc.js';
import { toSettingsView } from './mappers.js';

/** Auto-assign, the reason code → tags + priority map, the sites allowed to embed, the widget's looks. */
export const settingsRouter = router({
  get: adminProcedure.output(settingsSchema).query(async ({ ctx }) => {
    return toSettingsView(await getSettings(ctx.em, ctx.services), ctx.services.configuredOrigins);
  }),

  update: adminProcedure
    .input(settingsUpdateInputSchema)
    .output(settingsSchema)
    .mutation(async ({ ctx, input }) => {
      const { services } = ctx;
      const settings = await updateSettings(ctx.em, services, input);
      // The CORS gate reads this Set on every request: the change applies at once.
      applyAllowedOrigins(services.allowedOrigins, services.configuredOrigins, settings.allowedOrigins);
      services.widgetConfig.invalidate();
      return toSettingsView(settings, services.configuredOrigins);
    }),
});
