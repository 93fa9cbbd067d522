import { LEDGER_SCHEMA_VERSIONS, SchemaVersionError, upcastStoredEvent } from '@ledger/domain';
import { VALID_EVENT_DATA_EXAMPLES } from '@ledger/domain/testing';

describe('upcasting stored events of any type', () => {
  it.each(Object.keys(LEDGER_SCHEMA_VERSIONS))('reads %s at its current version unchanged', (type) => {
    const data = { anything: 'kept' };
    expect(upcastStoredEvent(type, 1, data)).toEqual({ schemaVersion: 1, data });
  });

  it('refuses a ledger event written by a newer version of the ledger', () => {
    expect(() => upcastStoredEvent('assurance.authentication.evaluated', 2, {})).toThrow(SchemaVersionError);
    expect(() => upcastStoredEvent('assurance.access.decided', 0, {})).toThrow(/reads 1 to 1/);
  });

  it('hands catalog events to the catalog upcasters', () => {
    const data = VALID_EVENT_DATA_EXAMPLES['assurance.device.bound'];
    expect(upcastStoredEvent('assurance.device.bound', 1, data)).toEqual({ schemaVersion: 1, data });
    expect(() => upcastStoredEvent('assurance.unheard-of', 1, {})).toThrow(/unknown event type/);
  });
});
