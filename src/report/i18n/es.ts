import type { Catalog } from './en.js';

export const es: Catalog = {
  alerts: {
    'PROTO-01': {
      title: 'Tráfico {proto} que sale de la red local hacia {host}',
      description: 'El dispositivo envió tráfico {proto} a {host}, fuera de la red local. Las aplicaciones normales rara vez lo necesitan; puede ocultar un túnel o una fuga de datos.',
    },
    'PROTO-02': {
      title: 'Conexión {proto} a {host} en un puerto alto',
      description: 'El dispositivo se comunicó con {host} por {proto} en el puerto {port}, igual o superior a {max_ports}. Los servicios comunes usan puertos más bajos; algunos programas maliciosos, puertos altos.',
    },
    'PROTO-03': {
      title: 'Tráfico HTTP sin cifrar hacia {host}',
      description: 'Los datos intercambiados con {host} viajaron por HTTP sin cifrar: cualquiera en el camino puede leerlos o modificarlos.',
    },
    'PROTO-04': {
      title: 'Tráfico HTTP hacia {host} en un puerto no estándar',
      description: 'El dispositivo envió HTTP a {host} en el puerto {port} en lugar del habitual. Los programas maliciosos lo hacen a menudo para evitar filtros simples.',
    },
    'PROTO-05': {
      title: '{ip} contactada sin resolución DNS',
      description: 'El dispositivo llegó a {ip} ({proto}/{port}) sin que ningún nombre se resolviera a esa dirección en la captura. Los programas maliciosos suelen usar direcciones fijas; un DNS cifrado o una respuesta en caché también pueden explicarlo.',
    },
    'IOC-01': {
      title: 'Conexión a {ip}, dirección conocida ({tag})',
      description: 'La dirección {ip} figura en la lista de indicadores con la etiqueta {tag}. Comunicarse con ella es un fuerte indicio de que el dispositivo está comprometido.',
    },
    'IOC-02': {
      title: 'Conexión a {ip} en el rango sospechoso {cidr}',
      description: 'La dirección {ip} está en el rango {cidr}, catalogado como {tag}. Esos rangos alojan servidores sospechosos, aunque no todas sus direcciones sean maliciosas.',
    },
    'IOC-03': {
      title: 'Comunicación con {domain}, dominio conocido ({tag})',
      description: 'El nombre {domain} coincide con el indicador {ioc} (etiqueta {tag}). El dispositivo lo resolvió o lo contactó: un fuerte indicio de compromiso.',
    },
    'IOC-04': {
      title: 'Comunicación con el rastreador {domain}',
      description: 'El nombre {domain} coincide con el indicador de rastreador {ioc}. Los rastreadores recogen datos del dispositivo y de su usuario, a veces su ubicación.',
    },
    'IOC-05': {
      title: 'Comunicación con el nombre de DNS dinámico {domain}',
      description: 'El nombre {domain} pertenece al servicio de DNS gratuito o dinámico {ioc}. Estos servicios son baratos y anónimos, y gustan a los atacantes.',
    },
    'IOC-06': {
      title: 'Comunicación con {domain} bajo el dominio sospechoso {tld}',
      description: 'El nombre {domain} termina en {tld}, un dominio de nivel superior usado a menudo por sitios maliciosos por ser barato o poco controlado.',
    },
    'IOC-07': {
      title: 'El certificado de {host} es un certificado conocido ({tag})',
      description: 'El servidor {host} presentó el certificado con SHA-1 {sha1}, catalogado como {tag}.',
    },
    'IOC-08': {
      title: 'Petición HTTP a {domain}, dominio conocido ({tag})',
      description: 'Una petición HTTP nombró el host {domain}, que coincide con el indicador {ioc} (etiqueta {tag}).',
    },
    'IOC-09': {
      title: 'Petición HTTP al nombre de DNS dinámico {domain}',
      description: 'Una petición HTTP nombró el host {domain}, bajo el servicio de DNS gratuito o dinámico {ioc}.',
    },
    'IOC-10': {
      title: 'Petición HTTP a {domain} bajo el dominio sospechoso {tld}',
      description: 'Una petición HTTP nombró el host {domain}, cuyo dominio de nivel superior {tld} se usa a menudo para sitios maliciosos.',
    },
    'IOC-11': {
      title: 'Huella de cliente TLS conocida ({tag}) hacia {host}',
      description: 'Un cliente TLS del dispositivo tenía la huella JA3 {ja3}, catalogada como {tag}, al conectarse a {host}.',
    },
    'IOC-12': {
      title: 'Archivo conocido ({tag}) transferido con {host}',
      description: 'Un archivo con el hash {hash}, catalogado como {tag}, se transfirió entre el dispositivo y {host}.',
    },
    'IOC-13': {
      title: 'Petición a una URL conocida ({tag})',
      description: 'El dispositivo pidió {url}, que figura en la lista de indicadores con la etiqueta {tag}.',
    },
    'SSL-01': {
      title: 'TLS hacia {host} en un puerto no estándar',
      description: 'El dispositivo abrió una sesión TLS cifrada con {host} en el puerto {port}, que no es un puerto habitual para TLS.',
    },
    'SSL-02': {
      title: '{host} usa un certificado gratuito',
      description: 'El certificado de {host} lo emitió {issuer}, una autoridad gratuita. Los sitios legítimos también las usan, pero también muchos servidores maliciosos.',
    },
    'SSL-03': {
      title: '{host} presenta un certificado autofirmado',
      description: 'El certificado de {host} está firmado por sí mismo, no por una autoridad reconocida. Nadie garantiza la identidad de ese servidor.',
    },
    'SSL-04': {
      title: 'Sesión TLS con {domain}, dominio conocido ({tag})',
      description: 'Una sesión TLS pidió el nombre de servidor {domain}, que coincide con el indicador {ioc} (etiqueta {tag}).',
    },
    'SSL-05': {
      title: 'Certificado caducado de {host}',
      description: 'El certificado de {host} caducó el {date}, antes de usarse. Los servidores bien mantenidos renuevan el suyo.',
    },
    'SSL-06': {
      title: 'Certificado de {host} aún no válido',
      description: 'El certificado de {host} solo es válido desde el {date}, después de usarse: un reloj erróneo o un certificado falsificado.',
    },
    'SSL-07': {
      title: 'Certificado de {host} no visible',
      description: 'La sesión con {host} usó {version}, que cifra el certificado: no se pudieron hacer sus comprobaciones (autoridad, caducidad, huella).',
    },
    'ACT-01': {
      title: '{domain} usa un servidor de nombres sospechoso',
      description: 'El dominio {domain} lo sirve el servidor de nombres {ns}, de un proveedor usado a menudo por atacantes.',
    },
    'ACT-02': {
      title: '{domain} se registró hace poco',
      description: 'El dominio {domain} se registró hace {days} días. Los dominios maliciosos suelen ser muy recientes.',
    },
    'ADV-01': {
      title: '{count} alertas distintas sobre {host}',
      description: 'El destino {host} provocó {count} alertas distintas. Varios indicios débiles en un mismo servidor suman uno fuerte.',
    },
    'SNORT-01': {
      title: 'Regla de red activada: {signature}',
      description: 'La regla de detección de intrusiones «{signature}» reconoció tráfico con {host}.',
    },
    'DNS-01': {
      title: 'Posible túnel DNS bajo {domain}',
      description: '{count} consultas bajo {domain} llevaban etiquetas largas o de aspecto aleatorio (por ejemplo {example}): así se pueden sacar datos.',
    },
    'DNS-02': {
      title: '{count} subdominios distintos de {domain} consultados',
      description: 'El dispositivo pidió {count} nombres distintos bajo {domain}. Tantos son típicos de túneles DNS y canales de control.',
    },
    'DNS-03': {
      title: '{count} consultas TXT para {domain}',
      description: 'El dispositivo hizo {count} consultas TXT bajo {domain}. Las respuestas TXT pueden llevar órdenes o datos.',
    },
    'DGA-01': {
      title: '{domain} parece generado por un algoritmo',
      description: 'El nombre {domain} parece aleatorio y no elegido por una persona: los programas maliciosos generan estos nombres para encontrar sus servidores.',
    },
    'DGA-02': {
      title: '{src} pidió {count} nombres de aspecto generado que no existen',
      description: 'El equipo {src} consultó {count} nombres de aspecto aleatorio que no existen (por ejemplo {example}): el patrón de un programa malicioso que busca su servidor.',
    },
    'CONN-01': {
      title: 'Conexión larga de {src} a {dst}',
      description: 'Una conexión de {src} a {dst} en el puerto {port} duró {duration}. Los canales de control y los túneles suelen quedar abiertos durante horas.',
    },
    'BEACON-01': {
      title: 'Baliza de {src} a {dst} (puntuación {score})',
      description: '{src} se conectó {count} veces a {dst} a intervalos y con tamaños regulares (puntuación {score} sobre 1): el ritmo de un programa malicioso que llama a casa.',
    },
  },
  report: {
    title: 'Informe de análisis de red',
    generated_on: 'Informe generado el {date}',
    capture_facts: 'Qué se analizó',
    evidence_files: 'Archivos analizados',
    records_read: 'Registros leídos',
    first_record: 'Primer registro',
    last_record: 'Último registro',
    capture_duration: 'Periodo cubierto',
    hosts_seen: 'Dispositivos locales vistos',
    indicators_loaded: 'Indicadores cargados: {iocs}; entradas de la lista blanca: {whitelist}',
    verdict_high: '{count} alerta(s) de nivel alto: el dispositivo probablemente está comprometido.',
    verdict_medium: '{count} alerta(s) de nivel medio: un comportamiento sospechoso que merece atención.',
    verdict_low: '{count} alerta(s) de nivel bajo: nada grave, algunos puntos a conocer.',
    verdict_none: 'Ninguna alerta: no se encontró nada sospechoso en esta captura.',
    alerts_title: 'Alertas',
    no_alerts: 'Ninguna alerta.',
    alert_count: '{count} vez/veces',
    suspect_title: 'Comunicaciones sospechosas',
    uncat_title: 'Comunicaciones sin categoría',
    whitelist_title: 'Comunicaciones en la lista blanca',
    col_protocol: 'Protocolo',
    col_domain: 'Dominio',
    col_dst_ip: 'IP de destino',
    col_dst_port: 'Puerto',
    col_connections: 'Conexiones',
    col_alerts: 'Alertas',
    details: 'Detalles',
    more_rows: '{count} fila(s) más no mostrada(s)',
    footer: 'Generado por Loupe. Los indicadores y la lista blanca deciden mucho del veredicto: un informe tranquilo no prueba la inocencia.',
    language: 'Idioma',
    none: 'ninguno',
  },
  levels: { critical: 'Crítico', high: 'Alto', medium: 'Medio', low: 'Bajo', informational: 'Información' },
};
