import { capabilityScenario } from '../harness/capability-scenario';

export const pointInTimeState = capabilityScenario({
  id: 'B6',
  title: 'Point-in-time state for a subject with 10,000 events',
  target: '<= 10x the time to read those 10,000 events raw',
  needs: { endpoint: { method: 'GET', path: '/v1/subjects/emp-0000000/state?asOf=2026-01-05T08:00:00Z' } },
});
