import type { Catalog } from './en.js';

export const pt: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Tráfego {proto} a sair da rede local para {host}',
      description: 'O dispositivo enviou tráfego {proto} para {host}, fora da rede local. As aplicações comuns raramente precisam disso; pode esconder um túnel ou uma fuga de dados.',
    },
    'PROTO-02': {
      title: 'Ligação {proto} a {host} numa porta alta',
      description: 'O dispositivo comunicou com {host} por {proto} na porta {port}, igual ou superior a {max_ports}. Os serviços comuns usam portas mais baixas; algum malware usa portas altas.',
    },
    'PROTO-03': {
      title: 'Tráfego HTTP não cifrado para {host}',
      description: 'Os dados trocados com {host} passaram por HTTP sem cifra: qualquer pessoa no caminho pode lê-los ou alterá-los.',
    },
    'PROTO-04': {
      title: 'Tráfego HTTP para {host} numa porta não padrão',
      description: 'O dispositivo enviou HTTP para {host} na porta {port} em vez da habitual. O malware faz isto muitas vezes para escapar a filtros simples.',
    },
    'PROTO-05': {
      title: '{ip} contactado sem resolução DNS',
      description: 'O dispositivo chegou a {ip} ({proto}/{port}) sem que nenhum nome fosse resolvido para este endereço na captura. O malware usa muitas vezes endereços fixos; DNS cifrado ou uma resposta em cache também o podem explicar.',
    },
    'IOC-01': {
      title: 'Ligação a {ip}, endereço conhecido ({tag})',
      description: 'O endereço {ip} está na lista de indicadores com a etiqueta {tag}. Comunicar com ele é um forte sinal de que o dispositivo está comprometido.',
    },
    'IOC-02': {
      title: 'Ligação a {ip} na gama suspeita {cidr}',
      description: 'O endereço {ip} está na gama {cidr}, classificada como {tag}. Estas gamas alojam servidores suspeitos, embora nem todos os seus endereços sejam maliciosos.',
    },
    'IOC-03': {
      title: 'Comunicação com {domain}, domínio conhecido ({tag})',
      description: 'O nome {domain} corresponde ao indicador {ioc} (etiqueta {tag}). O dispositivo resolveu-o ou contactou-o: um forte sinal de comprometimento.',
    },
    'IOC-04': {
      title: 'Comunicação com o rastreador {domain}',
      description: 'O nome {domain} corresponde ao indicador de rastreador {ioc}. Os rastreadores recolhem dados sobre o dispositivo e o seu utilizador, por vezes a localização.',
    },
    'IOC-05': {
      title: 'Comunicação com o nome de DNS dinâmico {domain}',
      description: 'O nome {domain} pertence ao serviço de DNS gratuito ou dinâmico {ioc}. Estes serviços são baratos e anónimos, e os atacantes gostam deles.',
    },
    'IOC-06': {
      title: 'Comunicação com {domain} sob o domínio suspeito {tld}',
      description: 'O nome {domain} termina em {tld}, um domínio de topo muitas vezes usado por sítios maliciosos por ser barato ou pouco controlado.',
    },
    'IOC-07': {
      title: 'O certificado de {host} é um certificado conhecido ({tag})',
      description: 'O servidor {host} apresentou o certificado com SHA-1 {sha1}, classificado como {tag}.',
    },
    'IOC-08': {
      title: 'Pedido HTTP a {domain}, domínio conhecido ({tag})',
      description: 'Um pedido HTTP indicou o anfitrião {domain}, que corresponde ao indicador {ioc} (etiqueta {tag}).',
    },
    'IOC-09': {
      title: 'Pedido HTTP ao nome de DNS dinâmico {domain}',
      description: 'Um pedido HTTP indicou o anfitrião {domain}, sob o serviço de DNS gratuito ou dinâmico {ioc}.',
    },
    'IOC-10': {
      title: 'Pedido HTTP a {domain} sob o domínio suspeito {tld}',
      description: 'Um pedido HTTP indicou o anfitrião {domain}, cujo domínio de topo {tld} é muitas vezes usado por sítios maliciosos.',
    },
    'IOC-11': {
      title: 'Impressão digital de cliente TLS conhecida ({tag}) para {host}',
      description: 'Um cliente TLS do dispositivo tinha a impressão JA3 {ja3}, classificada como {tag}, ao ligar-se a {host}.',
    },
    'IOC-12': {
      title: 'Ficheiro conhecido ({tag}) transferido com {host}',
      description: 'Um ficheiro com o hash {hash}, classificado como {tag}, foi transferido entre o dispositivo e {host}.',
    },
    'IOC-13': {
      title: 'Pedido a um URL conhecido ({tag})',
      description: 'O dispositivo pediu {url}, que está na lista de indicadores com a etiqueta {tag}.',
    },
    'SSL-01': {
      title: 'TLS para {host} numa porta não padrão',
      description: 'O dispositivo abriu uma sessão TLS cifrada com {host} na porta {port}, que não é uma porta habitual para TLS.',
    },
    'SSL-02': {
      title: '{host} usa um certificado gratuito',
      description: 'O certificado de {host} foi emitido por {issuer}, uma autoridade gratuita. Sítios legítimos também as usam, mas também muitos servidores maliciosos.',
    },
    'SSL-03': {
      title: '{host} apresenta um certificado autoassinado',
      description: 'O certificado de {host} é assinado por si próprio e não por uma autoridade reconhecida. Ninguém garante a identidade desse servidor.',
    },
    'SSL-04': {
      title: 'Sessão TLS com {domain}, domínio conhecido ({tag})',
      description: 'Uma sessão TLS pediu o nome de servidor {domain}, que corresponde ao indicador {ioc} (etiqueta {tag}).',
    },
    'SSL-05': {
      title: 'Certificado expirado de {host}',
      description: 'O certificado de {host} expirou em {date}, antes de ser usado. Os servidores bem mantidos renovam o seu.',
    },
    'SSL-06': {
      title: 'Certificado de {host} ainda não válido',
      description: 'O certificado de {host} só é válido a partir de {date}, depois de ser usado: um relógio errado ou um certificado forjado.',
    },
    'SSL-07': {
      title: 'Certificado de {host} não visível',
      description: 'A sessão com {host} usou {version}, que cifra o certificado: as suas verificações (autoridade, validade, impressão digital) não foram possíveis.',
    },
    'ACT-01': {
      title: '{domain} usa um servidor de nomes suspeito',
      description: 'O domínio {domain} é servido pelo servidor de nomes {ns}, de um fornecedor muitas vezes usado por atacantes.',
    },
    'ACT-02': {
      title: '{domain} foi registado recentemente',
      description: 'O domínio {domain} foi registado há {days} dias. Os domínios maliciosos são muitas vezes muito recentes.',
    },
    'ADV-01': {
      title: '{count} alertas diferentes sobre {host}',
      description: 'O destino {host} gerou {count} alertas diferentes. Vários sinais fracos no mesmo servidor somam um sinal forte.',
    },
    'SNORT-01': {
      title: 'Regra de rede ativada: {signature}',
      description: 'A regra de deteção de intrusões «{signature}» reconheceu tráfego com {host}.',
    },
    'DNS-01': {
      title: 'Possível túnel DNS sob {domain}',
      description: '{count} consultas sob {domain} tinham etiquetas longas ou de aspeto aleatório (por exemplo {example}): assim podem sair dados às escondidas.',
    },
    'DNS-02': {
      title: '{count} subdomínios diferentes de {domain} consultados',
      description: 'O dispositivo pediu {count} nomes diferentes sob {domain}. Tantos são típicos de túneis DNS e canais de comando.',
    },
    'DNS-03': {
      title: '{count} consultas TXT para {domain}',
      description: 'O dispositivo fez {count} consultas TXT sob {domain}. As respostas TXT podem transportar comandos ou dados.',
    },
    'DGA-01': {
      title: '{domain} parece gerado por um algoritmo',
      description: 'O nome {domain} parece aleatório e não escolhido por uma pessoa: o malware gera nomes assim para encontrar os seus servidores.',
    },
    'DGA-02': {
      title: '{src} pediu {count} nomes de aspeto gerado que não existem',
      description: 'O anfitrião {src} consultou {count} nomes de aspeto aleatório que não existem (por exemplo {example}): o padrão de um malware à procura do seu servidor.',
    },
    'CONN-01': {
      title: 'Ligação longa de {src} para {dst}',
      description: 'Uma ligação de {src} para {dst} na porta {port} durou {duration}. Canais de comando e túneis ficam muitas vezes abertos durante horas.',
    },
    'BEACON-01': {
      title: 'Beaconing de {src} para {dst} (pontuação {score})',
      description: '{src} ligou-se {count} vezes a {dst} a intervalos e tamanhos regulares (pontuação {score} em 1): o ritmo de um malware que contacta a sua base.',
    },
  },
  report: {
    title: 'Relatório de análise de rede',
    generated_on: 'Relatório gerado em {date}',
    capture_facts: 'O que foi analisado',
    evidence_files: 'Ficheiros analisados',
    records_read: 'Registos lidos',
    first_record: 'Primeiro registo',
    last_record: 'Último registo',
    capture_duration: 'Período abrangido',
    hosts_seen: 'Dispositivos locais vistos',
    indicators_loaded: 'Indicadores carregados: {iocs}; entradas da lista branca: {whitelist}',
    verdict_high: '{count} alerta(s) de nível alto: o dispositivo está provavelmente comprometido.',
    verdict_medium: '{count} alerta(s) de nível médio: um comportamento suspeito que merece atenção.',
    verdict_low: '{count} alerta(s) de nível baixo: nada grave, alguns pontos a conhecer.',
    verdict_none: 'Nenhum alerta: nada de suspeito foi encontrado nesta captura.',
    alerts_title: 'Alertas',
    no_alerts: 'Nenhum alerta.',
    alert_count: '{count} ocorrência(s)',
    suspect_title: 'Comunicações suspeitas',
    uncat_title: 'Comunicações não categorizadas',
    whitelist_title: 'Comunicações na lista branca',
    col_protocol: 'Protocolo',
    col_domain: 'Domínio',
    col_dst_ip: 'IP de destino',
    col_dst_port: 'Porta',
    col_connections: 'Ligações',
    col_alerts: 'Alertas',
    details: 'Detalhes',
    more_rows: 'mais {count} linha(s) não mostrada(s)',
    footer: 'Produzido pelo Loupe. Os indicadores e a lista branca decidem muito do veredicto: um relatório calmo não prova a inocência.',
    language: 'Idioma',
    none: 'nenhum',
  },
  levels: { critical: 'Crítico', high: 'Alto', medium: 'Médio', low: 'Baixo', informational: 'Informação' },
};
