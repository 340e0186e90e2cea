import type { Catalog } from './en.js';

export const zh: Catalog = {
  alerts: {
    'PROTO-01': {
      title: '{proto} 流量离开本地网络，发往 {host}',
      description: '设备向本地网络之外的 {host} 发送了 {proto} 流量。普通应用很少需要这样做，它可能隐藏隧道或数据外泄。',
    },
    'PROTO-02': {
      title: '通过高端口与 {host} 建立 {proto} 连接',
      description: '设备通过 {proto} 在端口 {port}（不低于 {max_ports}）与 {host} 通信。常见服务使用较低端口，部分恶意软件使用高端口。',
    },
    'PROTO-03': {
      title: '发往 {host} 的未加密 HTTP 流量',
      description: '与 {host} 交换的数据以未加密的 HTTP 传输：路径上的任何人都能读取或篡改。',
    },
    'PROTO-04': {
      title: '在非标准端口上发往 {host} 的 HTTP 流量',
      description: '设备在端口 {port} 而非常用端口上向 {host} 发送 HTTP。恶意软件常这样做以绕过简单过滤。',
    },
    'PROTO-05': {
      title: '未经 DNS 解析即连接 {ip}',
      description: '设备连接了 {ip}（{proto}/{port}），而抓包中没有任何域名解析到该地址。恶意软件常使用硬编码地址；加密 DNS 或缓存的应答也可能是原因。',
    },
    'IOC-01': {
      title: '连接到已知地址 {ip}（{tag}）',
      description: '地址 {ip} 在威胁指标列表中，标签为 {tag}。与其通信强烈表明设备已被入侵。',
    },
    'IOC-02': {
      title: '连接到可疑网段 {cidr} 内的 {ip}',
      description: '地址 {ip} 位于被标记为 {tag} 的网段 {cidr} 内。这类网段托管可疑服务器，但其中并非所有地址都是恶意的。',
    },
    'IOC-03': {
      title: '与已知域名 {domain} 通信（{tag}）',
      description: '域名 {domain} 命中指标 {ioc}（标签 {tag}）。设备解析或访问了它：这是入侵的强烈迹象。',
    },
    'IOC-04': {
      title: '与跟踪器 {domain} 通信',
      description: '域名 {domain} 命中跟踪器指标 {ioc}。跟踪器会收集设备及其用户的数据，有时包括位置。',
    },
    'IOC-05': {
      title: '与动态 DNS 域名 {domain} 通信',
      description: '域名 {domain} 属于免费或动态 DNS 服务 {ioc}。这类服务便宜且匿名，深受攻击者青睐。',
    },
    'IOC-06': {
      title: '与可疑顶级域 {tld} 下的 {domain} 通信',
      description: '域名 {domain} 以 {tld} 结尾，该顶级域因价格低廉或管理松散而常被恶意网站使用。',
    },
    'IOC-07': {
      title: '{host} 的证书是已知证书（{tag}）',
      description: '服务器 {host} 出示了 SHA-1 为 {sha1} 的证书，该证书被标记为 {tag}。',
    },
    'IOC-08': {
      title: '向已知域名 {domain} 发出 HTTP 请求（{tag}）',
      description: '一个 HTTP 请求指定了主机 {domain}，它命中指标 {ioc}（标签 {tag}）。',
    },
    'IOC-09': {
      title: '向动态 DNS 域名 {domain} 发出 HTTP 请求',
      description: '一个 HTTP 请求指定了主机 {domain}，它属于免费或动态 DNS 服务 {ioc}。',
    },
    'IOC-10': {
      title: '向可疑顶级域 {tld} 下的 {domain} 发出 HTTP 请求',
      description: '一个 HTTP 请求指定了主机 {domain}，其顶级域 {tld} 常被恶意网站使用。',
    },
    'IOC-11': {
      title: '连接 {host} 时出现已知 TLS 客户端指纹（{tag}）',
      description: '设备上的一个 TLS 客户端在连接 {host} 时的 JA3 指纹为 {ja3}，被标记为 {tag}。',
    },
    'IOC-12': {
      title: '与 {host} 之间传输了已知文件（{tag}）',
      description: '哈希为 {hash}、被标记为 {tag} 的文件在设备与 {host} 之间传输。',
    },
    'IOC-13': {
      title: '请求了已知 URL（{tag}）',
      description: '设备请求了 {url}，它在威胁指标列表中，标签为 {tag}。',
    },
    'SSL-01': {
      title: '在非标准端口上与 {host} 建立 TLS',
      description: '设备在端口 {port} 上与 {host} 建立了加密的 TLS 会话，该端口并非 TLS 的常用端口。',
    },
    'SSL-02': {
      title: '{host} 使用免费证书',
      description: '{host} 的证书由免费证书机构 {issuer} 签发。正规网站也会使用，但许多恶意服务器同样如此。',
    },
    'SSL-03': {
      title: '{host} 出示自签名证书',
      description: '{host} 的证书由其自身签名，而非受认可的证书机构。没有人为该服务器的身份担保。',
    },
    'SSL-04': {
      title: '与已知域名 {domain} 的 TLS 会话（{tag}）',
      description: '一个 TLS 会话请求的服务器名为 {domain}，它命中指标 {ioc}（标签 {tag}）。',
    },
    'SSL-05': {
      title: '{host} 的证书已过期',
      description: '{host} 的证书已于 {date} 过期，早于其被使用的时间。维护良好的服务器会及时续期。',
    },
    'SSL-06': {
      title: '{host} 的证书尚未生效',
      description: '{host} 的证书自 {date} 起才生效，晚于其被使用的时间：时钟错误或证书伪造。',
    },
    'SSL-07': {
      title: '{host} 的证书不可见',
      description: '与 {host} 的会话使用了会加密证书的 {version}：无法检查其签发机构、有效期和指纹。',
    },
    'ACT-01': {
      title: '{domain} 使用可疑的域名服务器',
      description: '域名 {domain} 由域名服务器 {ns} 提供解析，该服务商常被攻击者使用。',
    },
    'ACT-02': {
      title: '{domain} 是新近注册的',
      description: '域名 {domain} 注册于 {days} 天前。恶意域名往往非常年轻。',
    },
    'ADV-01': {
      title: '关于 {host} 的 {count} 个不同告警',
      description: '目标 {host} 触发了 {count} 个不同告警。同一服务器上的多个弱信号合起来就是强信号。',
    },
    'SNORT-01': {
      title: '网络规则命中：{signature}',
      description: '入侵检测规则“{signature}”识别出与 {host} 的流量。',
    },
    'DNS-01': {
      title: '{domain} 下可能存在 DNS 隧道',
      description: '{domain} 下有 {count} 个查询带有过长或看似随机的标签（例如 {example}）：数据可能借此被偷偷带出。',
    },
    'DNS-02': {
      title: '查询了 {domain} 的 {count} 个不同子域名',
      description: '设备查询了 {domain} 下 {count} 个不同的名称。如此之多是 DNS 隧道和控制信道的典型特征。',
    },
    'DNS-03': {
      title: '针对 {domain} 的 {count} 次 TXT 查询',
      description: '设备在 {domain} 下进行了 {count} 次 TXT 查询。TXT 应答可以携带指令或数据。',
    },
    'DGA-01': {
      title: '{domain} 看起来是算法生成的',
      description: '域名 {domain} 看起来是随机的，而不是人选定的：恶意软件会生成这类域名来寻找其服务器。',
    },
    'DGA-02': {
      title: '{src} 查询了 {count} 个看似生成且不存在的域名',
      description: '主机 {src} 查询了 {count} 个看似随机且不存在的域名（例如 {example}）：这是恶意软件寻找其服务器的模式。',
    },
    'CONN-01': {
      title: '从 {src} 到 {dst} 的长连接',
      description: '从 {src} 到 {dst} 端口 {port} 的连接持续了 {duration}。控制信道和隧道常常保持数小时不断开。',
    },
    'BEACON-01': {
      title: '从 {src} 到 {dst} 的信标通信（得分 {score}）',
      description: '{src} 以规律的间隔和大小连接 {dst} 共 {count} 次（得分 {score}，满分 1）：这是恶意软件定期回连的节奏。',
    },
  },
  report: {
    title: '网络分析报告',
    generated_on: '报告生成于 {date}',
    capture_facts: '分析内容',
    evidence_files: '证据文件',
    records_read: '读取的记录',
    first_record: '第一条记录',
    last_record: '最后一条记录',
    capture_duration: '时间跨度',
    hosts_seen: '发现的本地设备',
    indicators_loaded: '已加载指标：{iocs}；白名单条目：{whitelist}',
    verdict_high: '{count} 个高级别告警：设备很可能已被入侵。',
    verdict_medium: '{count} 个中级别告警：存在值得细查的可疑行为。',
    verdict_low: '{count} 个低级别告警：没有严重问题，有几点需要了解。',
    verdict_none: '没有告警：本次抓包中未发现可疑内容。',
    alerts_title: '告警',
    no_alerts: '没有告警。',
    alert_count: '出现 {count} 次',
    suspect_title: '可疑通信',
    uncat_title: '未分类通信',
    whitelist_title: '白名单通信',
    col_protocol: '协议',
    col_domain: '域名',
    col_dst_ip: '目标 IP',
    col_dst_port: '端口',
    col_connections: '连接数',
    col_alerts: '告警',
    details: '详情',
    more_rows: '另有 {count} 行未显示',
    footer: '由 Loupe 生成。指标和白名单在很大程度上决定结论：报告安静并不证明清白。',
    language: '语言',
    none: '无',
  },
  levels: { critical: '严重', high: '高', medium: '中', low: '低', informational: '信息' },
};
