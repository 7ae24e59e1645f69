import { html, nothing, type TemplateResult } from 'lit';
import { api, fieldErrors, type Inputs } from './api.js';
import type { PagedListHost } from './paged-list.js';
import { navigate } from './router.js';

type TicketCreateInput = Inputs['tickets']['create'];

/**
 * A "new email ticket" form's submit, shared by a chat's "Follow up by email" and the
 * ticket list's "New ticket": it reads the `requesterEmail`, `subject` and `summary` fields
 * (and what `extra` adds), creates the ticket and opens it, or keeps what the server refused.
 */
export class TicketForm {
  busy = false;
  /** The sentence for a refused form. */
  error = '';
  /** The server's messages for single fields, keyed by field name. */
  fields: Record<string, string> = {};
  private readonly host: PagedListHost;
  private readonly extra: (form: FormData) => Partial<TicketCreateInput>;

  constructor(host: PagedListHost, extra: (form: FormData) => Partial<TicketCreateInput> = () => ({})) {
    this.host = host;
    this.extra = extra;
  }

  readonly submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '');
    this.busy = true;
    this.error = '';
    this.fields = {};
    this.host.requestUpdate();
    try {
      const ticket = await api.admin.tickets.create.mutate({
        requesterEmail: text('requesterEmail'),
        subject: text('subject'),
        summary: text('summary') || undefined,
        ...this.extra(form),
      });
      navigate(`/tickets/${ticket.id}`);
    } catch (error) {
      this.fields = fieldErrors(error);
      this.error = this.host.problem(error);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  };

  renderError(): TemplateResult | typeof nothing {
    return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
  }
}
