import { css } from 'lit';

/** Shared look: plain, dense, readable; works from 360 px up; focus always visible. */
export const shared = css`
  :host {
    display: block;
    --accent: #2452c7;
    --accent-ink: #ffffff;
    --ink: #1d1d1f;
    --muted: #5a5f6b;
    --line: #d9dce3;
    --surface: #ffffff;
    --soft: #f4f6fa;
    --danger: #b3261e;
    --ok: #1d6b3a;
    --warn: #8a5a00;
    --radius: 8px;
    color: var(--ink);
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  * {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 0.75rem;
    overflow-wrap: anywhere;
  }
  h1:focus {
    outline: none;
  }
  h2 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.5rem;
  }
  a {
    color: var(--accent);
  }
  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
    border-radius: 4px;
  }
  button,
  .button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.5rem;
    padding: 0.45rem 0.9rem;
    border-radius: var(--radius);
    border: 1px solid var(--accent);
    background: var(--accent);
    color: var(--accent-ink);
    cursor: pointer;
    text-decoration: none;
  }
  button.secondary,
  .button.secondary {
    background: var(--surface);
    color: var(--accent);
  }
  button.danger {
    background: var(--surface);
    color: var(--danger);
    border-color: var(--danger);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  input,
  select,
  textarea {
    font: inherit;
    font-size: 16px; /* no zoom on iOS */
    width: 100%;
    max-width: 100%;
    padding: 0.5rem 0.6rem;
    border: 1px solid #8d93a0;
    border-radius: var(--radius);
    background: var(--surface);
    color: var(--ink);
  }
  input[type='checkbox'] {
    width: auto;
    min-width: 1.2rem;
    min-height: 1.2rem;
  }
  textarea {
    min-height: 7rem;
    resize: vertical;
  }
  .field {
    margin-bottom: 0.9rem;
  }
  fieldset {
    border: 1px solid var(--line);
    border-radius: var(--radius);
    margin: 1.5rem 0;
    padding: 0.6rem 0.9rem 0.9rem;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  label.check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    font-weight: 400;
    margin-top: 0.5rem;
  }
  .hint {
    color: var(--muted);
    font-size: 0.875rem;
    margin: 0.2rem 0 0;
  }
  .field-error {
    color: var(--danger);
    font-size: 0.875rem;
    margin: 0.2rem 0 0;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .error,
  .notice {
    padding: 0.6rem 0.8rem;
    border-radius: var(--radius);
    margin: 0.5rem 0;
  }
  .error {
    border: 1px solid var(--danger);
    background: #fdecea;
    color: var(--danger);
  }
  .notice {
    border: 1px solid #9cc3a8;
    background: #eaf6ee;
    color: var(--ok);
  }
  .empty {
    color: var(--muted);
    padding: 1.5rem 1rem;
    border: 1px dashed var(--line);
    border-radius: var(--radius);
    text-align: center;
  }
  .muted {
    color: var(--muted);
  }
  .badge {
    display: inline-block;
    font-size: 0.78rem;
    font-weight: 600;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    border: 1px solid var(--line);
    background: var(--soft);
    color: var(--ink);
    white-space: nowrap;
  }
  .badge.escalated,
  .badge.urgent,
  .badge.failed {
    background: #fdecea;
    border-color: #f0b4ae;
    color: var(--danger);
  }
  .badge.verified,
  .badge.sent,
  .badge.resolved {
    background: #eaf6ee;
    border-color: #9cc3a8;
    color: var(--ok);
  }
  .badge.high,
  .badge.pending,
  .badge.queued,
  .badge.negative {
    background: #fff4dc;
    border-color: #e8c77a;
    color: var(--warn);
  }
  .badge.quality-good {
    background: #eaf6ee;
    border-color: #9cc3a8;
    color: var(--ok);
  }
  .badge.quality-fair {
    background: #eef2fb;
    border-color: #aab9e0;
    color: #1f3f8f;
  }
  .badge.quality-low,
  .badge.held,
  .badge.disabled {
    background: #fdecea;
    border-color: #f0b4ae;
    color: var(--danger);
  }
  .badge.flag,
  .badge.in_review {
    background: #fff4dc;
    border-color: #e8c77a;
    color: var(--warn);
  }
  .badge.approved {
    background: #eaf6ee;
    border-color: #9cc3a8;
    color: var(--ok);
  }
  .badge.unread {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-ink);
  }
  a.card.unread {
    border-left: 4px solid var(--accent);
  }
  a.card[aria-current='page'] {
    border-color: var(--accent);
    box-shadow: inset 0 0 0 1px var(--accent);
    background: #eef2fb;
  }
  h2.pane-title {
    margin-top: 0;
  }
  .subnav ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    list-style: none;
    margin: 0 0 0.5rem;
    padding: 0;
  }
  .subnav a[aria-current='page'] {
    font-weight: 600;
    color: inherit;
    text-decoration: none;
  }
  :host([compact]) .card {
    padding: 0.5rem 0.65rem;
  }
  :host([compact]) .tabs a {
    padding: 0.2rem 0.55rem;
    min-height: 2rem;
    font-size: 0.875rem;
  }
  .cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .card {
    border: 1px solid var(--line);
    border-radius: var(--radius);
    background: var(--surface);
    padding: 0.7rem 0.85rem;
    min-width: 0;
  }
  form.card {
    margin: 1rem 0;
  }
  a.card {
    display: block;
    color: inherit;
    text-decoration: none;
  }
  a.card:hover {
    border-color: var(--accent);
  }
  .card-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .card-line {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem 0.75rem;
    align-items: center;
    margin-top: 0.25rem;
    font-size: 0.9rem;
  }
  .preview {
    color: var(--muted);
    overflow-wrap: anywhere;
    margin-top: 0.25rem;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    margin: 0 0 0.9rem;
    padding: 0;
    list-style: none;
  }
  .tabs a {
    display: inline-block;
    padding: 0.35rem 0.75rem;
    border-radius: 999px;
    border: 1px solid var(--line);
    text-decoration: none;
    color: var(--ink);
    min-height: 2.25rem;
  }
  .tabs a[aria-current='page'] {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-ink);
  }
  /* A chat or ticket: its details beside the conversation on wide screens (the console shows
     the list to their left from the same width), above it otherwise, as in the DOM. */
  @media (min-width: 1200px) {
    .story {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(15rem, 20rem);
      gap: 1rem;
      align-items: start;
    }
    .story > .details {
      grid-column: 2;
      grid-row: 1;
      position: sticky;
      top: 0.5rem;
      max-height: calc(100vh - 4.5rem);
      overflow: auto;
    }
    .story > .conversation {
      grid-column: 1;
      grid-row: 1;
      min-width: 0;
    }
    .story > .details dl.facts {
      grid-template-columns: 1fr;
      gap: 0;
    }
    .story > .details dl.facts dd {
      margin-bottom: 0.5rem;
    }
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(7rem, max-content) 1fr;
    gap: 0.4rem 1rem;
    margin: 0 0 1rem;
  }
  dl.facts dt {
    color: var(--muted);
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  @media (max-width: 480px) {
    dl.facts {
      grid-template-columns: 1fr;
      gap: 0 0;
    }
    dl.facts dd {
      margin-bottom: 0.5rem;
    }
  }
  .thread {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.6rem;
  }
  .thread li {
    border: 1px solid var(--line);
    border-radius: var(--radius);
    padding: 0.6rem 0.8rem;
    background: var(--surface);
  }
  .thread li.visitor,
  .thread li.customer {
    background: var(--soft);
  }
  .thread .who {
    font-weight: 600;
  }
  .thread .body {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin-top: 0.25rem;
  }
  .thread li.suppressed {
    border: 2px dashed var(--danger);
    background: #fff7f6;
  }
  .thread li.escalation_offer,
  .thread li.escalation_confirmation {
    border-left: 4px solid var(--warn);
  }
  .thread .kind-note {
    margin: 0.35rem 0 0;
    font-size: 0.9rem;
  }
  .thread .held-label {
    color: var(--danger);
    font-weight: 700;
  }
  .thread .lesson-note {
    margin: 0.4rem 0 0;
    font-size: 0.9rem;
  }
  .thread form {
    margin-top: 0.6rem;
  }
  .thread textarea {
    min-height: 5rem;
  }
  blockquote {
    margin: 0.35rem 0;
    padding: 0.35rem 0.7rem;
    border-left: 3px solid var(--line);
    color: var(--ink);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.6rem;
  }
  .confirm {
    border: 1px solid var(--danger);
    border-radius: var(--radius);
    padding: 0.6rem 0.8rem;
    margin-top: 0.6rem;
    background: #fff7f6;
  }
  .confirm p {
    margin: 0 0 0.5rem;
  }
  textarea.body-editor {
    min-height: 20rem;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 15px;
  }
  @media (max-width: 480px) {
    textarea.body-editor {
      font-size: 16px;
    }
  }
  form[role='search'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: flex-end;
    margin-bottom: 1rem;
  }
  form[role='search'] .field {
    flex: 1 1 14rem;
    margin-bottom: 0;
  }
  .pre {
    white-space: pre-wrap;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
