import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Role, ROLES } from '@ledger/core';
import { enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

type Route = `${'GET' | 'POST' | 'PUT'} ${string}`;

/**
 * Who may call what, from the access-control issue: emitters write events and
 * ask for decisions; the help desk reads subject state and the review queue;
 * reviewers read what they review and act on review cases (as do admins); auditors read history, verify and export;
 * admins publish policy and manage projections. Health and metrics are
 * public (probes and scrapers carry no key; metrics hold counts, never
 * subjects), and so is the OpenAPI document at /docs, which Nest does not
 * list among its routes because Swagger serves it.
 */
const MATRIX: Record<Route, Role[] | 'public'> = {
  'GET /health': 'public',
  'GET /health/ready': 'public',
  'GET /health/live': 'public',
  'GET /console': 'public',
  'GET /console/assets/:file': 'public',
  'GET /v1/whoami': [...ROLES],
  'GET /metrics': 'public',
  'POST /v1/events': ['emitter'],
  'POST /v1/decisions': ['emitter'],
  'GET /v1/event-types': [...ROLES],
  'GET /v1/policy': [...ROLES],
  'GET /v1/policy/versions/:version': [...ROLES],
  'PUT /v1/policy': ['admin'],
  'GET /v1/subjects/:subjectId/events': ['auditor', 'helpdesk'],
  'GET /v1/subjects/:subjectId/state': ['auditor'],
  'GET /v1/subjects/:subjectId/history': ['auditor'],
  'GET /v1/subjects/:subjectId': ['helpdesk', 'reviewer', 'auditor'],
  'GET /v1/subjects': ['helpdesk', 'reviewer', 'auditor'],
  'GET /v1/reviews': ['helpdesk', 'reviewer', 'auditor'],
  'GET /v1/reviews/summary': ['helpdesk', 'reviewer', 'auditor'],
  'POST /v1/reviews/bulk': ['reviewer', 'admin'],
  'POST /v1/reviews/:id/acknowledge': ['reviewer', 'admin'],
  'POST /v1/reviews/:id/resolve': ['reviewer', 'admin'],
  'POST /v1/reviews/:id/escalate': ['reviewer', 'admin'],
  'POST /v1/reviews/:id/take': ['reviewer', 'admin'],
  'GET /v1/posture': ['auditor', 'reviewer', 'admin'],
  'GET /v1/projections': ['admin', 'auditor'],
  'GET /v1/projections/checksums': ['admin', 'auditor'],
  'GET /v1/audit/verify': ['auditor'],
  'GET /v1/audit/export': ['auditor'],
  'GET /v1/audit/checkpoints': ['auditor'],
  'GET /v1/audit/checkpoints/verify': ['auditor'],
  'POST /v1/audit/checkpoints': ['admin', 'auditor'],
  'GET /v1/audit/authentications': ['auditor', 'admin'],
  'GET /v1/audit/authentications/count': ['auditor', 'admin'],
  'GET /v1/audit/evidence': ['auditor', 'admin'],
  'POST /v1/exceptions': ['helpdesk', 'reviewer', 'admin'],
  'GET /v1/exceptions': ['helpdesk', 'reviewer', 'auditor', 'admin'],
  'GET /v1/exceptions/:exceptionId': ['helpdesk', 'reviewer', 'auditor', 'admin'],
  'POST /v1/exceptions/:exceptionId/approve': ['reviewer', 'admin'],
  'POST /v1/exceptions/:exceptionId/reject': ['reviewer', 'admin'],
  'POST /v1/exceptions/:exceptionId/revoke': ['reviewer', 'admin'],
};

const EXAMPLE_PATHS: Record<string, string> = {
  '/console/assets/:file': '/console/assets/no-such-file.js',
  '/v1/policy/versions/:version': '/v1/policy/versions/1',
  '/v1/subjects/:subjectId/events': '/v1/subjects/matrix-subject/events',
  '/v1/subjects/:subjectId/history': '/v1/subjects/matrix-subject/history',
  '/v1/subjects/:subjectId/state': '/v1/subjects/matrix-subject/state?asOf=2030-01-01T00:00:00Z',
  '/v1/subjects/:subjectId': '/v1/subjects/matrix-subject',
  '/v1/reviews/:id/acknowledge': '/v1/reviews/matrix-subject~fallback/acknowledge',
  '/v1/reviews/:id/resolve': '/v1/reviews/matrix-subject~fallback/resolve',
  '/v1/reviews/:id/escalate': '/v1/reviews/matrix-subject~fallback/escalate',
  '/v1/reviews/:id/take': '/v1/reviews/matrix-subject~fallback/take',
  '/v1/audit/export': '/v1/audit/export?format=jsonl',
  '/v1/audit/checkpoints/verify': `/v1/audit/checkpoints/verify?position=0&digest=${'0'.repeat(64)}`,
  '/v1/exceptions/:exceptionId': '/v1/exceptions/matrix-exception',
  '/v1/exceptions/:exceptionId/approve': '/v1/exceptions/matrix-exception/approve',
  '/v1/exceptions/:exceptionId/reject': '/v1/exceptions/matrix-exception/reject',
  '/v1/exceptions/:exceptionId/revoke': '/v1/exceptions/matrix-exception/revoke',
};

/** Every route the running application serves, read from Nest's own metadata. */
function servedRoutes(ledger: RunningLedger): Route[] {
  const routes: Route[] = [];
  for (const module of ledger.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as new (...args: unknown[]) => object;
      const prefix = [Reflect.getMetadata(PATH_METADATA, controller)].flat()[0] as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || typeof handler !== 'function') continue;
        for (const path of [Reflect.getMetadata(PATH_METADATA, handler)].flat() as string[]) {
          const full = `/${[prefix, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/');
          routes.push(`${RequestMethod[method]} ${full}` as Route);
        }
      }
    }
  }
  return routes;
}

describe('access control: every route against every role and no key', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger();
    await ledger.post(enrolledEvent('matrix-subject'));
  });
  afterAll(async () => ledger?.stop());

  it('covers every route the application serves', () => {
    expect(new Set(servedRoutes(ledger))).toEqual(new Set(Object.keys(MATRIX)));
  });

  it('lets the allowed roles through and answers 401 without a key and 403 for every other role', async () => {
    const rows: string[] = [];
    const mismatches: string[] = [];
    for (const [route, allowed] of Object.entries(MATRIX) as Array<[Route, Role[] | 'public']>) {
      const [method, template] = route.split(' ');
      const path = EXAMPLE_PATHS[template] ?? template;
      const cells: string[] = [];
      for (const as of [null, ...ROLES] as const) {
        const response = await ledger.request(method, path, { as, body: method === 'GET' ? undefined : {} });
        const permitted = allowed === 'public' || (as !== null && allowed.includes(as));
        const expected = permitted ? 'allowed' : as === null ? 401 : 403;
        const ok = permitted ? response.status !== 401 && response.status !== 403 : response.status === expected;
        if (!ok) mismatches.push(`${route} as ${as ?? 'no key'}: ${response.status}, expected ${expected}`);
        cells.push(`${permitted ? '✓' : '·'}${response.status}`.padEnd(9));
      }
      rows.push(`${route.padEnd(40)} ${cells.join('')}`);
    }
    console.log(`${'route'.padEnd(40)} ${['no key', ...ROLES].map((name) => name.padEnd(9)).join('')}\n${rows.join('\n')}`);
    expect(mismatches).toEqual([]);
  });

  it('says nothing about whether a subject exists to a caller without the role', async () => {
    // The path asked for and the request id differ by nature; everything else must be the same.
    const sameness = ({ instance: _instance, requestId: _requestId, ...rest }: Record<string, unknown>) => rest;
    const known = await ledger.get('/v1/subjects/matrix-subject', 'emitter');
    const unknown = await ledger.get('/v1/subjects/nobody-at-all', 'emitter');
    expect(known.status).toBe(403);
    expect(sameness(unknown.body)).toEqual(sameness(known.body));
    const anonymousKnown = await ledger.get('/v1/subjects/matrix-subject', null);
    const anonymousUnknown = await ledger.get('/v1/subjects/nobody-at-all', null);
    expect(anonymousKnown.status).toBe(401);
    expect(sameness(anonymousUnknown.body)).toEqual(sameness(anonymousKnown.body));
    expect(anonymousKnown.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a key that is malformed or unknown with 401', async () => {
    for (const header of ['Bearer nonsense', `Bearer ${ledger.keys.admin.slice(0, -2)}xx`, 'Basic dXNlcjpwYXNz', ledger.keys.admin]) {
      const response = await ledger.request('GET', '/v1/policy', { as: null, headers: { authorization: header } });
      expect(response.status).toBe(401);
    }
  });
});
