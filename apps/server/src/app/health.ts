import type { Health } from '@ticket0/contracts';
import type { Services } from './services.js';

const VERSION = '0.1.0';

/** Database and model reachability, for `/healthz` and the console. */
export async function checkHealth(services: Services): Promise<Health> {
  let database: Health['database'] = 'ok';
  try {
    await services.orm.em.fork().getConnection().execute('select 1');
  } catch {
    database = 'error';
  }
  const model = await services.model.health();
  return {
    status: database === 'ok' && model.reachable && model.installed ? 'ok' : 'degraded',
    database,
    model: { provider: services.model.provider, url: services.model.url, name: services.model.name, ...model },
    version: VERSION,
  };
}
