import { describe, expect, it } from 'vitest';
import { LEXICONS } from '../src/domain/escalation/lexicons/index.js';
import { detectSmallTalk } from '../src/domain/escalation/small-talk.js';

describe('small talk', () => {
  it.each([
    ['Hello!', 'en', 'greeting'],
    ['Thanks, that solved it!', 'en', 'thanks'],
    ['Perfect, thanks for your help. Bye!', 'en', 'thanks_goodbye'],
    ['Merci beaucoup, c’est réglé !', 'fr', 'thanks'],
    ['Danke, das hat geholfen!', 'de', 'thanks'],
    ['Tschüss', 'de', 'goodbye'],
    ['Muchas gracias, ya está resuelto', 'es', 'thanks'],
    ['Buongiorno', 'it', 'greeting'],
    ['Valeu, deu certo!', 'pt', 'thanks'],
    ['Bedankt, het is opgelost!', 'nl', 'thanks'],
    ['Doei', 'nl', 'goodbye'],
  ] as const)('"%s" is %s small talk (%s), answered in that language', (text, language, kind) => {
    const smallTalk = detectSmallTalk(text);
    expect(smallTalk).toMatchObject({ language, kind });
    const replies = LEXICONS[language].replies;
    const expected = kind === 'thanks_goodbye' ? replies.thanksGoodbye : replies[kind];
    expect(smallTalk!.reply).toBe(expected);
  });

  it('leaves a bare acknowledgement to the model, which may have asked a question', () => {
    expect(detectSmallTalk('ok')).toMatchObject({ kind: 'acknowledgement', reply: null });
    expect(detectSmallTalk('Perfetto')).toMatchObject({ kind: 'acknowledgement', reply: null });
  });

  it('is not small talk once the message asks or tells anything else', () => {
    for (const text of [
      'Thanks, but where is my order?',
      'Hi, do you ship to Canada?',
      'Merci, et pour le remboursement ?',
      'Hallo, ich habe eine Frage zur Rechnung',
      'Hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello',
      '',
      '👍',
    ]) {
      expect(detectSmallTalk(text), text).toBeNull();
    }
  });

  it('has a reply for every kind in every language', () => {
    for (const lexicon of Object.values(LEXICONS)) {
      for (const reply of Object.values(lexicon.replies))
        expect(reply.length, lexicon.name).toBeGreaterThan(10);
    }
  });
});
