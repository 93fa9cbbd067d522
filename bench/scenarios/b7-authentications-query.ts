import { capabilityScenario } from '../harness/capability-scenario';

export const authenticationsQuery = capabilityScenario({
  id: 'B7',
  title: 'Authentications query, filtered page of 100, at 1,000,000 events',
  target: 'p99 <= 50 ms',
  needs: { endpoint: { method: 'GET', path: '/v1/audit/authentications?channel=vpn&limit=100' } },
});
