import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001ChatFoundation } from './0001-chat-foundation.js';
import { Migration0002Console } from './0002-console.js';
import { Migration0003KnowledgeBase } from './0003-knowledge-base.js';
import { Migration0004EscalationAndFeedback } from './0004-escalation-and-feedback.js';
import { Migration0005Verification } from './0005-verification.js';
import { Migration0006Quality } from './0006-quality.js';
import { Migration0007Lessons } from './0007-lessons.js';
import { Migration0008EscalationRule } from './0008-escalation-rule.js';
import { Migration0009WidgetAppearance } from './0009-widget-appearance.js';
import { Migration0010PromptContext } from './0010-prompt-context.js';
import { Migration0011SharedState } from './0011-shared-state.js';
import { Migration0012OperatorReads } from './0012-operator-reads.js';
import { Migration0013InboundMailAndWebhooks } from './0013-inbound-mail-and-webhooks.js';
import { Migration0014KnownVisitors } from './0014-known-visitors.js';
import { Migration0015MailboxFailures } from './0015-mailbox-failures.js';

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const migrations: MigrationObject[] = [
  { name: '0001-chat-foundation', class: Migration0001ChatFoundation },
  { name: '0002-console', class: Migration0002Console },
  { name: '0003-knowledge-base', class: Migration0003KnowledgeBase },
  { name: '0004-escalation-and-feedback', class: Migration0004EscalationAndFeedback },
  { name: '0005-verification', class: Migration0005Verification },
  { name: '0006-quality', class: Migration0006Quality },
  { name: '0007-lessons', class: Migration0007Lessons },
  { name: '0008-escalation-rule', class: Migration0008EscalationRule },
  { name: '0009-widget-appearance', class: Migration0009WidgetAppearance },
  { name: '0010-prompt-context', class: Migration0010PromptContext },
  { name: '0011-shared-state', class: Migration0011SharedState },
  { name: '0012-operator-reads', class: Migration0012OperatorReads },
  { name: '0013-inbound-mail-and-webhooks', class: Migration0013InboundMailAndWebhooks },
  { name: '0014-known-visitors', class: Migration0014KnownVisitors },
  { name: '0015-mailbox-failures', class: Migration0015MailboxFailures },
];
