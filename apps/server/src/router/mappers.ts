import type { EntityManager } from '@mikro-orm/sqlite';
import type { ChatMessage, Citation } from '@ticket0/contracts';
import { KnowledgeArticle, type Message } from '../db/entities/index.js';
import { articlePath } from '../domain/knowledge/articles.js';

/** A stored message as the visitor's widget may see it (no safety or model details). */
export function toChatMessage(message: Message, citations: Citation[] = []): ChatMessage {
  return {
    id: message.id,
    author: message.author,
    kind: message.kind,
    body: message.body,
    createdAt: message.createdAt,
    clientMessageId: message.clientMessageId,
    replyToId: message.replyTo?.id ?? null,
    rating: message.rating,
    interrupted: message.interrupted,
    escalationReason: message.escalationReason,
    offerStatus: message.offerStatus,
    citations,
  };
}

/**
 * Messages with their citations resolved to links on the public article pages. Articles
 * since unpublished or made internal are left out: a link must never lead to a 404.
 */
export async function toChatMessages(em: EntityManager, publicUrl: string, messages: Message[]): Promise<ChatMessage[]> {
  const ids = [...new Set(messages.flatMap((message) => message.citations))];
  const articles = ids.length
    ? await em.find(KnowledgeArticle, { id: { $in: ids }, published: true, visibility: 'public' }, { fields: ['id', 'title', 'slug'] })
    : [];
  const byId = new Map(articles.map((article) => [article.id, article]));
  return messages.map((message) =>
    toChatMessage(
      message,
      message.citations.flatMap((id) => {
        const article = byId.get(id);
        return article ? [{ articleId: id, title: article.title, url: `${publicUrl}${articlePath(article.slug)}` }] : [];
      }),
    ),
  );
}
