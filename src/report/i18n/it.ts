import type { Catalog } from './en.js';

export const it: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Traffico {proto} in uscita dalla rete locale verso {host}',
      description: "Il dispositivo ha inviato traffico {proto} a {host}, fuori dalla rete locale. Le app comuni ne hanno raramente bisogno; può nascondere un tunnel o una fuga di dati.",
    },
    'PROTO-02': {
      title: 'Connessione {proto} verso {host} su una porta alta',
      description: 'Il dispositivo ha comunicato con {host} via {proto} sulla porta {port}, pari o superiore a {max_ports}. I servizi comuni usano porte più basse; alcuni malware porte alte.',
    },
    'PROTO-03': {
      title: 'Traffico HTTP non cifrato verso {host}',
      description: 'I dati scambiati con {host} sono passati in HTTP senza cifratura: chiunque sul percorso può leggerli o modificarli.',
    },
    'PROTO-04': {
      title: 'Traffico HTTP verso {host} su una porta non standard',
      description: "Il dispositivo ha inviato HTTP a {host} sulla porta {port} invece di quella abituale. I malware lo fanno spesso per eludere i filtri semplici.",
    },
    'PROTO-05': {
      title: '{ip} contattato senza risoluzione DNS',
      description: "Il dispositivo ha raggiunto {ip} ({proto}/{port}) senza che alcun nome fosse risolto in questo indirizzo nella cattura. I malware usano spesso indirizzi fissi; anche un DNS cifrato o una risposta in cache possono spiegarlo.",
    },
    'IOC-01': {
      title: 'Connessione a {ip}, indirizzo noto ({tag})',
      description: "L'indirizzo {ip} è nella lista degli indicatori con l'etichetta {tag}. Comunicare con esso è un forte segnale che il dispositivo è compromesso.",
    },
    'IOC-02': {
      title: 'Connessione a {ip} nell\'intervallo sospetto {cidr}',
      description: "L'indirizzo {ip} è nell'intervallo {cidr}, classificato come {tag}. Questi intervalli ospitano server sospetti, anche se non tutti i loro indirizzi sono malevoli.",
    },
    'IOC-03': {
      title: 'Comunicazione con {domain}, dominio noto ({tag})',
      description: "Il nome {domain} corrisponde all'indicatore {ioc} (etichetta {tag}). Il dispositivo l'ha risolto o contattato: un forte segnale di compromissione.",
    },
    'IOC-04': {
      title: 'Comunicazione con il tracker {domain}',
      description: "Il nome {domain} corrisponde all'indicatore di tracker {ioc}. I tracker raccolgono dati sul dispositivo e sul suo utente, a volte la posizione.",
    },
    'IOC-05': {
      title: 'Comunicazione con il nome DNS dinamico {domain}',
      description: 'Il nome {domain} appartiene al servizio DNS gratuito o dinamico {ioc}. Questi servizi sono economici e anonimi, e piacciono agli attaccanti.',
    },
    'IOC-06': {
      title: 'Comunicazione con {domain} sotto il dominio sospetto {tld}',
      description: 'Il nome {domain} termina con {tld}, un dominio di primo livello spesso usato da siti malevoli perché economico o poco controllato.',
    },
    'IOC-07': {
      title: 'Il certificato di {host} è un certificato noto ({tag})',
      description: 'Il server {host} ha presentato il certificato con SHA-1 {sha1}, classificato come {tag}.',
    },
    'IOC-08': {
      title: 'Richiesta HTTP a {domain}, dominio noto ({tag})',
      description: "Una richiesta HTTP ha indicato l'host {domain}, che corrisponde all'indicatore {ioc} (etichetta {tag}).",
    },
    'IOC-09': {
      title: 'Richiesta HTTP al nome DNS dinamico {domain}',
      description: "Una richiesta HTTP ha indicato l'host {domain}, sotto il servizio DNS gratuito o dinamico {ioc}.",
    },
    'IOC-10': {
      title: 'Richiesta HTTP a {domain} sotto il dominio sospetto {tld}',
      description: "Una richiesta HTTP ha indicato l'host {domain}, il cui dominio di primo livello {tld} è spesso usato da siti malevoli.",
    },
    'IOC-11': {
      title: 'Impronta client TLS nota ({tag}) verso {host}',
      description: "Un client TLS del dispositivo aveva l'impronta JA3 {ja3}, classificata come {tag}, collegandosi a {host}.",
    },
    'IOC-12': {
      title: 'File noto ({tag}) trasferito con {host}',
      description: 'Un file con hash {hash}, classificato come {tag}, è stato trasferito tra il dispositivo e {host}.',
    },
    'IOC-13': {
      title: 'Richiesta a un URL noto ({tag})',
      description: "Il dispositivo ha richiesto {url}, presente nella lista degli indicatori con l'etichetta {tag}.",
    },
    'SSL-01': {
      title: 'TLS verso {host} su una porta non standard',
      description: 'Il dispositivo ha aperto una sessione TLS cifrata verso {host} sulla porta {port}, che non è una porta abituale per TLS.',
    },
    'SSL-02': {
      title: '{host} usa un certificato gratuito',
      description: "Il certificato di {host} è stato emesso da {issuer}, un'autorità gratuita. Anche i siti legittimi le usano, ma pure molti server malevoli.",
    },
    'SSL-03': {
      title: '{host} presenta un certificato autofirmato',
      description: "Il certificato di {host} è firmato da sé stesso e non da un'autorità riconosciuta. Nessuno garantisce l'identità di quel server.",
    },
    'SSL-04': {
      title: 'Sessione TLS verso {domain}, dominio noto ({tag})',
      description: "Una sessione TLS ha chiesto il nome server {domain}, che corrisponde all'indicatore {ioc} (etichetta {tag}).",
    },
    'SSL-05': {
      title: 'Certificato scaduto di {host}',
      description: 'Il certificato di {host} è scaduto il {date}, prima di essere usato. I server ben gestiti rinnovano il loro.',
    },
    'SSL-06': {
      title: 'Certificato di {host} non ancora valido',
      description: "Il certificato di {host} è valido solo dal {date}, dopo essere stato usato: un orologio errato o un certificato falsificato.",
    },
    'SSL-07': {
      title: 'Certificato di {host} non visibile',
      description: 'La sessione con {host} usava {version}, che cifra il certificato: i suoi controlli (autorità, scadenza, impronta) non sono stati possibili.',
    },
    'ACT-01': {
      title: '{domain} usa un name server sospetto',
      description: 'Il dominio {domain} è servito dal name server {ns}, di un fornitore spesso usato dagli attaccanti.',
    },
    'ACT-02': {
      title: '{domain} è stato registrato di recente',
      description: 'Il dominio {domain} è stato registrato {days} giorni fa. I domini malevoli sono spesso molto giovani.',
    },
    'ADV-01': {
      title: '{count} allarmi diversi su {host}',
      description: 'La destinazione {host} ha generato {count} allarmi diversi. Più segnali deboli su uno stesso server ne fanno uno forte.',
    },
    'SNORT-01': {
      title: 'Regola di rete attivata: {signature}',
      description: 'La regola di rilevamento delle intrusioni «{signature}» ha riconosciuto traffico con {host}.',
    },
    'DNS-01': {
      title: 'Possibile tunnel DNS sotto {domain}',
      description: '{count} richieste sotto {domain} contenevano etichette lunghe o dall\'aspetto casuale (ad esempio {example}): così si possono far uscire dati.',
    },
    'DNS-02': {
      title: '{count} sottodomini diversi di {domain} richiesti',
      description: 'Il dispositivo ha chiesto {count} nomi diversi sotto {domain}. Così tanti sono tipici dei tunnel DNS e dei canali di comando.',
    },
    'DNS-03': {
      title: '{count} richieste TXT per {domain}',
      description: 'Il dispositivo ha fatto {count} richieste TXT sotto {domain}. Le risposte TXT possono trasportare comandi o dati.',
    },
    'DGA-01': {
      title: '{domain} sembra generato da un algoritmo',
      description: 'Il nome {domain} sembra casuale e non scelto da una persona: i malware generano nomi simili per trovare i loro server.',
    },
    'DGA-02': {
      title: '{src} ha chiesto {count} nomi dall\'aspetto generato che non esistono',
      description: "L'host {src} ha chiesto {count} nomi dall'aspetto casuale che non esistono (ad esempio {example}): lo schema di un malware che cerca il suo server.",
    },
    'CONN-01': {
      title: 'Connessione lunga da {src} a {dst}',
      description: 'Una connessione da {src} a {dst} sulla porta {port} è durata {duration}. Canali di comando e tunnel restano spesso aperti per ore.',
    },
    'BEACON-01': {
      title: 'Beaconing da {src} a {dst} (punteggio {score})',
      description: '{src} si è collegato {count} volte a {dst} a intervalli e dimensioni regolari (punteggio {score} su 1): il ritmo di un malware che chiama casa.',
    },
  },
  report: {
    title: 'Rapporto di analisi di rete',
    generated_on: 'Rapporto generato il {date}',
    capture_facts: 'Che cosa è stato analizzato',
    evidence_files: 'File analizzati',
    records_read: 'Record letti',
    first_record: 'Primo record',
    last_record: 'Ultimo record',
    capture_duration: 'Periodo coperto',
    hosts_seen: 'Dispositivi locali visti',
    indicators_loaded: 'Indicatori caricati: {iocs}; voci della lista bianca: {whitelist}',
    verdict_high: '{count} allarme/i di livello alto: il dispositivo è probabilmente compromesso.',
    verdict_medium: '{count} allarme/i di livello medio: un comportamento sospetto da approfondire.',
    verdict_low: '{count} allarme/i di livello basso: niente di grave, qualche punto da conoscere.',
    verdict_none: 'Nessun allarme: in questa cattura non è stato trovato nulla di sospetto.',
    alerts_title: 'Allarmi',
    no_alerts: 'Nessun allarme.',
    alert_count: '{count} occorrenza/e',
    suspect_title: 'Comunicazioni sospette',
    uncat_title: 'Comunicazioni non classificate',
    whitelist_title: 'Comunicazioni nella lista bianca',
    col_protocol: 'Protocollo',
    col_domain: 'Dominio',
    col_dst_ip: 'IP di destinazione',
    col_dst_port: 'Porta',
    col_connections: 'Connessioni',
    col_alerts: 'Allarmi',
    details: 'Dettagli',
    more_rows: '{count} riga/righe in più non mostrate',
    footer: "Prodotto da Loupe. Indicatori e lista bianca decidono molto del verdetto: un rapporto tranquillo non prova l'innocenza.",
    language: 'Lingua',
    none: 'nessuno',
  },
  levels: { critical: 'Critico', high: 'Alto', medium: 'Medio', low: 'Basso', informational: 'Informazione' },
};
