import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from './api.js';

/** The operator console shell. */
@customElement('t0-console-app')
export class ConsoleApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, sans-serif;
      color: #1d1d1f;
    }
    header {
      padding: 0.75rem 1rem;
      background: #1f2a44;
      color: #fff;
    }
    main {
      padding: 1rem;
      max-width: 60rem;
      margin: 0 auto;
    }
  `;

  @state() private health: string = 'checking…';

  override connectedCallback(): void {
    super.connectedCallback();
    void api.health
      .query()
      .then((h) => (this.health = `database ${h.database}, model ${h.model.name} ${h.model.installed ? 'ready' : h.model.reachable ? 'not pulled' : 'unreachable'}`))
      .catch(() => (this.health = 'server unreachable'));
  }

  override render() {
    return html`
      <header><strong>Ticket0 Chat</strong> console</header>
      <main>
        <h1>Console</h1>
        <p role="status">Status: ${this.health}</p>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-console-app': ConsoleApp;
  }
}
