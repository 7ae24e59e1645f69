import type { ChatTransport } from './transport.js';

/** How the site owner set the widget up in the console (`chat.config`); null: the default. */
export interface SiteConfig {
  brandName: string | null;
  accentColor: string | null;
  greeting: string | null;
  assistantLabel: string | null;
}

/**
 * Asks the server for the console's settings. A plain GET (not the tRPC client, which
 * loads only on first open) so the launcher can take the accent colour at once; the
 * answer is tRPC's, serialised by superjson (`result.data.json`). Null when unavailable:
 * the widget then keeps its defaults.
 */
export async function fetchSiteConfig(
  server: string,
  transport: ChatTransport | undefined,
): Promise<SiteConfig | null> {
  try {
    if (transport) return (await transport.config?.()) ?? null;
    const response = await fetch(`${server}/trpc/chat.config`, { credentials: 'omit' });
    if (!response.ok) return null;
    const body = (await response.json()) as { result?: { data?: { json?: SiteConfig } } };
    return body.result?.data?.json ?? null;
  } catch {
    return null;
  }
}
