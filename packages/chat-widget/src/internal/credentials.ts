import type { ChatCredentials } from './transport.js';

/** One chat per server: a page embedding two servers' widgets keeps two sessions. */
export function storageKey(server: string): string {
  return `ticket0-chat:${new URL(server).origin}`;
}

/**
 * A session started but not yet kept (nothing in it yet): other tabs of the site join it
 * rather than start their own, and it is not restored as a conversation.
 */
export const startedKey = (key: string): string => `${key}:started`;

// localStorage throws in some sandboxed iframes and privacy modes; the chat then simply
// lasts as long as the page.

export function loadCredentials(key: string): ChatCredentials | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (
      value &&
      typeof value === 'object' &&
      typeof (value as ChatCredentials).sessionId === 'string' &&
      typeof (value as ChatCredentials).visitorToken === 'string'
    ) {
      const { sessionId, visitorToken } = value as ChatCredentials;
      return { sessionId, visitorToken };
    }
  } catch {
    // unreadable or unparsable: start without a session
  }
  return null;
}

export function saveCredentials(key: string, credentials: ChatCredentials): void {
  try {
    localStorage.setItem(
      key,
      JSON.stringify({ sessionId: credentials.sessionId, visitorToken: credentials.visitorToken }),
    );
  } catch {
    // see above
  }
}

export function forgetCredentials(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // see above
  }
}
