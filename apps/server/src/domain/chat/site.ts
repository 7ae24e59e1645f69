/** `https://shop.example.com` → `shop.example.com`; the assistant names the site it serves. */
export function siteNameOf(origin: string | null): string {
  if (!origin) return 'this website';
  try {
    return new URL(origin).hostname;
  } catch {
    return 'this website';
  }
}

/** The name the visitor knows the site by: the brand set in the console, else its host name. */
export function brandOf(brandName: string | null, origin: string | null): string {
  return brandName || siteNameOf(origin);
}
