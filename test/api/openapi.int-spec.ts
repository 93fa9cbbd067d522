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

  it("describes the API key scheme, each operation's roles, and problem details for errors", () => {
    const document = JSON.parse(generated);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const record = document.paths['/v1/events'].post;
    expect(record['x-roles']).toEqual(['emitter']);
    expect(record.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(record.requestBody.content)).toEqual(
      expect.arrayContaining(['application/cloudevents+json', 'application/cloudevents-batch+json']),
    );
    expect(document.components.schemas.CloudEventEnvelopeDto.required).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'subject', 'time', 'data']),
    );
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
      const page = await ui.text();
      // The page loads its scripts from the API itself, no inline script: the content security policy allows only 'self'.
      expect(page).not.toMatch(/<script>[^<]/);
      expect(ui.headers.get('content-security-policy')).toContain("default-src 'self'");
      for (const asset of [...page.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((match) => match[1])) {
        const response = await fetch(ledger.url + asset);
        expect([asset, response.status]).toEqual([asset, 200]);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
      expect(page).toContain('/docs/swagger-ui-init.js');
    });
  });
});
