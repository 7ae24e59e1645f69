import type { Lexicon } from '../lexicon.js';

export const nl: Lexicon = {
  language: 'nl',
  name: 'Dutch',
  stopwords: [
    'winkelwagen', 'winkel',
    'bestelling', 'levering', 'bezorging', 'pakket', 'terugbetaling', 'retour', 'rekening', 'betaling', 'prijs',
    'artikel', 'dag', 'week', 'zondag', 'zaterdag', 'leveren', 'bezorgen',
    'de', 'het', 'een', 'en', 'is', 'ik', 'je', 'jij', 'u', 'uw', 'jullie', 'mijn', 'me', 'mij', 'we', 'wij', 'ons', 'onze',
    'van', 'in', 'op', 'met', 'voor', 'aan', 'bij', 'naar', 'om', 'te', 'niet', 'geen', 'dat', 'die', 'dit', 'deze', 'wat',
    'hoe', 'waar', 'wanneer', 'waarom', 'welke', 'heb', 'hebben', 'heeft', 'ben', 'bent', 'zijn', 'was', 'wordt', 'worden',
    'kan', 'kunt', 'kunnen', 'wil', 'wilt', 'graag', 'ook', 'nog', 'al', 'maar', 'of', 'als', 'er', 'zo', 'dan', 'nu',
    'bedankt',
    'dank', 'hoi', 'hallo', 'doe', 'mag', 'moet', 'zou', 'hier', 'daar', 'alsjeblieft', 'alstublieft', 'aub', 'even',
    'jullie',
  ],
  negations: ['niet', 'geen', 'nooit', 'zonder'],
  negationOpeners: ['waarom'],
  abilityWords: ['kan', 'kun', 'kunnen', 'lukt', 'mogelijk'],
  invertedSubjects: [],
  exclusions: [
    'verkeerde adres', 'verkeerd adres', 'foute adres', 'verkeerde naam', 'verkeerde maat', 'verkeerde artikel',
    'verkeerd artikel', 'verkeerde kleur', 'adres klopt niet', 'naam klopt niet',
    'human resources', 'mensenrechten', 'reisagent', 'advocatenpakket', 'advocatenabonnement', 'advocaten pakket',
    'pakket advocaat', 'niet dringend', 'geen haast', 'geen spoed', 'advocaat plan',
  ],
  concepts: {
    HUMAN: ['mens', 'mensen', 'persoon', 'personen', 'een mens'],
    HUMAN_STRONG: [
      'geef me iemand', 'haal iemand', 'stuur iemand',
      'bel me terug', 'belt u mij terug', 'terugbelverzoek', 'teruggebeld worden', 'menselijke hulp',
      'menselijk contact', 'met wie kan ik praten', 'met wie kan ik spreken',
      'echt mens', 'echte mens', 'echte persoon', 'echt persoon', 'levend mens', 'echte medewerker', 'menselijke medewerker',
      'echte mensen', 'van vlees en bloed', 'menselijk contact',
    ],
    STAFF: [
      '*afdeling', 'administratie', 'technische team', 'jullie ~ team', 'iemand op de', 'iemand van',
      'baas', 'uw baas', 'jullie baas', 'iemand verantwoordelijk', 'verantwoordelijke',
      'medewerker', 'medewerkster', 'medewerkers', '*medewerker', 'klantenservice', 'klantendienst', 'servicedesk',
      'helpdesk',
      'adviseur', 'consulent', 'agent', 'operator', 'leidinggevende', 'manager', 'supervisor', 'teamleider', 'collega',
      'vertegenwoordiger', 'iemand van jullie', 'iemand van de', 'iemand van uw', 'iemand bij jullie', 'jullie team',
      'uw team',
      'iemand die er werkt', 'een van jullie', 'een medewerker', 'support medewerker',
    ],
    SOMEONE: ['iemand', 'een persoon', 'niemand'],
    WISH: [
      'wil', 'wilt', 'wilde', 'zou graag', 'graag', 'wens', 'heb nodig', 'nodig', 'eis', 'vraag om', 'verzoek om', 'mag ik',
      'kan ik', 'kunt u mij', 'geef me', 'geef mij', 'geeft u mij',
    ],
    CONTACT: [
      '=verbind', 'verbind me door', 'verbind mij door', 'stuur me door', 'zet me door',
      '=spreken', '=praten', '=chatten', '=bellen', '=terugbellen', '=doorverbinden', '=doorverbonden', '=verbinden',
      '=contact',
      '=bereiken', '=doorzetten', 'aan de lijn', 'aan de telefoon', 'in contact', 'te woord staan', 'overdragen',
      '=overleggen',
      'contact opnemen',
    ],
    ACT: [
      'kijken', 'bekijken', 'naar kijken', 'controleren', 'nakijken', 'checken', 'terugbellen', 'bellen', 'contact opnemen',
      'oppakken', 'behandelen', 'uitzoeken', 'mee kijken', 'meekijken', 'reageren',
    ],
    BOT: [
      'bot', 'chatbot', 'robot', 'machine', 'ai', 'kunstmatige intelligentie', 'computer', 'automatische antwoorden',
      'assistent',
    ],
    POLITE: [
      'aub', 'alsjeblieft', 'alstublieft', 'graag', 'nu', 'direct', 'een', 'de', 'het', 'met', 'ik', 'wil', 'mag',
      'echte', 'echt', 'svp',
    ],
    LANGUAGE_NAME: [
      'engels', 'nederlands', 'duits', 'frans', 'spaans', 'italiaans', 'portugees', 'taal', 'talen', 'vlaams',
    ],
    CHARGE: [
      '=afgeschreven', '=afschrijven', 'schrijven ~ af', 'schrijft ~ af', 'blijven afschrijven', '=afgeboekt',
      '=gedebiteerd', '=gefactureerd', '=berekend', '=betaald', '=geincasseerd', '=ingehouden',
      '=afgetrokken', '=gerekend', 'van mijn rekening gehaald', 'van mijn rekening', 'van mijn kaart', 'afgeschreven van',
    ],
    CHARGE_NOUN: [
      'afschrijving', 'afschrijvingen', 'betaling', 'betalingen', 'transactie', 'transacties', 'incasso',
      'automatische incasso',
      'aankoop', 'boeking', 'op mijn rekening', 'op mijn kaart', 'afschrift', 'bankafschrift',
    ],
    INVOICE: ['factuur', 'facturen', 'rekening'],
    MONEY: ['geld', 'bedrag', 'som', '#amount', 'duizenden', 'honderden', 'euro', 'euros'],
    DUPLICATE: [
      'twee keer', 'tweemaal', 'drie keer', 'meerdere keren', 'dubbel', 'dubbele', 'twee afschrijvingen',
      'twee betalingen', 'opnieuw afgeschreven',
    ],
    NOT_MINE: [
      'al teruggestuurd', 'teruggestuurd', 'al geretourneerd', 'onbekende afschrijving', 'onbekende betaling',
      'nooit ~ besteld', 'niet ~ besteld', 'nooit ~ afgesloten', 'niet ~ afgesloten', 'nooit ~ gekocht',
      'niet ~ gekocht', 'niet ~ herken', 'nooit ~ toestemming', 'niet ~ geautoriseerd',
      'nooit besteld', 'niet besteld', 'niets besteld', 'nooit gekocht', 'niet gekocht', 'nooit afgesloten',
      'niet afgesloten',
      'nooit toestemming', 'geen toestemming', 'zonder toestemming', 'zonder mijn toestemming', 'niet geautoriseerd',
      'ongeautoriseerd', 'onbevoegd', 'onbevoegde', 'niet herken', 'herken ik niet', 'niet van mij', 'na opzegging',
      'na mijn opzegging', 'had opgezegd', 'al opgezegd', 'heb opgezegd', 'terwijl ik ~ opgezegd', 'gestolen kaart',
      'kaart gestolen', 'mijn kaart gebruikt',
    ],
    DISPUTE: [
      'betwist', 'betwisten', 'bestrijd', 'fraude', 'frauduleus', 'frauduleuze', 'oplichting', 'opgelicht',
      'diefstal', 'niet akkoord', 'ga ik niet mee akkoord', 'onterecht', 'onterechte',
    ],
    CHARGEBACK: [
      'terugboeking', 'terugboeken', 'laten terugboeken', 'storneren', 'gestorneerd', 'stornering', 'chargeback',
      'terugvorderen',
    ],
    WRONG: [
      'klopt niet', 'fout', 'foute', 'verkeerd', 'verkeerde', 'onjuist', 'onjuiste', 'niet correct', 'vergissing',
    ],
    EXCESS: ['te veel', 'teveel', 'te hoog', 'meer dan', 'in plaats van', 'hoger dan', 'extra'],
    OVERCHARGE: [
      'te veel berekend', 'teveel berekend', 'te veel afgeschreven', 'teveel afgeschreven', 'te veel betaald',
      'teveel betaald', 'te veel gerekend', 'teveel gerekend',
    ],
    ADVERTISED: [
      'mijn bestelling was', 'het totaal was', 'had moeten zijn', 'zou moeten zijn', 'op de site', 'op de website',
      'op jullie site', 'stond', 'vermeld', 'aangegeven', 'geadverteerd', 'aangeboden',
    ],
    BANK: [
      'bank', 'mijn bank', 'creditcardmaatschappij', 'paypal', 'visa', 'mastercard', 'ideal', 'klarna', 'ing',
      'rabobank', 'abn amro',
    ],
    REVERSE: ['terugboeken', 'terugboeking', 'storneren', 'terugvorderen', 'terughalen', 'blokkeren', 'betwisten'],
    HYPOTHETICAL: [
      'word ik', 'wordt er', 'als ik bestel', 'als ik opnieuw', 'als ik annuleer', 'als ik opzeg', 'als ik retourneer',
      'wat gebeurt er als', 'wanneer wordt', 'wanneer word', 'rekenen jullie', 'kost het',
    ],
    LAWYER: [
      'advocaat', 'advocate', 'advocaten', 'jurist', 'juridisch adviseur', 'rechtsbijstand', 'juridische afdeling',
      'advocatenkantoor',
    ],
    ENGAGE: [
      'mijn', 'onze', 'ons', 'inschakelen', 'schakel', 'in de arm', 'nemen', 'neem', 'contact met', 'raadplegen',
      'laten weten', 'overdragen aan',
    ],
    LEGAL_ACTION: [
      'aanklagen', 'aanklacht', 'rechtszaak', 'juridische stappen', 'gerechtelijke stappen', 'naar de rechter', 'rechtbank',
      'aangifte doen', 'aangifte gedaan', 'doe aangifte', 'aangifte tegen', '=dagvaarden', 'procederen',
      'procedure starten', 'kort geding', 'gerechtelijke procedure',
    ],
    LEGAL_DOC: [
      'gerechtelijke stukken', 'gerechtelijke papieren',
      'dagvaarding', 'gerechtelijk bevel', 'vorderingsbevel', 'ingebrekestelling', 'sommatie', 'deurwaarder',
      'rechterlijke beschikking', 'huiszoekingsbevel', 'gerechtelijke brief', 'aanmaning van de rechtbank',
    ],
    AUTHORITY: [
      'autoriteit', 'autoriteiten', 'toezichthouder', 'politie', 'openbaar ministerie', 'officier van justitie',
      'rechtbank', 'acm', 'consumentenbond', 'geschillencommissie', 'belastingdienst', 'inspectie', 'fiod', 'afm',
      'overheid',
      'gemeente', 'ombudsman', 'kifid', 'consuwijzer',
    ],
    OFFICIAL_CONTACT: [
      'brief', 'schrijven', 'verzoek', 'vraag', 'onderzoek', 'ontvangen', 'gekregen', 'kreeg', 'vraagt', 'vroeg',
      'eist', 'vordert', 'aanschrijving',
    ],
    REPORT: [
      'melden', 'melding', 'klacht', 'klacht indienen', 'dien een klacht', 'aangifte doen', 'inschakelen', 'schakel',
      'stappen naar', 'informeren', 'bellen',
    ],
    DP_LAW: [
      'avg', 'algemene verordening gegevensbescherming', 'gdpr', 'wbp', 'uavg', 'artikel 15', 'artikel 17',
      'privacywet',
    ],
    DP_RIGHT: [
      'recht om vergeten te worden', 'recht op vergetelheid', 'recht op inzage', 'inzageverzoek', 'inzagerecht',
      'recht op verwijdering',
      'verwijderverzoek', 'verwijderingsverzoek', 'recht op bezwaar', 'recht op dataportabiliteit',
      'trek mijn toestemming in',
      'toestemming intrekken', 'intrekking van mijn toestemming',
    ],
    DP_AUTHORITY: [
      'autoriteit persoonsgegevens', 'ap', 'functionaris gegevensbescherming', 'fg', 'privacytoezichthouder',
    ],
    DELETE: [
      'verwijderen', 'verwijder', 'verwijdert', 'verwijdering', 'wissen', 'wis', 'wist', 'vernietigen', 'vergeten',
    ],
    PERSONAL_DATA: [
      'e mailadres', 'mailadres', 'mijn e mail', 'mijn email', 'mijn naam', 'wat weten jullie', 'gegevens',
      'mijn gegevens', 'persoonsgegevens', 'persoonlijke gegevens', 'persoonlijke informatie', 'mijn informatie',
      'data', 'mijn data', 'alles wat jullie',
    ],
    ABOUT_ME: [
      'over mij', 'over mijn persoon', 'jullie van mij hebben', 'hebben jullie van mij', 'heeft u van mij',
      'hebt u van mij', 'u van mij heeft',
    ],
    LEAK: ['datalek', 'lek', 'gelekt', 'uitgelekt', 'gehackt', 'hack', 'op straat', 'gestolen', 'inbreuk'],
    CONSENT: [
      'zonder mijn toestemming', 'nooit toestemming', 'trek in', 'intrekken', 'stoppen met gebruiken', 'maak bezwaar',
      'bezwaar',
    ],
    REQUEST: [
      'verzoek', 'verzoeken', 'eis', 'vraag', 'wens', 'wil', 'doe een', 'beroep op', 'verwijdering', 'inzage',
      'kopie',
    ],
    DISTRESS: [
      'op mijn tandvlees', 'einde van mijn latijn',
      'wanhopig', 'wanhoop', 'paniek', 'in paniek', 'doodsbang', 'in tranen', 'huilen', 'huil', 'zit te huilen',
      'ten einde raad',
      'ik kan niet meer', 'kan niet meer', 'smeek', 'ik smeek', 'help help', 'radeloos', 'overstuur',
      'weet niet meer wat ik moet',
      'kapot van', 'helemaal kapot', 'ten einde', 'alsjeblieft alsjeblieft',
    ],
    CRY: ['help', 'help help', 'sos', 'hulp'],
    URGENCY: [
      'dringend', 'spoed', 'spoedig', 'urgent', 'noodgeval', 'nood', 'nu', 'nu meteen', 'meteen', 'direct',
      'onmiddellijk', 'vandaag',
      'vanavond', 'vannacht', 'morgen', 'zo snel mogelijk', 'zsm', 'asap', 'binnen een uur', 'met spoed',
    ],
    STAKES: [
      'baan verliezen', 'mijn baan', 'mijn werk verliezen', 'uitgezet', 'uitzetting', 'op straat', 'dakloos',
      'vast in het buitenland',
      'zit vast', 'zonder geld', 'geen geld', 'medicijnen', 'medicatie', 'insuline', 'ziekenhuis', 'huur', 'begrafenis',
    ],
    SEVERE: ['zelfmoord', 'suicide', 'mezelf iets aandoen', 'er een eind aan maken', 'niet meer leven', 'dood willen'],
  },
  smallTalk: {
    greeting: [
      'hoi', 'hallo', 'hey', 'hai', 'goedemorgen', 'goedemiddag', 'goedenavond', 'goeiemorgen', 'dag', 'hallo daar',
      'hoi hoi', 'morgen',
    ],
    thanks: [
      'bedankt', 'dank je', 'dank je wel', 'dankjewel', 'dank u', 'dank u wel', 'dankuwel', 'hartelijk dank',
      'heel erg bedankt', 'merci', 'thanks', 'thnx', 'top bedankt', 'veel dank',
    ],
    resolved: [
      'opgelost', 'het is opgelost', 'het werkt', 'werkt weer', 'werkt nu', 'het werkt weer', 'het werkt nu', 'gelukt',
      'het is gelukt',
      'duidelijk', 'helder', 'begrepen', 'dat was het', 'meer hoef ik niet', 'heel behulpzaam', 'behulpzaam', 'fijn',
      'gevonden',
      'in orde', 'alles in orde', 'geregeld',
    ],
    goodbye: [
      'doei', 'dag', 'tot ziens', 'tot later', 'tot de volgende keer', 'fijne dag', 'fijne dag nog', 'prettige dag',
      'fijne avond', 'fijn weekend', 'goedenacht', 'groetjes', 'doeg',
    ],
    ack: [
      'ok', 'oke', 'okay', 'top', 'super', 'prima', 'perfect', 'mooi', 'fijn', 'goed', 'heel goed', 'uitstekend',
      'geweldig', 'ja', 'akkoord',
    ],
    filler: [
      'voor', 'de', 'het', 'je', 'jullie', 'u', 'hulp', 'heel', 'erg', 'nog', 'weer', 'nu', 'en', 'snelle', 'reactie',
      'antwoord',
      'oh', 'ah', 'dan', 'dus', 'alles', 'wel', 'echt', 'een', 'is', 'was', 'ik', 'me', 'mij', 'zo',
    ],
  },
  replies: {
    greeting: 'Hallo! Waarmee kan ik u vandaag helpen?',
    thanks: 'Graag gedaan, fijn dat het geholpen heeft! Kan ik u nog ergens anders mee helpen?',
    goodbye: 'Tot ziens, en bedankt voor uw bezoek. Nog een fijne dag!',
    thanksGoodbye: 'Graag gedaan! Nog een fijne dag, en tot ziens.',
  },
};
