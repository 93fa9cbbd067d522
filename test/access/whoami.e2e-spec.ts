import { ROLES } from '@ledger/core';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

describe('GET /v1/whoami', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger();
  });
  afterAll(async () => ledger?.stop());

  it('answers every role with its own key name and roles, so a client offers only what the key may do', async () => {
    for (const role of ROLES) {
      const answer = await ledger.get('/v1/whoami', role);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ keyName: `test-${role}`, roles: [role] });
    }
    expect((await ledger.get('/v1/whoami', 'all')).body).toEqual({ keyName: 'test-all', roles: [...ROLES] });
  });

  it('never echoes the key itself', async () => {
    const answer = await ledger.request('GET', '/v1/whoami', { as: 'admin' });
    // `alk_<16 hex id>_<43-character secret>`: the secret is base64url and may itself hold `_`, so it is
    // everything after the id, never a split part (which can be empty, and is in every string).
    const secret = ledger.keys.admin.slice('alk_'.length + 16 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(answer.body)).not.toContain(secret);
  });

  it('answers 401 without a key', async () => {
    const answer = await ledger.get('/v1/whoami', null);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('Bearer');
  });
});
