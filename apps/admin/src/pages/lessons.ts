import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, fieldErrors, type LessonItem, type LessonStatus } from '../api.js';
import { LESSON_STATUS_LABELS, when } from '../format.js';
import { PageElement } from '../page.js';

const SECTIONS: ReadonlyArray<{ status: LessonStatus; title: string; empty: string }> = [
  {
    status: 'pending',
    title: 'Waiting for review',
    empty: 'Nothing waiting. Flag an AI reply in a chat\'s history to suggest a lesson.',
  },
  { status: 'approved', title: 'Approved', empty: 'No approved lessons yet.' },
  { status: 'disabled', title: 'Disabled', empty: 'No disabled lessons.' },
];

/**
 * AI → Lessons: one-line lessons drawn from flagged replies. Pending ones wait for an admin;
 * approved ones go into later prompts when a question is related. Sent replies never change.
 */
@customElement('t0-lessons-page')
export class LessonsPage extends PageElement {
  @state() private items: LessonItem[] = [];
  @state() private loading = true;
  @state() private error = '';
  @state() private notice = '';
  @state() private editing: number | null = null;
  @state() private editError = '';
  @state() private deleting: number | null = null;
  @state() private busy: number | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await api.admin.lessons.list.query()).items;
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    return html`
      <h1 tabindex="-1">Lessons</h1>
      <p class="hint">
        One-line lessons drawn from AI replies the team flagged. Approved lessons go into the assistant's prompt when a visitor's
        question is related (a few at a time). Replies already sent are never changed.
      </p>
      ${this.isAdmin ? nothing : html`<p class="notice">Only an admin or owner can approve, edit, disable or delete lessons.</p>`}
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error} <button class="secondary" @click=${() => void this.load()}>Try again</button></p>` : nothing}
      ${this.loading
        ? html`<p role="status">Loading lessons…</p>`
        : SECTIONS.map(({ status, title, empty }) => {
            const lessons = this.items.filter((lesson) => lesson.status === status);
            return html`<section aria-labelledby="section-${status}">
              <h2 id="section-${status}">${title} (${lessons.length})</h2>
              ${lessons.length
                ? html`<ul class="cards" aria-labelledby="section-${status}">${lessons.map((lesson) => this.lesson(lesson))}</ul>`
                : html`<p class="empty">${empty}</p>`}
            </section>`;
          })}
    `;
  }

  private lesson(lesson: LessonItem) {
    const textId = `lesson-${lesson.id}`;
    const reply = lesson.reply;
    return html`<li class="card">
      ${this.editing === lesson.id
        ? this.editForm(lesson)
        : html`<div class="card-title" id=${textId} tabindex="-1">${lesson.text}</div>`}
      <div class="card-line muted">
        <span class="badge ${lesson.status}">${LESSON_STATUS_LABELS[lesson.status]}</span>
        <span>
          ${lesson.writtenBy === 'model' ? 'Written by the model' : 'In the team\'s words'}
          ${lesson.flaggedBy ? `from ${lesson.flaggedBy.name}'s flag` : ''}, ${when(lesson.createdAt)}
        </span>
        ${lesson.reviewedBy ? html`<span>${LESSON_STATUS_LABELS[lesson.status]} by ${lesson.reviewedBy.name}</span>` : nothing}
      </div>
      <details>
        <summary>The flagged reply${lesson.correction ? ' and the correction' : ''}</summary>
        ${reply
          ? html`${reply.question ? html`<p class="muted">Visitor asked:</p><blockquote>${reply.question}</blockquote>` : nothing}
              <p class="muted">The assistant replied (as sent, never changed):</p>
              <blockquote>${reply.body}</blockquote>
              ${reply.sessionId ? html`<p><a href="/admin/chats/${reply.sessionId}">Open the chat</a></p>` : nothing}`
          : html`<p class="muted">The chat of this reply no longer exists.</p>`}
        ${lesson.correction
          ? html`<p class="muted">What it should have said:</p>
              <blockquote>${lesson.correction}</blockquote>`
          : nothing}
      </details>
      ${this.isAdmin && this.editing !== lesson.id ? this.actions(lesson, textId) : nothing}
    </li>`;
  }

  private actions(lesson: LessonItem, textId: string) {
    if (this.deleting === lesson.id) {
      return html`<div class="confirm" role="group" aria-labelledby="confirm-${lesson.id}">
        <p id="confirm-${lesson.id}" tabindex="-1">Delete this lesson? It stops shaping replies at once, and cannot be undone.</p>
        <div class="row">
          <button class="danger" @click=${() => void this.deleteLesson(lesson)}>Yes, delete the lesson</button>
          <button class="secondary" @click=${() => this.focusAfter(() => (this.deleting = null), `#delete-${lesson.id}`)}>Keep it</button>
        </div>
      </div>`;
    }
    const busy = this.busy === lesson.id;
    return html`<div class="actions">
      ${lesson.status !== 'approved'
        ? html`<button ?disabled=${busy} aria-describedby=${textId} @click=${() => void this.setStatus(lesson, 'approved')}>
            ${lesson.status === 'disabled' ? 'Enable again' : 'Approve'}
          </button>`
        : nothing}
      ${lesson.status !== 'disabled'
        ? html`<button class="secondary" ?disabled=${busy} aria-describedby=${textId} @click=${() => void this.setStatus(lesson, 'disabled')}>
            Disable
          </button>`
        : nothing}
      <button class="secondary" aria-describedby=${textId} @click=${() => this.focusAfter(() => this.startEdit(lesson), `#edit-text-${lesson.id}`)}>
        Edit
      </button>
      <button class="danger" id="delete-${lesson.id}" aria-describedby=${textId}
        @click=${() => this.focusAfter(() => (this.deleting = lesson.id), `#confirm-${lesson.id}`)}>
        Delete
      </button>
    </div>`;
  }

  private editForm(lesson: LessonItem) {
    const id = `edit-text-${lesson.id}`;
    return html`<form @submit=${(event: SubmitEvent) => this.saveText(event, lesson)} novalidate aria-label="Edit the lesson">
      ${this.editError ? html`<p class="error" role="alert">${this.editError}</p>` : nothing}
      <div class="field">
        <label for=${id}>Lesson text</label>
        <textarea id=${id} name="text" maxlength="200" .value=${lesson.text} aria-describedby="${id}-hint"></textarea>
        <p class="hint" id="${id}-hint">One line, at most 200 characters, written as an instruction to the assistant.</p>
      </div>
      <div class="row">
        <button type="submit">Save lesson</button>
        <button type="button" class="secondary" @click=${() => this.focusAfter(() => (this.editing = null), `#lesson-${lesson.id}`)}>
          Cancel
        </button>
      </div>
    </form>`;
  }

  private startEdit(lesson: LessonItem): void {
    this.editing = lesson.id;
    this.editError = '';
    this.deleting = null;
  }

  /** Changes state, then moves focus to what replaced the control that had it. */
  private focusAfter(change: () => void, selector: string): void {
    change();
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(selector)?.focus());
  }

  private async setStatus(lesson: LessonItem, status: LessonStatus): Promise<void> {
    this.busy = lesson.id;
    try {
      const updated = await api.admin.lessons.update.mutate({ id: lesson.id, status });
      this.notice =
        status === 'approved'
          ? `Approved: “${updated.text}” now goes into related prompts.`
          : `Disabled: “${updated.text}” no longer goes into prompts.`;
      await this.load();
      this.focusAfter(() => {}, `#lesson-${lesson.id}`);
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = null;
    }
  }

  private async saveText(event: SubmitEvent, lesson: LessonItem): Promise<void> {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('text') ?? '').trim();
    if (!text) {
      this.editError = 'A lesson needs some text.';
      return;
    }
    try {
      await api.admin.lessons.update.mutate({ id: lesson.id, text });
      this.editing = null;
      this.notice = 'Lesson saved.';
      await this.load();
      this.focusAfter(() => {}, `#lesson-${lesson.id}`);
    } catch (error) {
      this.editError = fieldErrors(error).text ?? this.problem(error);
    }
  }

  private async deleteLesson(lesson: LessonItem): Promise<void> {
    try {
      await api.admin.lessons.delete.mutate({ id: lesson.id });
      this.deleting = null;
      this.notice = `Deleted: “${lesson.text}”.`;
      await this.load();
      this.focusHeading();
    } catch (error) {
      this.error = this.problem(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-lessons-page': LessonsPage;
  }
}
