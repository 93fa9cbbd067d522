import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { getMetadataStorage } from 'class-validator';
import { CloudEventEnvelopeDto } from '../../apps/ledger-api/src/ingestion/record-events/cloud-event.dto';
import { ListSubjectEventsHandler } from '../../apps/ledger-api/src/ingestion/list-subject-events/list-subject-events.handler';

/**
 * Nest's constructor injection and class-validator's nested validation read
 * `design:*` metadata that only TypeScript emits (esbuild and TypeScript 7 do
 * not). These checks fail if the pinned compiler or the config stops emitting it.
 */
describe('decorator metadata', () => {
  it('is switched on in the project configuration', () => {
    const { config } = ts.readConfigFile(join(__dirname, '..', '..', 'tsconfig.json'), ts.sys.readFile);
    expect(config.compilerOptions).toMatchObject({ experimentalDecorators: true, emitDecoratorMetadata: true });
  });

  it('is emitted by the pinned TypeScript compiler', () => {
    const pinned = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).devDependencies.typescript;
    expect(ts.version).toBe(pinned);
    const output = ts.transpileModule(
      'function Injectable(): ClassDecorator { return () => {}; }\nclass Store {}\n@Injectable() class Handler { constructor(private readonly store: Store) {} }',
      {
        compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, target: ts.ScriptTarget.ES2022 },
      },
    ).outputText;
    expect(output).toContain('__metadata("design:paramtypes", [Store])');
  });

  it('reaches the running code: handlers know their constructor parameters, DTOs their validators', () => {
    expect(Reflect.getMetadata('design:paramtypes', ListSubjectEventsHandler)).toHaveLength(1);
    const validated = getMetadataStorage()
      .getTargetValidationMetadatas(CloudEventEnvelopeDto, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect(new Set(validated)).toEqual(
      new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data']),
    );
  });
});
