const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "14:05" today, "3 Jan 2026, 14:05" otherwise. */
export function when(date: Date): string {
  const now = new Date();
  return date.toDateString() === now.toDateString() ? time.format(date) : dateTime.format(date);
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

export const STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, ' ');
}
