import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson, OPENAPI_FILE } from '../../apps/ledger-api/src/openapi/generate-openapi';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const COMMITTED = join(__dirname, '..', '..', OPENAPI_FILE);

describe('OpenAPI document', () => {
  let generated: string;
  beforeAll(async () => {
    generated = await generateOpenApiJson();
  });

  it('is committed as the code generates it (run `npm run openapi` after changing a route or a DTO)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(generated);
  });

  it('describes the API key scheme, each operation\'s roles, and problem details for errors', () => {
    const document = JSON.parse(generated);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const record = document.paths['/v1/events'].post;
    expect(record['x-roles']).toEqual(['emitter']);
    expect(record.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(record.requestBody.content)).toEqual(
      expect.arrayContaining(['application/cloudevents+json', 'application/cloudevents-batch+json']),
    );
    expect(document.components.schemas.CloudEventEnvelopeDto.required).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'type', 'subject', 'time', 'data']));
    expect(record.responses['400'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDetails');
    const search = document.paths['/v1/subjects'].get;
    expect(search.parameters.map((parameter: any) => parameter.name)).toEqual(['prefix', 'limit', 'cursor', 'minPosition']);
    expect(document.paths['/health/ready'].get.security).toEqual([]);
  });

  describe('served by the API', () => {
    let ledger: RunningLedger;
    beforeAll(async () => {
      ledger = await startLedger();
    });
    afterAll(async () => ledger?.stop());

    it('serves the same document at /docs/json and Swagger UI at /docs, without a key', async () => {
      const served = await ledger.get('/docs/json', null);
      expect(served.status).toBe(200);
      expect(served.body).toEqual(JSON.parse(generated));
      const ui = await fetch(`${ledger.url}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
    });
  });
});
