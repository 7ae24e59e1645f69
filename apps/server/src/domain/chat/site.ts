/** `https://shop.example.com` → `shop.example.com`; the assistant names the site it serves. */
export function siteNameOf(origin: string | null): string {
  if (!origin) return 'this website';
  try {
    return new URL(origin).hostname;
  } catch {
    return 'this website';
  }
}
