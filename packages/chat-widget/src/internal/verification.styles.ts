import { css } from './styles.js';

/* "Verify your email": the badge, the form shown in place of the conversation, its links. */
export default css`
  .badge {
    margin: 0;
    font-size: 12px;
    overflow-wrap: anywhere;
  }

  .link {
    min-height: 32px;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent-text);
    text-decoration: underline;
    text-underline-offset: 2px;
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
`;
