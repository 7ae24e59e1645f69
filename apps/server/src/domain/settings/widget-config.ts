import type { EntityManager } from '@mikro-orm/sqlite';
import type { WidgetAppearance } from '@ticket0/contracts';
import type { Clock } from '../../lib/clock.js';
import { appearanceOf, getSettings } from './settings.js';

/**
 * The widget's appearance as every page load asks for it (`chat.config`), kept for a short
 * while so embedding sites do not cost a settings read per visitor. A change made in the
 * console clears it in this process; other processes pick it up when their copy expires.
 */
export class WidgetConfigCache {
  private value: { appearance: Promise<WidgetAppearance>; until: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  get(em: EntityManager): Promise<WidgetAppearance> {
    const now = this.clock.now().getTime();
    if (!this.value || this.value.until <= now) {
      // One read shared by everyone asking meanwhile; a failed read is not kept.
      const appearance = getSettings(em, { clock: this.clock }).then(appearanceOf);
      const entry = { appearance, until: now + this.ttlMs };
      appearance.catch(() => {
        if (this.value === entry) this.value = null;
      });
      this.value = entry;
    }
    return this.value.appearance;
  }

  invalidate(): void {
    this.value = null;
  }
}
