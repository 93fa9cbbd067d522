import { Query } from '@nestjs/cqrs';

/** `store-unavailable`: the event store does not answer, so the lag cannot be measured. */
export type ProjectionStatus = 'live' | 'catching-up' | 'retrying' | 'stopped' | 'store-unavailable';

/** Null figures when the event store cannot be read. */
export interface ProjectionLag {
  /** Events in the store after the checkpoint, counted up to `LAG_COUNT_LIMIT`. */
  events: number | null;
  /** True when there are at least `events` events behind, possibly more. */
  eventsAtLeast: boolean;
  /** How long the oldest event not yet applied has been in the store; 0 when none. */
  seconds: number | null;
}

export interface ProjectionView {
  name: string;
  checkpoint: number;
  eventsApplied: number;
  lastEventRecordedAt: string | null;
  lag: ProjectionLag;
  status: ProjectionStatus;
  lastError: string | null;
}

export interface ProjectionsOverview {
  projections: ProjectionView[];
}

export class ListProjectionsQuery extends Query<ProjectionsOverview> {}
