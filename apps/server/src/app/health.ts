import type { Health } from '@ticket0/contracts';
import type { Services } from './services.js';

const VERSION = '0.1.0';

/** How long one answer from the model server stands for all health checks. */
export const MODEL_HEALTH_TTL_MS = 2000;

type ModelHealth = Awaited<ReturnType<Services['model']['health']>>;
const modelHealthCache = new WeakMap<Services, { at: number; health: Promise<ModelHealth> }>();

/**
 * The model server's health, asked at most once per MODEL_HEALTH_TTL_MS and shared by every
 * caller meanwhile: a batch of a thousand health calls costs the model server one request.
 */
function modelHealth(services: Services): Promise<ModelHealth> {
  const now = services.clock.now().getTime();
  const cached = modelHealthCache.get(services);
  if (cached && now - cached.at < MODEL_HEALTH_TTL_MS && now >= cached.at) return cached.health;
  const health = services.model.health();
  modelHealthCache.set(services, { at: now, health });
  return health;
}

/** Database and model reachability, for `/healthz` and the console. */
export async function checkHealth(services: Services): Promise<Health> {
  let database: Health['database'] = 'ok';
  try {
    await services.orm.em.fork().getConnection().execute('select 1');
  } catch {
    database = 'error';
  }
  const model = await modelHealth(services);
  return {
    status: database === 'ok' && model.reachable && model.installed ? 'ok' : 'degraded',
    database,
    model: { provider: services.model.provider, url: services.model.url, name: services.model.name, ...model },
    version: VERSION,
  };
}
