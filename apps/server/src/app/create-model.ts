import type { Env } from './env.js';
import type { LanguageModel, ModelHealth } from '../llm/model.js';
import { OllamaModel } from '../llm/ollama-model.js';
import { OpenAIModel } from '../llm/openai-model.js';

/** The one place the configured provider becomes a model (boot and tests alike). */
export function createModel(
  env: Pick<Env, 'MODEL_PROVIDER' | 'OLLAMA_HOST' | 'OLLAMA_MODEL' | 'OLLAMA_TIMEOUT_MS' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'OPENAI_MODEL'>,
  options: { log?: OpenAIModelLog } = {},
): LanguageModel {
  if (env.MODEL_PROVIDER === 'openai') {
    // loadEnv insists on both for this provider.
    if (!env.OPENAI_BASE_URL || !env.OPENAI_MODEL) throw new Error('OPENAI_BASE_URL and OPENAI_MODEL are required when MODEL_PROVIDER is openai');
    return new OpenAIModel({
      baseURL: env.OPENAI_BASE_URL,
      ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
      model: env.OPENAI_MODEL,
      timeoutMs: env.OLLAMA_TIMEOUT_MS,
      ...(options.log ? { log: options.log } : {}),
    });
  }
  return new OllamaModel({ host: env.OLLAMA_HOST, model: env.OLLAMA_MODEL, timeoutMs: env.OLLAMA_TIMEOUT_MS });
}

type OpenAIModelLog = NonNullable<ConstructorParameters<typeof OpenAIModel>[0]['log']>;

/** The start-up banner's model line: which model, where, and whether it is ready. */
export function modelStatusLine(model: LanguageModel, health: ModelHealth): string {
  const state = health.installed
    ? 'ready'
    : health.reachable
      ? (health.detail ?? 'not ready')
      : 'not reachable; visitors get article excerpts and an offer of a human';
  return `${model.name} (${model.provider}) at ${model.url} — ${state}`;
}
