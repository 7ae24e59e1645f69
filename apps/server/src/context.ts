import type { EntityManager } from '@mikro-orm/sqlite';
import type { Services } from './services.js';

/** What every procedure receives: a forked EntityManager and who is calling. */
export interface Context {
  services: Services;
  em: EntityManager;
  /** The caller's address, for rate limits. */
  clientAddress: string;
  /** The page origin a browser sent, already checked by the CORS gate. */
  origin: string | null;
  /** `Authorization: Bearer <sessionId>.<visitorToken>`, as sent by the widget. */
  visitorCredential: string | null;
  /** Fires when the HTTP request is gone (visitor stopped or left). */
  signal?: AbortSignal;
}

export interface ContextInput {
  clientAddress?: string;
  origin?: string | null;
  authorization?: string | null;
}

/** The context factory, used by the HTTP adapter and by tests through createCaller. */
export function createContext(services: Services, input: ContextInput = {}): Context {
  const authorization = input.authorization ?? null;
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return {
    services,
    em: services.orm.em.fork(),
    clientAddress: input.clientAddress ?? 'local',
    origin: input.origin ?? null,
    visitorCredential: bearer,
  };
}
