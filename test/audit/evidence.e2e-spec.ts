import { randomUUID } from 'node:crypto';
import { sqliteOnly } from '../support/e2e-store';
import { buildLedgerCli, CliContext } from '../../apps/ledger-cli/src/ledger-cli';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';
const BEFORE = '2026-02-15T12:00:00Z';
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-31T23:59:59Z';
const AFTER = '2026-04-10T12:00:00Z';

function fact(subject: string, type: string, time: string, data: Record<string, unknown>) {
  return { specversion: '1.0', id: randomUUID(), source: 'https://idp.example.com', type, subject, time, data };
}

const securityKey = (authenticatorId: string) => ({
  authenticatorId,
  kind: 'security-key',
  phishingResistant: true,
  hardwareBound: true,
  syncable: false,
  userVerification: true,
});
const sms = (authenticatorId: string) => ({
  authenticatorId,
  kind: 'sms',
  phishingResistant: false,
  hardwareBound: false,
  syncable: false,
  userVerification: false,
});
const signIn = (subject: string, time: string, kind: string, authenticatorId: string, applicationId = 'payroll') =>
  fact(subject, 'assurance.authentication.succeeded', time, {
    channel: 'vpn',
    applicationId,
    methods: [{ kind, authenticatorId, amr: [kind === 'sms' ? 'sms' : 'hwk'] }],
  });
const recovery = (subject: string, phase: string, time: string, extra: Record<string, unknown>) =>
  fact(subject, `assurance.recovery.${phase}`, time, { method: 'help-desk', verifiedBy: 'agent-7', userNotified: false, ...extra });
const stepUp = (subject: string, outcome: string, time: string) =>
  fact(subject, `assurance.stepup.${outcome}`, time, {
    applicationId: 'payroll',
    channel: 'vpn',
    requiredAal: 3,
    reason: 'payroll export',
    methods: [{ kind: 'security-key', amr: ['hwk'] }],
  });

/** The same rule as the report's, written again here so the test does not grade the report by its own code. */
function countLines(ndjson: string, rule: { types: string[]; where?: Record<string, unknown>; present?: string[] }): number {
  return ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((line) => rule.types.includes(line.type))
    .filter((line) => Object.entries(rule.where ?? {}).every(([field, value]) => line.data[field] === value))
    .filter((line) => (rule.present ?? []).every((field) => line.data[field] != null)).length;
}

function atPointer(document: any, pointer: string): unknown {
  return (
    pointer
      .split('/')
      .slice(1)
      .reduce((value, token) => (value == null ? undefined : value[token.replace(/~1/g, '/').replace(/~0/g, '~')]), document) ?? null
  );
}

describe('evidence report: GET /v1/audit/evidence', () => {
  let ledger: RunningLedger;
  let report: any;

  beforeAll(async () => {
    ledger = await startLedger();
    const written = await ledger.post(
      [
        // Before the window: counted by "now" figures only.
        fact('ana', 'assurance.identity.proofed', BEFORE, {
          ial: 2,
          method: 'in-person',
          evidence: ['passport'],
          proofedBy: 'registrar-1',
        }),
        fact('ana', 'assurance.authenticator.enrolled', BEFORE, securityKey('ana-key')),
        signIn('ana', BEFORE, 'security-key', 'ana-key'),
        // In the window.
        fact('ben', 'assurance.identity.proofed', '2026-03-02T09:00:00Z', {
          ial: 2,
          method: 'remote',
          evidence: ['driving-licence'],
          proofedBy: 'registrar-2',
        }),
        fact('ben', 'assurance.authenticator.enrolled', '2026-03-02T09:05:00Z', sms('ben-sms')),
        fact('ben', 'assurance.authenticator.enrolled', '2026-03-02T09:10:00Z', securityKey('ben-key')),
        signIn('ben', '2026-03-03T08:00:00Z', 'security-key', 'ben-key'),
        signIn('ben', '2026-03-03T09:00:00Z', 'sms', 'ben-sms'),
        fact('ben', 'assurance.authenticator.revoked', '2026-03-04T09:00:00Z', { authenticatorId: 'ben-sms', reason: 'SMS retired' }),
        fact('cleo', 'assurance.authenticator.enrolled', '2026-03-05T09:00:00Z', sms('cleo-sms')),
        signIn('cleo', '2026-03-05T10:00:00Z', 'sms', 'cleo-sms', 'wiki'),
        fact('cleo', 'assurance.authentication.failed', '2026-03-05T10:30:00Z', {
          channel: 'vpn',
          applicationId: 'wiki',
          methods: [{ kind: 'sms', amr: ['sms'] }],
          failureReason: 'code expired',
        }),
        fact('cleo', 'assurance.fallback.used', '2026-03-05T10:31:00Z', {
          applicationId: 'wiki',
          channel: 'vpn',
          intendedMethod: 'security-key',
          usedMethod: 'sms',
          reason: 'key at home',
        }),
        recovery('cleo', 'initiated', '2026-03-06T09:00:00Z', {}),
        recovery('cleo', 'completed', '2026-03-06T09:30:00Z', { userNotified: true, ticketId: 'INC-1' }),
        recovery('ben', 'completed', '2026-03-07T09:30:00Z', {}),
        recovery('ana', 'failed', '2026-03-08T09:30:00Z', {}),
        fact('ana', 'assurance.breakglass.used', '2026-03-09T09:00:00Z', { accountId: 'root-1', reason: 'IdP outage', approvedBy: 'ciso' }),
        fact('ben', 'assurance.breakglass.used', '2026-03-09T10:00:00Z', { accountId: 'root-1', reason: 'IdP outage' }),
        stepUp('ben', 'challenged', '2026-03-10T09:00:00Z'),
        stepUp('ben', 'completed', '2026-03-10T09:01:00Z'),
        stepUp('cleo', 'failed', '2026-03-10T09:02:00Z'),
        fact('ben', 'assurance.session.revoked', '2026-03-11T09:00:00Z', {
          sessionId: 's-1',
          channel: 'vpn',
          applicationId: 'payroll',
          reason: 'device lost',
        }),
        // After the window.
        fact('dora', 'assurance.authenticator.enrolled', AFTER, securityKey('dora-key')),
        signIn('dora', AFTER, 'security-key', 'dora-key'),
        recovery('dora', 'completed', AFTER, { userNotified: true }),
      ],
      BATCH,
    );
    expect(written.status).toBe(201);
    const response = await ledger.get(`/v1/audit/evidence?from=${FROM}&to=${TO}`);
    expect(response.status).toBe(200);
    report = response.body;
  });
  afterAll(() => ledger.stop());

  const figures = () => new Map<string, any>(report.figures.map((figure: any) => [figure.id, figure]));

  it('covers NIST CSF 2.0 PR.AA-01 to PR.AA-06 and SP 800-63B-4 binding, recovery and reauthentication', () => {
    expect(report.controls.map((control: any) => `${control.framework} ${control.id}`)).toEqual([
      'NIST CSF 2.0 PR.AA-01',
      'NIST CSF 2.0 PR.AA-02',
      'NIST CSF 2.0 PR.AA-03',
      'NIST CSF 2.0 PR.AA-04',
      'NIST CSF 2.0 PR.AA-05',
      'NIST CSF 2.0 PR.AA-06',
      'NIST SP 800-63B-4 Sec. 4.1',
      'NIST SP 800-63B-4 Sec. 4.2',
      'NIST SP 800-63B-4 Sec. 5.2',
    ]);
    expect(report.controls.find((control: any) => control.id === 'PR.AA-06')).toMatchObject({ applies: false, figures: [] });
    expect(report.window).toEqual({ from: FROM, to: TO });
  });

  it('counts only what happened in the window, and judges authentications by their verdicts', () => {
    const value = (id: string) => figures().get(id).value;
    expect({
      proofings: value('identity-proofings'),
      enrollments: value('enrollments'),
      phishingResistantEnrollments: value('enrollments-phishing-resistant'),
      revocations: value('revocations'),
      authentications: value('authentications'),
      violations: value('authentications-violation'),
      shareMet: value('share-met-required-aal'),
      recoveriesCompleted: value('recoveries-completed'),
      notified: value('recoveries-completed-user-notified'),
      withTicket: value('recoveries-completed-with-ticket'),
      breakglass: value('breakglass-uses'),
      approved: value('breakglass-uses-approved'),
      stepUps: [value('stepups-challenged'), value('stepups-completed'), value('stepups-failed')],
      sessionsRevoked: value('sessions-revoked'),
      subjectsNow: value('subjects'),
      chainValid: value('chain-valid'),
    }).toEqual({
      proofings: 1,
      enrollments: 3,
      phishingResistantEnrollments: 1,
      revocations: 1,
      authentications: 3,
      violations: 2,
      shareMet: 1 / 3,
      recoveriesCompleted: 2,
      notified: 1,
      withTicket: 1,
      breakglass: 2,
      approved: 1,
      stepUps: [1, 1, 1],
      sessionsRevoked: 1,
      subjectsNow: 4,
      chainValid: true,
    });
  });

  it('gives every figure a query that reproduces it exactly', async () => {
    const reproduced = new Map<string, unknown>();
    const byId = figures();
    const answers = new Map<string, Promise<any>>();
    const fetchOnce = (href: string) => {
      if (!answers.has(href))
        answers.set(
          href,
          ledger.get(href).then((response) => {
            expect([href, response.status]).toEqual([href, 200]);
            return response.body;
          }),
        );
      return answers.get(href)!;
    };
    const derived: any[] = [];
    for (const figure of byId.values()) {
      const { query } = figure;
      if ('pointer' in query) reproduced.set(figure.id, atPointer(await fetchOnce(query.href), query.pointer));
      else if ('countLines' in query) reproduced.set(figure.id, countLines(await fetchOnce(query.href), query.countLines));
      else derived.push(figure);
    }
    const sum = (ids: string[]) => ids.reduce((total, id) => total + Number(reproduced.get(id)), 0);
    for (const figure of derived) {
      if ('sumOf' in figure.query) reproduced.set(figure.id, sum(figure.query.sumOf));
      else
        reproduced.set(
          figure.id,
          sum(figure.query.ratioOf.denominator) === 0 ? null : sum(figure.query.ratioOf.numerator) / sum(figure.query.ratioOf.denominator),
        );
    }
    const mismatches = [...byId.values()]
      .filter((figure) => reproduced.get(figure.id) !== figure.value)
      .map((figure) => [figure.id, figure.value, reproduced.get(figure.id)]);
    expect(mismatches).toEqual([]);
    expect(byId.size).toBeGreaterThan(30);
    // Each control shows the very figures of the list.
    for (const control of report.controls) for (const figure of control.figures) expect(figure).toEqual(byId.get(figure.id));
  });

  it('renders the same figures as Markdown, one table per control', async () => {
    const response = await ledger.get(`/v1/audit/evidence?from=${FROM}&to=${TO}&format=md`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/markdown');
    const markdown: string = response.body;
    expect(markdown).toContain('## NIST CSF 2.0');
    expect(markdown).toContain('### PR.AA-03 Users, services, and hardware are authenticated');
    expect(markdown).toContain('## NIST SP 800-63B-4');
    expect(markdown).toMatch(/\| share of judged authentications that met their required AAL \(`share-met-required-aal`\) \| 33\.3 % \| /);
    expect(markdown).toMatch(
      /\| completed recoveries the subject was notified of \(`recoveries-completed-user-notified`\) \| 1 \| `GET \/v1\/audit\/export\?format=jsonl&from=2026-03-01T00%3A00%3A00Z&to=2026-03-31T23%3A59%3A59Z` → lines with type assurance\.recovery\.completed, data\.userNotified = true \|/,
    );
  });

  sqliteOnly('comes out the same from `ledger evidence`, which reads the store alone', async () => {
    let out = '';
    let err = '';
    const context: CliContext = {
      out: (text) => (out += text),
      err: (text) => (err += text),
      isTTY: false,
      env: { LEDGER_SQLITE_PATH: ledger.config.sqlitePath },
      progressIntervalMs: 0,
      exitCode: 0,
    };
    await buildLedgerCli(context).parseAsync(['evidence', '--from', FROM, '--to', TO, '--format', 'json'], { from: 'user' });
    expect(context.exitCode).toBe(0);
    expect(JSON.parse(out).figures).toEqual(report.figures);
    expect(err).toMatch(/^project: \d+\/\d+ positions \(100%\)/m);
    expect(err).toMatch(/^evidence: \d+\/\d+ positions \(100%\)/m);

    out = '';
    await buildLedgerCli(context).parseAsync(['evidence', '--from', FROM, '--to', TO], { from: 'user' });
    expect(out).toContain('### Sec. 4.2 Account recovery');
  });

  it.each([
    ['from=last-week', 'from'],
    ['to=2026-02-30T00:00:00Z', 'to'],
    [`from=${TO}&to=${FROM}`, 'to'],
    ['format=pdf', 'format'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await ledger.get(`/v1/audit/evidence?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });
});
