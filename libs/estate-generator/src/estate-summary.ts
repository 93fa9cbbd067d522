import type { EventType } from '../../domain/src';
import type { EstateCloudEvent } from './subject-history';

export interface EstateSummary {
  events: number;
  subjects: number;
  byType: Partial<Record<EventType, number>>;
  enrollmentsByKind: Record<string, number>;
  authenticationsByChannel: Record<string, number>;
  authenticationsByApplication: Record<string, number>;
  fallbacksByApplication: Record<string, number>;
  recoveriesByMethod: Record<string, number>;
}

/** Counts what an estate holds, to check its mix or to describe a seeded demo. */
export function summarizeEstate(events: Iterable<EstateCloudEvent>): EstateSummary {
  const subjects = new Set<string>();
  const summary: EstateSummary = {
    events: 0,
    subjects: 0,
    byType: {},
    enrollmentsByKind: {},
    authenticationsByChannel: {},
    authenticationsByApplication: {},
    fallbacksByApplication: {},
    recoveriesByMethod: {},
  };
  const count = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);
  for (const event of events) {
    summary.events++;
    subjects.add(event.subject);
    count(summary.byType as Record<string, number>, event.type);
    const data = event.data as unknown as Record<string, string>;
    if (event.type === 'assurance.authenticator.enrolled') count(summary.enrollmentsByKind, data.kind);
    if (event.type === 'assurance.authentication.succeeded') {
      count(summary.authenticationsByChannel, data.channel);
      count(summary.authenticationsByApplication, data.applicationId);
    }
    if (event.type === 'assurance.fallback.used') count(summary.fallbacksByApplication, data.applicationId);
    if (event.type === 'assurance.recovery.initiated') count(summary.recoveriesByMethod, data.method);
  }
  summary.subjects = subjects.size;
  return summary;
}
