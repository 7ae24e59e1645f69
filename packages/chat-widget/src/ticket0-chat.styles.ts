import { css } from 'lit';

export default css`
  :host {
    /* Nothing the host page sets on its ancestors (font, colour, line height, letter
       spacing, …) reaches inside; direction is kept, so dir="rtl" still applies. */
    all: initial;
    display: contents;

    --_accent: var(--t0-accent, #2563eb);
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
    :host {
      --_surface: var(--t0-surface, #1c1d21);
      --_text: var(--t0-text, #ececf1);
      --_danger: #ff8a80;
      --_shadow: 0 12px 40px rgb(0 0 0 / 0.5), 0 2px 8px rgb(0 0 0 / 0.3);
    }
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

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
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

  @media (max-width: 479.98px) {
    .panel {
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

  .messages {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 16px;
    overflow-y: auto;
    overscroll-behavior: contain;
  }

  .messages:focus-visible {
    outline-offset: -3px;
  }

  .status {
    margin: auto 0;
    text-align: center;
    color: var(--_muted);
  }

  .message {
    display: flex;
    flex-direction: column;
    gap: 4px;
    max-width: 85%;
  }

  .message p {
    margin: 0;
  }

  .mine {
    align-self: flex-end;
    align-items: flex-end;
  }

  .theirs {
    align-self: flex-start;
    align-items: flex-start;
  }

  .system {
    align-self: center;
    align-items: center;
    max-width: 100%;
  }

  .bubble {
    padding: 8px 12px;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_bubble);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .mine .bubble {
    background: var(--_accent);
    color: var(--_accent-contrast);
    border-end-end-radius: 4px;
  }

  .theirs .bubble {
    border-end-start-radius: 4px;
  }

  .system .bubble {
    background: transparent;
    color: var(--_muted);
    font-size: 13px;
    text-align: center;
  }

  .pending .bubble {
    opacity: 0.7;
  }

  .bubble a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  .meta {
    font-size: 12px;
    color: var(--_muted);
  }

  .error {
    color: var(--_danger);
  }

  .retry,
  .stop,
  .send {
    min-height: 36px;
    padding-block: 6px;
    padding-inline: 14px;
    border-radius: calc(var(--_radius) * 0.6);
    font-weight: 600;
  }

  .retry {
    border: 1px solid var(--_line);
    background: var(--_surface);
    color: var(--_text);
  }

  .typing {
    display: flex;
    gap: 4px;
    padding-block: 14px;
    white-space: normal;
  }

  .typing i {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: t0-blink 1.2s infinite ease-in-out both;
  }

  .typing i:nth-of-type(2) {
    animation-delay: 0.15s;
  }

  .typing i:nth-of-type(3) {
    animation-delay: 0.3s;
  }

  @keyframes t0-blink {
    0%,
    80%,
    100% {
      opacity: 0.3;
    }
    40% {
      opacity: 1;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .launcher,
    .typing i {
      transition: none;
      animation: none;
    }
  }

  .notice {
    margin: 0;
    padding-block: 6px;
    padding-inline: 16px;
    font-size: 13px;
    color: var(--_muted);
    border-block-start: 1px solid var(--_line);
  }

  .notice[role='alert'] {
    color: var(--_danger);
  }

  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    margin: 0;
    padding: 10px;
    border-block-start: 1px solid var(--_line);
  }

  textarea {
    flex: 1;
    min-height: 40px;
    max-height: 160px;
    margin: 0;
    padding-block: 8px;
    padding-inline: 12px;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
    color: var(--_text);
    font-family: inherit;
    /* 16px or more: iOS Safari zooms the page into smaller inputs. */
    font-size: 16px;
    line-height: 1.4;
    resize: none;
    field-sizing: content;
  }

  textarea::placeholder {
    color: var(--_muted);
  }

  textarea:focus-visible {
    outline-offset: 0;
  }

  .send {
    border: 0;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .stop {
    border: 1px solid var(--_line);
    background: var(--_bubble);
    color: var(--_text);
  }
`;
