import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { generateOpenApiJson, OPENAPI_FILE } from './generate-openapi';

/** `npm run openapi`: writes docs/openapi.json from the code. */
generateOpenApiJson()
  .then((json) => {
    writeFileSync(OPENAPI_FILE, json);
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
  })
  .catch((error: unknown) => {
    process.stderr.write(`openapi failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
