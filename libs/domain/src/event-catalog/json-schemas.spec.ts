import {
  AMR_VALUES,
  AUTHENTICATOR_KINDS,
  CHANNELS,
  EVENT_TYPES,
  EventType,
  eventTypeSchemas,
  RECOVERY_METHODS,
  RISK_LEVELS,
} from '@ledger/domain';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: string[];
  maxLength?: number;
  maxItems?: number;
  format?: string;
  $ref?: string;
  additionalProperties?: boolean;
  definitions?: Record<string, Schema>;
}

const schemas = eventTypeSchemas();
const schemaOf = (type: EventType): Schema => schemas.find((entry) => entry.type === type)!.schema as Schema;

/** Every object schema of a type: the data itself and each shared definition it uses. */
const objectSchemasOf = (type: EventType): [string, Schema][] => [
  [type, schemaOf(type)],
  ...Object.entries(schemaOf(type).definitions ?? {}),
];

describe('eventTypeSchemas', () => {
  it('describes every event type exactly once, with its schema version', () => {
    expect(schemas.map((entry) => entry.type)).toEqual([...EVENT_TYPES]);
    expect(schemas.filter((entry) => entry.schemaVersion !== 1).map((entry) => [entry.type, entry.schemaVersion])).toEqual([
      ['assurance.authenticator.enrolled', 2],
    ]);
  });

  it('lists the closed enum values', () => {
    const authentication = schemaOf('assurance.authentication.succeeded');
    expect(authentication.properties!.channel.enum).toEqual([...CHANNELS]);
    expect(authentication.properties!.methods.items!.$ref).toBe('#/definitions/MethodUsed');

    const methodUsed = authentication.definitions!.MethodUsed;
    expect(methodUsed.properties!.kind.enum).toEqual([...AUTHENTICATOR_KINDS]);
    expect(methodUsed.properties!.amr.items!.enum).toEqual([...AMR_VALUES]);
    expect(authentication.definitions!.RiskAssessment.properties!.level.enum).toEqual([...RISK_LEVELS]);

    expect(schemaOf('assurance.recovery.completed').properties!.method.enum).toEqual([...RECOVERY_METHODS]);
    expect(schemaOf('assurance.fallback.used').properties!.usedMethod.enum).toEqual([...AUTHENTICATOR_KINDS]);
  });

  it('marks required fields and leaves optional ones out', () => {
    expect(schemaOf('assurance.authentication.failed').required!.sort()).toEqual(
      ['applicationId', 'channel', 'failureReason', 'methods'].sort(),
    );
    expect(schemaOf('assurance.authentication.succeeded').properties).not.toHaveProperty('failureReason');
    expect(schemaOf('assurance.session.started').required).not.toContain('reason');
    expect(schemaOf('assurance.session.ended').required).toContain('reason');
  });

  it('states the length limits and formats', () => {
    const failed = schemaOf('assurance.authentication.failed').properties!;
    expect(failed.applicationId.maxLength).toBe(200);
    expect(failed.failureReason.maxLength).toBe(1000);
    expect(failed.methods.maxItems).toBe(10);
    expect(schemaOf('assurance.session.started').properties!.expiresAt.format).toBe('date-time');
  });

  describe.each(EVENT_TYPES)('%s', (type) => {
    it('forbids unknown properties at every level', () => {
      for (const [name, schema] of objectSchemasOf(type)) {
        expect([name, schema.additionalProperties]).toEqual([name, false]);
      }
    });

    it('bounds every string and every list', () => {
      const unbounded = objectSchemasOf(type).flatMap(([name, schema]) =>
        Object.entries(schema.properties ?? {}).flatMap(([property, field]) => {
          const item = field.items;
          const problems: string[] = [];
          if (field.type === 'string' && field.maxLength === undefined && !field.enum) problems.push(`${name}.${property}`);
          if (field.type === 'array' && field.maxItems === undefined) problems.push(`${name}.${property} (items)`);
          if (item?.type === 'string' && item.maxLength === undefined && !item.enum) problems.push(`${name}.${property}[]`);
          return problems;
        }),
      );
      expect(unbounded).toEqual([]);
    });

    it('resolves every reference inside its own definitions', () => {
      const schema = schemaOf(type);
      const references = JSON.stringify(schema).match(/#\/definitions\/\w+/g) ?? [];
      for (const reference of references) {
        expect(schema.definitions).toHaveProperty(reference.slice('#/definitions/'.length));
      }
    });
  });
});
