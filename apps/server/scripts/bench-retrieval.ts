// Retrieval benchmark: `npm run bench:retrieval [-- --articles 10000 --queries 1000 --mismatched 500]`
// On PostgreSQL: `npm run bench:retrieval -- --postgres [postgres://…]` (default: TEST_DATABASE_URL,
// then DATABASE_URL); it creates a scratch database there and drops it at the end.
//
// Generates a corpus of product articles, each holding one fact found nowhere else (the
// warranty of the "amber kettle", where the "cedar lantern" ships from, …) written as
// articles are ("It weighs 400 grams", the name only in the title and intro), indexes it
// into a file-backed temporary SQLite database (or a scratch PostgreSQL database) through the
// real write path (upsertArticle: passage splitting, triggers, FTS5 or tsvector), then asks
// paraphrased visitor questions about
// facts and measures, through the real searchPassages (widget audience, top 5):
//
//   - latency p50 / p99 (ms), per query, including the ORM round trip;
//   - recall@5: the article holding the fact is among the 5 passages returned;
//   - fact recall@5: the passage holding the fact itself is among them (what the prompt needs);
//   - leaks: hits from internal or draft articles (must be 0);
//   - the same recalls for questions sharing no word with the fact ("how heavy is …" for
//     "weighs 400 grams"): what lexical search cannot bridge, reported, not hidden.
//
// Hard negatives are built in: every product name's words recur in other articles, and
// other articles mention the exact product ("often bought with the amber kettle").
// Deterministic (seeded PRNG): the same arguments give the same corpus and queries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeArticle } from '../src/db/entities/index.js';
import { knex } from '@mikro-orm/postgresql';
import { initORM, type InitORMOptions } from '../src/db/orm.js';
import { upsertArticle, type ArticleInput } from '../src/domain/knowledge/articles.js';
import { optimizeSearchIndex, searchPassages } from '../src/domain/knowledge/search.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const value = process.argv[i + 1];
  // `--postgres` may stand alone; every other option takes a value.
  const hasValue = value !== undefined && !value.startsWith('--');
  args.set(process.argv[i]!.replace(/^--/, ''), hasValue ? value : '');
  if (hasValue) i++;
}
const ARTICLES = Number(args.get('articles') ?? 10_000);
const QUERIES = Number(args.get('queries') ?? 1_000);
const MISMATCHED = Number(args.get('mismatched') ?? 500);
const WARMUP = 50;

// 100 × 100 words: 10,000 distinct product names.
const ADJECTIVES = `amber azure birch bronze cedar coral cobalt copper crimson ember fern flint frost garnet ginger granite
  hazel indigo ivory jade juniper lagoon lava lilac linen maple marble meadow mint misty moss nickel oak ochre olive onyx
  opal orchid pebble pewter pine plum polar quartz raven reed ruby rust saffron sage sand sapphire scarlet shadow silver
  slate smoke spruce steel stone storm summit sunset tawny teak thistle tidal timber topaz tundra umber velvet violet
  walnut willow winter zinc alpine arctic aspen basalt bramble canyon cinder cloud cypress dune echo falcon glacier harbor
  heather horizon kelp lunar nova prairie river solar aurora breeze comet`.split(/\s+/);
const NOUNS = `kettle lantern blender toaster backpack jacket lamp chair desk mug teapot skillet grinder speaker headset
  keyboard mouse monitor router charger blanket pillow duvet towel rug vase clock mirror shelf stool bench tent hammock
  stove cooler bottle thermos umbrella wallet watch sunglasses helmet bicycle scooter skateboard drone camera tripod
  projector printer scanner tablet stylus notebook planner pen easel guitar ukulele drum microphone turntable radio fan
  heater humidifier purifier vacuum mop kettlebell dumbbell mat treadmill rower sandal boot sneaker scarf glove beanie
  apron spatula ladle whisk colander grater juicer steamer wok casserole cauldron cooker fryer mixer toolbox drill saw
  hammer wrench ladder wheelbarrow planter sprinkler`.split(/\s+/);
const CITIES = `Lisbon Porto Madrid Valencia Lyon Marseille Antwerp Ghent Rotterdam Utrecht Hamburg Leipzig Munich Dresden
  Vienna Graz Prague Brno Krakow Gdansk Vilnius Riga Tallinn Helsinki Uppsala Aarhus Bergen Dublin Cork Bologna`.split(/\s+/);
const COLOURS = 'charcoal cream navy forest burgundy mustard teal blush graphite sky'.split(' ');
const COLLECTIONS = 'Everyday Outdoor Studio Kitchen Home Travel Workshop Garden'.split(' ');

const FILLER = {
  overview: [
    'It is designed in Amsterdam and tested by our product team before it goes on sale.',
    'Reviews mention its solid build and how easy it is to use every day.',
    'We stock spare parts for at least five years after a product leaves the range.',
    'The packaging is made from recycled cardboard and contains no plastic film.',
    'Our customer service team can help if you have questions before buying.',
  ],
  delivery: [
    'Orders placed before 2 pm on a working day leave the warehouse the same day.',
    'Standard delivery takes two to four working days within the EU.',
    'Returns are free within the EU with the prepaid label from your account.',
    'Refunds are paid to the original payment method within five working days.',
    'Express delivery is available for the next working day in most regions.',
  ],
  care: [
    'Wipe it with a soft, damp cloth and dry it straight away.',
    'Do not use abrasive cleaners or scouring pads on the surface.',
    'Store it in a dry place away from direct sunlight when not in use.',
    'Check the manual for the full safety instructions before first use.',
    'Small scratches from daily use are normal and do not affect how it works.',
  ],
};

interface Fact {
  sentence: string;
  /** Paraphrases that share at least one word (or stem) with the fact. */
  questions: string[];
  /** Asks for the fact without any of its words: only the product name matches. */
  mismatched: string;
}

function factFor(kind: number, name: string, random: () => number): Fact {
  const n = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  switch (kind) {
    case 0: {
      const years = n(2, 7);
      return {
        sentence: `It is covered by a ${years}-year warranty against manufacturing defects.`,
        questions: [`How long is the warranty on the ${name}?`, `is my ${name} still under guarantee after ${years - 1} years`, `${name} warranty period?`],
        mismatched: `what happens if my ${name} stops working?`,
      };
    }
    case 1:
      return {
        sentence: `You may return it unused within ${n(14, 100)} days of delivery for a full refund.`,
        questions: [`Can I return the ${name} if I don't like it?`, `how many days do I have to send back my ${name}`, `Return window for a ${name}??`],
        mismatched: `I'm not happy with my ${name}, can I give it back?`,
      };
    case 2: {
      const city = CITIES[n(0, CITIES.length - 1)]!;
      return {
        sentence: `It is shipped from our warehouse in ${city}.`,
        questions: [`Where is the ${name} shipped from?`, `which warehouse sends out the ${name}`, `from what city does my ${name} get shipped`],
        mismatched: `where does the ${name} come from?`,
      };
    }
    case 3:
      return {
        sentence: `The battery lasts about ${n(4, 60)} hours on a full charge.`,
        questions: [`How long does the battery of the ${name} last?`, `${name} battery life`, `hours of use per charge for the ${name}?`],
        mismatched: `how long can I use the ${name} unplugged?`,
      };
    case 4: {
      const [a, b, c] = [...COLOURS].sort(() => random() - 0.5);
      return {
        sentence: `It is available in ${a}, ${b} and ${c}.`,
        questions: [`What colours is the ${name} available in?`, `is the ${name} available in other colours`, `${name}: which colours can I choose?`],
        mismatched: `what shades does the ${name} come in?`,
      };
    }
    case 5:
      return {
        sentence: `It is dishwasher safe when you place it on the top rack.`,
        questions: [`Can the ${name} go in the dishwasher?`, `is it ok to wash my ${name} in a dishwasher`, `dishwasher and the ${name} - safe?`],
        mismatched: `how do I clean the ${name}?`,
      };
    case 6:
      return {
        sentence: `It weighs ${n(150, 9000)} grams without its packaging.`,
        questions: [`What does the ${name} weigh?`, `weight of the ${name} in grams`, `how many grams is a ${name}`],
        mismatched: `how heavy is the ${name}?`,
      };
    default:
      return {
        sentence: `Assembling it takes about ${n(5, 90)} minutes with the included tools.`,
        questions: [`Is the ${name} difficult to assemble?`, `how many minutes to assemble my ${name}`, `${name} assembly - which tools do I need?`],
        mismatched: `does the ${name} arrive in one piece?`,
      };
  }
}

const TOPIC_TITLES = ['warranty', 'returns', 'shipping', 'battery', 'colours', 'cleaning', 'weight', 'assembly'];

function buildCorpus(random: () => number) {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const pickSome = <T>(list: T[], count: number) => [...list].sort(() => random() - 0.5).slice(0, count);
  const articles: Array<ArticleInput & { fact: Fact }> = [];
  for (let i = 0; i < ARTICLES; i++) {
    const adjective = ADJECTIVES[i % ADJECTIVES.length]!;
    const noun = NOUNS[Math.floor(i / ADJECTIVES.length) % NOUNS.length]!;
    const name = `${adjective} ${noun}`;
    const kind = Math.floor(random() * 8);
    const fact = factFor(kind, name, random);
    // Hard negatives: the same noun with another adjective, the same adjective with another
    // noun, and one unrelated product named in full.
    const sameNoun = `${pick(ADJECTIVES.filter((a) => a !== adjective))} ${noun}`;
    const sameAdjective = `${adjective} ${pick(NOUNS.filter((n) => n !== noun))}`;
    const other = `${pick(ADJECTIVES)} ${pick(NOUNS)}`;
    const body = `The ${name} is part of our ${pick(COLLECTIONS)} collection. It pairs well with the ${sameNoun} and the ${sameAdjective}; customers often buy it with the ${other}. ${pickSome(FILLER.overview, 2).join(' ')}

## Details

${fact.sentence} ${pickSome(FILLER.overview, 1).join(' ')}

## Delivery and returns

${pickSome(FILLER.delivery, 3).join(' ')}

## Care

${pickSome(FILLER.care, 2).join(' ')}`;
    const roll = random();
    articles.push({
      title: `${name.replace(/\b\w/g, (c) => c.toUpperCase())}: ${TOPIC_TITLES[kind]}`,
      slug: `bench-${i}`,
      body,
      // 5 % internal and 5 % drafts: none may ever come back for the widget.
      published: roll >= 0.05,
      visibility: roll >= 0.05 && roll < 0.1 ? 'internal' : 'public',
      fact,
    });
  }
  return articles;
}

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const random = prng(20_240_601);
  // `--keep <file>`: index into that file and leave it, or reuse it when already indexed.
  const kept = args.get('keep');
  const postgres = args.has('postgres') ? await scratchPostgreSql(args.get('postgres') || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL, kept) : null;
  const dir = kept || postgres ? null : mkdtempSync(join(tmpdir(), 'ticket0-bench-'));
  const orm = await initORM(postgres?.options ?? { dbName: kept ?? join(dir!, 'bench.sqlite') });
  try {
    const corpus = buildCorpus(random);

    const indexStarted = performance.now();
    const ids: number[] = [];
    const BATCH = 500;
    const existing = await orm.em.fork().find(KnowledgeArticle, {}, { fields: ['id'], orderBy: { id: 'asc' } });
    const reused = existing.length === corpus.length;
    if (reused) ids.push(...existing.map((article) => article.id));
    for (let start = ids.length; start < corpus.length; start += BATCH) {
      const em = orm.em.fork();
      await em.transactional(async (tx) => {
        for (const article of corpus.slice(start, start + BATCH)) ids.push((await upsertArticle(tx, article)).article.id);
      });
    }
    // As a large import does (see domain/knowledge/import.ts).
    if (!reused) await optimizeSearchIndex(orm.em.fork());
    const indexMs = performance.now() - indexStarted;
    const [{ passages } = { passages: 0 }] = await orm.em
      .fork()
      .getConnection()
      .execute<Array<{ passages: number }>>('select count(*) as passages from knowledge_passage');

    const visible = corpus.map((article, i) => ({ article, id: ids[i]! })).filter(({ article }) => article.published && article.visibility === 'public');
    const hidden = new Set(corpus.flatMap((article, i) => (article.published && article.visibility === 'public' ? [] : [ids[i]!])));
    const queries = Array.from({ length: QUERIES + WARMUP }, () => {
      const target = visible[Math.floor(random() * visible.length)]!;
      const questions = target.article.fact.questions;
      return { target, question: questions[Math.floor(random() * questions.length)]! };
    });
    const mismatchedTargets = Array.from({ length: MISMATCHED }, () => visible[Math.floor(random() * visible.length)]!);

    const latencies: number[] = [];
    let found = 0;
    let factFound = 0;
    let first = 0;
    let leaks = 0;
    for (const [n, { target, question }] of queries.entries()) {
      const em = orm.em.fork();
      const started = performance.now();
      const hits = await searchPassages(em, question, { audience: 'widget', limit: 5 });
      const elapsed = performance.now() - started;
      if (n < WARMUP) continue;
      latencies.push(elapsed);
      leaks += hits.filter((hit) => hidden.has(hit.articleId)).length;
      if (hits.some((hit) => hit.articleId === target.id)) found++;
      if (hits[0]?.articleId === target.id) first++;
      const factText = target.article.fact.sentence;
      if (hits.some((hit) => hit.articleId === target.id && hit.text.includes(factText))) factFound++;
    }
    let mismatchedFound = 0;
    let mismatchedFactFound = 0;
    for (const target of mismatchedTargets) {
      const hits = await searchPassages(orm.em.fork(), target.article.fact.mismatched, { audience: 'widget', limit: 5 });
      leaks += hits.filter((hit) => hidden.has(hit.articleId)).length;
      if (hits.some((hit) => hit.articleId === target.id)) mismatchedFound++;
      if (hits.some((hit) => hit.articleId === target.id && hit.text.includes(target.article.fact.sentence))) mismatchedFactFound++;
    }
    // Leak check on the hidden articles' own questions too.
    for (const [i, article] of corpus.entries()) {
      if (article.published && article.visibility === 'public') continue;
      const hits = await searchPassages(orm.em.fork(), article.fact.questions[0]!, { audience: 'widget', limit: 5 });
      if (hits.some((hit) => hit.articleId === ids[i])) leaks++;
    }

    latencies.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const pct = (value: number) => `${((value / QUERIES) * 100).toFixed(1)} %`;
    const engine = postgres ? 'PostgreSQL tsvector + GIN, websearch_to_tsquery, ts_rank_cd' : 'SQLite FTS5 + BM25, file-backed';
    console.log(`Retrieval benchmark (${engine}, widget audience, top 5)
  corpus        ${corpus.length} articles, ${passages} passages (${corpus.length - visible.length} internal or draft)
  indexing      ${reused ? 'reused the --keep database' : `${(indexMs / 1000).toFixed(1)} s (${ms(indexMs / corpus.length)} per article, through upsertArticle)`}
  queries       ${QUERIES} paraphrased questions (+${WARMUP} warm-up)
  latency p50   ${ms(percentile(latencies, 50))}
  latency p99   ${ms(percentile(latencies, 99))}
  latency max   ${ms(latencies[latencies.length - 1]!)}
  recall@5      ${pct(found)}  (article holding the fact among the 5 passages)
  fact recall@5 ${pct(factFound)}  (the passage with the fact itself among them)
  recall@1      ${pct(first)}
  no shared words: ${MISMATCHED} questions sharing no word with the fact (only the product name)
    recall@5      ${((mismatchedFound / MISMATCHED) * 100).toFixed(1)} %
    fact recall@5 ${((mismatchedFactFound / MISMATCHED) * 100).toFixed(1)} %
  leaks         ${leaks} (hits from internal or draft articles; must be 0)`);
    if (leaks) process.exitCode = 1;
  } finally {
    await orm.close(true);
    if (dir) rmSync(dir, { recursive: true, force: true });
    await postgres?.drop();
  }
}

/**
 * A database for the benchmark on the PostgreSQL server at `serverUrl`: `--keep <name>`
 * keeps (and reuses) that database; otherwise a new one is dropped at the end.
 */
async function scratchPostgreSql(serverUrl: string | undefined, kept: string | undefined): Promise<{ options: InitORMOptions; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('--postgres needs a server: give its URL, or set TEST_DATABASE_URL or DATABASE_URL');
  const name = kept ?? `ticket0_bench_${process.pid}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    const exists = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (!exists.rows.length) await admin.raw('create database ??', [name]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    async drop() {
      if (kept) return;
      const db = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      try {
        await db.raw('drop database if exists ?? with (force)', [name]);
      } finally {
        await db.destroy();
      }
    },
  };
}

await main();
