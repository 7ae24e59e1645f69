import { Utils, type Configuration } from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { bindParams, placeholders } from './bound-sqlite.js';

/*
 * MikroORM 6 writes every value into the SQL text on PostgreSQL too (quoted, so no
 * injection, but a failed statement's error then carries what a visitor wrote). This
 * connection sends the values as bound parameters, as bound-sqlite.ts does for SQLite, with
 * the conversions node-postgres expects.
 */

/** A value as node-postgres should receive it. */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') {
    // node-postgres would turn a JavaScript array into a PostgreSQL array; a JSON column wants JSON.
    if (Utils.isPlainObject(value) || Array.isArray(value)) return JSON.stringify(value);
    return String(value);
  }
  return String(value);
}

export class BoundPostgreSqlConnection extends PostgreSqlConnection {
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
    const bound = params.length ? bindParams(this.platform, query, params, bindable) : { sql: query, bindings: [] };
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

/** The PostgreSQL driver with bound parameters (see BoundPostgreSqlConnection). */
export class BoundPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    // The base class built a plain PostgreSqlConnection; nothing has used it yet.
    (this as unknown as { connection: PostgreSqlConnection }).connection = new BoundPostgreSqlConnection(config);
  }
}
