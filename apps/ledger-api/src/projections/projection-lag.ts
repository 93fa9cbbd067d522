import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventStoreUnavailableError } from '@ledger/event-store';
import { ProjectionRunner, READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { ProjectionLag, ProjectionStatus, ProjectionView } from './list-projections/list-projections.query';

/** Counting further than this would make the status page as slow as the backlog is long. */
export const LAG_COUNT_LIMIT = 1000;

/**
 * Where each read model stands against the store: the status page, `/health/ready`
 * and `/metrics` all read it here. It reads the checkpoints from the read-model
 * store, not from the runner, so an `api` process that runs no runner reports
 * the lag of the projector it shares the read models with.
 */
@Injectable()
export class ProjectionLagProbe {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly runner: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async projections(): Promise<ProjectionView[]> {
    const checkpoints = await this.readModels.checkpoints();
    // Only a process that runs the runner knows its state; an `api` process judges by the lag alone.
    const runner = this.config.role === 'api' ? undefined : this.runner.current();
    const lagByPosition = new Map<number, ProjectionLag>();
    for (const { position } of checkpoints) {
      if (!lagByPosition.has(position)) lagByPosition.set(position, await this.lagAfter(position));
    }
    return checkpoints.map((checkpoint) => {
      const lag = lagByPosition.get(checkpoint.position)!;
      return {
        name: checkpoint.projection,
        checkpoint: checkpoint.position,
        eventsApplied: checkpoint.eventsApplied,
        lastEventRecordedAt: checkpoint.lastEventRecordedAt,
        lag,
        status: statusOf(runner?.status, lag),
        lastError: runner?.lastError ?? null,
      };
    });
  }

  /**
   * Lag measured in the store itself, so that it is right on both stores whatever their positions look like.
   * The status page must answer during a store outage too, so an unreadable store gives unknown figures.
   */
  private async lagAfter(position: number): Promise<ProjectionLag> {
    let page;
    try {
      page = await this.eventStore.readAll(
        position >= 0 ? { fromPosition: position, maxCount: LAG_COUNT_LIMIT + 1 } : { maxCount: LAG_COUNT_LIMIT },
      );
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) return { events: null, eventsAtLeast: false, seconds: null };
      throw error;
    }
    const behind = page.filter((event) => event.position > position);
    const oldest = behind[0];
    return {
      events: Math.min(behind.length, LAG_COUNT_LIMIT),
      eventsAtLeast: behind.length >= LAG_COUNT_LIMIT,
      seconds: oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0,
    };
  }
}

function statusOf(runnerStatus: string | undefined, lag: ProjectionLag): ProjectionStatus {
  if (runnerStatus === 'retrying' || runnerStatus === 'stopped') return runnerStatus;
  if (lag.events === null) return 'store-unavailable';
  return lag.events === 0 ? 'live' : 'catching-up';
}
