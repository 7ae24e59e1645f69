import { css } from './styles.js';

/*
 * The conversation's looks (messages, the reply being streamed, the composer), the action
 * bar, and the buttons and fields the panel's parts share. Adopted into the element's shadow
 * root when the panel loads; the custom properties (--_accent, …) come from
 * ticket0-chat.styles.ts.
 */
export default css`
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

  /* The panel's body: the conversation, or the "Verify your email" form in its place. */
  .messages,
  .verify {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 16px;
    overflow-y: auto;
  }

  .messages {
    overscroll-behavior: contain;
  }

  .messages:focus-visible {
    outline-offset: -3px;
  }

  .message,
  .greeting {
    display: flex;
    flex-direction: column;
    gap: 4px;
    max-width: 85%;
  }

  .message p,
  .greeting p {
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

  .ai-label {
    margin: 0 0 2px;
  }

  .human-note {
    margin: 0;
    padding-block: 4px;
    padding-inline: 12px;
    font-size: 12px;
    color: var(--_muted);
    border-block-end: 1px solid var(--_line);
  }

  .retry,
  .stop,
  .send,
  .primary,
  .secondary {
    min-height: 36px;
    padding-block: 6px;
    border-radius: calc(var(--_radius) * 0.6);
    font-weight: 600;
  }

  .retry,
  .stop,
  .send {
    padding-inline: 14px;
  }

  .primary,
  .secondary {
    padding-inline: 12px;
    font-size: 14px;
  }

  .primary,
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

  .secondary,
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
    .typing i {
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

  input,
  textarea {
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
  }

  input {
    min-height: 44px;
  }

  textarea {
    flex: 1;
    min-height: 40px;
    max-height: 160px;
    line-height: 1.4;
    resize: none;
    field-sizing: content;
  }

  textarea::placeholder {
    color: var(--_muted);
  }

  input:focus-visible,
  textarea:focus-visible {
    outline-offset: 0;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .actions,
  .recent {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    padding-block: 6px;
    padding-inline: 10px;
    border-block-end: 1px solid var(--_line);
  }

  .action {
    min-height: 32px;
    padding-block: 4px;
    padding-inline: 10px;
    border: 1px solid var(--_line);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 13px;
  }

  .action:hover,
  .secondary:hover {
    background: var(--_bubble);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
  }

  .inline-form {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: 6px;
    width: 100%;
    margin: 0;
  }

  .message .inline-form {
    min-width: min(260px, 100%);
  }

  .inline-form label {
    font-size: 13px;
    font-weight: 600;
  }

  .sources ul {
    margin: 2px 0 0;
    padding-inline-start: 18px;
    font-size: 13px;
  }

  .sources a {
    color: var(--_accent-text);
    overflow-wrap: anywhere;
  }

  [hidden] {
    display: none !important;
  }

  .inline-form textarea {
    flex: none;
    min-height: 64px;
  }
`;
