import { describe, expect, it } from 'vitest';
import { documentTitle, loadAlertPreferences, newActivity, saveAlertPreferences } from '../src/alerts.js';

function memoryStorage() {
  const values = new Map<string, string>();
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

describe('alerts', () => {
  it('the tab title leads with the unread count, and says nothing when all is read', () => {
    expect(documentTitle('Live Chat', 3)).toBe('(3) Live Chat — Ticket0 Chat');
    expect(documentTitle('Live Chat', 0)).toBe('Live Chat — Ticket0 Chat');
    expect(documentTitle('Tickets', 5000)).toBe('(999+) Tickets — Ticket0 Chat');
  });

  it('alerts only when the unread counts grow, never for the first reading at sign-in', () => {
    expect(newActivity(null, { chats: 4, tickets: 2 })).toBeNull();
    expect(newActivity({ chats: 1, tickets: 0 }, { chats: 2, tickets: 0 })).toBe('2 unread chats');
    expect(newActivity({ chats: 2, tickets: 0 }, { chats: 2, tickets: 1 })).toBe('1 unread ticket');
    expect(newActivity({ chats: 2, tickets: 1 }, { chats: 1, tickets: 1 })).toBeNull();
  });

  it('sound and desktop notifications are off until the operator turns them on, and stay as set', () => {
    const storage = memoryStorage();
    expect(loadAlertPreferences(storage)).toEqual({ sound: false, desktop: false });
    saveAlertPreferences({ sound: true, desktop: false }, storage);
    expect(loadAlertPreferences(storage)).toEqual({ sound: true, desktop: false });
    storage.setItem('t0-console-alerts', 'not json');
    expect(loadAlertPreferences(storage)).toEqual({ sound: false, desktop: false });
  });
});
