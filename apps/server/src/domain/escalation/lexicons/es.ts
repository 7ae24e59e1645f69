import type { Lexicon } from '../lexicon.js';

export const es: Lexicon = {
  language: 'es',
  name: 'Spanish',
  stopwords: [
    'carrito', 'tienda',
    'pedido', 'entrega', 'envio', 'paquete', 'reembolso', 'devolucion', 'cuenta', 'pago', 'precio', 'articulo', 'dia',
    'semana', 'domingo', 'sabado', 'envian',
    'el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'y', 'es', 'son', 'yo', 'me', 'mi', 'mis', 'su', 'sus', 'usted',
    'ustedes', 'que', 'de', 'del', 'en', 'con', 'por', 'para', 'no', 'si', 'lo', 'le', 'les', 'se', 'al', 'como', 'cuando',
    'donde', 'cual', 'quiero', 'necesito', 'puedo', 'pueden', 'tengo', 'tienen', 'hay', 'esta', 'estoy', 'este', 'esto',
    'ya', 'pero', 'muy', 'mas', 'todo', 'todos', 'gracias', 'hola', 'favor', 'han', 'ha', 'he', 'fue', 'nos', 'nunca',
    'hacen', 'hace', 'cuanto', 'tiene', 'sobre', 'sin', 'pedido', 'quisiera', 'vale',
  ],
  negations: ['no', 'nunca', 'jamas', 'ningun', 'ninguna', 'sin', 'ni'],
  negationOpeners: ['por que', 'porque'],
  abilityWords: ['puedo', 'puede', 'podemos', 'pueden', 'consigo', 'logro', 'manera', 'forma', 'posible'],
  invertedSubjects: [],
  exclusions: [
    'direccion incorrecta', 'direccion equivocada', 'nombre incorrecto', 'talla equivocada', 'talla incorrecta',
    'articulo equivocado', 'producto equivocado', 'color equivocado',
    'recursos humanos', 'cabello humano', 'pelo humano', 'derechos humanos', 'agente de viajes', 'agente inmobiliario',
    'plan abogado', 'tarifa abogado', 'paquete abogado', 'plan abogados', 'no es urgente', 'sin prisa', 'no corre prisa',
    'desesperado por un', 'desesperada por un', 'desesperado por una', 'desesperada por una',
  ],
  concepts: {
    HUMAN: ['humano', 'humana', 'humanos', 'ser humano', 'persona', 'personas'],
    HUMAN_STRONG: [
      'paseme con alguien', 'pongame con alguien', 'paseme a alguien', 'pasenme con alguien', 'busqueme a alguien',
      'llamenme', 'llameme', 'devuelvanme la llamada', 'que me llamen', 'ayuda humana', 'atencion humana',
      'contacto humano', 'con quien puedo hablar', 'a quien me dirijo',
      'persona real', 'persona de verdad', 'humano de verdad', 'humano real', 'agente humano', 'operador humano',
      'asesor humano', 'persona fisica', 'alguien real', 'persona humana', 'de carne y hueso',
    ],
    STAFF: [
      'departamento', 'departamento de', 'contabilidad', 'facturacion', 'equipo tecnico', 'su ~ equipo', 'alguien de',
      'alguien del', 'reclamaciones',
      'jefe', 'su jefe', 'alguien responsable', 'el responsable',
      'agente', 'agentes', 'operador', 'operadora', 'asesor', 'asesora', 'representante', 'encargado', 'encargada',
      'supervisor',
      'supervisora', 'gerente', 'responsable', 'empleado', 'empleada', 'trabajador', 'companero', 'tecnico', 'jefe',
      'atencion al cliente', 'servicio al cliente', 'servicio de atencion', 'soporte tecnico', 'alguien del equipo',
      'alguien de su equipo', 'alguien de ustedes', 'alguien del servicio', 'alguien de atencion', 'alguien de soporte',
      'su equipo', 'vuestro equipo', 'alguien que trabaje', 'miembro del equipo',
    ],
    SOMEONE: ['alguien', 'una persona', 'nadie'],
    WISH: [
      'quiero', 'quisiera', 'queria', 'necesito', 'me gustaria', 'deseo', 'prefiero', 'exijo', 'pido', 'solicito', 'paseme',
      'pasame', 'pasenme', 'deme', 'denme', 'puedo tener', 'me pueden dar', 'me pone con', 'pongame con',
    ],
    CONTACT: [
      'paseme al', 'pasenme al', 'transfierame al',
      '=hablar', '=conversar', '=comunicarme', '=contactar', '=contactarme', '=llamar', '=llamen', '=llame', '=llameme',
      '=llamarme', '=pasar', '=paseme', '=pasame', '=pasenme', '=pasan', '=pasen', '=transferir', '=transfieran',
      '=transfierame',
      '=atienda', '=atiendan', '=atender', '=atendido', '=atendida', 'ponerme con', 'me pone con', 'pongame con',
      'en contacto',
      'comunicar con', 'derivar', 'derivarme',
    ],
    ACT: [
      'revise', 'revisen', 'revisar', 'mire', 'miren', 'mirar', 'vea', 'ver mi', 'compruebe', 'comprobar', 'verifique',
      'verificar', 'me llame', 'me llamen', 'llamarme', 'me contacte', 'me contacten', 'contactarme', 'me responda',
      'me escriba',
      'ocupe', 'ocuparse', 'gestione', 'gestionar', 'encargue', 'encargarse', 'se ponga en contacto', 'eche un vistazo',
    ],
    BOT: [
      'bot', 'chatbot', 'robot', 'maquina', 'ia', 'inteligencia artificial', 'asistente virtual',
      'respuestas automaticas', 'contestador',
    ],
    POLITE: [
      'por favor', 'porfa', 'porfavor', 'ya', 'ahora', 'un', 'una', 'el', 'la', 'con', 'quiero', 'gracias',
      'de verdad', 'real',
    ],
    LANGUAGE_NAME: [
      'ingles', 'espanol', 'castellano', 'frances', 'aleman', 'italiano', 'portugues', 'idioma', 'idiomas', 'catalan',
    ],
    CHARGE: [
      '=cobrado', '=cobrada', '=cobraron', '=cobrasteis', '=cobrando', '=cobrandome', 'siguen cobrando',
      'me siguen cobrando',
      '=cargado', '=cargaron', '=cargando',
      '=debitado', '=debitaron', '=descontado', '=descontaron', '=facturado', '=facturaron', '=pagado', '=pague',
      '=retirado',
      '=retiraron', '=quitado', '=quitaron', '=sacado', '=sacaron', 'me cobraron', 'me han cobrado', 'me cobran',
      'me cargaron',
      'me han cargado', 'me han cobrado', 'me facturaron', 'de mi cuenta', 'de mi tarjeta',
    ],
    CHARGE_NOUN: [
      'cargo', 'cargos', 'cobro', 'cobros', '=pago', '=pagos', 'transaccion', 'transacciones', 'adeudo', 'recibo',
      'domiciliacion',
      'compra', 'movimiento', 'en mi tarjeta', 'en mi cuenta', 'extracto',
    ],
    INVOICE: ['factura', 'facturas'],
    MONEY: [
      'dinero', 'importe', 'monto', 'cantidad', 'suma', '#amount', 'miles', 'cientos', 'euros', 'dolares', 'pesos',
    ],
    DUPLICATE: [
      'dos veces', 'tres veces', 'varias veces', 'doble', 'duplicado', 'duplicados', 'por duplicado', 'dos cargos',
      'dos cobros', 'repetido',
    ],
    NOT_MINE: [
      'ya devolvi', 'ya lo devolvi', 'devolvi', 'ya habia devuelto', 'cargo desconocido', 'cobro desconocido',
      'nunca pedi', 'no pedi', 'nunca compre', 'no compre', 'nunca contrate', 'no contrate', 'nunca autorice', 'no autorice',
      'no autorizado', 'no autorizada', 'no autorizados', 'sin autorizacion', 'sin mi autorizacion', 'sin mi permiso',
      'sin mi consentimiento', 'no reconozco', 'desconozco', 'no es mio', 'no lo hice', 'despues de cancelar',
      'habia cancelado',
      'ya cancele', 'despues de darme de baja', 'me di de baja', 'tarjeta robada', 'robaron la tarjeta', 'usaron mi tarjeta',
      'yo no compre nada', 'no he comprado',
    ],
    DISPUTE: [
      'lo estoy reclamando', 'reclamo este cobro', 'reclamo el cobro', 'reclamar el cobro', 'reclamar el cargo',
      'disputa', 'impugno', 'impugnar', 'fraude', 'fraudulento', 'fraudulenta', 'estafa', 'timo', 'robo',
      'no estoy de acuerdo', 'no acepto',
    ],
    CHARGEBACK: [
      'contracargo', 'chargeback', 'devolucion del cargo', 'retrocesion', 'anular el cobro', 'anule el cobro',
      'anulen el cobro',
    ],
    WRONG: [
      'incorrecto', 'incorrecta', 'erroneo', 'erronea', 'equivocado', 'equivocada', 'no coincide', 'no corresponde',
      'error',
    ],
    EXCESS: ['de mas', 'demasiado', 'mas de', 'en vez de', 'en lugar de', 'por encima', 'excesivo', 'mas caro'],
    OVERCHARGE: [
      'cobrado de mas', 'cobraron de mas', 'cobrado demasiado', 'cobro excesivo', 'sobrecargo', 'sobrecobro',
      'cobro de mas',
    ],
    ADVERTISED: [
      'mi pedido era', 'el total era', 'deberia ser', 'tenia que ser', 'en la web', 'en la pagina', 'en el sitio',
      'ponia', 'pone', 'anunciado', 'anunciaban', 'indicaba', 'marcaba', 'salia',
    ],
    BANK: ['banco', 'mi banco', 'entidad bancaria', 'paypal', 'visa', 'mastercard', 'bizum'],
    REVERSE: ['anule', 'anulen', 'anular', 'retroceder', 'reclamar', 'disputar', 'bloquear el cobro', 'retrocesion'],
    HYPOTHETICAL: [
      'me cobraran', 'me cobrarian', 'si hago', 'si pido', 'si vuelvo', 'si cancelo', 'si devuelvo', 'que pasa si',
      'cuando me cobran', 'cuando me cobraran', 'se cobra', 'cobran el envio', 'me cobran el envio',
    ],
    LAWYER: [
      'abogado', 'abogada', 'abogados', 'letrado', 'asesor legal', 'asesoria juridica', 'departamento legal',
      'gabinete juridico', 'bufete',
    ],
    ENGAGE: [
      'mi', 'mis', 'nuestro', 'nuestra', 'nuestros', 'contratar', 'contratare', 'consultar', 'consultare',
      'hablar con', 'acudir a', 'acudire', 'llamar a', 'poner en manos de', 'lo vera',
    ],
    LEGAL_ACTION: [
      'demandar', 'demandare', 'demandarlos', 'demandarles', 'poner una demanda', 'interponer una demanda',
      'demanda judicial',
      'denunci*', 'acciones legales', 'accion legal', 'medidas legales', 'via judicial', 'tribunales',
      'a juicio', 'ir a juicio', 'querella', 'pleito', 'llevarlos a juicio',
    ],
    LEGAL_DOC: [
      'papeles del juzgado', 'documentos judiciales',
      'citacion', 'citacion judicial', 'orden judicial', 'requerimiento judicial', 'mandamiento', 'burofax', 'auto judicial',
      'orden de registro', 'emplazamiento', 'requerimiento de la autoridad',
    ],
    AUTHORITY: [
      'autoridad', 'autoridades', 'policia', 'guardia civil', 'fiscalia', 'juzgado', 'juez', 'tribunal', 'hacienda',
      'consumo',
      'oficina del consumidor', 'omic', 'ocu', 'facua', 'defensor del pueblo', 'defensor del consumidor', 'profeco',
      'ministerio',
      'organismo', 'administracion',
    ],
    OFFICIAL_CONTACT: [
      'carta', 'escrito', 'notificacion', 'requerimiento', 'solicitud', 'investigacion', 'recibido', 'recibimos',
      'recibi', 'nos pide', 'nos piden', 'exige', 'oficio',
    ],
    REPORT: [
      'denunci*', 'reclamar', 'reclamacion', 'queja', 'hoja de reclamaciones', 'poner una', 'acudir a', 'informar',
      'avisar', 'llamar a la',
    ],
    DP_LAW: [
      'rgpd', 'gdpr', 'lopd', 'lopdgdd', 'ley de proteccion de datos', 'reglamento general de proteccion de datos',
      'articulo 15', 'articulo 17',
    ],
    DP_RIGHT: [
      'derecho al olvido', 'derecho de acceso', 'derecho de supresion', 'derecho de cancelacion', 'derecho de oposicion',
      'derechos arco', 'derecho a la portabilidad', 'derecho de rectificacion', 'retiro mi consentimiento',
      'revoco mi consentimiento',
      'retirar mi consentimiento',
    ],
    DP_AUTHORITY: [
      'aepd', 'agencia de proteccion de datos', 'agencia espanola de proteccion de datos',
      'delegado de proteccion de datos', 'inai',
    ],
    DELETE: [
      'borrar', 'borren', 'borre', 'borrado', 'eliminar', 'eliminen', 'elimine', 'eliminacion', 'suprimir',
      'supriman', 'supresion', 'cancelacion de mis datos', 'olvidar',
    ],
    PERSONAL_DATA: [
      'mi correo', 'mi email', 'mi e mail', 'mi direccion de correo', 'mi nombre', 'lo que saben', 'datos',
      'mis datos', 'datos personales', 'informacion personal', 'mi informacion', 'toda mi informacion',
      'informacion que tienen', 'todo lo que tienen',
    ],
    ABOUT_ME: ['sobre mi', 'acerca de mi', 'que me conciernen', 'relativos a mi', 'sobre mi persona'],
    LEAK: [
      'filtracion', 'filtrado', 'filtrados', 'fuga', 'brecha', 'expuestos', 'hackeo', 'hackeado', 'robados',
      'violacion',
    ],
    CONSENT: [
      'sin mi consentimiento', 'sin mi permiso', 'nunca consenti', 'retiro mi consentimiento',
      'revoco mi consentimiento', 'dejen de usar', 'me opongo',
    ],
    REQUEST: [
      'solicito', 'pido', 'exijo', 'requiero', 'ejercer', 'ejerzo', 'quiero', 'quisiera', 'solicitud', 'borren',
      'acceso', 'copia',
    ],
    DISTRESS: [
      'al limite', 'no aguanto mas',
      'desesperado', 'desesperada', 'desesperacion', 'panico', 'aterrado', 'aterrada', 'llorando', 'lloro', 'angustiado',
      'angustiada', 'angustia', 'no puedo mas', 'se lo suplico', 'les suplico', 'suplico', 'auxilio', 'socorro',
      'no se que hacer',
      'no se que mas hacer', 'destrozado', 'destrozada', 'al borde', 'histerico', 'histerica', 'por favor por favor',
      'ayudenme por favor',
    ],
    CRY: ['auxilio', 'socorro', 'sos'],
    URGENCY: [
      'urgente', 'urgentemente', 'urgencia', 'emergencia', 'ya', 'ahora', 'ahora mismo', 'inmediatamente',
      'de inmediato', 'hoy',
      'hoy mismo', 'esta noche', 'esta tarde', 'manana', 'cuanto antes', 'lo antes posible', 'lo mas pronto posible',
      'rapido',
      'sin falta', 'en una hora', 'en dos horas', 'asap',
    ],
    STAKES: [
      'perder mi trabajo', 'perder el trabajo', 'desahucio', 'desahuciar', 'en la calle', 'atrapado', 'atrapada',
      'varado', 'varada',
      'sin dinero', 'medicamento', 'medicacion', 'medicina', 'insulina', 'hospital', 'el alquiler', 'funeral',
    ],
    SEVERE: [
      'suicidio', 'suicidarme', 'quitarme la vida', 'matarme', 'no quiero vivir', 'acabar con todo', 'hacerme dano',
    ],
  },
  smallTalk: {
    greeting: [
      'hola', 'buenas', 'buenos dias', 'buenas tardes', 'buenas noches', 'saludos', 'hey', 'que tal', 'hola que tal',
    ],
    thanks: [
      'gracias', 'muchas gracias', 'mil gracias', 'muchisimas gracias', 'se agradece', 'te lo agradezco',
      'se lo agradezco', 'les agradezco', 'muy amable',
    ],
    resolved: [
      'ya esta resuelto', 'resuelto', 'solucionado', 'eso lo soluciono', 'lo soluciono', 'ya funciona', 'funciona',
      'funciono',
      'ya esta', 'listo', 'entendido', 'todo claro', 'me sirvio', 'me ha servido', 'me ayudo', 'muy util', 'eso era todo',
      'era lo que necesitaba', 'lo encontre', 'todo bien', 'todo correcto',
    ],
    goodbye: [
      'adios', 'hasta luego', 'hasta pronto', 'hasta manana', 'chao', 'chau', 'nos vemos', 'que tenga buen dia',
      'buen dia', 'que tengas buen dia', 'buen fin de semana', 'un saludo', 'saludos',
    ],
    ack: [
      'ok', 'vale', 'perfecto', 'genial', 'estupendo', 'muy bien', 'bien', 'de acuerdo', 'okey', 'excelente', 'bueno',
      'super', 'fenomenal', 'guay', 'si',
    ],
    filler: [
      'por', 'su', 'tu', 'la', 'el', 'ayuda', 'todo', 'muy', 'de', 'nuevo', 'ya', 'y', 'me', 'lo', 'eso', 'esto', 'era',
      'ha',
      'sido', 'respuesta', 'rapida', 'oh', 'vaya', 'bueno', 'pues', 'entonces', 'que', 'usted', 'ustedes', 'a', 'todos',
    ],
  },
  replies: {
    greeting: '¡Hola! ¿En qué puedo ayudarle hoy?',
    thanks: '¡De nada, me alegra haberle ayudado! ¿Hay algo más en lo que pueda ayudarle?',
    goodbye: 'Adiós, y gracias por su visita. ¡Que tenga un buen día!',
    thanksGoodbye: '¡De nada! Que tenga un buen día, y hasta pronto.',
  },
};
