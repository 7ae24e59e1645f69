// Escalation rules against the labelled corpus: `npm run eval:escalation [-- --misses tuning]`
//
// Prints precision, recall and F1 per language and per reason for the held-out part (never
// used while writing the rules) and for the tuning part, the small-talk confusion, and how
// often the detected language was the message's. A hit needs the right reason code; "any"
// counts any offer on a message that needs a human. `--misses tuning` lists what the rules
// get wrong on the tuning part (the held-out part is for measuring, not for tuning);
// `--part tuning` prints one part only.
import {
  CORPUS_PARTS,
  RULE_REASONS,
  figures,
  groups,
  loadCorpus,
  score,
  smallTalkConfusion,
  pipelineDetector,
  type Scored,
} from './escalation-corpus.js';

const args = process.argv.slice(2);
const missesPart = args.includes('--misses')
  ? (args[args.indexOf('--misses') + 1] ?? 'tuning')
  : null;
const onlyPart = args.includes('--part') ? args[args.indexOf('--part') + 1] : null;

const detect = pipelineDetector;

const pct = (value: number) => value.toFixed(2);

function table(title: string, rows: Array<[string, Scored[]]>, perReason = false): void {
  console.log(`\n### ${title}\n`);
  console.log(
    '| group | messages | need a human | precision | recall | F1 | any: P | any: R | any: F1 |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, scored] of rows) {
    const f = figures(scored);
    console.log(
      `| ${name} | ${f.count} | ${f.positives} | ${pct(f.precision)} | ${pct(f.recall)} | ${pct(f.f1)} | ${pct(f.anyPrecision)} | ${pct(f.anyRecall)} | ${pct(f.anyF1)} |`,
    );
  }
  if (!perReason) return;
  const all = rows.at(-1)![1];
  console.log('\n| reason | messages | precision | recall | F1 |');
  console.log('|---|---:|---:|---:|---:|');
  for (const reason of RULE_REASONS) {
    const f = figures(all, reason);
    console.log(
      `| ${reason} | ${f.positives} | ${pct(f.precision)} | ${pct(f.recall)} | ${pct(f.f1)} |`,
    );
  }
}

function confusion(scored: Scored[]): void {
  const c = smallTalkConfusion(scored);
  console.log('\n| labelled \\ got | small-talk reply | offer of a human | ordinary answer |');
  console.log('|---|---:|---:|---:|');
  for (const row of ['small_talk', 'none', 'escalation'] as const) {
    console.log(`| ${row} | ${c[row].small_talk} | ${c[row].offer} | ${c[row].answer} |`);
  }
}

for (const part of [...CORPUS_PARTS].reverse()) {
  if (onlyPart && part !== onlyPart) continue;
  const scored = score(loadCorpus(part), detect);
  console.log(`\n## ${part} part: ${scored.length} messages`);
  table(`Escalation by language (${part})`, groups(scored), true);
  console.log(`\n### Small talk (${part})`);
  confusion(scored);
  const withLanguage = scored.filter((s) => s.verdict.language !== undefined);
  if (withLanguage.length) {
    const right = withLanguage.filter((s) => s.verdict.language === s.item.language).length;
    console.log(`\nLanguage detected as the message's own: ${right}/${withLanguage.length}`);
  }
  if (missesPart === part) {
    console.log(`\n### Misses (${part})\n`);
    for (const s of scored) {
      const gold = s.item.label;
      const got = s.outcome === 'answer' ? 'none' : s.outcome;
      if (
        got !== gold ||
        (s.verdict.language !== undefined && s.verdict.language !== s.item.language)
      ) {
        console.log(
          `- ${s.item.id} [${gold} → ${got}${s.verdict.rule ? ` by ${s.verdict.rule}` : ''}, ${s.verdict.language ?? '?'}] ${s.item.text}`,
        );
      }
    }
  }
}
