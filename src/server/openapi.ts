/** The OpenAPI 3.1 description of the live server's API, served at /api/v1/openapi.json. */

const error = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error'] };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const errors = (codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: { 400: 'bad request', 401: 'no valid token', 403: 'the token may not do this', 404: 'no such threat', 413: 'body over the limit', 415: 'unsupported content type or encoding', 429: 'behind: retry after the delay in Retry-After', 503: 'ingest stopped' }[c] ?? 'error',
        content: { 'application/json': { schema: error } },
        ...(c === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } } } : {}),
      },
    ]),
  );

export function openApi(version: string, bodyLimit: number): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loupe live server',
      version,
      description:
        'Endpoints send Windows events (Sysmon, Security) as NDJSON; Loupe keeps process trees per host, scores chains from its detectors, and raises threats. Every route but /api/v1/health needs a bearer token: agent tokens (`loupe agents add NAME`) may only POST /api/v1/ingest; the analyst token (`loupe agents add NAME --analyst`) reads threats and sets their states. No GET changes anything.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        IngestReply: {
          type: 'object',
          properties: {
            accepted: { type: 'integer', description: 'events committed' },
            rejected: { type: 'integer', description: 'lines not stored' },
            errors: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, reason: { type: 'string' } } } },
            notes: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, note: { type: 'string' } } } },
            firstSeq: { type: 'integer' },
            duplicate: { type: 'boolean', description: 'the batch (same Idempotency-Key) had been committed before' },
          },
          required: ['accepted', 'rejected', 'errors', 'firstSeq'],
        },
        Host: {
          type: 'object',
          properties: {
            host: { type: 'string' },
            events: { type: 'integer' },
            firstSeen: { type: 'integer', description: 'UTC epoch ms' },
            lastSeen: { type: 'integer' },
            agent: { type: 'string' },
            openChains: { type: 'integer' },
            threats: { type: 'integer' },
          },
        },
        Technique: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' }, tactics: { type: 'array', items: { type: 'string' } }, hits: { type: 'integer' }, allowedOnly: { type: 'boolean' } },
        },
        Attribution: {
          type: 'object',
          properties: {
            id: { type: 'string', description: 'ATT&CK G or S id' },
            name: { type: 'string' },
            kind: { enum: ['group', 'software'] },
            score: { type: 'number' },
            shared: { type: 'array', items: { type: 'string' } },
          },
        },
        Process: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            parentKey: { type: 'string' },
            pid: { type: 'integer' },
            image: { type: 'string' },
            commandLine: { type: 'string', description: 'exactly as the event had it' },
            user: { type: 'string' },
            start: { type: 'integer' },
            end: { type: 'integer' },
            placeholder: { type: 'boolean', description: 'referenced, its start not seen' },
            context: { type: 'boolean', description: 'the chain root above the chain, not a member' },
            allowed: { type: 'string', description: 'the allow rule reason' },
            hits: { type: 'array', items: { type: 'object' } },
          },
        },
        ThreatSummary: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            chainId: { type: 'string' },
            host: { type: 'string' },
            score: { type: 'number' },
            threshold: { type: 'number' },
            level: { type: 'string' },
            open: { type: 'boolean' },
            firstSeen: { type: 'integer' },
            lastSeen: { type: 'integer' },
            head: ref('Process'),
            members: { type: 'integer' },
            hitCount: { type: 'integer' },
            techniques: { type: 'array', items: ref('Technique') },
            tactics: { type: 'array', items: { type: 'string' }, description: 'kill-chain order' },
            attribution: { type: 'array', items: ref('Attribution') },
            state: { enum: ['new', 'handled', 'ignored'] },
            stateBy: { type: 'string' },
            stateAt: { type: 'integer' },
            stateNote: { type: 'string' },
            mergedInto: { type: 'string' },
          },
        },
        Threat: { allOf: [ref('ThreatSummary'), { type: 'object', properties: { tree: { type: 'array', items: ref('Process') }, treeTruncated: { type: 'integer' } } }] },
        Hit: {
          type: 'object',
          properties: {
            alertId: { type: 'string' },
            detector: { type: 'string' },
            ruleId: { type: 'string' },
            title: { type: 'string' },
            level: { type: 'string' },
            techniques: { type: 'array', items: { type: 'string' } },
            time: { type: 'integer' },
            eventId: { type: 'string' },
            processKey: { type: 'string' },
            allowed: { type: 'string' },
            points: { type: 'number' },
          },
        },
        StateChange: {
          type: 'object',
          properties: { threatId: { type: 'string' }, state: { enum: ['new', 'handled', 'ignored'] }, by: { type: 'string' }, at: { type: 'integer' }, note: { type: 'string' } },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/health': {
        get: { summary: 'liveness (no token)', security: [], responses: { '200': { description: 'up', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/api/v1/openapi.json': { get: { summary: 'this document', responses: { '200': { description: 'OpenAPI 3.1' }, ...errors([401]) } } },
      '/api/v1/ingest': {
        post: {
          summary: 'events from an agent (agent token)',
          description: `NDJSON, one Windows event per line, in NXLog, Winlogbeat/ECS, evtx-crate JSON or RmEye {Action, Data} shape; \`Content-Encoding: gzip\` accepted. Bodies over ${bodyLimit} bytes (compressed or not) get 413. The reply comes after the batch is committed; send an \`Idempotency-Key\` header so that a retried batch is not stored twice. When the server is behind it answers 429 with Retry-After: wait and send the same batch again.`,
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' } }],
          requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
          responses: { '200': { description: 'committed', content: { 'application/json': { schema: ref('IngestReply') } } }, ...errors([400, 401, 403, 413, 415, 429, 503]) },
        },
      },
      '/api/v1/hosts': {
        get: { summary: 'hosts that sent events (analyst token)', responses: { '200': { description: 'hosts', content: { 'application/json': { schema: { type: 'object', properties: { hosts: { type: 'array', items: ref('Host') } } } } } }, ...errors([401, 403]) } },
      },
      '/api/v1/threats': {
        get: {
          summary: 'threats, latest first (analyst token)',
          parameters: [
            { name: 'state', in: 'query', schema: { enum: ['new', 'handled', 'ignored'] } },
            { name: 'host', in: 'query', schema: { type: 'string' } },
            { name: 'open', in: 'query', schema: { type: 'boolean' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            '200': { description: 'threats', content: { 'application/json': { schema: { type: 'object', properties: { total: { type: 'integer' }, threats: { type: 'array', items: ref('ThreatSummary') } } } } } },
            ...errors([400, 401, 403]),
          },
        },
      },
      '/api/v1/threats/{id}': {
        get: {
          summary: 'one threat: tree, hits, attribution, state history (analyst token)',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'hitsLimit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000 } },
            { name: 'hitsOffset', in: 'query', schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            '200': {
              description: 'the threat',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { threat: ref('Threat'), hits: { type: 'array', items: ref('Hit') }, hitTotal: { type: 'integer' }, states: { type: 'array', items: ref('StateChange') } } },
                },
              },
            },
            ...errors([401, 403, 404]),
          },
        },
      },
      '/api/v1/threats/{id}/state': {
        post: {
          summary: "set an analyst state (analyst token); who and when are recorded",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: { state: { enum: ['new', 'handled', 'ignored'] }, note: { type: 'string', maxLength: 4000 } }, required: ['state'] } } },
          },
          responses: { '200': { description: 'recorded', content: { 'application/json': { schema: ref('StateChange') } } }, ...errors([400, 401, 403, 404]) },
        },
      },
    },
  };
}
