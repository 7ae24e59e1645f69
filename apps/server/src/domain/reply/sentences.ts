/**
 * Cuts a stream of model output into whole sentences, so each one can be checked before any
 * of it reaches the visitor. A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes
 * or brackets) followed by white space, or at a line break. A run-on without punctuation is
 * released at a word boundary once it passes `maxLength`.
 */
export class SentenceBuffer {
  private buffer = '';

  constructor(private readonly maxLength = 400) {}

  /** Adds model output; returns the sentences it completed. */
  push(piece: string): string[] {
    this.buffer += piece;
    const sentences: string[] = [];
    for (;;) {
      const end = this.findEnd();
      if (end < 0) break;
      sentences.push(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end);
    }
    return sentences;
  }

  /** What is left when the model has finished. */
  flush(): string | null {
    const rest = this.buffer;
    this.buffer = '';
    return rest.length > 0 ? rest : null;
  }

  private findEnd(): number {
    const match = /(?:[.!?…。！？]+["'”’)\]]*\s+|\n+)/.exec(this.buffer);
    if (match) return match.index + match[0].length;
    if (this.buffer.length > this.maxLength) {
      const space = this.buffer.lastIndexOf(' ', this.maxLength);
      return space > 0 ? space + 1 : this.maxLength;
    }
    return -1;
  }
}
