import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** One received mail, read from its MIME source: what the domain decides on. */
export interface InboundMail {
  /** The sender's bare address, lower-case ("" when none could be read). */
  from: string;
  fromName: string | null;
  subject: string;
  /** Message-ID without angle brackets. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Header values as text, by lower-case name (first occurrence). */
  headers: Record<string, string>;
  contentType: string | null;
  text: string;
  html: string | null;
  date: Date | null;
  attachments: InboundAttachment[];
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** Null when the file was larger than the limit: only its name and size are kept. */
  content: Buffer | null;
}

/** Caps on what one mail may make us keep. */
export interface ParseLimits {
  maxAttachmentBytes: number;
  /** Attachments past this count are noted by name only. */
  maxAttachments?: number;
}

/** Parses a raw RFC 5322 message with mailparser (MIME, encodings, charsets). */
export async function parseInboundMail(source: Buffer | string, limits: ParseLimits): Promise<InboundMail> {
  const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
  const from = firstAddress(parsed.from);
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headers) {
    if (!(name in headers)) headers[name] = headerText(value).slice(0, 2000);
  }
  const maxCount = limits.maxAttachments ?? 20;
  const attachments = parsed.attachments.map((attachment, index): InboundAttachment => {
    const size = attachment.size ?? attachment.content.length;
    const keep = index < maxCount && size <= limits.maxAttachmentBytes;
    return {
      filename: (attachment.filename ?? `attachment-${index + 1}`).replace(/[\r\n\\/]/g, '_').slice(0, 300),
      contentType: (attachment.contentType || 'application/octet-stream').slice(0, 200),
      size,
      content: keep ? attachment.content : null,
    };
  });
  const references = parsed.references ? (Array.isArray(parsed.references) ? parsed.references : [parsed.references]) : [];
  return {
    from: from?.address?.trim().toLowerCase() ?? '',
    fromName: from?.name?.trim() || null,
    subject: (parsed.subject ?? '').slice(0, 400),
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references,
    headers,
    contentType: headers['content-type'] ?? null,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    attachments,
  };
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } | null {
  const object = Array.isArray(value) ? value[0] : value;
  return object?.value[0] ?? null;
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  if (value && typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('value' in value && typeof value.value === 'string') {
      const params = 'params' in value && value.params ? Object.entries(value.params as Record<string, string>) : [];
      return [value.value, ...params.map(([k, v]) => `${k}=${v}`)].join('; ');
    }
  }
  return String(value);
}
