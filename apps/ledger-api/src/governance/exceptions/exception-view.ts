import { RecordedEvent } from '@ledger/event-store';
import { ExceptionSummary } from '@ledger/domain';

export type ExceptionView = ExceptionSummary & {
  /** Seconds since the request. */
  ageSeconds: number;
  /** Seconds until the expiry; negative once it passed. */
  expiresInSeconds: number;
};

export function exceptionView(summary: ExceptionSummary, now = Date.now()): ExceptionView {
  return {
    ...summary,
    scope: { ...summary.scope },
    allowedMethods: [...summary.allowedMethods],
    ageSeconds: Math.max(0, Math.floor((now - Date.parse(summary.requestedAt)) / 1000)),
    expiresInSeconds: Math.floor((Date.parse(summary.expiresAt) - now) / 1000),
  };
}

/** What a write answers: where the event was stored, and the exception as it now stands. */
export interface ExceptionWritten {
  exception: ExceptionView;
  stream: string;
  revision: number;
  position: number;
  hash: string;
  /** True when an Idempotency-Key repeated: nothing new was written. */
  replayed?: boolean;
}

export function writtenAnswer(stored: RecordedEvent, summary: ExceptionSummary): ExceptionWritten {
  return {
    exception: exceptionView(summary),
    stream: stored.streamId,
    revision: stored.revision,
    position: stored.position,
    hash: String(stored.metadata.hash),
  };
}
