const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "14:05" today, "3 Jan 2026, 14:05" otherwise. */
export function when(date: Date): string {
  const now = new Date();
  return date.toDateString() === now.toDateString() ? clock.format(date) : dateTime.format(date);
}

/** "14:05:09": when the console last heard from the server. */
export function time(date: Date): string {
  return clockWithSeconds.format(date);
}

export function full(date: Date): string {
  return dateTime.format(date);
}

export const AUTHOR_LABELS: Record<string, string> = {
  visitor: 'Visitor',
  ai: 'AI',
  system: 'System',
  operator: 'Operator',
  customer: 'Customer',
};

export const REASON_LABELS: Record<string, string> = {
  human_requested: 'Asked for a human',
  ai_uncertain: 'AI unsure',
  ai_unavailable: 'AI unavailable',
  financial_dispute: 'Financial dispute',
  legal_compliance: 'Legal / compliance',
  data_privacy: 'Data privacy',
  distress_urgent: 'Distress / urgent',
  unsafe_output: 'Unsafe output',
};

/** The safety rules that hold an AI sentence back (their ids come from the server's reply checks). */
export const SAFETY_RULE_LABELS: Record<string, string> = {
  prompt_leak: 'Revealed its instructions',
  role_override: 'Stepped out of its role',
  foreign_personal_data: "Someone else's personal data",
  promised_compensation: 'Promised a refund or compensation',
  legal_commitment: 'Legal commitment or advice',
  ungrounded_fact: 'Fact not in the knowledge base',
  disallowed_link: 'Link to a site not allowed',
  abusive_language: 'Abusive language',
};

/** A safety rule in words; a rule this console does not know yet still reads as words. */
export function safetyRuleLabel(rule: string): string {
  return SAFETY_RULE_LABELS[rule] ?? capitalize(rule);
}

/** Why a visitor rated a reply down (the widget's choices). */
export const RATING_REASON_LABELS: Record<string, string> = {
  wrong: 'Wrong',
  unhelpful: 'Not helpful',
  rude: 'Rude',
  other: 'Other',
};

export const STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, ' ');
}

export const QUALITY_FLAG_LABELS: Record<string, string> = {
  low_quality: 'Low quality',
  hallucination: 'Hallucination',
  circular: 'Circular',
  in_review: 'In review',
};

/** Live Chat's composite quality badge: a word for the colour, so it is not colour alone. */
export function qualityLevel(score: number): 'good' | 'fair' | 'low' {
  return score >= 85 ? 'good' : score >= 70 ? 'fair' : 'low';
}

export const OFFER_STATUS_LABELS: Record<string, string> = {
  pending: 'Waiting for the visitor',
  accepted: 'Accepted',
  declined: 'Declined',
};

export const LESSON_STATUS_LABELS: Record<string, string> = {
  pending: 'Waiting for review',
  approved: 'Approved',
  disabled: 'Disabled',
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Quality monitoring's question types (see domain/quality.ts). */
export const QUESTION_TYPE_LABELS: Record<string, string> = {
  order_status: 'order status',
  shipping: 'shipping',
  returns_refunds: 'returns & refunds',
  billing: 'billing',
  account: 'account',
  product: 'product',
  technical: 'technical',
  complaint: 'complaint',
  other: 'something else',
};
