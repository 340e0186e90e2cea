import type { Catalog } from './en.js';

export const fr: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Trafic {proto} sortant du réseau local vers {host}',
      description: "L'appareil a envoyé du trafic {proto} vers {host}, hors du réseau local. Les applications ordinaires en ont rarement besoin ; il peut cacher un tunnel ou une fuite de données.",
    },
    'PROTO-02': {
      title: 'Connexion {proto} vers {host} sur un port élevé',
      description: "L'appareil a communiqué avec {host} en {proto} sur le port {port}, supérieur ou égal à {max_ports}. Les services courants utilisent des ports plus bas ; certains logiciels malveillants des ports élevés.",
    },
    'PROTO-03': {
      title: 'Trafic HTTP non chiffré vers {host}',
      description: "Les données échangées avec {host} ont circulé en HTTP sans chiffrement : toute personne sur le chemin peut les lire ou les modifier.",
    },
    'PROTO-04': {
      title: 'Trafic HTTP vers {host} sur un port non standard',
      description: "L'appareil a envoyé du HTTP à {host} sur le port {port} au lieu du port habituel. Les logiciels malveillants le font souvent pour éviter les filtres simples.",
    },
    'PROTO-05': {
      title: '{ip} contacté sans résolution DNS',
      description: "L'appareil a joint {ip} ({proto}/{port}) sans qu'aucun nom ne soit résolu vers cette adresse dans la capture. Les logiciels malveillants utilisent souvent des adresses codées en dur ; un DNS chiffré ou une réponse en cache peut aussi l'expliquer.",
    },
    'IOC-01': {
      title: 'Connexion à {ip}, adresse connue ({tag})',
      description: "L'adresse {ip} figure dans la liste d'indicateurs avec l'étiquette {tag}. Communiquer avec elle est un signe fort de compromission de l'appareil.",
    },
    'IOC-02': {
      title: 'Connexion à {ip} dans la plage suspecte {cidr}',
      description: "L'adresse {ip} appartient à la plage {cidr}, répertoriée comme {tag}. Ces plages hébergent des serveurs suspects, même si toutes leurs adresses ne sont pas malveillantes.",
    },
    'IOC-03': {
      title: 'Communication avec {domain}, domaine connu ({tag})',
      description: "Le nom {domain} correspond à l'indicateur {ioc} (étiquette {tag}). L'appareil l'a résolu ou l'a contacté : un signe fort de compromission.",
    },
    'IOC-04': {
      title: 'Communication avec le traqueur {domain}',
      description: "Le nom {domain} correspond à l'indicateur de traqueur {ioc}. Les traqueurs collectent des données sur l'appareil et son utilisateur, parfois sa position.",
    },
    'IOC-05': {
      title: 'Communication avec le nom de DNS dynamique {domain}',
      description: "Le nom {domain} appartient au service de DNS gratuit ou dynamique {ioc}. Ces services sont bon marché et anonymes, et les attaquants les apprécient.",
    },
    'IOC-06': {
      title: 'Communication avec {domain} sous le domaine suspect {tld}',
      description: 'Le nom {domain} se termine par {tld}, un domaine de premier niveau souvent utilisé par des sites malveillants car bon marché ou peu contrôlé.',
    },
    'IOC-07': {
      title: 'Le certificat de {host} est un certificat connu ({tag})',
      description: 'Le serveur {host} a présenté le certificat de SHA-1 {sha1}, répertorié comme {tag}.',
    },
    'IOC-08': {
      title: 'Requête HTTP vers {domain}, domaine connu ({tag})',
      description: "Une requête HTTP a nommé l'hôte {domain}, qui correspond à l'indicateur {ioc} (étiquette {tag}).",
    },
    'IOC-09': {
      title: 'Requête HTTP vers le nom de DNS dynamique {domain}',
      description: "Une requête HTTP a nommé l'hôte {domain}, sous le service de DNS gratuit ou dynamique {ioc}.",
    },
    'IOC-10': {
      title: 'Requête HTTP vers {domain} sous le domaine suspect {tld}',
      description: "Une requête HTTP a nommé l'hôte {domain}, dont le domaine de premier niveau {tld} est souvent utilisé par des sites malveillants.",
    },
    'IOC-11': {
      title: 'Empreinte de client TLS connue ({tag}) vers {host}',
      description: "Un client TLS de l'appareil avait l'empreinte JA3 {ja3}, répertoriée comme {tag}, en se connectant à {host}.",
    },
    'IOC-12': {
      title: 'Fichier connu ({tag}) échangé avec {host}',
      description: "Un fichier d'empreinte {hash}, répertorié comme {tag}, a été transféré entre l'appareil et {host}.",
    },
    'IOC-13': {
      title: 'Requête vers une URL connue ({tag})',
      description: "L'appareil a demandé {url}, qui figure dans la liste d'indicateurs avec l'étiquette {tag}.",
    },
    'SSL-01': {
      title: 'TLS vers {host} sur un port non standard',
      description: "L'appareil a ouvert une session TLS chiffrée vers {host} sur le port {port}, qui n'est pas un port habituel pour TLS.",
    },
    'SSL-02': {
      title: '{host} utilise un certificat gratuit',
      description: "Le certificat de {host} a été émis par {issuer}, une autorité gratuite. Des sites légitimes en utilisent aussi, mais beaucoup de serveurs malveillants également.",
    },
    'SSL-03': {
      title: '{host} présente un certificat auto-signé',
      description: "Le certificat de {host} est signé par lui-même et non par une autorité reconnue. Personne ne garantit l'identité de ce serveur.",
    },
    'SSL-04': {
      title: 'Session TLS vers {domain}, domaine connu ({tag})',
      description: "Une session TLS a demandé le nom de serveur {domain}, qui correspond à l'indicateur {ioc} (étiquette {tag}).",
    },
    'SSL-05': {
      title: 'Certificat expiré présenté par {host}',
      description: "Le certificat de {host} a expiré le {date}, avant son utilisation. Les serveurs bien tenus renouvellent le leur.",
    },
    'SSL-06': {
      title: 'Certificat de {host} pas encore valide',
      description: "Le certificat de {host} n'est valide qu'à partir du {date}, après son utilisation : une horloge fausse ou un certificat forgé.",
    },
    'SSL-07': {
      title: 'Certificat de {host} non visible',
      description: "La session avec {host} utilisait {version}, qui chiffre le certificat : ses vérifications (autorité, expiration, empreinte) n'ont pas pu être faites.",
    },
    'ACT-01': {
      title: '{domain} utilise un serveur de noms suspect',
      description: 'Le domaine {domain} est servi par le serveur de noms {ns}, chez un fournisseur souvent utilisé par des attaquants.',
    },
    'ACT-02': {
      title: '{domain} a été enregistré récemment',
      description: 'Le domaine {domain} a été enregistré il y a {days} jours. Les domaines malveillants sont souvent très jeunes.',
    },
    'ADV-01': {
      title: '{count} alertes différentes concernant {host}',
      description: 'La destination {host} a déclenché {count} alertes différentes. Plusieurs signes faibles sur un même serveur en font un signe fort.',
    },
    'SNORT-01': {
      title: 'Règle réseau déclenchée : {signature}',
      description: 'La règle de détection d\'intrusion « {signature} » a reconnu du trafic avec {host}.',
    },
    'DNS-01': {
      title: 'Tunnel DNS possible sous {domain}',
      description: '{count} requêtes sous {domain} portaient des libellés longs ou d\'apparence aléatoire (par exemple {example}) : des données peuvent sortir ainsi.',
    },
    'DNS-02': {
      title: '{count} sous-domaines différents de {domain} demandés',
      description: "L'appareil a demandé {count} noms différents sous {domain}. Un tel nombre est typique des tunnels DNS et des canaux de commande.",
    },
    'DNS-03': {
      title: '{count} requêtes TXT pour {domain}',
      description: "L'appareil a fait {count} requêtes TXT sous {domain}. Les réponses TXT peuvent transporter des commandes ou des données.",
    },
    'DGA-01': {
      title: '{domain} semble généré par un algorithme',
      description: "Le nom {domain} paraît aléatoire plutôt que choisi par une personne : les logiciels malveillants génèrent de tels noms pour trouver leurs serveurs.",
    },
    'DGA-02': {
      title: '{src} a demandé {count} noms d\'apparence générée qui n\'existent pas',
      description: "L'hôte {src} a demandé {count} noms d'apparence aléatoire qui n'existent pas (par exemple {example}) : le schéma d'un logiciel malveillant qui cherche son serveur.",
    },
    'CONN-01': {
      title: 'Connexion longue de {src} vers {dst}',
      description: 'Une connexion de {src} vers {dst} sur le port {port} a duré {duration}. Les canaux de commande et les tunnels restent souvent ouverts des heures.',
    },
    'BEACON-01': {
      title: 'Balise de {src} vers {dst} (score {score})',
      description: '{src} s\'est connecté {count} fois à {dst} à intervalles et tailles réguliers (score {score} sur 1) : le rythme d\'un logiciel malveillant qui appelle sa base.',
    },
  },
  report: {
    title: "Rapport d'analyse réseau",
    generated_on: 'Rapport généré le {date}',
    capture_facts: 'Ce qui a été analysé',
    evidence_files: 'Fichiers analysés',
    records_read: 'Enregistrements lus',
    first_record: 'Premier enregistrement',
    last_record: 'Dernier enregistrement',
    capture_duration: 'Durée couverte',
    hosts_seen: 'Appareils locaux vus',
    indicators_loaded: 'Indicateurs chargés : {iocs} ; entrées de liste blanche : {whitelist}',
    verdict_high: '{count} alerte(s) de niveau élevé : l\'appareil est probablement compromis.',
    verdict_medium: '{count} alerte(s) de niveau moyen : un comportement suspect qui mérite un examen.',
    verdict_low: '{count} alerte(s) de niveau faible : rien de grave, quelques points à connaître.',
    verdict_none: 'Aucune alerte : rien de suspect n\'a été trouvé dans cette capture.',
    alerts_title: 'Alertes',
    no_alerts: 'Aucune alerte.',
    alert_count: '{count} occurrence(s)',
    suspect_title: 'Communications suspectes',
    uncat_title: 'Communications non catégorisées',
    whitelist_title: 'Communications en liste blanche',
    col_protocol: 'Protocole',
    col_domain: 'Domaine',
    col_dst_ip: 'IP de destination',
    col_dst_port: 'Port',
    col_connections: 'Connexions',
    col_alerts: 'Alertes',
    details: 'Détails',
    more_rows: '{count} ligne(s) de plus non affichée(s)',
    footer: 'Produit par Loupe. Les indicateurs et la liste blanche décident beaucoup du verdict : un rapport silencieux ne prouve pas l\'innocence.',
    language: 'Langue',
    none: 'aucun',
  },
  levels: { critical: 'Critique', high: 'Élevé', medium: 'Moyen', low: 'Faible', informational: 'Information' },
};
