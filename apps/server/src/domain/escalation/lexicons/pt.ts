import type { Lexicon } from '../lexicon.js';

export const pt: Lexicon = {
  language: 'pt',
  name: 'Portuguese',
  stopwords: [
    'carrinho', 'produto', 'loja', 'removo',
    'pedido', 'entrega', 'frete', 'pacote', 'encomenda', 'reembolso', 'devolucao', 'conta', 'pagamento', 'preco', 'dia',
    'semana', 'domingo', 'sabado', 'entregam',
    'o', 'a', 'os', 'as', 'um', 'uma', 'uns', 'umas', 'e', 'de', 'do', 'da', 'dos', 'das', 'em', 'no', 'na', 'nos', 'nas',
    'com', 'por', 'para', 'pra', 'que', 'nao', 'eu', 'me', 'meu', 'minha', 'meus', 'minhas', 'voce', 'voces', 'seu', 'sua',
    'vcs', 'vc', 'favor', 'ele', 'ela', 'isso', 'isto', 'esse', 'essa', 'este', 'esta', 'estou', 'sou', 'foi', 'tem',
    'tenho',
    'quero', 'preciso', 'posso', 'podem', 'como', 'quando', 'onde', 'qual', 'quais', 'obrigado', 'obrigada', 'ola', 'oi',
    'ja', 'mas', 'muito', 'mais', 'tambem', 'ao', 'aos', 'se', 'sem', 'fui', 'vou', 'ate', 'pelo', 'pela', 'vocês', 'lhe',
    'estao', 'sao', 'fiz', 'gostaria', 'tudo', 'mim',
  ],
  negations: ['nao', 'nunca', 'jamais', 'nenhum', 'nenhuma', 'sem', 'nem'],
  negationOpeners: ['por que', 'porque'],
  abilityWords: ['posso', 'pode', 'podemos', 'podem', 'consigo', 'consegue', 'conseguimos', 'jeito', 'possivel'],
  invertedSubjects: [],
  exclusions: [
    'endereco errado', 'endereco incorreto', 'nome errado', 'tamanho errado', 'produto errado', 'cor errada', 'item errado',
    'recursos humanos', 'cabelo humano', 'direitos humanos', 'agente de viagens', 'plano advogado', 'pacote advogado',
    'plano advogados', 'tarifa advogado', 'nao e urgente', 'sem pressa', 'desesperado por um', 'desesperada por um',
    'desesperado por uma', 'desesperada por uma', 'processo de', 'processo da', 'processo do', 'horario de atendimento',
  ],
  concepts: {
    HUMAN: ['humano', 'humana', 'humanos', 'ser humano', 'pessoa', 'pessoas'],
    HUMAN_STRONG: [
      'me passa pra alguem', 'me passe para alguem', 'chama alguem', 'chamem alguem',
      'me liguem', 'me ligue', 'retornem a ligacao', 'ajuda humana', 'atendimento humano', 'contato humano',
      'com quem posso falar', 'com quem eu falo',
      'pessoa real', 'pessoa de verdade', 'humano de verdade', 'humano real', 'atendente humano', 'atendimento humano',
      'atendente de verdade', 'agente humano', 'operador humano', 'de carne e osso', 'alguem de verdade',
    ],
    STAFF: [
      'setor', 'setor de', 'departamento', 'financeiro', 'equipe tecnica', 'da equipe', 'alguem do', 'alguem da',
      'alguem no', 'reclamacoes',
      'chefe', 'seu chefe', 'alguem responsavel',
      'atendente', 'atendentes', 'agente', 'operador', 'operadora', 'consultor', 'consultora', 'representante',
      'responsavel',
      'supervisor', 'supervisora', 'gerente', 'funcionario', 'funcionaria', 'colaborador', 'tecnico', 'chefe', 'atendimento',
      'atendimento ao cliente', 'servico de atendimento', 'sac', 'equipe de suporte', 'alguem da equipe',
      'alguem do suporte', 'alguem do atendimento', 'alguem de voces', 'alguem da empresa', 'equipe de voces', 'sua equipe',
      'membro da equipe', 'alguem que trabalhe',
    ],
    SOMEONE: ['alguem', 'uma pessoa', 'ninguem'],
    WISH: [
      'quero', 'queria', 'gostaria', 'preciso', 'necessito', 'desejo', 'prefiro', 'exijo', 'peco', 'solicito', 'me passa',
      'me passe', 'me transfere', 'me transfira', 'me de', 'me da', 'posso ter',
    ],
    CONTACT: [
      'me transfere para', 'me transfira para', 'me passa para',
      '=falar', '=conversar', '=contatar', '=contactar', '=contato', '=contacto', '=ligar', '=ligue', '=liguem',
      '=ligasse', '=me ligar',
      '=passar', '=passa', '=passe', '=transferir', '=transfere', '=transfira', '=atender', '=atenda', '=atendido',
      '=atendida',
      'entrar em contato', 'em contato', 'falar com', 'pra alguem', 'para alguem',
    ],
    ACT: [
      'ver', 'veja', 'olhar', 'olhe', 'verificar', 'verifique', 'checar', 'analisar', 'analise', 'revisar', 'revise',
      'me ligar',
      'me ligue', 'me retornar', 'me retorne', 'retornar', 'me contatar', 'me contate', 'me responder', 'resolver', 'cuidar',
      'dar uma olhada',
    ],
    BOT: [
      'bot', 'chatbot', 'robo', 'maquina', 'ia', 'inteligencia artificial', 'assistente virtual',
      'respostas automaticas', 'automatico',
    ],
    POLITE: [
      'por favor', 'pf', 'pfv', 'agora', 'ja', 'um', 'uma', 'o', 'a', 'com', 'quero', 'obrigado', 'obrigada',
      'de verdade', 'real',
    ],
    LANGUAGE_NAME: [
      'ingles', 'portugues', 'espanhol', 'frances', 'alemao', 'italiano', 'holandes', 'idioma', 'idiomas', 'lingua',
    ],
    CHARGE: [
      '=cobrado', '=cobrada', '=cobraram', '=cobrou', '=cobrando', 'continuam cobrando', 'continuam me cobrando',
      '=debitando', '=debitado', '=debitada', '=debitaram', '=debitou', '=descontado',
      '=descontaram', '=faturado', '=faturaram', '=pago', '=paguei', '=tirado', '=tiraram', '=tirou', '=retirado',
      '=retiraram',
      'me cobraram', 'me cobrou', 'fui cobrado', 'fui cobrada', 'foi cobrado', 'da minha conta', 'do meu cartao',
    ],
    CHARGE_NOUN: [
      'cobranca', 'cobrancas', 'debito', 'debitos', '=pagamento', '=pagamentos', 'transacao', 'transacoes', 'compra',
      'fatura',
      'boleto', 'lancamento', 'no meu cartao', 'no cartao', 'na minha conta', 'extrato', 'pix',
    ],
    INVOICE: ['fatura', 'faturas', 'nota fiscal', 'boleto'],
    MONEY: ['dinheiro', 'valor', 'quantia', 'montante', '#amount', 'milhares', 'centenas', 'reais', 'euros', 'dolares'],
    DUPLICATE: [
      'duas vezes', 'tres vezes', 'varias vezes', 'em dobro', 'dobrado', 'duplicado', 'duplicada', 'duplicidade',
      'duas cobrancas', 'dois pagamentos', 'repetido',
    ],
    NOT_MINE: [
      'ja devolvi', 'devolvi', 'ja tinha devolvido', 'cobranca desconhecida', 'compra desconhecida',
      'nunca pedi', 'nao pedi', 'nunca comprei', 'nao comprei', 'nunca contratei', 'nao contratei', 'nunca autorizei',
      'nao autorizei', 'nao autorizado', 'nao autorizada', 'sem autorizacao', 'sem minha autorizacao',
      'sem meu consentimento',
      'sem minha permissao', 'nao reconheco', 'nao reconhecida', 'nao reconhecido', 'desconheco', 'nao e minha', 'nao fiz',
      'depois do cancelamento', 'apos o cancelamento', 'depois de cancelar', 'ja cancelei', 'tinha cancelado', 'eu cancelei',
      'depois que eu cancelei', 'cartao roubado',
      'clonaram', 'cartao clonado', 'usaram meu cartao', 'nao comprei nada',
    ],
    DISPUTE: [
      'contestando', 'contestar', 'contesto', 'contestacao', 'disputa', 'fraude', 'fraudulento', 'fraudulenta',
      'golpe', 'roubo', 'nao concordo', 'nao aceito', 'indevida', 'indevido', 'abusiva', 'abusivo',
    ],
    CHARGEBACK: [
      'chargeback', 'estorno', 'estornar', 'estornado', 'estornem', 'contestacao da compra',
      'cancelamento da compra no cartao',
    ],
    WRONG: ['errado', 'errada', 'incorreto', 'incorreta', 'nao bate', 'nao confere', 'nao corresponde', 'erro'],
    EXCESS: ['a mais', 'demais', 'mais do que', 'em vez de', 'ao inves de', 'acima', 'excessivo', 'mais caro'],
    OVERCHARGE: [
      'cobrado a mais', 'cobraram a mais', 'cobranca a mais', 'cobranca excessiva', 'cobranca indevida',
      'paguei a mais', 'cobrado em excesso',
    ],
    ADVERTISED: [
      'meu pedido era', 'o total era', 'deveria ser', 'era para ser', 'no site', 'na pagina', 'estava', 'anunciado',
      'anunciava', 'mostrava', 'dizia', 'indicado',
    ],
    BANK: [
      'banco', 'meu banco', 'operadora do cartao', 'administradora do cartao', 'paypal', 'visa', 'mastercard',
      'nubank', 'mercado pago',
    ],
    REVERSE: ['estornar', 'estorno', 'cancelar o pagamento', 'contestar', 'contestacao'],
    HYPOTHETICAL: [
      'vou ser cobrado', 'vou ser cobrada', 'serei cobrado', 'serei cobrada', 'se eu pedir', 'se eu cancelar',
      'se eu devolver', 'o que acontece se', 'quando vou ser', 'quando sera', 'cobram frete', 'voces cobram',
    ],
    LAWYER: [
      'advogado', 'advogada', 'advogados', 'juridico', 'departamento juridico', 'escritorio de advocacia',
      'assessoria juridica',
    ],
    ENGAGE: [
      'meu', 'minha', 'nosso', 'nossa', 'nossos', 'contratar', 'contratei', 'consultar', 'procurar', 'procurei',
      'acionar', 'falar com', 'vai cuidar', 'cuidando',
    ],
    LEGAL_ACTION: [
      'processar', 'processo judicial', 'abrir um processo', 'entrar com um processo', 'acao judicial', 'entrar na justica',
      'na justica', 'justica', 'tribunal', 'juizado', 'pequenas causas', 'medidas judiciais', 'medidas legais', 'acao legal',
      'boletim de ocorrencia', 'queixa crime',
    ],
    LEGAL_DOC: [
      'papeis do tribunal', 'documentos judiciais',
      'intimacao', 'intimacao judicial', 'ordem judicial', 'mandado', 'mandado judicial', 'notificacao judicial',
      'notificacao extrajudicial', 'citacao judicial', 'oficio judicial', 'decisao judicial', 'liminar',
    ],
    AUTHORITY: [
      'autoridade', 'autoridades', 'policia', 'delegacia', 'ministerio publico', 'tribunal', 'juiz', 'procon',
      'reclame aqui',
      'consumidor gov', 'defesa do consumidor', 'anatel', 'banco central', 'asae', 'deco', 'ministerio', 'orgao',
    ],
    OFFICIAL_CONTACT: [
      'carta', 'oficio', 'notificacao', 'solicitacao', 'investigacao', 'recebemos', 'recebi', 'recebido', 'pede',
      'pediu', 'exige', 'requisicao',
    ],
    REPORT: [
      'denunciar', 'denuncia', 'reclamar', 'reclamacao', 'registrar', 'abrir uma reclamacao', 'queixa', 'acionar',
      'ir ao', 'ir a', 'chamar a',
    ],
    DP_LAW: ['lgpd', 'lei geral de protecao de dados', 'rgpd', 'gdpr', 'artigo 18', 'art 18'],
    DP_RIGHT: [
      'direito ao esquecimento', 'direito de acesso', 'direito a eliminacao', 'direito de exclusao', 'direito de oposicao',
      'direito a portabilidade', 'direito de retificacao', 'revogo meu consentimento', 'revogar meu consentimento',
      'retiro meu consentimento', 'revogacao do consentimento',
    ],
    DP_AUTHORITY: ['anpd', 'autoridade nacional de protecao de dados', 'cnpd', 'encarregado de dados', 'dpo'],
    DELETE: [
      'apagar', 'apaguem', 'apague', 'excluir', 'excluam', 'exclua', 'exclusao', 'eliminar', 'eliminem', 'eliminacao',
      'remover', 'removam', 'deletar', 'deletem', 'esquecer',
    ],
    PERSONAL_DATA: [
      'meu e mail', 'meu email', 'meu nome', 'o que voces sabem', 'dados', 'meus dados', 'dados pessoais',
      'informacoes pessoais', 'minhas informacoes', 'meu cadastro', 'todas as informacoes', 'tudo o que voces tem',
    ],
    ABOUT_ME: ['sobre mim', 'a meu respeito', 'que voces tem de mim', 'relativos a mim', 'sobre a minha pessoa'],
    LEAK: ['vazamento', 'vazaram', 'vazados', 'vazado', 'violacao', 'expostos', 'hackeado', 'invadido', 'roubados'],
    CONSENT: ['sem meu consentimento', 'sem minha permissao', 'nunca consenti', 'revogo', 'parem de usar', 'me oponho'],
    REQUEST: [
      'solicito', 'peco', 'exijo', 'requeiro', 'exercer', 'quero', 'gostaria', 'solicitacao', 'exclusao',
      'eliminacao', 'acesso', 'copia',
    ],
    DISTRESS: [
      'nao aguento mais',
      'desesperado', 'desesperada', 'desespero', 'panico', 'apavorado', 'apavorada', 'chorando', 'choro', 'angustiado',
      'angustiada', 'angustia', 'nao aguento mais', 'nao aguento', 'imploro', 'suplico', 'socorro', 'pelo amor de deus',
      'nao sei mais o que fazer', 'nao sei o que fazer', 'arrasado', 'arrasada', 'no limite',
    ],
    CRY: ['socorro', 'sos'],
    URGENCY: [
      'urgente', 'urgencia', 'emergencia', 'agora', 'agora mesmo', 'imediatamente', 'hoje', 'hoje mesmo', 'hoje a noite',
      'esta noite', 'amanha', 'o mais rapido possivel', 'o quanto antes', 'com urgencia', 'ja', 'rapido', 'em uma hora',
      'asap',
    ],
    STAKES: [
      'perder meu emprego', 'perder o emprego', 'despejo', 'despejado', 'na rua', 'preso no aeroporto', 'presa no aeroporto',
      'preso no exterior', 'sem dinheiro', 'remedio', 'remedios', 'medicamento', 'insulina', 'hospital', 'aluguel',
      'funeral',
    ],
    SEVERE: [
      'suicidio', 'me matar', 'tirar minha vida', 'tirar a minha vida', 'nao quero mais viver', 'acabar com tudo',
      'me machucar',
    ],
  },
  smallTalk: {
    greeting: [
      'ola', 'oi', 'bom dia', 'boa tarde', 'boa noite', 'e ai', 'opa', 'oi tudo bem', 'ola tudo bem', 'tudo bem',
      'saudacoes',
    ],
    thanks: [
      'obrigado', 'obrigada', 'muito obrigado', 'muito obrigada', 'valeu', 'obg', 'brigado', 'brigada', 'agradeco',
      'grato', 'grata', 'muito grato',
    ],
    resolved: [
      'resolveu', 'resolvido', 'problema resolvido', 'funcionou', 'ja funcionou', 'funciona', 'deu certo', 'ja deu certo',
      'tudo certo', 'entendi', 'entendido', 'ajudou', 'ajudou muito', 'muito util', 'era isso', 'era so isso', 'consegui',
      'tudo resolvido', 'encontrei',
    ],
    goodbye: [
      'tchau', 'ate mais', 'ate logo', 'ate breve', 'adeus', 'ate a proxima', 'bom fim de semana', 'tenha um bom dia',
      'um abraco', 'abraco', 'fui',
    ],
    ack: [
      'ok', 'okay', 'perfeito', 'otimo', 'beleza', 'show', 'legal', 'massa', 'certo', 'combinado', 'blz', 'top',
      'excelente', 'sim', 'entao ta', 'ta bom',
    ],
    filler: [
      'pela', 'pelo', 'a', 'o', 'ajuda', 'tudo', 'muito', 'de', 'novo', 'e', 'ja', 'agora', 'me', 'isso', 'voce', 'voces',
      'resposta', 'rapida', 'ah', 'entao', 'mesmo', 'demais', 'por', 'gente', 'atencao', 'ai',
    ],
  },
  replies: {
    greeting: 'Olá! Como posso ajudar você hoje?',
    thanks: 'Por nada, que bom que ajudou! Posso ajudar em mais alguma coisa?',
    goodbye: 'Tchau, e obrigado pela visita. Tenha um ótimo dia!',
    thanksGoodbye: 'Por nada! Tenha um ótimo dia, e até breve.',
  },
};
