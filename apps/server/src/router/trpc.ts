import { initTRPC, TRPCError } from '@trpc/server';
import { sessionIdSchema, visitorTokenSchema, type ErrorData } from '@ticket0/contracts';
import { ZodError } from 'zod';
import type { OperatorRole } from '@ticket0/contracts';
import type { Context } from './context.js';
import { hasRole } from '../domain/operators/auth.js';
import { DomainError } from '../lib/errors.js';
import { authenticateVisitor } from '../domain/chat/sessions.js';
import { ChatSession } from '../db/entities/index.js';
import { errorText } from '../lib/logger.js';
import { MalformedInputError, transformer } from './transformer.js';

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again.';
const UNREADABLE_MESSAGE = 'This request could not be read. Send it the way the API client does.';

/**
 * The message a client may see. Ours (rules, validation, refused input) are written for
 * people; tRPC wraps low-level failures (JSON parsing, the transformer) with their own text,
 * which can be an engine's internals ("Maximum call stack size exceeded"): those are hidden.
 */
function publicMessage(error: TRPCError): string {
  const cause = error.cause;
  if (error.code === 'INTERNAL_SERVER_ERROR') return INTERNAL_MESSAGE;
  if (cause instanceof ZodError) return cause.issues.map((issue) => issue.message).join(' ');
  if (cause instanceof DomainError || cause instanceof MalformedInputError) return error.message;
  if (error.code === 'PARSE_ERROR' || (cause && !(cause instanceof TRPCError) && error.message === cause.message)) {
    return UNREADABLE_MESSAGE;
  }
  return error.message;
}

const t = initTRPC.context<Context>().create({
  transformer,
  // Stack traces never leave the server, whatever NODE_ENV says.
  isDev: false,
  // Live streams carry a heartbeat; a client that hears nothing for longer (a proxy holding
  // the stream back, a dead connection) knows the stream is gone and opens another.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error }): { message: string; code: number; data: ErrorData } {
    const cause = error.cause;
    let fieldErrors: Record<string, string> | null = null;
    if (cause instanceof ZodError) {
      fieldErrors = {};
      for (const issue of cause.issues) fieldErrors[issue.path.join('.') || 'input'] ??= issue.message;
    }
    return {
      message: publicMessage(error),
      code: shape.code,
      data: {
        code: error.code,
        httpStatus: shape.data.httpStatus,
        retryAfterSeconds: cause instanceof DomainError ? (cause.retryAfterSeconds ?? null) : null,
        fieldErrors,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

function toTRPCError(error: unknown): unknown {
  if (error instanceof DomainError) return new TRPCError({ code: error.code, message: error.message, cause: error });
  return error;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* mapIterableErrors<T>(iterable: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw toTRPCError(error);
  }
}

/**
 * Product rules throw DomainError; here they become TRPCErrors with the matching code, for
 * plain procedures and for streamed ones alike. Anything else is logged and hidden.
 */
const domainErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) {
    if (isAsyncIterable(result.data)) return { ...result, data: mapIterableErrors(result.data) };
    return result;
  }
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    result.error = new TRPCError({ code: cause.code, message: cause.message, cause });
  } else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.log.error('procedure failed', { path, error: errorText(cause ?? result.error) });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

const credentialSchema = visitorTokenSchema;

/** A chat session's own visitor: the widget's `Bearer <sessionId>.<visitorToken>`. */
export const visitorProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const credential = ctx.visitorCredential;
  const dot = credential?.indexOf('.') ?? -1;
  if (!credential || dot < 0) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Start a chat before sending messages.' });
  }
  const sessionId = sessionIdSchema.safeParse(credential.slice(0, dot));
  const token = credentialSchema.safeParse(credential.slice(dot + 1));
  if (!sessionId.success || !token.success) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This chat session is not valid. Start a new chat.' });
  }
  const session = await authenticateVisitor(ctx.em, sessionId.data, token.data);
  return next({ ctx: { session } });
});

/**
 * A chat session's own visitor, with the session loaded as an entity: for the flows that
 * change it (verification, escalation). The chat's hot path reads the cached snapshot only.
 */
export const chatSessionProcedure = visitorProcedure.use(async ({ ctx, next }) => {
  const session = await ctx.em.findOneOrFail(ChatSession, { id: ctx.session.id }, { populate: ['ticket'] });
  return next({ ctx: { session } });
});

/**
 * Calls that only the console makes (sign-in, and every operator query and mutation) must
 * carry `x-trpc-source: console`. Cross-site pages cannot send it without a preflight that
 * the CORS gate refuses, so a cookie alone never authorises a forged request. Subscriptions
 * are exempt: EventSource cannot set headers, and they only announce ids.
 */
function assertFromConsole(ctx: Context, type: string): void {
  if (type !== 'subscription' && !ctx.fromConsole) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Operator requests must come from the console.' });
  }
}

/** Public, but only from the console (sign-in: no login CSRF). */
export const consoleProcedure = publicProcedure.use(({ ctx, type, next }) => {
  assertFromConsole(ctx, type);
  return next();
});

/** A signed-in operator of any role, from the console's session cookie. */
export const operatorProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const auth = await ctx.services.auth.authenticate(ctx.em, ctx.operatorToken);
  if (!auth) {
    if (ctx.operatorToken) ctx.setCookie(ctx.services.auth.clearCookie());
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.operatorToken ? 'Your session has ended. Sign in again.' : 'Sign in to the console first.',
    });
  }
  assertFromConsole(ctx, type);
  return next({ ctx: { operator: auth.operator, operatorSession: auth.session } });
});

function requireRole(minimum: OperatorRole) {
  return operatorProcedure.use(({ ctx, next }) => {
    if (!hasRole(ctx.operator.role, minimum)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: minimum === 'owner' ? 'Only an owner can do this.' : 'Only an admin or owner can do this.',
      });
    }
    return next();
  });
}

/** Admins and owners: knowledge base, settings, operators, outbox. */
export const adminProcedure = requireRole('admin');

/** Owners only. */
export const ownerProcedure = requireRole('owner');
