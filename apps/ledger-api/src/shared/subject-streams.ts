import { Inject, Injectable, Module } from '@nestjs/common';
import { CommandPath, EVENT_STORE, EventStore } from '@ledger/event-store';
import { SubjectState } from '@ledger/domain';
import { subjectCommandPath } from '@ledger/core';

/** The API's one command path for subject streams, shared by ingestion and decisions. */
@Injectable()
export class SubjectStreams {
  readonly commands: CommandPath<SubjectState>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.commands = subjectCommandPath(store);
  }
}

@Module({ providers: [SubjectStreams], exports: [SubjectStreams] })
export class SubjectStreamsModule {}
