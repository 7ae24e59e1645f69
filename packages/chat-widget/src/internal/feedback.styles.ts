import { css } from './styles.js';

/* Thumbs up / down under a reply, and the reasons form after a thumbs down. */
export default css`
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

  .rate:hover {
    background: var(--_bubble);
  }

  .rate svg {
    width: 18px;
    height: 18px;
  }

  .rate.down svg {
    transform: rotate(180deg);
  }

  .rate[aria-pressed='true'] {
    color: var(--_accent-text);
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
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
`;
