export * from './ticket.js';
export * from './chat-session.js';
export * from './message.js';
export * from './lesson.js';
export * from './session-evaluation.js';
export * from './operator.js';
export * from './operator-session.js';
export * from './operator-read.js';
export * from './settings.js';
export * from './outbox-email.js';
export * from './knowledge-article.js';
export * from './customer.js';
export * from './otp-challenge.js';
export * from './inbound-email.js';
export * from './webhook.js';
export * from './audit-entry.js';
export * from './identity-token-use.js';
export * from './chat-session-key.js';

import { ChatSessionSchema } from './chat-session.js';
import { AuditEntrySchema } from './audit-entry.js';
import { ChatSessionKeySchema } from './chat-session-key.js';
import { IdentityTokenUseSchema } from './identity-token-use.js';
import { CustomerSchema } from './customer.js';
import { OtpChallengeSchema } from './otp-challenge.js';
import { KnowledgeArticleSchema, KnowledgePassageSchema } from './knowledge-article.js';
import { MessageSchema } from './message.js';
import { LessonSchema } from './lesson.js';
import { SessionEvaluationSchema } from './session-evaluation.js';
import { OperatorSchema } from './operator.js';
import { OperatorSessionSchema } from './operator-session.js';
import { OperatorReadSchema } from './operator-read.js';
import { OutboxEmailSchema } from './outbox-email.js';
import { SettingsSchema } from './settings.js';
import { TicketSchema } from './ticket.js';
import { BlockedSenderSchema, InboundEmailSchema, MailAttachmentSchema, MailboxCursorSchema, MailboxFailureSchema } from './inbound-email.js';
import { WebhookDeliverySchema, WebhookEndpointSchema } from './webhook.js';

export const entities = [
  TicketSchema,
  ChatSessionSchema,
  MessageSchema,
  LessonSchema,
  SessionEvaluationSchema,
  OperatorSchema,
  OperatorSessionSchema,
  OperatorReadSchema,
  SettingsSchema,
  OutboxEmailSchema,
  KnowledgeArticleSchema,
  KnowledgePassageSchema,
  CustomerSchema,
  OtpChallengeSchema,
  InboundEmailSchema,
  MailAttachmentSchema,
  MailboxCursorSchema,
  MailboxFailureSchema,
  BlockedSenderSchema,
  WebhookEndpointSchema,
  WebhookDeliverySchema,
  AuditEntrySchema,
  IdentityTokenUseSchema,
  ChatSessionKeySchema,
];
