import { Ticket0Chat } from './ticket0-chat.component.js';

export { Ticket0Chat };
export * from './events.js';
export type { Ticket0ChatStrings } from './internal/strings.js';
export type { ChatCredentials, ChatTransport } from './internal/transport.js';

// A page may include widget.js twice (or two versions); the first definition wins.
if (!customElements.get('ticket0-chat')) customElements.define('ticket0-chat', Ticket0Chat);
