import { Scenario } from '../harness/scenario';
import { batchIngestion } from './b1-batch-ingestion';
import { singleEventIngestion } from './b2-single-event-ingestion';
import { decisions } from './b3-decisions';
import { decisionLatency } from './b3l-decision-latency';
import { postgresProjectionRebuild } from './b4-pg-projection-rebuild';
import { projectionRebuild } from './b4-projection-rebuild';
import { projectionLag } from './b5-projection-lag';
import { pointInTimeState } from './b6-point-in-time-state';
import { authenticationsQuery } from './b7-authentications-query';
import { postgresAuthenticationsQuery } from './b7-pg-authentications-query';
import { ocsfExport } from './b8-ocsf-export';
import { apiMemory } from './b9-api-memory';
import { storeVersusEmmett } from './b10-store-vs-emmett';

/**
 * Issue 9's scenarios, in its order, each PostgreSQL variant (issue 19) after its SQLite one;
 * a new capability plugs in by replacing its entry.
 */
export const SCENARIOS: readonly Scenario[] = [
  batchIngestion,
  singleEventIngestion,
  decisions,
  decisionLatency,
  projectionRebuild,
  postgresProjectionRebuild,
  projectionLag,
  pointInTimeState,
  authenticationsQuery,
  postgresAuthenticationsQuery,
  ocsfExport,
  apiMemory,
  storeVersusEmmett,
];
