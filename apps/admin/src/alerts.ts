/**
 * How the console calls an operator's attention to new activity: the count in the tab title
 * always; a short sound and a desktop notification only when the operator turned them on
 * (kept in this browser, where the notification permission lives too).
 */
export interface AlertPreferences {
  sound: boolean;
  desktop: boolean;
}

const KEY = 't0-console-alerts';

export function loadAlertPreferences(storage: Pick<Storage, 'getItem'> = localStorage): AlertPreferences {
  try {
    const stored = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<AlertPreferences>;
    return { sound: stored.sound === true, desktop: stored.desktop === true };
  } catch {
    return { sound: false, desktop: false };
  }
}

export function saveAlertPreferences(preferences: AlertPreferences, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(KEY, JSON.stringify(preferences));
}

/** "(3) Live Chat — Ticket0 Chat": the unread count first, so it shows in a narrow tab. */
export function documentTitle(page: string, unread: number): string {
  const count = unread > 999 ? '999+' : String(unread);
  return `${unread > 0 ? `(${count}) ` : ''}${page} — Ticket0 Chat`;
}

/**
 * What is worth an alert between two readings of the counts: more unread than before (a
 * first reading, at sign-in, is not news). Null: nothing to say.
 */
export function newActivity(
  before: { chats: number; tickets: number } | null,
  now: { chats: number; tickets: number },
): string | null {
  if (!before) return null;
  const parts: string[] = [];
  if (now.chats > before.chats) parts.push(`${now.chats} unread chat${now.chats === 1 ? '' : 's'}`);
  if (now.tickets > before.tickets) parts.push(`${now.tickets} unread ticket${now.tickets === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : null;
}

let audio: AudioContext | null = null;

/** A short, quiet two-note chime (no sound file to fetch). */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // No audio here (a browser policy before any click): the title still shows the count.
  }
}

/** A desktop notification, when permitted; clicking it brings the console forward. */
export function notifyDesktop(text: string, path: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification('Ticket0 Chat', { body: text, tag: 't0-console-activity' });
  notification.onclick = () => {
    window.focus();
    window.dispatchEvent(new CustomEvent('t0-open-path', { detail: path }));
    notification.close();
  };
}
