import type { EscalationReason } from '@ticket0/contracts';

/**
 * Every sentence the server writes to a visitor (in the chat or by mail), in each language
 * the widget speaks. A chat session follows the locale the widget sent with `chat.start`;
 * any other language gets English. `{name}` placeholders are filled by `fill`.
 */
export interface ServerTexts {
  /** What the assistant says when it offers a human instead of a reply, per reason. */
  offer: Record<EscalationReason, string>;
  /** Ends every offer; answered with "Yes, contact me" / "No thanks" in the widget. */
  offerQuestion: string;
  /** Before an article excerpt shown while the model is unavailable; `{title}`. */
  excerptIntro: string;
  /** In the chat once an escalation is confirmed; `{email}`, `{ticket}`. */
  confirmation: string;
  /** Subject of the acknowledgement mail; `{ticket}`. */
  acknowledgementSubject: string;
  /** Body of the acknowledgement mail; `{ticket}`, `{brand}`. */
  acknowledgementBody: string;
  /** Subject of the verification mail; `{code}`, `{brand}`. */
  verificationSubject: string;
  /** Body of the verification mail; `{code}`, `{brand}`, `{minutes}`. */
  verificationBody: string;
  /** Subject of the conversation sent by mail; `{brand}`. */
  transcriptSubject: string;
  /** First lines of that mail; `{brand}`. */
  transcriptIntro: string;
  /** Names the visitor's lines in it. */
  transcriptVisitor: string;
  /** Names the assistant's lines in it. */
  transcriptAssistant: string;
  /** Names the support team's lines in it. */
  transcriptTeam: string;
  /** Refusals a visitor reads in the widget: limits, verification, escalation, transcript. */
  errors: {
    /** `{s}`: seconds to wait. */
    tooFast: string;
    emailNeeded: string;
    transcriptVerifyFirst: string;
    transcriptTooSoon: string;
    /** `{wait}`: "45 s", "5 min". */
    codeSentRecently: string;
    tooManyCodes: string;
    noCodeWaiting: string;
    tooManyAttempts: string;
    codeExpired: string;
    /** `{n}`: attempts left, 1. */
    wrongCodeOne: string;
    /** `{n}`: attempts left, more than 1. */
    wrongCodeMany: string;
    wrongCodeLast: string;
  };
  /** The demo page at `/`, a stand-in customer site in the visitor's language. */
  demo: { title: string; shop: string; consoleLink: string; heading: string; intro: string };
}

export const SERVER_LOCALES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'ar', 'he'] as const;
export type ServerLocale = (typeof SERVER_LOCALES)[number];

export const SERVER_TEXTS: Record<ServerLocale, ServerTexts> = {
  en: {
    offer: {
      human_requested: 'Of course — I can pass this on to our support team.',
      ai_uncertain: "I'm not sure I can answer that correctly, and I'd rather not guess.",
      ai_unavailable: "I can't answer right now because our assistant is unavailable. Your message is saved.",
      financial_dispute: 'Payment disputes are handled by a person on our team.',
      legal_compliance: 'This needs someone from our team rather than an automated assistant.',
      data_privacy: 'Requests about your personal data are handled by a person on our team.',
      distress_urgent: "I'm sorry you're going through this. A person from our team should help you with it.",
      unsafe_output: "I'm not able to help with that here, but a member of our team can.",
    },
    offerQuestion: 'Would you like our support team to follow up with you by email?',
    excerptIntro: 'This excerpt from our help article “{title}” may help:',
    confirmation:
      'Thanks — our support team will follow up by email at {email} (reference #{ticket}). You can keep chatting here in the meantime.',
    acknowledgementSubject: "We've received your request [#{ticket}]",
    acknowledgementBody:
      'Hello,\n\nThank you for contacting us. A member of our support team has your conversation and will reply to this address.\nYour reference is #{ticket}; you can reply to this email to add anything.\n\nThe support team',
    verificationSubject: '{code} is your verification code for {brand}',
    verificationBody:
      'Hello,\n\nYour verification code for the chat on {brand} is:\n\n{code}\n\nEnter it in the chat to confirm that this email address is yours. The code expires in {minutes} minutes and works once.\n\nIf you did not ask for this code, you can ignore this email: nobody can use your address without it.',
    transcriptSubject: 'Your conversation with {brand}',
    transcriptIntro: 'Hello,\n\nHere is your conversation with {brand}, as you asked.',
    transcriptVisitor: 'You',
    transcriptAssistant: 'AI assistant',
    transcriptTeam: 'Support team',
    errors: {
      tooFast: "You're sending messages too quickly. Try again in {s} s.",
      emailNeeded: 'Tell us the email address where our support team can reach you.',
      transcriptVerifyFirst: 'Verify your email first: the conversation goes only to an address you have proved is yours.',
      transcriptTooSoon: 'The conversation was mailed a moment ago. Try again in a minute.',
      codeSentRecently: 'A code was sent a moment ago. Try again in {wait}.',
      tooManyCodes: 'Too many codes were requested. Try again in {wait}.',
      noCodeWaiting: 'There is no code waiting for this chat. Request a new code.',
      tooManyAttempts: 'Too many attempts. Request a new code.',
      codeExpired: 'This code has expired. Request a new code.',
      wrongCodeOne: 'That code is not right. {n} attempt left.',
      wrongCodeMany: 'That code is not right. {n} attempts left.',
      wrongCodeLast: 'That code is not right. Too many attempts. Request a new code.',
    },
    demo: {
      title: 'Ticket0 Chat — demo shop',
      shop: 'Demo Shop',
      consoleLink: 'Operator console',
      heading: 'Welcome to the Demo Shop',
      intro: 'This page is an ordinary website with the Ticket0 Chat widget embedded. Open the chat in the corner and ask a question.',
    },
  },
  fr: {
    offer: {
      human_requested: 'Bien sûr — je peux transmettre votre demande à notre équipe d’assistance.',
      ai_uncertain: 'Je ne suis pas sûr de pouvoir répondre correctement, et je préfère ne pas deviner.',
      ai_unavailable:
        'Je ne peux pas répondre pour le moment, car notre assistant est indisponible. Votre message est enregistré.',
      financial_dispute: 'Les litiges de paiement sont traités par une personne de notre équipe.',
      legal_compliance: 'Cette question demande une personne de notre équipe plutôt qu’un assistant automatique.',
      data_privacy: 'Les demandes concernant vos données personnelles sont traitées par une personne de notre équipe.',
      distress_urgent: 'Je suis désolé de ce que vous traversez. Une personne de notre équipe devrait vous aider.',
      unsafe_output: 'Je ne peux pas vous aider sur ce point ici, mais un membre de notre équipe le peut.',
    },
    offerQuestion: 'Souhaitez-vous que notre équipe d’assistance vous recontacte par e-mail ?',
    excerptIntro: 'Cet extrait de notre article d’aide « {title} » peut vous aider :',
    confirmation:
      'Merci — notre équipe d’assistance vous répondra par e-mail à {email} (référence n° {ticket}). Vous pouvez continuer à discuter ici en attendant.',
    acknowledgementSubject: 'Nous avons bien reçu votre demande [#{ticket}]',
    acknowledgementBody:
      'Bonjour,\n\nMerci de nous avoir contactés. Un membre de notre équipe d’assistance a votre conversation et répondra à cette adresse.\nVotre référence est #{ticket} ; vous pouvez répondre à cet e-mail pour ajouter quelque chose.\n\nL’équipe d’assistance',
    verificationSubject: '{code} est votre code de vérification pour {brand}',
    verificationBody:
      'Bonjour,\n\nVotre code de vérification pour le chat de {brand} est :\n\n{code}\n\nSaisissez-le dans le chat pour confirmer que cette adresse e-mail est la vôtre. Le code expire dans {minutes} minutes et ne sert qu’une fois.\n\nSi vous n’avez pas demandé ce code, ignorez cet e-mail : personne ne peut utiliser votre adresse sans lui.',
    transcriptSubject: 'Votre conversation avec {brand}',
    transcriptIntro: 'Bonjour,\n\nVoici votre conversation avec {brand}, comme demandé.',
    transcriptVisitor: 'Vous',
    transcriptAssistant: 'Assistant IA',
    transcriptTeam: 'Équipe d’assistance',
    errors: {
      tooFast: 'Vous envoyez des messages trop rapidement. Réessayez dans {s} s.',
      emailNeeded: 'Indiquez l’adresse e-mail à laquelle notre équipe d’assistance peut vous joindre.',
      transcriptVerifyFirst: 'Vérifiez d’abord votre e-mail : la conversation n’est envoyée qu’à une adresse dont vous avez prouvé qu’elle est la vôtre.',
      transcriptTooSoon: 'La conversation vient d’être envoyée. Réessayez dans une minute.',
      codeSentRecently: 'Un code vient d’être envoyé. Réessayez dans {wait}.',
      tooManyCodes: 'Trop de codes ont été demandés. Réessayez dans {wait}.',
      noCodeWaiting: 'Aucun code n’est en attente pour ce chat. Demandez un nouveau code.',
      tooManyAttempts: 'Trop d’essais. Demandez un nouveau code.',
      codeExpired: 'Ce code a expiré. Demandez un nouveau code.',
      wrongCodeOne: 'Ce code n’est pas le bon. Il reste {n} essai.',
      wrongCodeMany: 'Ce code n’est pas le bon. Il reste {n} essais.',
      wrongCodeLast: 'Ce code n’est pas le bon. Trop d’essais. Demandez un nouveau code.',
    },
    demo: {
      title: 'Ticket0 Chat — boutique de démonstration',
      shop: 'Boutique de démo',
      consoleLink: 'Console des opérateurs',
      heading: 'Bienvenue dans la boutique de démo',
      intro: 'Cette page est un site web ordinaire dans lequel le widget Ticket0 Chat est intégré. Ouvrez le chat dans le coin et posez une question.',
    },
  },
  de: {
    offer: {
      human_requested: 'Natürlich — ich kann das an unser Support-Team weitergeben.',
      ai_uncertain: 'Ich bin nicht sicher, ob ich das richtig beantworten kann, und möchte lieber nicht raten.',
      ai_unavailable:
        'Ich kann gerade nicht antworten, weil unser Assistent nicht verfügbar ist. Ihre Nachricht ist gespeichert.',
      financial_dispute: 'Zahlungsstreitigkeiten bearbeitet eine Person aus unserem Team.',
      legal_compliance: 'Dafür braucht es jemanden aus unserem Team statt eines automatischen Assistenten.',
      data_privacy: 'Anfragen zu Ihren persönlichen Daten bearbeitet eine Person aus unserem Team.',
      distress_urgent: 'Es tut mir leid, dass Sie das durchmachen. Eine Person aus unserem Team sollte Ihnen dabei helfen.',
      unsafe_output: 'Dabei kann ich hier nicht helfen, aber jemand aus unserem Team kann es.',
    },
    offerQuestion: 'Möchten Sie, dass sich unser Support-Team per E-Mail bei Ihnen meldet?',
    excerptIntro: 'Dieser Auszug aus unserem Hilfeartikel „{title}“ hilft vielleicht:',
    confirmation:
      'Danke — unser Support-Team meldet sich per E-Mail unter {email} (Referenz #{ticket}). Sie können hier so lange weiterchatten.',
    acknowledgementSubject: 'Wir haben Ihre Anfrage erhalten [#{ticket}]',
    acknowledgementBody:
      'Hallo,\n\nDanke für Ihre Nachricht. Eine Person aus unserem Support-Team hat Ihr Gespräch und antwortet an diese Adresse.\nIhre Referenz ist #{ticket}; Sie können auf diese E-Mail antworten, um etwas zu ergänzen.\n\nIhr Support-Team',
    verificationSubject: '{code} ist Ihr Bestätigungscode für {brand}',
    verificationBody:
      'Hallo,\n\nIhr Bestätigungscode für den Chat auf {brand} lautet:\n\n{code}\n\nGeben Sie ihn im Chat ein, um zu bestätigen, dass diese E-Mail-Adresse Ihnen gehört. Der Code läuft in {minutes} Minuten ab und gilt einmal.\n\nWenn Sie diesen Code nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne ihn kann niemand Ihre Adresse verwenden.',
    transcriptSubject: 'Ihr Gespräch mit {brand}',
    transcriptIntro: 'Hallo,\n\nhier ist wie gewünscht Ihr Gespräch mit {brand}.',
    transcriptVisitor: 'Sie',
    transcriptAssistant: 'KI-Assistent',
    transcriptTeam: 'Support-Team',
    errors: {
      tooFast: 'Sie senden Nachrichten zu schnell. Versuchen Sie es in {s} s erneut.',
      emailNeeded: 'Nennen Sie uns die E-Mail-Adresse, unter der unser Support-Team Sie erreichen kann.',
      transcriptVerifyFirst: 'Bestätigen Sie zuerst Ihre E-Mail-Adresse: Die Unterhaltung geht nur an eine Adresse, die nachweislich Ihnen gehört.',
      transcriptTooSoon: 'Die Unterhaltung wurde gerade erst verschickt. Versuchen Sie es in einer Minute erneut.',
      codeSentRecently: 'Gerade wurde ein Code gesendet. Versuchen Sie es in {wait} erneut.',
      tooManyCodes: 'Es wurden zu viele Codes angefordert. Versuchen Sie es in {wait} erneut.',
      noCodeWaiting: 'Für diesen Chat wartet kein Code. Fordern Sie einen neuen Code an.',
      tooManyAttempts: 'Zu viele Versuche. Fordern Sie einen neuen Code an.',
      codeExpired: 'Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.',
      wrongCodeOne: 'Dieser Code stimmt nicht. Noch {n} Versuch.',
      wrongCodeMany: 'Dieser Code stimmt nicht. Noch {n} Versuche.',
      wrongCodeLast: 'Dieser Code stimmt nicht. Zu viele Versuche. Fordern Sie einen neuen Code an.',
    },
    demo: {
      title: 'Ticket0 Chat — Demo-Shop',
      shop: 'Demo-Shop',
      consoleLink: 'Konsole für das Support-Team',
      heading: 'Willkommen im Demo-Shop',
      intro: 'Diese Seite ist eine gewöhnliche Website, in die das Ticket0-Chat-Widget eingebunden ist. Öffnen Sie den Chat in der Ecke und stellen Sie eine Frage.',
    },
  },
  es: {
    offer: {
      human_requested: 'Por supuesto — puedo pasar esto a nuestro equipo de soporte.',
      ai_uncertain: 'No estoy seguro de poder responder correctamente y prefiero no adivinar.',
      ai_unavailable:
        'No puedo responder ahora porque nuestro asistente no está disponible. Su mensaje está guardado.',
      financial_dispute: 'Las disputas de pago las gestiona una persona de nuestro equipo.',
      legal_compliance: 'Esto requiere a alguien de nuestro equipo en lugar de un asistente automático.',
      data_privacy: 'Las solicitudes sobre sus datos personales las gestiona una persona de nuestro equipo.',
      distress_urgent: 'Siento que esté pasando por esto. Una persona de nuestro equipo debería ayudarle.',
      unsafe_output: 'No puedo ayudarle con eso aquí, pero un miembro de nuestro equipo sí.',
    },
    offerQuestion: '¿Quiere que nuestro equipo de soporte le contacte por correo electrónico?',
    excerptIntro: 'Este extracto de nuestro artículo de ayuda «{title}» puede servirle:',
    confirmation:
      'Gracias — nuestro equipo de soporte le escribirá a {email} (referencia n.º {ticket}). Mientras tanto, puede seguir conversando aquí.',
    acknowledgementSubject: 'Hemos recibido su solicitud [#{ticket}]',
    acknowledgementBody:
      'Hola:\n\nGracias por contactarnos. Un miembro de nuestro equipo de soporte tiene su conversación y responderá a esta dirección.\nSu referencia es #{ticket}; puede responder a este correo para añadir lo que quiera.\n\nEl equipo de soporte',
    verificationSubject: '{code} es su código de verificación para {brand}',
    verificationBody:
      'Hola:\n\nSu código de verificación para el chat de {brand} es:\n\n{code}\n\nIntrodúzcalo en el chat para confirmar que esta dirección de correo es suya. El código caduca en {minutes} minutos y sirve una sola vez.\n\nSi no ha pedido este código, ignore este correo: nadie puede usar su dirección sin él.',
    transcriptSubject: 'Su conversación con {brand}',
    transcriptIntro: 'Hola:\n\nAquí tiene su conversación con {brand}, como pidió.',
    transcriptVisitor: 'Usted',
    transcriptAssistant: 'Asistente de IA',
    transcriptTeam: 'Equipo de soporte',
    errors: {
      tooFast: 'Está enviando mensajes demasiado rápido. Vuelva a intentarlo en {s} s.',
      emailNeeded: 'Indíquenos la dirección de correo electrónico en la que nuestro equipo de soporte puede contactarle.',
      transcriptVerifyFirst: 'Verifique primero su correo electrónico: la conversación solo se envía a una dirección que ha demostrado que es suya.',
      transcriptTooSoon: 'La conversación se acaba de enviar. Vuelva a intentarlo en un minuto.',
      codeSentRecently: 'Se acaba de enviar un código. Vuelva a intentarlo en {wait}.',
      tooManyCodes: 'Se han solicitado demasiados códigos. Vuelva a intentarlo en {wait}.',
      noCodeWaiting: 'No hay ningún código pendiente para este chat. Solicite un código nuevo.',
      tooManyAttempts: 'Demasiados intentos. Solicite un código nuevo.',
      codeExpired: 'Este código ha caducado. Solicite un código nuevo.',
      wrongCodeOne: 'Ese código no es correcto. Queda {n} intento.',
      wrongCodeMany: 'Ese código no es correcto. Quedan {n} intentos.',
      wrongCodeLast: 'Ese código no es correcto. Demasiados intentos. Solicite un código nuevo.',
    },
    demo: {
      title: 'Ticket0 Chat — tienda de demostración',
      shop: 'Tienda de demostración',
      consoleLink: 'Consola de operadores',
      heading: 'Bienvenido a la tienda de demostración',
      intro: 'Esta página es un sitio web normal con el widget de Ticket0 Chat integrado. Abra el chat en la esquina y haga una pregunta.',
    },
  },
  it: {
    offer: {
      human_requested: 'Certo — posso passare la richiesta al nostro team di assistenza.',
      ai_uncertain: 'Non sono sicuro di poter rispondere correttamente e preferisco non tirare a indovinare.',
      ai_unavailable:
        'Non posso rispondere ora perché il nostro assistente non è disponibile. Il tuo messaggio è stato salvato.',
      financial_dispute: 'Le contestazioni di pagamento sono gestite da una persona del nostro team.',
      legal_compliance: 'Questo richiede una persona del nostro team invece di un assistente automatico.',
      data_privacy: 'Le richieste sui tuoi dati personali sono gestite da una persona del nostro team.',
      distress_urgent: 'Mi dispiace per quello che stai passando. Una persona del nostro team dovrebbe aiutarti.',
      unsafe_output: 'Non posso aiutarti con questo qui, ma un membro del nostro team sì.',
    },
    offerQuestion: 'Vuoi che il nostro team di assistenza ti ricontatti via e-mail?',
    excerptIntro: 'Questo estratto dal nostro articolo di aiuto «{title}» può esserti utile:',
    confirmation:
      'Grazie — il nostro team di assistenza ti scriverà a {email} (riferimento n. {ticket}). Nel frattempo puoi continuare a scrivere qui.',
    acknowledgementSubject: 'Abbiamo ricevuto la tua richiesta [#{ticket}]',
    acknowledgementBody:
      'Ciao,\n\ngrazie per averci contattato. Un membro del nostro team di assistenza ha la tua conversazione e risponderà a questo indirizzo.\nIl tuo riferimento è #{ticket}; puoi rispondere a questa e-mail per aggiungere qualcosa.\n\nIl team di assistenza',
    verificationSubject: '{code} è il tuo codice di verifica per {brand}',
    verificationBody:
      'Ciao,\n\nil tuo codice di verifica per la chat di {brand} è:\n\n{code}\n\nInseriscilo nella chat per confermare che questo indirizzo e-mail è tuo. Il codice scade tra {minutes} minuti e vale una sola volta.\n\nSe non hai chiesto questo codice, ignora questa e-mail: nessuno può usare il tuo indirizzo senza di esso.',
    transcriptSubject: 'La tua conversazione con {brand}',
    transcriptIntro: 'Ciao,\n\necco la tua conversazione con {brand}, come richiesto.',
    transcriptVisitor: 'Tu',
    transcriptAssistant: 'Assistente IA',
    transcriptTeam: 'Team di assistenza',
    errors: {
      tooFast: 'Stai inviando messaggi troppo in fretta. Riprova tra {s} s.',
      emailNeeded: 'Indicaci l’indirizzo email a cui il nostro team di assistenza può contattarti.',
      transcriptVerifyFirst: 'Verifica prima la tua email: la conversazione viene inviata solo a un indirizzo che hai dimostrato essere tuo.',
      transcriptTooSoon: 'La conversazione è appena stata inviata. Riprova tra un minuto.',
      codeSentRecently: 'Un codice è appena stato inviato. Riprova tra {wait}.',
      tooManyCodes: 'Sono stati richiesti troppi codici. Riprova tra {wait}.',
      noCodeWaiting: 'Non c’è nessun codice in attesa per questa chat. Richiedi un nuovo codice.',
      tooManyAttempts: 'Troppi tentativi. Richiedi un nuovo codice.',
      codeExpired: 'Questo codice è scaduto. Richiedi un nuovo codice.',
      wrongCodeOne: 'Il codice non è corretto. Resta {n} tentativo.',
      wrongCodeMany: 'Il codice non è corretto. Restano {n} tentativi.',
      wrongCodeLast: 'Il codice non è corretto. Troppi tentativi. Richiedi un nuovo codice.',
    },
    demo: {
      title: 'Ticket0 Chat — negozio dimostrativo',
      shop: 'Negozio dimostrativo',
      consoleLink: 'Console degli operatori',
      heading: 'Benvenuti nel negozio dimostrativo',
      intro: 'Questa pagina è un normale sito web con il widget Ticket0 Chat incorporato. Aprite la chat nell’angolo e fate una domanda.',
    },
  },
  pt: {
    offer: {
      human_requested: 'Claro — posso passar isto à nossa equipa de suporte.',
      ai_uncertain: 'Não tenho a certeza de conseguir responder corretamente e prefiro não adivinhar.',
      ai_unavailable:
        'Não consigo responder agora porque o nosso assistente está indisponível. A sua mensagem foi guardada.',
      financial_dispute: 'As disputas de pagamento são tratadas por uma pessoa da nossa equipa.',
      legal_compliance: 'Isto precisa de alguém da nossa equipa em vez de um assistente automático.',
      data_privacy: 'Os pedidos sobre os seus dados pessoais são tratados por uma pessoa da nossa equipa.',
      distress_urgent: 'Lamento que esteja a passar por isto. Uma pessoa da nossa equipa deve ajudá-lo.',
      unsafe_output: 'Não posso ajudar com isso aqui, mas um membro da nossa equipa pode.',
    },
    offerQuestion: 'Quer que a nossa equipa de suporte o contacte por e-mail?',
    excerptIntro: 'Este excerto do nosso artigo de ajuda «{title}» pode ajudar:',
    confirmation:
      'Obrigado — a nossa equipa de suporte vai escrever-lhe para {email} (referência n.º {ticket}). Entretanto, pode continuar a conversar aqui.',
    acknowledgementSubject: 'Recebemos o seu pedido [#{ticket}]',
    acknowledgementBody:
      'Olá,\n\nObrigado por nos contactar. Um membro da nossa equipa de suporte tem a sua conversa e vai responder para este endereço.\nA sua referência é #{ticket}; pode responder a este e-mail para acrescentar algo.\n\nA equipa de suporte',
    verificationSubject: '{code} é o seu código de verificação para {brand}',
    verificationBody:
      'Olá,\n\nO seu código de verificação para o chat de {brand} é:\n\n{code}\n\nIntroduza-o no chat para confirmar que este endereço de e-mail é seu. O código expira em {minutes} minutos e só funciona uma vez.\n\nSe não pediu este código, ignore este e-mail: ninguém pode usar o seu endereço sem ele.',
    transcriptSubject: 'A sua conversa com {brand}',
    transcriptIntro: 'Olá,\n\nAqui está a sua conversa com {brand}, como pediu.',
    transcriptVisitor: 'Você',
    transcriptAssistant: 'Assistente de IA',
    transcriptTeam: 'Equipa de suporte',
    errors: {
      tooFast: 'Está a enviar mensagens demasiado depressa. Tente novamente dentro de {s} s.',
      emailNeeded: 'Indique-nos o endereço de email em que a nossa equipa de suporte o pode contactar.',
      transcriptVerifyFirst: 'Verifique primeiro o seu email: a conversa só é enviada para um endereço que provou ser seu.',
      transcriptTooSoon: 'A conversa acabou de ser enviada. Tente novamente dentro de um minuto.',
      codeSentRecently: 'Acabou de ser enviado um código. Tente novamente dentro de {wait}.',
      tooManyCodes: 'Foram pedidos demasiados códigos. Tente novamente dentro de {wait}.',
      noCodeWaiting: 'Não há nenhum código à espera para este chat. Peça um novo código.',
      tooManyAttempts: 'Demasiadas tentativas. Peça um novo código.',
      codeExpired: 'Este código expirou. Peça um novo código.',
      wrongCodeOne: 'Esse código não está correto. Resta {n} tentativa.',
      wrongCodeMany: 'Esse código não está correto. Restam {n} tentativas.',
      wrongCodeLast: 'Esse código não está correto. Demasiadas tentativas. Peça um novo código.',
    },
    demo: {
      title: 'Ticket0 Chat — loja de demonstração',
      shop: 'Loja de demonstração',
      consoleLink: 'Consola dos operadores',
      heading: 'Bem-vindo à loja de demonstração',
      intro: 'Esta página é um site comum com o widget do Ticket0 Chat incorporado. Abra o chat no canto e faça uma pergunta.',
    },
  },
  nl: {
    offer: {
      human_requested: 'Natuurlijk — ik kan dit doorgeven aan ons supportteam.',
      ai_uncertain: 'Ik weet niet zeker of ik dat juist kan beantwoorden, en ik gok liever niet.',
      ai_unavailable:
        'Ik kan nu niet antwoorden omdat onze assistent niet beschikbaar is. Uw bericht is bewaard.',
      financial_dispute: 'Betalingsgeschillen worden behandeld door iemand van ons team.',
      legal_compliance: 'Hiervoor is iemand van ons team nodig in plaats van een automatische assistent.',
      data_privacy: 'Verzoeken over uw persoonsgegevens worden behandeld door iemand van ons team.',
      distress_urgent: 'Het spijt me dat u dit meemaakt. Iemand van ons team zou u hierbij moeten helpen.',
      unsafe_output: 'Daar kan ik hier niet mee helpen, maar iemand van ons team wel.',
    },
    offerQuestion: 'Wilt u dat ons supportteam per e-mail contact met u opneemt?',
    excerptIntro: 'Dit fragment uit ons helpartikel ‘{title}’ helpt misschien:',
    confirmation:
      'Bedankt — ons supportteam neemt per e-mail contact op via {email} (referentie #{ticket}). U kunt hier intussen verder chatten.',
    acknowledgementSubject: 'We hebben uw verzoek ontvangen [#{ticket}]',
    acknowledgementBody:
      'Hallo,\n\nBedankt voor uw bericht. Iemand van ons supportteam heeft uw gesprek en antwoordt op dit adres.\nUw referentie is #{ticket}; u kunt op deze e-mail antwoorden om iets toe te voegen.\n\nHet supportteam',
    verificationSubject: '{code} is uw verificatiecode voor {brand}',
    verificationBody:
      'Hallo,\n\nUw verificatiecode voor de chat op {brand} is:\n\n{code}\n\nVoer hem in de chat in om te bevestigen dat dit e-mailadres van u is. De code verloopt over {minutes} minuten en werkt één keer.\n\nHeeft u deze code niet aangevraagd, negeer deze e-mail dan: niemand kan uw adres zonder de code gebruiken.',
    transcriptSubject: 'Uw gesprek met {brand}',
    transcriptIntro: 'Hallo,\n\nHier is uw gesprek met {brand}, zoals gevraagd.',
    transcriptVisitor: 'U',
    transcriptAssistant: 'AI-assistent',
    transcriptTeam: 'Supportteam',
    errors: {
      tooFast: 'U verstuurt berichten te snel. Probeer het over {s} s opnieuw.',
      emailNeeded: 'Laat ons weten op welk e-mailadres ons supportteam u kan bereiken.',
      transcriptVerifyFirst: 'Bevestig eerst uw e-mailadres: het gesprek gaat alleen naar een adres waarvan u hebt aangetoond dat het van u is.',
      transcriptTooSoon: 'Het gesprek is zojuist verstuurd. Probeer het over een minuut opnieuw.',
      codeSentRecently: 'Er is zojuist een code verstuurd. Probeer het over {wait} opnieuw.',
      tooManyCodes: 'Er zijn te veel codes aangevraagd. Probeer het over {wait} opnieuw.',
      noCodeWaiting: 'Er wacht geen code voor deze chat. Vraag een nieuwe code aan.',
      tooManyAttempts: 'Te veel pogingen. Vraag een nieuwe code aan.',
      codeExpired: 'Deze code is verlopen. Vraag een nieuwe code aan.',
      wrongCodeOne: 'Die code klopt niet. Nog {n} poging.',
      wrongCodeMany: 'Die code klopt niet. Nog {n} pogingen.',
      wrongCodeLast: 'Die code klopt niet. Te veel pogingen. Vraag een nieuwe code aan.',
    },
    demo: {
      title: 'Ticket0 Chat — demowinkel',
      shop: 'Demowinkel',
      consoleLink: 'Console voor medewerkers',
      heading: 'Welkom in de demowinkel',
      intro: 'Deze pagina is een gewone website waarin de Ticket0 Chat-widget is ingebouwd. Open de chat in de hoek en stel een vraag.',
    },
  },
  ar: {
    offer: {
      human_requested: 'بالطبع — يمكنني تحويل هذا إلى فريق الدعم لدينا.',
      ai_uncertain: 'لست متأكدًا من أنني أستطيع الإجابة عن ذلك بشكل صحيح، وأفضّل ألا أخمّن.',
      ai_unavailable: 'لا أستطيع الرد الآن لأن مساعدنا غير متاح. تم حفظ رسالتك.',
      financial_dispute: 'يتولى شخص من فريقنا النزاعات المتعلقة بالدفع.',
      legal_compliance: 'يحتاج هذا إلى شخص من فريقنا بدلًا من مساعد آلي.',
      data_privacy: 'يتولى شخص من فريقنا الطلبات المتعلقة ببياناتك الشخصية.',
      distress_urgent: 'يؤسفني ما تمر به. ينبغي أن يساعدك شخص من فريقنا في ذلك.',
      unsafe_output: 'لا أستطيع المساعدة في ذلك هنا، لكن يمكن لأحد أعضاء فريقنا ذلك.',
    },
    offerQuestion: 'هل تريد أن يتواصل معك فريق الدعم لدينا عبر البريد الإلكتروني؟',
    excerptIntro: 'قد يساعدك هذا المقتطف من مقال المساعدة «{title}»:',
    confirmation:
      'شكرًا — سيتواصل معك فريق الدعم عبر البريد الإلكتروني على {email} (المرجع #{ticket}). يمكنك مواصلة المحادثة هنا في الأثناء.',
    acknowledgementSubject: 'تلقّينا طلبك [#{ticket}]',
    acknowledgementBody:
      'مرحبًا،\n\nشكرًا لتواصلك معنا. لدى أحد أعضاء فريق الدعم محادثتك وسيرد على هذا العنوان.\nمرجعك هو #{ticket}؛ يمكنك الرد على هذه الرسالة لإضافة أي شيء.\n\nفريق الدعم',
    verificationSubject: '{code} هو رمز التحقق الخاص بك لدى {brand}',
    verificationBody:
      'مرحبًا،\n\nرمز التحقق الخاص بك للدردشة على {brand} هو:\n\n{code}\n\nأدخله في الدردشة لتأكيد أن عنوان البريد الإلكتروني هذا لك. تنتهي صلاحية الرمز بعد {minutes} دقائق ويعمل مرة واحدة.\n\nإذا لم تطلب هذا الرمز، فتجاهل هذه الرسالة: لا يمكن لأحد استخدام عنوانك من دونه.',
    transcriptSubject: 'محادثتك مع {brand}',
    transcriptIntro: 'مرحبًا،\n\nإليك محادثتك مع {brand} كما طلبت.',
    transcriptVisitor: 'أنت',
    transcriptAssistant: 'مساعد ذكاء اصطناعي',
    transcriptTeam: 'فريق الدعم',
    errors: {
      tooFast: 'أنت ترسل الرسائل بسرعة كبيرة. حاول مرة أخرى بعد {s} ثانية.',
      emailNeeded: 'أخبرنا بعنوان البريد الإلكتروني الذي يمكن لفريق الدعم التواصل معك عليه.',
      transcriptVerifyFirst: 'أكِّد بريدك الإلكتروني أولًا: لا تُرسَل المحادثة إلا إلى عنوان أثبتَّ أنه لك.',
      transcriptTooSoon: 'أُرسلت المحادثة قبل لحظات. حاول مرة أخرى بعد دقيقة.',
      codeSentRecently: 'أُرسل رمز قبل لحظات. حاول مرة أخرى بعد {wait}.',
      tooManyCodes: 'طُلب عدد كبير جدًا من الرموز. حاول مرة أخرى بعد {wait}.',
      noCodeWaiting: 'لا يوجد رمز بانتظار هذه المحادثة. اطلب رمزًا جديدًا.',
      tooManyAttempts: 'محاولات كثيرة جدًا. اطلب رمزًا جديدًا.',
      codeExpired: 'انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.',
      wrongCodeOne: 'هذا الرمز غير صحيح. المحاولات المتبقية: {n}.',
      wrongCodeMany: 'هذا الرمز غير صحيح. المحاولات المتبقية: {n}.',
      wrongCodeLast: 'هذا الرمز غير صحيح. محاولات كثيرة جدًا. اطلب رمزًا جديدًا.',
    },
    demo: {
      title: 'Ticket0 Chat — متجر تجريبي',
      shop: 'المتجر التجريبي',
      consoleLink: 'لوحة تحكم فريق الدعم',
      heading: 'مرحبًا بك في المتجر التجريبي',
      intro: 'هذه الصفحة موقع ويب عادي مدمج فيه أداة Ticket0 Chat. افتح المحادثة في الزاوية واطرح سؤالًا.',
    },
  },
  he: {
    offer: {
      human_requested: 'כמובן — אוכל להעביר את זה לצוות התמיכה שלנו.',
      ai_uncertain: 'אני לא בטוח שאוכל לענות על כך נכון, ואני מעדיף לא לנחש.',
      ai_unavailable: 'אינני יכול לענות כרגע כי העוזר שלנו אינו זמין. ההודעה שלך נשמרה.',
      financial_dispute: 'מחלוקות תשלום מטופלות על ידי אדם מהצוות שלנו.',
      legal_compliance: 'זה דורש מישהו מהצוות שלנו ולא עוזר אוטומטי.',
      data_privacy: 'בקשות בנוגע למידע האישי שלך מטופלות על ידי אדם מהצוות שלנו.',
      distress_urgent: 'צר לי שאתה עובר את זה. אדם מהצוות שלנו צריך לעזור לך בכך.',
      unsafe_output: 'אינני יכול לעזור בזה כאן, אבל חבר בצוות שלנו יכול.',
    },
    offerQuestion: 'האם תרצה שצוות התמיכה שלנו יחזור אליך בדוא״ל?',
    excerptIntro: 'הקטע הזה ממאמר העזרה שלנו „{title}” עשוי לעזור:',
    confirmation:
      'תודה — צוות התמיכה שלנו יחזור אליך בדוא״ל לכתובת {email} (מספר פנייה #{ticket}). בינתיים אפשר להמשיך לשוחח כאן.',
    acknowledgementSubject: 'קיבלנו את פנייתך [#{ticket}]',
    acknowledgementBody:
      'שלום,\n\nתודה שפנית אלינו. חבר בצוות התמיכה שלנו קיבל את השיחה שלך וישיב לכתובת זו.\nמספר הפנייה שלך הוא #{ticket}; אפשר להשיב להודעה זו כדי להוסיף פרטים.\n\nצוות התמיכה',
    verificationSubject: '{code} הוא קוד האימות שלך עבור {brand}',
    verificationBody:
      'שלום,\n\nקוד האימות שלך לצ׳אט באתר {brand} הוא:\n\n{code}\n\nהזן אותו בצ׳אט כדי לאשר שכתובת הדוא״ל הזו שלך. הקוד יפוג בעוד {minutes} דקות ופועל פעם אחת.\n\nאם לא ביקשת את הקוד הזה, אפשר להתעלם מהודעה זו: איש אינו יכול להשתמש בכתובת שלך בלעדיו.',
    transcriptSubject: 'השיחה שלך עם {brand}',
    transcriptIntro: 'שלום,\n\nהנה השיחה שלך עם {brand}, כפי שביקשת.',
    transcriptVisitor: 'את/ה',
    transcriptAssistant: 'עוזר בינה מלאכותית',
    transcriptTeam: 'צוות התמיכה',
    errors: {
      tooFast: 'ההודעות נשלחות מהר מדי. נסו שוב בעוד {s} שניות.',
      emailNeeded: 'ספרו לנו באיזו כתובת דוא״ל צוות התמיכה יכול ליצור איתכם קשר.',
      transcriptVerifyFirst: 'אמתו קודם את כתובת הדוא״ל: השיחה נשלחת רק לכתובת שהוכחתם שהיא שלכם.',
      transcriptTooSoon: 'השיחה נשלחה זה עתה. נסו שוב בעוד דקה.',
      codeSentRecently: 'קוד נשלח זה עתה. נסו שוב בעוד {wait}.',
      tooManyCodes: 'התבקשו יותר מדי קודים. נסו שוב בעוד {wait}.',
      noCodeWaiting: 'אין קוד שממתין לשיחה הזו. בקשו קוד חדש.',
      tooManyAttempts: 'יותר מדי ניסיונות. בקשו קוד חדש.',
      codeExpired: 'תוקף הקוד הזה פג. בקשו קוד חדש.',
      wrongCodeOne: 'הקוד שגוי. ניסיונות שנותרו: {n}.',
      wrongCodeMany: 'הקוד שגוי. ניסיונות שנותרו: {n}.',
      wrongCodeLast: 'הקוד שגוי. יותר מדי ניסיונות. בקשו קוד חדש.',
    },
    demo: {
      title: 'Ticket0 Chat — חנות הדגמה',
      shop: 'חנות הדגמה',
      consoleLink: 'מסוף הנציגים',
      heading: 'ברוכים הבאים לחנות ההדגמה',
      intro: 'דף זה הוא אתר אינטרנט רגיל שבו משולב הווידג׳ט של Ticket0 Chat. פתחו את הצ׳אט בפינה ושאלו שאלה.',
    },
  },
};

/** The texts for a session's locale (`fr-CA` → French); English when the language is not one of ours. */
export function textsFor(locale: string | null | undefined): ServerTexts {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (SERVER_LOCALES as readonly string[]).includes(language)
    ? SERVER_TEXTS[language as ServerLocale]
    : SERVER_TEXTS.en;
}

/** Languages written right to left. */
export const RIGHT_TO_LEFT: ReadonlySet<ServerLocale> = new Set(['ar', 'he']);

/**
 * The language an `Accept-Language` header ranks highest among ours (`fr-CH;q=0.9` → `fr`);
 * English when none is. Only the first 32 entries count, so a long header costs little.
 */
export function localeFromAcceptLanguage(header: string | undefined): ServerLocale {
  const ranked = (header ?? '')
    .split(',')
    .slice(0, 32)
    .map((entry, index) => {
      const [tag = '', ...params] = entry.split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split(/[-_]/)[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const found = ranked.find((entry) => (SERVER_LOCALES as readonly string[]).includes(entry.language));
  return found ? (found.language as ServerLocale) : 'en';
}

/** Fills `{name}` placeholders; unknown names are left as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
