import { css } from './styles.js';

/* Escalation offers in the conversation, and the confirmation that follows an accepted one. */
export default css`
  .system.escalation_confirmation .bubble {
    border: 1px solid var(--_line);
    color: var(--_text);
  }

  .escalation_offer .bubble {
    border-inline-start: 3px solid var(--_accent);
  }
`;
