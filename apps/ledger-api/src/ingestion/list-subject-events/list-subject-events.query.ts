import { Query } from '@nestjs/cqrs';

export interface SubjectEventView {
  revision: number;
  position: number;
  id: string;
  source: string;
  type: string;
  time: string;
  recordedAt: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  correlationId: string;
  causationId: string;
  /** Name of the API key that wrote the event, when it came through an authenticated request. */
  writtenBy: string | null;
  prevHash: string;
  hash: string;
}

export interface SubjectEventsPage {
  subjectId: string;
  stream: string;
  events: SubjectEventView[];
  /** Revision to pass as `fromRevision` for the next page; null at the end. */
  nextRevision: number | null;
}

export class ListSubjectEventsQuery extends Query<SubjectEventsPage> {
  constructor(
    readonly subjectId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}
