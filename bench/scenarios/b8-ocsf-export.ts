import { capabilityScenario } from '../harness/capability-scenario';

export const ocsfExport = capabilityScenario({
  id: 'B8',
  title: 'OCSF export of 1,000,000 events',
  target: '>= 30% of the raw scan ceiling; RSS at 1M within 64 MB of RSS at 100k',
  needs: { endpoint: { method: 'GET', path: '/v1/audit/export?format=ocsf' } },
});
