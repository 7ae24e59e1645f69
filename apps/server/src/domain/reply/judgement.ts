import { ESCALATION_REASONS, type EscalationReason } from '@ticket0/contracts';
import { z } from 'zod';
import { ModelUnavailableError, type ChatTurn, type LanguageModel } from '../../llm/model.js';

/** Below this confidence (0–100) the assistant does not answer on its own. */
export const CONFIDENCE_FLOOR = 60;

/** Reasons the model may give; the others are decided by the server itself. */
const MODEL_REASONS = ESCALATION_REASONS.filter((r) => r !== 'ai_unavailable' && r !== 'unsafe_output');

/** The JSON schema the model's judgement must follow (Ollama's structured output). */
export const JUDGEMENT_FORMAT = {
  type: 'object',
  properties: {
    can_answer: { type: 'boolean', description: 'The information given is enough to answer the latest message correctly.' },
    confidence: { type: 'integer', minimum: 0, maximum: 100 },
    needs_human: { type: 'boolean', description: 'Only a person on the support team can handle this.' },
    reason: { type: 'string', enum: MODEL_REASONS },
  },
  required: ['can_answer', 'confidence', 'needs_human'],
} as const;

const judgementSchema = z.object({
  can_answer: z.boolean(),
  confidence: z.number().min(0).max(100),
  needs_human: z.boolean(),
  reason: z.enum(MODEL_REASONS as [EscalationReason, ...EscalationReason[]]).optional(),
});

export type Judgement =
  | { verdict: 'answer'; confidence: number }
  | { verdict: 'escalate'; reason: EscalationReason; confidence: number };

/** The judge's instructions. It sees the same context as the assistant, and the question. */
export function judgementPrompt(context: ChatTurn[]): ChatTurn[] {
  const [system, ...conversation] = context;
  const transcript = conversation
    .map((turn) => `${turn.role === 'user' ? 'Visitor' : 'Assistant'}: ${turn.content}`)
    .join('\n');
  return [
    {
      role: 'system',
      content: [
        'You review a support chat before the assistant replies. Decide whether the assistant can answer the',
        "visitor's latest message correctly using only the information it was given below, and how confident",
        'you are (0–100). Set needs_human when only a person can help (account changes, disputes, complaints,',
        'anything needing a decision or an exception). Answer only with JSON following the schema.',
        '',
        '--- Assistant instructions and information ---',
        system?.content ?? '',
        '--- End ---',
      ].join('\n'),
    },
    { role: 'user', content: `Conversation:\n${transcript}\n\nJudge the assistant's ability to answer the last visitor message.` },
  ];
}

/**
 * Asks the model whether it can answer, through structured output. A malformed judgement
 * is not a reason to stop helping: it counts as "answer" (the reply is still checked).
 * Model failures propagate (the caller turns them into an `ai_unavailable` offer).
 */
export async function judge(model: LanguageModel, context: ChatTurn[], signal?: AbortSignal): Promise<Judgement> {
  const raw = await model.chat({ messages: judgementPrompt(context), format: JUDGEMENT_FORMAT as unknown as Record<string, unknown>, signal, temperature: 0 });
  let parsed: z.infer<typeof judgementSchema>;
  try {
    parsed = judgementSchema.parse(JSON.parse(raw));
  } catch {
    return { verdict: 'answer', confidence: CONFIDENCE_FLOOR };
  }
  const confidence = Math.round(parsed.confidence);
  if (parsed.needs_human) return { verdict: 'escalate', reason: parsed.reason ?? 'ai_uncertain', confidence };
  if (!parsed.can_answer || confidence < CONFIDENCE_FLOOR) return { verdict: 'escalate', reason: 'ai_uncertain', confidence };
  return { verdict: 'answer', confidence };
}

export type JudgementResult = Judgement | { verdict: 'failed'; failure: ModelUnavailableError };

/** A judgement running beside the reply. */
export interface RunningJudgement {
  /** 'pending' until the model has judged; 'failed' when it could not. */
  readonly verdict: 'pending' | JudgementResult['verdict'];
  /** Resolves (never rejects) once the verdict is in. */
  readonly done: Promise<void>;
}

/**
 * Starts the judgement without waiting for it, so it runs beside the streamed reply and adds
 * no wait of its own. `onVerdict` hears the result (or the model's failure) as soon as it is in.
 */
export function startJudgement(
  model: LanguageModel,
  context: ChatTurn[],
  signal: AbortSignal,
  onVerdict: (result: JudgementResult) => void,
): RunningJudgement {
  const running: { verdict: RunningJudgement['verdict']; done: Promise<void> } = { verdict: 'pending', done: Promise.resolve() };
  const settle = (result: JudgementResult) => {
    running.verdict = result.verdict;
    onVerdict(result);
  };
  running.done = judge(model, context, signal).then(settle, (error: unknown) => settle({ verdict: 'failed', failure: asModelFailure(error) }));
  return running;
}

/** Any error of a model call, as the failure the reply records. */
export function asModelFailure(error: unknown): ModelUnavailableError {
  return error instanceof ModelUnavailableError ? error : new ModelUnavailableError('error', String(error), { cause: error });
}
