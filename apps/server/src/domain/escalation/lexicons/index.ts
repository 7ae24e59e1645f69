import type { Lexicon } from '../lexicon.js';
import type { Language } from '../normalise.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';
import { pt } from './pt.js';

/** Every language the escalation rules and small talk understand. */
export const LEXICONS: Record<Language, Lexicon> = { en, fr, de, es, it, pt, nl };
