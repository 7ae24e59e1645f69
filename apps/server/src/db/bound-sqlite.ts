import { Utils, type Configuration } from '@mikro-orm/core';
import { SqliteConnection, SqliteDriver } from '@mikro-orm/sqlite';

/*
 * MikroORM 6 writes every value into the SQL text before SQLite sees it (quoted, so no
 * injection, but SQLite reads a statement only up to its first NUL: a message holding
 * "\u0000" made an unreadable statement and was lost). This connection sends the values as
 * bound parameters instead, in the same places and with the same conversions the ORM's
 * own formatter applies, so what is stored is exactly what was sent.
 */

type Platform = Pick<SqliteConnection['platform'], 'isRaw' | 'quoteIdentifier'>;

/** A value as SQLite should receive it, converted the way the ORM's SQLite platform does. */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') {
    if (Utils.isPlainObject(value) || Array.isArray(value)) return JSON.stringify(value);
    return String(value);
  }
  return String(value);
}

interface Bound {
  sql: string;
  bindings: unknown[];
}

function isKnexFragment(value: unknown): value is { toSQL(): { sql: string; bindings?: readonly unknown[] } } {
  return typeof value === 'object' && value !== null && typeof (value as { toSQL?: unknown }).toSQL === 'function';
}

/**
 * `sql` with its `?` placeholders kept and `params` turned into bindings: arrays become lists
 * of placeholders, `??` an identifier, and raw SQL fragments are bound the same way in turn.
 */
export function bindParams(platform: Platform, sql: string, params: readonly unknown[], convert: (value: unknown) => unknown = bindable): Bound {
  const bindings: unknown[] = [];
  let out = '';
  let next = 0;
  const value = (param: unknown): string => {
    if (Utils.isRawSql(param)) {
      const inner = bindParams(platform, param.sql, param.params ?? [], convert);
      bindings.push(...inner.bindings);
      return inner.sql;
    }
    if (platform.isRaw(param) && isKnexFragment(param)) {
      const compiled = param.toSQL();
      const inner = bindParams(platform, compiled.sql, compiled.bindings ?? [], convert);
      bindings.push(...inner.bindings);
      return inner.sql;
    }
    if (Array.isArray(param)) {
      return param.map((item) => (Array.isArray(item) ? `(${value(item)})` : value(item))).join(', ');
    }
    bindings.push(convert(param));
    return '?';
  };
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (char === '\\' && sql[i + 1] === '?') {
      // The ORM's escape for a literal question mark: kept as it is (see `execute`).
      out += '\\?';
      i++;
    } else if (char === '?' && sql[i + 1] === '?') {
      out += platform.quoteIdentifier(params[next++] as string);
      i++;
    } else if (char === '?') {
      out += next < params.length ? value(params[next++]) : '?';
    } else {
      out += char;
    }
  }
  return { sql: out, bindings };
}

/** How many placeholders knex will see in `sql`. */
export function placeholders(sql: string): number {
  return sql.replace(/\\\?/g, '').split('?').length - 1;
}

export class BoundSqliteConnection extends SqliteConnection {
  override async execute<T>(
    queryOrKnex: unknown,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: unknown,
    loggerContext?: Record<string, unknown>,
  ): Promise<T> {
    await this.ensureConnection();
    let query: string;
    if (Utils.isObject(queryOrKnex)) {
      const knexQuery = queryOrKnex as { client: { transacting?: boolean }; toSQL(): { sql: string; bindings?: unknown[] } };
      ctx ??= knexQuery.client.transacting ? knexQuery : null;
      const compiled = knexQuery.toSQL();
      query = compiled.sql;
      params = [...(compiled.bindings ?? [])];
    } else {
      query = queryOrKnex as string;
    }
    query = this.config.get('onQuery')(query, params);
    const bound = params.length ? bindParams(this.platform, query, params) : { sql: query, bindings: [] };
    // A literal "?" in the statement itself would read as a placeholder: leave such (rare,
    // hand-written) statements to the ORM's own formatting.
    if (bound.bindings.length && (bound.sql.includes('\\?') || placeholders(bound.sql) !== bound.bindings.length)) {
      return (await super.execute(query, params, method, ctx as never, loggerContext)) as T;
    }
    return this.executeQuery(
      bound.sql,
      async () => {
        const raw = bound.bindings.length ? this.getKnex().raw(bound.sql, bound.bindings as never[]) : this.getKnex().raw(bound.sql);
        if (ctx) raw.transacting(ctx as never);
        return this.transformRawResult<T>(await raw, method);
      },
      { query, params, ...loggerContext },
    );
  }
}

/** The SQLite driver with bound parameters (see BoundSqliteConnection). */
export class BoundSqliteDriver extends SqliteDriver {
  constructor(config: Configuration) {
    super(config);
    // The base class built a plain SqliteConnection; nothing has used it yet.
    (this as unknown as { connection: SqliteConnection }).connection = new BoundSqliteConnection(config);
  }
}
