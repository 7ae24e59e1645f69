import { css } from './internal/styles.js';

/*
 * The element's own styles: the custom properties, the launcher and the panel's frame. What
 * goes inside the panel is styled beside the markup that draws it (internal/*.styles.ts),
 * and those styles load with the panel.
 */
export default css`
  :host {
    /* Nothing the host page sets on its ancestors (font, colour, line height, letter
       spacing, …) reaches inside; direction is kept, so dir="rtl" still applies. */
    all: initial;
    display: contents;

    --_accent: var(--t0-accent, var(--t0-site-accent, #2563eb));
    /* The accent as text on the panel (links): lightened in the dark scheme to stay legible. */
    --_accent-text: var(--_accent);
    --_accent-contrast: var(--t0-accent-contrast, #ffffff);
    --_radius: var(--t0-radius, 16px);
    --_font: var(--t0-font, system-ui, sans-serif);
    --_surface: var(--t0-surface, #ffffff);
    --_text: var(--t0-text, #1f2328);
    --_z: var(--t0-z-index, 2147483000);
    --_muted: color-mix(in srgb, var(--_text) 62%, var(--_surface));
    --_line: color-mix(in srgb, var(--_text) 14%, transparent);
    --_bubble: color-mix(in srgb, var(--_text) 7%, var(--_surface));
    --_danger: #b42318;
    --_shadow: 0 12px 40px rgb(0 0 0 / 0.18), 0 2px 8px rgb(0 0 0 / 0.08);
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_surface: var(--t0-surface, #1c1d21);
      --_text: var(--t0-text, #ececf1);
      --_danger: #ff8a80;
      --_accent-text: color-mix(in srgb, var(--_accent) 55%, var(--_text));
      --_shadow: 0 12px 40px rgb(0 0 0 / 0.5), 0 2px 8px rgb(0 0 0 / 0.3);
    }
  }

  :host([theme='dark']) {
    --_surface: var(--t0-surface, #1c1d21);
    --_text: var(--t0-text, #ececf1);
    --_danger: #ff8a80;
    --_accent-text: color-mix(in srgb, var(--_accent) 55%, var(--_text));
    --_shadow: 0 12px 40px rgb(0 0 0 / 0.5), 0 2px 8px rgb(0 0 0 / 0.3);
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .launcher,
  .panel {
    font-family: var(--_font);
    font-size: 15px;
    line-height: 1.45;
    color: var(--_text);
    text-align: start;
    -webkit-font-smoothing: antialiased;
  }

  button {
    font: inherit;
    cursor: pointer;
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  svg {
    display: block;
    width: 24px;
    height: 24px;
  }

  /* Launcher */

  .launcher {
    position: fixed;
    inset-block-end: 20px;
    inset-inline-end: 20px;
    z-index: var(--_z);
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-contrast);
    box-shadow: var(--_shadow);
    transition: transform 0.15s ease;
  }

  .unread {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-width: 22px;
    height: 22px;
    padding-inline: 6px;
    border-radius: 11px;
    background: #b42318;
    color: #ffffff;
    font-size: 12px;
    font-weight: 700;
    line-height: 22px;
    text-align: center;
  }

  :host([launcher='hidden']) .launcher {
    display: none;
  }

  .launcher:hover {
    transform: scale(1.06);
  }

  .launcher:focus-visible {
    outline-offset: 3px;
  }

  /* Panel */

  .panel {
    position: fixed;
    inset-block-end: 88px;
    inset-inline-end: 20px;
    z-index: calc(var(--_z) + 1);
    display: flex;
    flex-direction: column;
    width: min(380px, calc(100vw - 40px));
    height: min(600px, calc(100dvh - 112px));
    overflow: hidden;
    background: var(--_surface);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
  }

  .panel[hidden] {
    display: none;
  }

  :host([position]) :is(.launcher, .panel) {
    inset-inline: auto;
    right: 20px;
  }

  :host([position='left']) :is(.launcher, .panel) {
    right: auto;
    left: 20px;
  }

  @media (max-width: 479.98px) {
    .panel,
    :host([position]) .panel {
      inset: 0;
      width: auto;
      height: auto;
      border: 0;
      border-radius: 0;
    }
  }

  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding-block: 10px;
    padding-inline: 16px 8px;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .heading {
    flex: 1;
    min-width: 0;
  }

  .header h2 {
    margin: 0;
    font-size: 16px;
    font-weight: 600;
  }

  .ai {
    margin: 0;
    font-size: 12px;
  }

  .close {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }

  .close:hover {
    background: color-mix(in srgb, currentColor 15%, transparent);
  }

  .close:focus-visible {
    outline-color: var(--_accent-contrast);
    outline-offset: -4px;
  }

  .status {
    margin: auto 0;
    text-align: center;
    color: var(--_muted);
  }

  @media (prefers-reduced-motion: reduce) {
    .launcher {
      transition: none;
    }
  }
`;
