import { isQuoted, prepare } from '../context.js';
import { globalOf, quote, re, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

/** Whole words only, so "class", "Scunthorpe", "therapist" and "cockpit" are left alone. */
const ABUSIVE_WORDS = (
  'fuck fucks fucked fucker fuckers fucking fuckin fuckface fuckwit motherfucker ' +
  'motherfuckers shit shits shitty shithead shitheads shithole bullshit bitch bitches bitchy ' +
  'bastard bastards asshole assholes arsehole arseholes cunt cunts dickhead dickheads prick ' +
  'pricks twat twats wanker wankers idiot idiots idiotic moron morons moronic imbecile ' +
  'imbeciles retard retards retarded dumbass dumbasses jackass douchebag douchebags scumbag ' +
  'scumbags slut sluts whore whores fag fags faggot faggots nigger niggers nigga niggas spic ' +
  'spics kike kikes chink chinks tranny trannies crap crappy stfu gtfo connard connards ' +
  'connasse salope salopes putain merde encule encules abruti abrutie abrutis arschloch ' +
  'arschlocher scheisse scheiße wichser fotze hurensohn vollidiot drecksau gilipollas ' +
  'pendejo pendeja cabron mierda idiota idiotas imbecil puta joder estupido estupida'
).split(' ');
const ABUSIVE = [
  re(String.raw`(?<![\p{L}\p{N}])(?:${ABUSIVE_WORDS.join('|')})(?![\p{L}\p{N}])`),
  re(
    String.raw`(?<![\p{L}\p{N}])(?:piss off|screw you|shut up|go to hell|go fuck|eat shit|get lost|go away loser)(?![\p{L}\p{N}])`,
  ),
  re(
    String.raw`\byou(?:\s+are|\s+r)?\s+(?:(?:so|such|an?|really|completely|totally|utterly|very|just|being|the most)\s+){0,3}(?:stupid|dumb|useless|pathetic|worthless|ignorant|clueless|incompetent|brainless|loser|losers|fool|clown|pig|trash|garbage|ugly|fat|disgusting|waste of (?:space|time))\b`,
  ),
  re(
    String.raw`\bvous etes\s+(?:(?:un|une|vraiment|completement|tellement|si)\s+){0,2}(?:idiot|idiote|stupide|nul|nulle|incompetente?|debile|bete)\b|\bdu bist\s+(?:(?:ein|eine|so|wirklich|total)\s+){0,2}(?:idiot|dumm|blod|bloed|nutzlos|versager)\b|\b(?:eres|es usted)\s+(?:(?:un|una|muy|tan)\s+){0,2}(?:idiota|estupid[oa]|inutil|tont[oa]|imbecil)\b`,
  ),
  re(
    String.raw`\bf[*#@!_.]{1,3}(?:c?k|ck)(?:ing|er|ed)?\b|\bs[*#]?h[*#!]t\b|\bb[*#!]tch\b|\ba[*#]{2}hole\b|\bc[*#]nt\b`,
  ),
];

function checkAbusiveLanguage(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const readings = [views.folded, ...views.deleet];
  for (const reading of readings) {
    for (const pattern of ABUSIVE) {
      const m = globalOf(pattern).exec(reading);
      if (
        m &&
        !(
          reading === views.folded &&
          isQuoted(views, m.index, m.index + m[0].length, prepare(context))
        )
      ) {
        return `uses abusive language: ${quote(m[0])}`;
      }
    }
  }
  return null;
}

export const abusiveLanguage: SafetyRule = {
  name: 'abusive_language',
  description:
    'Insults, profanity or slurs (whole words, in English, French, German and Spanish, also in leetspeak), or an insult aimed at the visitor ("you are useless").',
  check: checkAbusiveLanguage,
};
