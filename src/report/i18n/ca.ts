import type { Catalog } from './en.js';

export const ca: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Trànsit {proto} que surt de la xarxa local cap a {host}',
      description: "El dispositiu ha enviat trànsit {proto} a {host}, fora de la xarxa local. Les aplicacions habituals rarament ho necessiten; pot amagar un túnel o una fuita de dades.",
    },
    'PROTO-02': {
      title: 'Connexió {proto} a {host} en un port alt',
      description: "El dispositiu s'ha comunicat amb {host} per {proto} al port {port}, igual o superior a {max_ports}. Els serveis habituals fan servir ports més baixos; alguns programes maliciosos, ports alts.",
    },
    'PROTO-03': {
      title: 'Trànsit HTTP sense xifrar cap a {host}',
      description: "Les dades intercanviades amb {host} han passat per HTTP sense xifrar: qualsevol persona al camí les pot llegir o modificar.",
    },
    'PROTO-04': {
      title: 'Trànsit HTTP cap a {host} en un port no estàndard',
      description: "El dispositiu ha enviat HTTP a {host} al port {port} en lloc de l'habitual. Els programes maliciosos ho fan sovint per evitar filtres senzills.",
    },
    'PROTO-05': {
      title: '{ip} contactada sense resolució DNS',
      description: "El dispositiu ha arribat a {ip} ({proto}/{port}) sense que cap nom s'hagi resolt a aquesta adreça a la captura. Els programes maliciosos sovint fan servir adreces fixes; un DNS xifrat o una resposta a la memòria cau també ho poden explicar.",
    },
    'IOC-01': {
      title: 'Connexió a {ip}, adreça coneguda ({tag})',
      description: "L'adreça {ip} és a la llista d'indicadors amb l'etiqueta {tag}. Comunicar-s'hi és un senyal fort que el dispositiu està compromès.",
    },
    'IOC-02': {
      title: "Connexió a {ip} dins l'interval sospitós {cidr}",
      description: "L'adreça {ip} és dins l'interval {cidr}, catalogat com a {tag}. Aquests intervals allotgen servidors sospitosos, tot i que no totes les seves adreces són malicioses.",
    },
    'IOC-03': {
      title: 'Comunicació amb {domain}, domini conegut ({tag})',
      description: "El nom {domain} coincideix amb l'indicador {ioc} (etiqueta {tag}). El dispositiu l'ha resolt o l'ha contactat: un senyal fort de compromís.",
    },
    'IOC-04': {
      title: 'Comunicació amb el rastrejador {domain}',
      description: "El nom {domain} coincideix amb l'indicador de rastrejador {ioc}. Els rastrejadors recullen dades del dispositiu i del seu usuari, de vegades la ubicació.",
    },
    'IOC-05': {
      title: 'Comunicació amb el nom de DNS dinàmic {domain}',
      description: "El nom {domain} pertany al servei de DNS gratuït o dinàmic {ioc}. Aquests serveis són barats i anònims, i agraden als atacants.",
    },
    'IOC-06': {
      title: 'Comunicació amb {domain} sota el domini sospitós {tld}',
      description: "El nom {domain} acaba en {tld}, un domini de primer nivell sovint usat per llocs maliciosos perquè és barat o poc controlat.",
    },
    'IOC-07': {
      title: 'El certificat de {host} és un certificat conegut ({tag})',
      description: 'El servidor {host} ha presentat el certificat amb SHA-1 {sha1}, catalogat com a {tag}.',
    },
    'IOC-08': {
      title: 'Petició HTTP a {domain}, domini conegut ({tag})',
      description: "Una petició HTTP ha indicat l'amfitrió {domain}, que coincideix amb l'indicador {ioc} (etiqueta {tag}).",
    },
    'IOC-09': {
      title: 'Petició HTTP al nom de DNS dinàmic {domain}',
      description: "Una petició HTTP ha indicat l'amfitrió {domain}, sota el servei de DNS gratuït o dinàmic {ioc}.",
    },
    'IOC-10': {
      title: 'Petició HTTP a {domain} sota el domini sospitós {tld}',
      description: "Una petició HTTP ha indicat l'amfitrió {domain}, el domini de primer nivell del qual, {tld}, és sovint usat per llocs maliciosos.",
    },
    'IOC-11': {
      title: 'Empremta de client TLS coneguda ({tag}) cap a {host}',
      description: "Un client TLS del dispositiu tenia l'empremta JA3 {ja3}, catalogada com a {tag}, en connectar-se a {host}.",
    },
    'IOC-12': {
      title: 'Fitxer conegut ({tag}) transferit amb {host}',
      description: "Un fitxer amb el hash {hash}, catalogat com a {tag}, s'ha transferit entre el dispositiu i {host}.",
    },
    'IOC-13': {
      title: 'Petició a un URL conegut ({tag})',
      description: "El dispositiu ha demanat {url}, que és a la llista d'indicadors amb l'etiqueta {tag}.",
    },
    'SSL-01': {
      title: 'TLS cap a {host} en un port no estàndard',
      description: "El dispositiu ha obert una sessió TLS xifrada amb {host} al port {port}, que no és un port habitual per a TLS.",
    },
    'SSL-02': {
      title: '{host} fa servir un certificat gratuït',
      description: "El certificat de {host} l'ha emès {issuer}, una autoritat gratuïta. Els llocs legítims també les fan servir, però també molts servidors maliciosos.",
    },
    'SSL-03': {
      title: '{host} presenta un certificat autosignat',
      description: "El certificat de {host} està signat per ell mateix i no per una autoritat reconeguda. Ningú no garanteix la identitat d'aquest servidor.",
    },
    'SSL-04': {
      title: 'Sessió TLS amb {domain}, domini conegut ({tag})',
      description: "Una sessió TLS ha demanat el nom de servidor {domain}, que coincideix amb l'indicador {ioc} (etiqueta {tag}).",
    },
    'SSL-05': {
      title: 'Certificat caducat de {host}',
      description: "El certificat de {host} va caducar el {date}, abans de fer-se servir. Els servidors ben mantinguts renoven el seu.",
    },
    'SSL-06': {
      title: 'Certificat de {host} encara no vàlid',
      description: "El certificat de {host} només és vàlid des del {date}, després de fer-se servir: un rellotge erroni o un certificat falsificat.",
    },
    'SSL-07': {
      title: 'Certificat de {host} no visible',
      description: "La sessió amb {host} feia servir {version}, que xifra el certificat: no s'han pogut fer les seves comprovacions (autoritat, caducitat, empremta).",
    },
    'ACT-01': {
      title: '{domain} fa servir un servidor de noms sospitós',
      description: "El domini {domain} el serveix el servidor de noms {ns}, d'un proveïdor sovint usat pels atacants.",
    },
    'ACT-02': {
      title: '{domain} es va registrar fa poc',
      description: 'El domini {domain} es va registrar fa {days} dies. Els dominis maliciosos solen ser molt recents.',
    },
    'ADV-01': {
      title: '{count} alertes diferents sobre {host}',
      description: 'La destinació {host} ha generat {count} alertes diferents. Diversos senyals febles en un mateix servidor en fan un de fort.',
    },
    'SNORT-01': {
      title: 'Regla de xarxa activada: {signature}',
      description: "La regla de detecció d'intrusions «{signature}» ha reconegut trànsit amb {host}.",
    },
    'DNS-01': {
      title: 'Possible túnel DNS sota {domain}',
      description: "{count} consultes sota {domain} portaven etiquetes llargues o d'aspecte aleatori (per exemple {example}): així es poden treure dades d'amagat.",
    },
    'DNS-02': {
      title: '{count} subdominis diferents de {domain} consultats',
      description: 'El dispositiu ha demanat {count} noms diferents sota {domain}. Tants són típics dels túnels DNS i dels canals de control.',
    },
    'DNS-03': {
      title: '{count} consultes TXT per a {domain}',
      description: 'El dispositiu ha fet {count} consultes TXT sota {domain}. Les respostes TXT poden portar ordres o dades.',
    },
    'DGA-01': {
      title: '{domain} sembla generat per un algorisme',
      description: "El nom {domain} sembla aleatori i no triat per una persona: els programes maliciosos generen noms així per trobar els seus servidors.",
    },
    'DGA-02': {
      title: "{src} ha demanat {count} noms d'aspecte generat que no existeixen",
      description: "L'amfitrió {src} ha consultat {count} noms d'aspecte aleatori que no existeixen (per exemple {example}): el patró d'un programa maliciós que busca el seu servidor.",
    },
    'CONN-01': {
      title: 'Connexió llarga de {src} a {dst}',
      description: 'Una connexió de {src} a {dst} al port {port} ha durat {duration}. Els canals de control i els túnels sovint queden oberts durant hores.',
    },
    'BEACON-01': {
      title: 'Balisa de {src} a {dst} (puntuació {score})',
      description: "{src} s'ha connectat {count} vegades a {dst} a intervals i amb mides regulars (puntuació {score} sobre 1): el ritme d'un programa maliciós que truca a casa.",
    },
  },
  report: {
    title: "Informe d'anàlisi de xarxa",
    generated_on: 'Informe generat el {date}',
    capture_facts: "Què s'ha analitzat",
    evidence_files: 'Fitxers analitzats',
    records_read: 'Registres llegits',
    first_record: 'Primer registre',
    last_record: 'Darrer registre',
    capture_duration: 'Període cobert',
    hosts_seen: 'Dispositius locals vistos',
    indicators_loaded: 'Indicadors carregats: {iocs}; entrades de la llista blanca: {whitelist}',
    verdict_high: "{count} alerta/es de nivell alt: probablement el dispositiu està compromès.",
    verdict_medium: '{count} alerta/es de nivell mitjà: un comportament sospitós que cal mirar de prop.',
    verdict_low: '{count} alerta/es de nivell baix: res de greu, alguns punts a conèixer.',
    verdict_none: "Cap alerta: no s'ha trobat res de sospitós en aquesta captura.",
    alerts_title: 'Alertes',
    no_alerts: 'Cap alerta.',
    alert_count: '{count} vegada/es',
    suspect_title: 'Comunicacions sospitoses',
    uncat_title: 'Comunicacions sense categoria',
    whitelist_title: 'Comunicacions a la llista blanca',
    col_protocol: 'Protocol',
    col_domain: 'Domini',
    col_dst_ip: 'IP de destinació',
    col_dst_port: 'Port',
    col_connections: 'Connexions',
    col_alerts: 'Alertes',
    details: 'Detalls',
    more_rows: '{count} fila/es més no mostrada/es',
    footer: "Generat per Loupe. Els indicadors i la llista blanca decideixen bona part del veredicte: un informe tranquil no prova la innocència.",
    language: 'Idioma',
    none: 'cap',
  },
  levels: { critical: 'Crític', high: 'Alt', medium: 'Mitjà', low: 'Baix', informational: 'Informació' },
};
