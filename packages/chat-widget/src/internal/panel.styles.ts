import { css } from 'lit';

/*
 * Styles of what the panel chunk adds to the panel: the action bar, escalation offers,
 * feedback, sources and the verification form. They load with the panel (adopted into the
 * element's shadow root then), so the launcher stage does not carry them. The custom
 * properties (--_accent, …) come from ticket0-chat.styles.ts.
 */
export default css`
  .badge {
    margin: 0;
    font-size: 12px;
    overflow-wrap: anywhere;
  }

  .actions {
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
  .secondary:hover,
  .rate:hover {
    background: var(--_bubble);
  }

  .system.escalation_confirmation .bubble {
    border: 1px solid var(--_line);
    color: var(--_text);
  }

  .escalation_offer .bubble {
    border-inline-start: 3px solid var(--_accent);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
  }

  .primary,
  .secondary {
    min-height: 36px;
    padding-block: 6px;
    padding-inline: 12px;
    border-radius: calc(var(--_radius) * 0.6);
    font-size: 14px;
    font-weight: 600;
  }

  .primary {
    border: 0;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .secondary {
    border: 1px solid var(--_line);
    background: var(--_surface);
    color: var(--_text);
  }

  .link {
    min-height: 32px;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 2px;
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

  fieldset {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin: 0;
    padding: 0;
    border: 0;
  }

  legend {
    margin-block-end: 4px;
    padding: 0;
    font-size: 13px;
    font-weight: 600;
  }

  .inline-form .choice {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 32px;
    font-weight: 400;
    font-size: 14px;
  }

  .choice input {
    width: 18px;
    height: 18px;
    margin: 0;
    accent-color: var(--_accent);
  }

  .feedback {
    gap: 2px;
  }

  .rate {
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_muted);
  }

  .rate svg {
    width: 18px;
    height: 18px;
  }

  .rate.down svg {
    transform: rotate(180deg);
  }

  .rate[aria-pressed='true'] {
    color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
  }

  .sources ul {
    margin: 2px 0 0;
    padding-inline-start: 18px;
    font-size: 13px;
  }

  .sources a {
    color: var(--_accent);
    overflow-wrap: anywhere;
  }

  .verify {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 16px;
    overflow-y: auto;
  }

  .verify h3 {
    margin: 0;
    font-size: 16px;
  }

  .verify p {
    margin: 0;
  }

  .code {
    letter-spacing: 0.3em;
    font-variant-numeric: tabular-nums;
  }

  [hidden] {
    display: none !important;
  }

  input {
    min-height: 44px;
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

  input:focus-visible {
    outline-offset: 0;
  }

  .inline-form textarea {
    flex: none;
    min-height: 64px;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
`;
