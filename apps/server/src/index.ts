import { startConsole } from './console-boot.js';
import { loadEnvOrExit } from './app/env.js';
import { databaseOptions, describeDatabase, initORM } from './db/orm.js';
import { seedDemoKnowledgeBase } from './domain/knowledge/demo-knowledge-base.js';
import { systemClock } from './lib/clock.js';
import { createAppServer } from './http.js';
import { createModel, modelStatusLine } from './app/create-model.js';
import { createLogger } from './lib/logger.js';
import { createServices } from './app/services.js';
import { warmUpReplies } from './domain/reply/pipeline.js';

/** Boot: configuration → database (migrations) → HTTP server; stop gracefully on signals. */
async function main(): Promise<void> {
  const env = loadEnvOrExit(1);
  const log = createLogger(console, env.LOG_LEVEL);
  const orm = await initORM(databaseOptions(env));
  const seeded = await seedDemoKnowledgeBase(orm.em.fork());
  if (seeded) {
    log.info('seeded the demo knowledge base', {
      articles: seeded,
      hint: "a demo shop's policies: replace them with your own (npm run import:kb -- <folder>) or delete them",
    });
  }
  const model = createModel(env, { log });
  const shutdown = new AbortController();
  const services = createServices({ env, orm, model, clock: systemClock, log, shutdownSignal: shutdown.signal });
  // Live events from the other server processes on the same PostgreSQL database.
  await services.relay?.start();
  const consoleServices = await startConsole(services);
  // Background work whose state lives in the database: a restart resumes it.
  services.assignment.start();
  services.quality.start();
  services.assignment.schedule();
  services.webhooks.start();
  await services.mailbox?.start();
  const server = createAppServer(services);
  await warmUpReplies(orm.em.fork());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const base = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;

  const health = await model.health();
  console.log(`Ticket0 Chat is running.
  Demo page:  ${base}/
  Console:    ${base}/admin/
  Articles:   ${base}/kb/
  Health:     ${base}/healthz
  Database:   ${describeDatabase(env)}
  Model:      ${modelStatusLine(model, health)}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, inFlightReplies: services.replies.size });
    // Console live streams never end by themselves: end them now so their connections close.
    services.closing.abort();
    // No new connections; requests in progress (streamed replies) may finish. Past the grace
    // period the shutdown signal cuts the replies, which store what they said, and the last
    // connections are closed.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections turn idle as their last response ends; close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const grace = setTimeout(() => shutdown.abort(), env.SHUTDOWN_GRACE_MS);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, env.SHUTDOWN_GRACE_MS + 1000))]);
    clearTimeout(grace);
    clearInterval(sweep);
    await services.replies.whenIdle();
    server.closeAllConnections();
    await consoleServices.stop();
    await services.mailbox?.stop();
    await services.webhooks.stop();
    await services.quality.stop();
    await services.assignment.stop();
    await services.relay?.stop();
    await orm.close(true);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`Ticket0 Chat could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
