import type { EntityManager } from '@mikro-orm/sqlite';
import { readCookie, SESSION_COOKIE } from '../domain/operators/auth.js';
import type { Services } from '../app/services.js';

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
  /** The console's session token, from its httpOnly cookie. */
  operatorToken: string | null;
  /**
   * True when the request carries `x-trpc-source: console`. A browser sends that custom
   * header cross-site only after a CORS preflight, which the gate refuses: cookie-borne
   * operator calls must carry it (CSRF defence).
   */
  fromConsole: boolean;
  /** Adds a `Set-Cookie` header to the response (discarded outside HTTP). */
  setCookie: (cookie: string) => void;
}

export interface ContextInput {
  clientAddress?: string;
  origin?: string | null;
  authorization?: string | null;
  /** The raw `Cookie` header. */
  cookie?: string | null;
  /** The `x-trpc-source` header. */
  source?: string | null;
  setCookie?: (cookie: string) => void;
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
    operatorToken: readCookie(input.cookie, SESSION_COOKIE),
    fromConsole: input.source === 'console',
    setCookie: input.setCookie ?? (() => {}),
  };
}
