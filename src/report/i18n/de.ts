import type { Catalog } from './en.js';

export const de: Catalog = {
  alerts: {
    'PROTO-01': {
      title: '{proto}-Verkehr verlässt das lokale Netz zu {host}',
      description: 'Das Gerät hat {proto}-Verkehr an {host} außerhalb des lokalen Netzes gesendet. Gewöhnliche Apps brauchen das selten; es kann einen Tunnel oder abfließende Daten verbergen.',
    },
    'PROTO-02': {
      title: '{proto}-Verbindung zu {host} auf einem hohen Port',
      description: 'Das Gerät hat mit {host} über {proto} auf Port {port} kommuniziert, also auf oder über {max_ports}. Übliche Dienste nutzen niedrigere Ports, manche Schadsoftware hohe.',
    },
    'PROTO-03': {
      title: 'Unverschlüsselter HTTP-Verkehr zu {host}',
      description: 'Die mit {host} ausgetauschten Daten liefen unverschlüsselt über HTTP: Jeder auf dem Weg kann sie lesen oder verändern.',
    },
    'PROTO-04': {
      title: 'HTTP-Verkehr zu {host} auf einem unüblichen Port',
      description: 'Das Gerät hat HTTP an {host} auf Port {port} statt auf dem üblichen Port gesendet. Schadsoftware tut das oft, um einfache Filter zu umgehen.',
    },
    'PROTO-05': {
      title: '{ip} ohne DNS-Auflösung kontaktiert',
      description: 'Das Gerät hat {ip} ({proto}/{port}) erreicht, ohne dass in der Aufzeichnung ein Name zu dieser Adresse aufgelöst wurde. Schadsoftware nutzt oft fest eingebaute Adressen; verschlüsseltes DNS oder eine zwischengespeicherte Antwort können es auch erklären.',
    },
    'IOC-01': {
      title: 'Verbindung zu {ip}, einer bekannten Adresse ({tag})',
      description: 'Die Adresse {ip} steht mit dem Schlagwort {tag} in der Indikatorenliste. Kontakt mit ihr ist ein starkes Zeichen, dass das Gerät kompromittiert ist.',
    },
    'IOC-02': {
      title: 'Verbindung zu {ip} im verdächtigen Bereich {cidr}',
      description: 'Die Adresse {ip} liegt im Bereich {cidr}, gelistet als {tag}. In solchen Bereichen stehen verdächtige Server, auch wenn nicht jede Adresse darin bösartig ist.',
    },
    'IOC-03': {
      title: 'Kommunikation mit {domain}, einer bekannten Domain ({tag})',
      description: 'Der Name {domain} passt zum Indikator {ioc} (Schlagwort {tag}). Das Gerät hat ihn aufgelöst oder kontaktiert: ein starkes Zeichen einer Kompromittierung.',
    },
    'IOC-04': {
      title: 'Kommunikation mit dem Tracker {domain}',
      description: 'Der Name {domain} passt zum Tracker-Indikator {ioc}. Tracker sammeln Daten über das Gerät und seine Nutzer, manchmal den Standort.',
    },
    'IOC-05': {
      title: 'Kommunikation mit dem dynamischen DNS-Namen {domain}',
      description: 'Der Name {domain} gehört zum kostenlosen oder dynamischen DNS-Dienst {ioc}. Solche Dienste sind billig und anonym und bei Angreifern beliebt.',
    },
    'IOC-06': {
      title: 'Kommunikation mit {domain} unter der verdächtigen Domain {tld}',
      description: 'Der Name {domain} endet auf {tld}, eine Top-Level-Domain, die oft für bösartige Seiten genutzt wird, weil sie billig oder kaum kontrolliert ist.',
    },
    'IOC-07': {
      title: 'Zertifikat von {host} ist ein bekanntes Zertifikat ({tag})',
      description: 'Der Server {host} hat das Zertifikat mit SHA-1 {sha1} vorgelegt, gelistet als {tag}.',
    },
    'IOC-08': {
      title: 'HTTP-Anfrage an {domain}, eine bekannte Domain ({tag})',
      description: 'Eine HTTP-Anfrage nannte den Host {domain}, der zum Indikator {ioc} (Schlagwort {tag}) passt.',
    },
    'IOC-09': {
      title: 'HTTP-Anfrage an den dynamischen DNS-Namen {domain}',
      description: 'Eine HTTP-Anfrage nannte den Host {domain} unter dem kostenlosen oder dynamischen DNS-Dienst {ioc}.',
    },
    'IOC-10': {
      title: 'HTTP-Anfrage an {domain} unter der verdächtigen Domain {tld}',
      description: 'Eine HTTP-Anfrage nannte den Host {domain}, dessen Top-Level-Domain {tld} oft für bösartige Seiten genutzt wird.',
    },
    'IOC-11': {
      title: 'Bekannter TLS-Client-Fingerabdruck ({tag}) zu {host}',
      description: 'Ein TLS-Client auf dem Gerät hatte beim Verbinden mit {host} den JA3-Fingerabdruck {ja3}, gelistet als {tag}.',
    },
    'IOC-12': {
      title: 'Bekannte Datei ({tag}) mit {host} übertragen',
      description: 'Eine Datei mit dem Hash {hash}, gelistet als {tag}, wurde zwischen dem Gerät und {host} übertragen.',
    },
    'IOC-13': {
      title: 'Anfrage an eine bekannte URL ({tag})',
      description: 'Das Gerät hat {url} angefragt, die mit dem Schlagwort {tag} in der Indikatorenliste steht.',
    },
    'SSL-01': {
      title: 'TLS zu {host} auf einem unüblichen Port',
      description: 'Das Gerät hat eine verschlüsselte TLS-Sitzung zu {host} auf Port {port} geöffnet, der für TLS nicht üblich ist.',
    },
    'SSL-02': {
      title: '{host} verwendet ein kostenloses Zertifikat',
      description: 'Das Zertifikat von {host} wurde von {issuer} ausgestellt, einer kostenlosen Stelle. Seriöse Seiten nutzen sie auch, aber ebenso viele bösartige Server.',
    },
    'SSL-03': {
      title: '{host} legt ein selbstsigniertes Zertifikat vor',
      description: 'Das Zertifikat von {host} ist von ihm selbst signiert, nicht von einer anerkannten Stelle. Niemand bürgt für die Identität dieses Servers.',
    },
    'SSL-04': {
      title: 'TLS-Sitzung zu {domain}, einer bekannten Domain ({tag})',
      description: 'Eine TLS-Sitzung fragte nach dem Servernamen {domain}, der zum Indikator {ioc} (Schlagwort {tag}) passt.',
    },
    'SSL-05': {
      title: 'Abgelaufenes Zertifikat von {host}',
      description: 'Das Zertifikat von {host} ist am {date} abgelaufen, vor seiner Verwendung. Gut gepflegte Server erneuern ihres.',
    },
    'SSL-06': {
      title: 'Zertifikat von {host} noch nicht gültig',
      description: 'Das Zertifikat von {host} gilt erst ab {date}, nach seiner Verwendung: eine falsche Uhr oder ein gefälschtes Zertifikat.',
    },
    'SSL-07': {
      title: 'Zertifikat von {host} nicht sichtbar',
      description: 'Die Sitzung mit {host} nutzte {version}, das das Zertifikat verschlüsselt: Seine Prüfungen (Aussteller, Ablauf, Fingerabdruck) waren nicht möglich.',
    },
    'ACT-01': {
      title: '{domain} nutzt einen verdächtigen Nameserver',
      description: 'Die Domain {domain} wird vom Nameserver {ns} bedient, bei einem Anbieter, den Angreifer oft nutzen.',
    },
    'ACT-02': {
      title: '{domain} wurde erst kürzlich registriert',
      description: 'Die Domain {domain} wurde vor {days} Tagen registriert. Bösartige Domains sind oft sehr jung.',
    },
    'ADV-01': {
      title: '{count} verschiedene Warnungen zu {host}',
      description: 'Das Ziel {host} hat {count} verschiedene Warnungen ausgelöst. Mehrere schwache Zeichen an einem Server ergeben ein starkes.',
    },
    'SNORT-01': {
      title: 'Netzwerkregel ausgelöst: {signature}',
      description: 'Die Einbruchserkennungsregel „{signature}“ hat Verkehr mit {host} erkannt.',
    },
    'DNS-01': {
      title: 'Möglicher DNS-Tunnel unter {domain}',
      description: '{count} Anfragen unter {domain} trugen lange oder zufällig wirkende Labels (zum Beispiel {example}): So können Daten hinausgeschmuggelt werden.',
    },
    'DNS-02': {
      title: '{count} verschiedene Subdomains von {domain} angefragt',
      description: 'Das Gerät hat {count} verschiedene Namen unter {domain} angefragt. So viele sind typisch für DNS-Tunnel und Steuerkanäle.',
    },
    'DNS-03': {
      title: '{count} TXT-Anfragen für {domain}',
      description: 'Das Gerät hat {count} TXT-Anfragen unter {domain} gestellt. TXT-Antworten können Befehle oder Daten tragen.',
    },
    'DGA-01': {
      title: '{domain} wirkt algorithmisch erzeugt',
      description: 'Der Name {domain} wirkt zufällig statt von einem Menschen gewählt: Schadsoftware erzeugt solche Namen, um ihre Server zu finden.',
    },
    'DGA-02': {
      title: '{src} fragte {count} erzeugt wirkende Namen an, die nicht existieren',
      description: 'Der Host {src} hat {count} zufällig wirkende, nicht existierende Namen angefragt (zum Beispiel {example}): das Muster von Schadsoftware auf der Suche nach ihrem Server.',
    },
    'CONN-01': {
      title: 'Lange Verbindung von {src} zu {dst}',
      description: 'Eine Verbindung von {src} zu {dst} auf Port {port} dauerte {duration}. Steuerkanäle und Tunnel bleiben oft stundenlang offen.',
    },
    'BEACON-01': {
      title: 'Beaconing von {src} zu {dst} (Wert {score})',
      description: '{src} hat sich {count}-mal in regelmäßigen Abständen und mit regelmäßigen Größen mit {dst} verbunden (Wert {score} von 1): der Takt von Schadsoftware, die nach Hause telefoniert.',
    },
  },
  report: {
    title: 'Bericht der Netzwerkanalyse',
    generated_on: 'Bericht erstellt am {date}',
    capture_facts: 'Was analysiert wurde',
    evidence_files: 'Beweisdateien',
    records_read: 'Gelesene Datensätze',
    first_record: 'Erster Datensatz',
    last_record: 'Letzter Datensatz',
    capture_duration: 'Zeitspanne',
    hosts_seen: 'Gesehene lokale Geräte',
    indicators_loaded: 'Geladene Indikatoren: {iocs}; Einträge der Ausnahmeliste: {whitelist}',
    verdict_high: '{count} Warnung(en) der Stufe hoch: Das Gerät ist wahrscheinlich kompromittiert.',
    verdict_medium: '{count} Warnung(en) der Stufe mittel: verdächtiges Verhalten, das einen genaueren Blick verdient.',
    verdict_low: '{count} Warnung(en) der Stufe niedrig: nichts Ernstes, einige Punkte zur Kenntnis.',
    verdict_none: 'Keine Warnung: In dieser Aufzeichnung wurde nichts Verdächtiges gefunden.',
    alerts_title: 'Warnungen',
    no_alerts: 'Keine Warnungen.',
    alert_count: '{count} Vorkommen',
    suspect_title: 'Verdächtige Kommunikation',
    uncat_title: 'Nicht eingeordnete Kommunikation',
    whitelist_title: 'Kommunikation auf der Ausnahmeliste',
    col_protocol: 'Protokoll',
    col_domain: 'Domain',
    col_dst_ip: 'Ziel-IP',
    col_dst_port: 'Port',
    col_connections: 'Verbindungen',
    col_alerts: 'Warnungen',
    details: 'Details',
    more_rows: '{count} weitere Zeile(n) nicht angezeigt',
    footer: 'Erstellt von Loupe. Indikatoren und Ausnahmeliste bestimmen das Ergebnis stark: Ein ruhiger Bericht ist kein Unschuldsbeweis.',
    language: 'Sprache',
    none: 'keine',
  },
  levels: { critical: 'Kritisch', high: 'Hoch', medium: 'Mittel', low: 'Niedrig', informational: 'Information' },
};
