import type { LanguageModel } from '../../llm/model.js';

export interface TranscriptLine {
  author: string;
  kind: string;
  body: string;
}

const MAX_SUMMARY_CHARS = 2000;

function transcript(lines: TranscriptLine[]): string {
  return lines
    .filter((line) => line.kind !== 'suppressed')
    .map((line) => `${line.author === 'visitor' ? 'Visitor' : line.author === 'ai' ? 'Assistant' : 'System'}: ${line.body}`)
    .join('\n')
    .slice(-12_000);
}

/**
 * What the team reads first on an escalated ticket: written by the model when it answers,
 * otherwise the visitor's own last messages (an extractive summary) so nothing is lost.
 */
export async function summariseChat(
  model: LanguageModel,
  lines: TranscriptLine[],
  signal?: AbortSignal,
): Promise<{ summary: string; byModel: boolean }> {
  try {
    const text = await model.chat({
      messages: [
        {
          role: 'system',
          content:
            'Summarise this support chat for the team member who will follow up with the customer by email: the problem, what the assistant already said, and what the customer needs now. At most five short lines of plain text. Do not invent anything.',
        },
        { role: 'user', content: transcript(lines) },
      ],
      signal,
      temperature: 0,
    });
    const summary = text.trim();
    if (summary) return { summary: summary.slice(0, MAX_SUMMARY_CHARS), byModel: true };
  } catch {
    // The model is down or slow: fall back to the visitor's own words.
  }
  return { summary: extractiveSummary(lines), byModel: false };
}

export function extractiveSummary(lines: TranscriptLine[]): string {
  const asked = lines.filter((line) => line.author === 'visitor').slice(-5);
  if (asked.length === 0) return 'The visitor asked for a person before writing anything.';
  const quoted = asked.map((line) => `- ${line.body.replace(/\s+/g, ' ').slice(0, 300)}`);
  return ['The visitor wrote (most recent last):', ...quoted].join('\n').slice(0, MAX_SUMMARY_CHARS);
}
