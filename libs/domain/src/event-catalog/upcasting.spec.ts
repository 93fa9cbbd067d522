import { EVENT_TYPES, EventType, SchemaVersionError, upcast, Upcasters } from '@ledger/domain';

/** An enrollment as schema version 1 wrote it: no `userNotified` yet. */
const enrollmentV1 = {
  authenticatorId: 'key-1',
  kind: 'security-key',
  phishingResistant: true,
  hardwareBound: true,
  syncable: false,
  userVerification: true,
};

describe('upcast (the catalog as shipped)', () => {
  it.each(EVENT_TYPES.filter((type) => type !== 'assurance.authenticator.enrolled'))('returns current %s data unchanged', (type) => {
    const data = { any: 'shape' };
    expect(upcast(type, 1, data)).toEqual({ schemaVersion: 1, data });
  });

  it('brings a v1 enrollment to v2, stating that no notification is on record', () => {
    expect(upcast('assurance.authenticator.enrolled', 1, enrollmentV1)).toEqual({
      schemaVersion: 2,
      data: { ...enrollmentV1, userNotified: false },
    });
  });

  it('leaves a v2 enrollment as the emitter sent it', () => {
    const v2 = { ...enrollmentV1, sessionId: 's-1', userNotified: true };
    expect(upcast('assurance.authenticator.enrolled', 2, v2)).toEqual({ schemaVersion: 2, data: v2 });
  });

  it('refuses data written by a newer version of the code', () => {
    expect(() => upcast('assurance.device.bound', 2, {})).toThrow(SchemaVersionError);
    expect(() => upcast('assurance.device.bound', 2, {})).toThrow(
      'assurance.device.bound has schemaVersion 2 but this code only knows up to 1',
    );
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the invalid schema version %p', (schemaVersion) => {
    expect(() => upcast('assurance.device.bound', schemaVersion, {})).toThrow(SchemaVersionError);
  });

  it('refuses an event type outside the catalog', () => {
    expect(() => upcast('assurance.device.lost' as EventType, 1, {})).toThrow('unknown event type');
  });
});

describe('Upcasters with registered upcasters', () => {
  const type: EventType = 'assurance.breakglass.used';
  // Pretend breakglass data went through two schema changes: v2 renamed `account`
  // to `accountId`, v3 made `approvedBy` explicit.
  const latestIsThree = (eventType: EventType) => (eventType === type ? 3 : 1);
  const upcasters = new Upcasters(
    {
      [type]: {
        1: (data) => {
          const { account, ...rest } = data as { account: string };
          return { ...rest, accountId: account };
        },
        2: (data) => ({ approvedBy: 'not recorded', ...(data as object) }),
      },
    },
    latestIsThree,
  );

  it('applies every step from the stored version up to the latest, in order', () => {
    expect(upcasters.upcast(type, 1, { account: 'root', reason: 'outage' })).toEqual({
      schemaVersion: 3,
      data: { accountId: 'root', reason: 'outage', approvedBy: 'not recorded' },
    });
  });

  it('applies only the steps a stored version still needs', () => {
    expect(upcasters.upcast(type, 2, { accountId: 'root', reason: 'outage', approvedBy: 'ciso' })).toEqual({
      schemaVersion: 3,
      data: { accountId: 'root', reason: 'outage', approvedBy: 'ciso' },
    });
  });

  it('leaves latest-version data alone', () => {
    const data = { accountId: 'root', reason: 'outage' };
    expect(upcasters.upcast(type, 3, data)).toEqual({ schemaVersion: 3, data });
  });

  it('does not modify the stored data', () => {
    const stored = Object.freeze({ account: 'root', reason: 'outage' });
    upcasters.upcast(type, 1, stored);
    expect(stored).toEqual({ account: 'root', reason: 'outage' });
  });

  it('still refuses versions newer than the latest', () => {
    expect(() => upcasters.upcast(type, 4, {})).toThrow('only knows up to 3');
  });

  it('fails loudly when a step in the chain is missing', () => {
    const gappy = new Upcasters({ [type]: { 2: (data: unknown) => data } }, latestIsThree);
    expect(() => gappy.upcast(type, 1, {})).toThrow(`no upcaster registered for ${type} from v1 to v2`);
  });

  it('refuses, when built, an upcaster that could never run', () => {
    expect(() => new Upcasters({ [type]: { 3: (data: unknown) => data } }, latestIsThree)).toThrow(SchemaVersionError);
    expect(() => new Upcasters({ [type]: { 0: (data: unknown) => data } }, latestIsThree)).toThrow(SchemaVersionError);
  });
});
