import { describe, expect, it } from 'vitest';
import { detectEscalation } from '../src/domain/escalation/detect.js';
import { CONCEPTS } from '../src/domain/escalation/lexicon.js';
import { LEXICONS } from '../src/domain/escalation/lexicons/index.js';
import { LANGUAGES, type Language } from '../src/domain/escalation/normalise.js';
import { ESCALATION_RULES } from '../src/domain/escalation/rules.js';

// Each rule, in two languages: a message it must fire on (and report the language of), and
// a near-miss it must leave to the assistant.
const cases: Array<[rule: string, language: Language, fires: string, mustNotFire: string]> = [
  ['legal.proceedings', 'en', 'I am going to sue your company', 'Do you sell suede shoes?'],
  ['legal.proceedings', 'de', 'Ich werde Sie verklagen, das ist unglaublich', 'Wann kommt meine Klappe an?'],
  ['legal.court_document', 'en', 'We received a subpoena about an order', 'Where is your legal imprint page?'],
  ['legal.court_document', 'nl', 'We hebben een dagvaarding ontvangen', 'Wanneer wordt mijn pakket bezorgd?'],
  ['legal.own_lawyer', 'fr', 'Mon avocat va vous écrire', "L'offre avocat inclut-elle la relecture ?"],
  ['legal.own_lawyer', 'en', 'I will hand this to my lawyer', 'My lawyer friend recommended you, do you sell desks?'],
  ['legal.report_to_authority', 'es', 'Voy a poner una queja en consumo', '¿Envían a comisarías de policía?'],
  ['legal.report_to_authority', 'en', 'I am reporting you to trading standards', 'Do you comply with trading standards rules on labels?'],
  ['legal.authority_request', 'de', 'Die Polizei hat uns um Auskunft zu einer Bestellung gebeten', 'Liefern Sie auch an Polizeistationen?'],
  ['legal.authority_request', 'pt', 'Recebi uma carta da autoridade sobre um produto de vocês', 'Vocês entregam em delegacias?'],
  ['privacy.named_right', 'it', "Voglio esercitare il diritto all'oblio", 'Dove trovo la vostra informativa privacy?'],
  ['privacy.named_right', 'en', 'This is a subject access request', 'What subjects do your courses cover?'],
  ['privacy.law_request', 'de', 'Gemäß DSGVO verlange ich Auskunft', 'Sind Sie DSGVO-konform?'],
  ['privacy.law_request', 'nl', 'Op grond van de AVG verzoek ik om inzage', 'Voldoen jullie aan de AVG?'],
  ['privacy.erasure', 'es', 'Borren todos mis datos personales', '¿Cómo descargo mis datos?'],
  ['privacy.erasure', 'en', 'Please erase my personal data', 'How do I delete an item from my basket?'],
  ['privacy.access', 'fr', 'Quelles données avez-vous sur moi ?', 'Comment télécharger mes données ?'],
  ['privacy.access', 'en', 'What information do you hold about me?', 'What information do you need for a return?'],
  ['privacy.breach', 'pt', 'Houve um vazamento dos meus dados', 'Como protegem os meus dados?'],
  ['privacy.breach', 'en', 'My personal data was leaked by your shop', 'Is my personal data stored in the EU?'],
  ['privacy.consent', 'en', 'You shared my data without my consent', 'Do you share data with couriers to deliver my order?'],
  ['privacy.consent', 'it', 'Avete usato i miei dati senza il mio consenso', 'Come usate i miei dati per le spedizioni?'],
  ['privacy.authority', 'fr', 'Je vais porter réclamation auprès de la CNIL', 'Qui est votre délégué à la protection des données ?'],
  ['privacy.authority', 'nl', 'Ik dien een klacht in bij de Autoriteit Persoonsgegevens', 'Wie is jullie functionaris gegevensbescherming?'],
  ['financial.chargeback', 'en', 'I will file a chargeback', 'How do I charge my new headphones?'],
  ['financial.chargeback', 'de', 'Ich habe eine Rückbuchung veranlasst', 'Wann kommt meine Rücksendung an?'],
  ['financial.disputed_charge', 'en', 'I dispute this charge', 'Do you charge for delivery?'],
  ['financial.disputed_charge', 'pt', 'Essa cobrança é indevida', 'Vocês cobram frete?'],
  ['financial.duplicate_charge', 'fr', 'Vous m’avez débité deux fois', 'Est-ce que je serai débité deux fois si je recommande ?'],
  ['financial.duplicate_charge', 'en', 'I was charged twice for one order', 'Will I be charged twice if I reorder?'],
  ['financial.unrecognised_charge', 'es', 'Hay un cargo en mi tarjeta que no reconozco', '¿Qué tarjetas aceptan?'],
  ['financial.unrecognised_charge', 'en', 'You billed me for a plan I never ordered', 'Which plan should I order?'],
  ['financial.wrong_amount', 'nl', 'Het bedrag klopt niet', 'Het adres klopt niet, hoe wijzig ik het?'],
  ['financial.wrong_amount', 'en', 'The amount on my invoice is wrong', 'My invoice shows the wrong billing address'],
  ['financial.charged_more', 'en', 'You charged me 1,199 dollars instead of 119', 'Can I pay 20 dollars instead of 25 with a coupon?'],
  ['financial.charged_more', 'de', 'Sie haben mir zu viel berechnet', 'Ist der Preis zu hoch für Studenten?'],
  ['financial.price_mismatch', 'en', 'Why was I charged £120 when the website said £60?', 'Does the website show prices with VAT?'],
  ['financial.price_mismatch', 'it', 'Mi avete addebitato 120 € ma sul sito c’era scritto 60 €', 'Sul sito i prezzi includono l’IVA?'],
  ['financial.overcharged', 'en', 'I have been overcharged', 'Are your prices too high?'],
  ['financial.overcharged', 'pt', 'Cobrança excessiva na minha fatura', 'Quanto vocês cobram de frete?'],
  ['financial.bank_reversal', 'en', 'I asked my bank to reverse the payment', 'Can I pay by bank transfer?'],
  ['financial.bank_reversal', 'it', 'Ho chiesto alla banca di annullare il pagamento', 'Posso pagare con bonifico bancario?'],
  ['distress.severe', 'en', 'I want to end my life', 'I want to end my subscription'],
  ['distress.severe', 'es', 'Quiero quitarme la vida', 'Quiero quitar un artículo del carrito'],
  ['distress.urgent', 'en', "I'm desperate, I need this fixed today", "I'm desperate for that dress in blue, is it in stock today?"],
  ['distress.urgent', 'de', 'Hilfe! Es ist dringend', 'Ich brauche Hilfe bei der Größenwahl, dringend'],
  ['distress.stakes', 'en', "I'm in tears, my insulin delivery is missing", 'Do you deliver insulin cool bags?'],
  ['distress.stakes', 'nl', 'Ik ben wanhopig, mijn medicijnen zijn niet gekomen', 'Verkopen jullie medicijnkastjes?'],
  ['human.real_person', 'en', 'Real person please', 'Is the review from a verified buyer?'],
  ['human.real_person', 'it', 'Voglio una persona vera', 'Quante persone lavorano in negozio?'],
  ['human.contact_person', 'en', 'Can I speak to someone?', 'Does your team speak Spanish?'],
  ['human.contact_person', 'es', 'Quiero hablar con una persona', '¿Su equipo habla inglés?'],
  ['human.wish_person', 'en', 'I want a manager', 'I need a gift for a person who has everything'],
  ['human.wish_person', 'nl', 'Ik wil een medewerker', 'Ik zoek een cadeau voor een persoon die alles heeft'],
  ['human.person_acts', 'en', 'Can someone look at my account?', 'Can someone sign for the parcel?'],
  ['human.person_acts', 'pt', 'Alguém pode verificar o meu pedido?', 'Alguém pode receber o pacote por mim?'],
  ['human.instead_of_bot', 'de', 'Der Chatbot versteht mich nicht, bitte einen Menschen!', 'Ist der Chatbot auch auf Englisch verfügbar?'],
  ['human.instead_of_bot', 'en', 'This bot is useless, get a manager', 'Is your chatbot available at night?'],
  ['human.bare', 'en', 'agent', 'agency'],
  ['human.bare', 'fr', 'un conseiller svp', 'un conseil svp'],
];

describe('each escalation rule', () => {
  it.each(cases)('%s fires in %s on "%s" and not on "%s"', (rule, language, fires, mustNotFire) => {
    expect(detectEscalation(fires)).toMatchObject({ rule, language, reason: ESCALATION_RULES.find((r) => r.id === rule)!.reason });
    expect(detectEscalation(mustNotFire)).toBeNull();
  });

  it('has examples here, a unique id and a description the console can show', () => {
    const ids = ESCALATION_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ESCALATION_RULES) {
      expect(rule.description.length, rule.id).toBeGreaterThan(10);
      expect(cases.some(([id]) => id === rule.id), `${rule.id} needs examples`).toBe(true);
    }
  });

  it('has words in every language for every concept it uses', () => {
    const used = new Set(ESCALATION_RULES.flatMap((rule) => [...rule.all.flat(), ...(rule.unless ?? []), ...(rule.wholeMessageWith ?? [])]));
    for (const concept of used) expect(CONCEPTS).toContain(concept);
    for (const language of LANGUAGES) {
      for (const concept of used) {
        expect(LEXICONS[language].concepts[concept]?.length ?? 0, `${language} ${concept}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('reading a message in its language', () => {
  it('reports the language of the message, not the session locale', () => {
    expect(detectEscalation('Je voudrais parler à un conseiller', { locale: 'en-GB' })).toMatchObject({ language: 'fr' });
    expect(detectEscalation('Ik wil een medewerker spreken', { locale: 'de' })).toMatchObject({ language: 'nl' });
  });

  it('uses the session locale when the message alone cannot tell ("humano" is Spanish and Portuguese)', () => {
    expect(detectEscalation('humano', { locale: 'pt-BR' })).toMatchObject({ rule: 'human.bare', language: 'pt' });
    expect(detectEscalation('humano', { locale: 'es' })).toMatchObject({ rule: 'human.bare', language: 'es' });
  });

  it('takes the most specific reason when several apply', () => {
    expect(detectEscalation('I want to talk to a human about the chargeback I filed')).toMatchObject({ reason: 'financial_dispute' });
    expect(detectEscalation('My lawyer will contact you about the data breach')).toMatchObject({ reason: 'legal_compliance' });
  });

  it('does not take a refusal for a request, but takes a complaint for one', () => {
    expect(detectEscalation("I don't need to talk to a person, just tell me the opening hours")).toBeNull();
    expect(detectEscalation("je ne veux pas parler à un conseiller, donnez-moi juste l'adresse")).toBeNull();
    expect(detectEscalation("Why can't I talk to a person?")).toMatchObject({ reason: 'human_requested' });
    expect(detectEscalation("I can't reach anyone on the phone, I want to speak to someone")).toMatchObject({ reason: 'human_requested' });
  });

  it('answers ordinary questions itself', () => {
    for (const text of [
      'What is your returns policy?',
      'Where can I read your privacy policy?',
      'Is the human hair wig available in black?',
      'The agent of change: is that book in stock?',
      'How do I update my payment method?',
      "Qual è l'orario del servizio clienti?",
      'Wie lange dauert der Versand nach Österreich?',
    ]) {
      expect(detectEscalation(text), text).toBeNull();
    }
  });

  it('reads only the start of a very long message, so the work stays bounded', () => {
    const long = `${'Where is my order? '.repeat(2000)}I want to speak to a human`;
    expect(detectEscalation(long)).toBeNull();
    expect(detectEscalation(`I want to speak to a human. ${'Where is my order? '.repeat(2000)}`)).toMatchObject({ reason: 'human_requested' });
  });
});
