import type { Catalog } from './en.js';

export const sk: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Prevádzka {proto} opúšťa lokálnu sieť smerom k {host}',
      description: 'Zariadenie poslalo prevádzku {proto} na {host} mimo lokálnej siete. Bežné aplikácie to potrebujú zriedka; môže sa za tým skrývať tunel alebo únik údajov.',
    },
    'PROTO-02': {
      title: 'Spojenie {proto} s {host} na vysokom porte',
      description: 'Zariadenie komunikovalo s {host} cez {proto} na porte {port}, teda na {max_ports} alebo vyššie. Bežné služby používajú nižšie porty, niektorý škodlivý softvér vysoké.',
    },
    'PROTO-03': {
      title: 'Nešifrovaná prevádzka HTTP k {host}',
      description: 'Údaje vymenené s {host} išli cez HTTP bez šifrovania: ktokoľvek na ceste ich môže prečítať alebo zmeniť.',
    },
    'PROTO-04': {
      title: 'Prevádzka HTTP k {host} na neštandardnom porte',
      description: 'Zariadenie poslalo HTTP na {host} cez port {port} namiesto obvyklého. Škodlivý softvér to často robí, aby obišiel jednoduché filtre.',
    },
    'PROTO-05': {
      title: '{ip} kontaktovaná bez prekladu DNS',
      description: 'Zariadenie sa spojilo s {ip} ({proto}/{port}) bez toho, aby sa v zázname na túto adresu preložilo akékoľvek meno. Škodlivý softvér často používa pevné adresy; vysvetlením môže byť aj šifrované DNS alebo odpoveď z vyrovnávacej pamäte.',
    },
    'IOC-01': {
      title: 'Spojenie s {ip}, známou adresou ({tag})',
      description: 'Adresa {ip} je v zozname indikátorov so značkou {tag}. Komunikácia s ňou je silným znakom, že zariadenie je napadnuté.',
    },
    'IOC-02': {
      title: 'Spojenie s {ip} v podozrivom rozsahu {cidr}',
      description: 'Adresa {ip} patrí do rozsahu {cidr}, vedeného ako {tag}. V takých rozsahoch sú podozrivé servery, hoci nie každá adresa v nich je škodlivá.',
    },
    'IOC-03': {
      title: 'Komunikácia s {domain}, známou doménou ({tag})',
      description: 'Meno {domain} zodpovedá indikátoru {ioc} (značka {tag}). Zariadenie ho prekladalo alebo s ním komunikovalo: silný znak napadnutia.',
    },
    'IOC-04': {
      title: 'Komunikácia so sledovačom {domain}',
      description: 'Meno {domain} zodpovedá indikátoru sledovača {ioc}. Sledovače zbierajú údaje o zariadení a jeho používateľovi, niekedy aj polohu.',
    },
    'IOC-05': {
      title: 'Komunikácia s menom dynamického DNS {domain}',
      description: 'Meno {domain} patrí bezplatnej alebo dynamickej službe DNS {ioc}. Také služby sú lacné a anonymné a útočníci ich majú radi.',
    },
    'IOC-06': {
      title: 'Komunikácia s {domain} v podozrivej doméne {tld}',
      description: 'Meno {domain} končí na {tld}, doménu najvyššej úrovne, ktorú škodlivé stránky často používajú, lebo je lacná alebo málo kontrolovaná.',
    },
    'IOC-07': {
      title: 'Certifikát od {host} je známy certifikát ({tag})',
      description: 'Server {host} predložil certifikát s SHA-1 {sha1}, vedený ako {tag}.',
    },
    'IOC-08': {
      title: 'Požiadavka HTTP na {domain}, známu doménu ({tag})',
      description: 'Požiadavka HTTP uvádzala hostiteľa {domain}, ktorý zodpovedá indikátoru {ioc} (značka {tag}).',
    },
    'IOC-09': {
      title: 'Požiadavka HTTP na meno dynamického DNS {domain}',
      description: 'Požiadavka HTTP uvádzala hostiteľa {domain} v bezplatnej alebo dynamickej službe DNS {ioc}.',
    },
    'IOC-10': {
      title: 'Požiadavka HTTP na {domain} v podozrivej doméne {tld}',
      description: 'Požiadavka HTTP uvádzala hostiteľa {domain}, ktorého doménu najvyššej úrovne {tld} často používajú škodlivé stránky.',
    },
    'IOC-11': {
      title: 'Známy odtlačok klienta TLS ({tag}) pri spojení s {host}',
      description: 'Klient TLS v zariadení mal pri pripájaní k {host} odtlačok JA3 {ja3}, vedený ako {tag}.',
    },
    'IOC-12': {
      title: 'Známy súbor ({tag}) prenesený s {host}',
      description: 'Súbor s hašom {hash}, vedený ako {tag}, sa preniesol medzi zariadením a {host}.',
    },
    'IOC-13': {
      title: 'Požiadavka na známu adresu URL ({tag})',
      description: 'Zariadenie požiadalo o {url}, ktorá je v zozname indikátorov so značkou {tag}.',
    },
    'SSL-01': {
      title: 'TLS k {host} na neštandardnom porte',
      description: 'Zariadenie otvorilo šifrovanú reláciu TLS s {host} na porte {port}, ktorý nie je pre TLS obvyklý.',
    },
    'SSL-02': {
      title: '{host} používa bezplatný certifikát',
      description: 'Certifikát {host} vydala {issuer}, bezplatná certifikačná autorita. Používajú ich aj legitímne stránky, ale aj mnohé škodlivé servery.',
    },
    'SSL-03': {
      title: '{host} predkladá certifikát podpísaný sám sebou',
      description: 'Certifikát {host} je podpísaný sám sebou, nie uznávanou autoritou. Za totožnosť toho servera nikto neručí.',
    },
    'SSL-04': {
      title: 'Relácia TLS s {domain}, známou doménou ({tag})',
      description: 'Relácia TLS žiadala meno servera {domain}, ktoré zodpovedá indikátoru {ioc} (značka {tag}).',
    },
    'SSL-05': {
      title: 'Certifikát od {host} s uplynutou platnosťou',
      description: 'Platnosť certifikátu {host} skončila {date}, ešte pred jeho použitím. Dobre spravované servery si ho obnovujú.',
    },
    'SSL-06': {
      title: 'Certifikát od {host} ešte nie je platný',
      description: 'Certifikát {host} platí až od {date}, teda po svojom použití: zlé hodiny alebo sfalšovaný certifikát.',
    },
    'SSL-07': {
      title: 'Certifikát {host} nie je viditeľný',
      description: 'Relácia s {host} použila {version}, ktorý certifikát šifruje: jeho kontroly (autorita, platnosť, odtlačok) sa nedali urobiť.',
    },
    'ACT-01': {
      title: '{domain} používa podozrivý menný server',
      description: 'Doménu {domain} obsluhuje menný server {ns} od poskytovateľa, ktorého útočníci často využívajú.',
    },
    'ACT-02': {
      title: '{domain} bola zaregistrovaná nedávno',
      description: 'Doména {domain} bola zaregistrovaná pred {days} dňami. Škodlivé domény sú často veľmi mladé.',
    },
    'ADV-01': {
      title: '{count} rôznych upozornení na {host}',
      description: 'Cieľ {host} vyvolal {count} rôznych upozornení. Viacero slabých znakov na jednom serveri dáva dokopy silný znak.',
    },
    'SNORT-01': {
      title: 'Spustilo sa sieťové pravidlo: {signature}',
      description: 'Pravidlo detekcie prienikov „{signature}“ rozpoznalo prevádzku s {host}.',
    },
    'DNS-01': {
      title: 'Možný tunel DNS pod {domain}',
      description: '{count} dopytov pod {domain} nieslo dlhé alebo náhodne vyzerajúce menovky (napríklad {example}): takto sa dajú vyniesť údaje.',
    },
    'DNS-02': {
      title: 'Dopytovaných {count} rôznych subdomén {domain}',
      description: 'Zariadenie sa pýtalo na {count} rôznych mien pod {domain}. Toľko je typické pre tunely DNS a riadiace kanály.',
    },
    'DNS-03': {
      title: '{count} dopytov TXT na {domain}',
      description: 'Zariadenie urobilo {count} dopytov TXT pod {domain}. Odpovede TXT môžu niesť príkazy alebo údaje.',
    },
    'DGA-01': {
      title: '{domain} vyzerá ako vygenerovaná algoritmom',
      description: 'Meno {domain} vyzerá náhodne, nie ako vybrané človekom: škodlivý softvér generuje také mená, aby našiel svoje servery.',
    },
    'DGA-02': {
      title: '{src} sa pýtal na {count} vygenerovane vyzerajúcich mien, ktoré neexistujú',
      description: 'Hostiteľ {src} sa pýtal na {count} náhodne vyzerajúcich neexistujúcich mien (napríklad {example}): vzorec škodlivého softvéru, ktorý hľadá svoj server.',
    },
    'CONN-01': {
      title: 'Dlhé spojenie z {src} do {dst}',
      description: 'Spojenie z {src} do {dst} na porte {port} trvalo {duration}. Riadiace kanály a tunely často zostávajú otvorené celé hodiny.',
    },
    'BEACON-01': {
      title: 'Pravidelné volanie z {src} do {dst} (skóre {score})',
      description: '{src} sa pripojil k {dst} {count}-krát v pravidelných intervaloch a s pravidelnou veľkosťou (skóre {score} z 1): rytmus škodlivého softvéru, ktorý volá domov.',
    },
  },
  report: {
    title: 'Správa o analýze siete',
    generated_on: 'Správa vytvorená {date}',
    capture_facts: 'Čo sa analyzovalo',
    evidence_files: 'Súbory',
    records_read: 'Prečítané záznamy',
    first_record: 'Prvý záznam',
    last_record: 'Posledný záznam',
    capture_duration: 'Obdobie',
    hosts_seen: 'Videné lokálne zariadenia',
    indicators_loaded: 'Načítané indikátory: {iocs}; položky bieleho zoznamu: {whitelist}',
    verdict_high: 'Upozornenia vysokej úrovne: {count}. Zariadenie je pravdepodobne napadnuté.',
    verdict_medium: 'Upozornenia strednej úrovne: {count}. Podozrivé správanie, ktoré si zaslúži bližší pohľad.',
    verdict_low: 'Upozornenia nízkej úrovne: {count}. Nič vážne, len pár vecí na vedomie.',
    verdict_none: 'Žiadne upozornenie: v tomto zázname sa nenašlo nič podozrivé.',
    alerts_title: 'Upozornenia',
    no_alerts: 'Žiadne upozornenia.',
    alert_count: 'Výskyty: {count}',
    suspect_title: 'Podozrivá komunikácia',
    uncat_title: 'Nezaradená komunikácia',
    whitelist_title: 'Komunikácia na bielom zozname',
    col_protocol: 'Protokol',
    col_domain: 'Doména',
    col_dst_ip: 'Cieľová IP',
    col_dst_port: 'Port',
    col_connections: 'Spojenia',
    col_alerts: 'Upozornenia',
    details: 'Podrobnosti',
    more_rows: 'Ďalšie nezobrazené riadky: {count}',
    footer: 'Vytvorené nástrojom Loupe. Indikátory a biely zoznam veľa rozhodujú o výsledku: tichá správa nie je dôkazom neviny.',
    language: 'Jazyk',
    none: 'žiadne',
  },
  levels: { critical: 'Kritická', high: 'Vysoká', medium: 'Stredná', low: 'Nízka', informational: 'Informácia' },
};
