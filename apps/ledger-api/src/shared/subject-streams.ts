import { Inject, Injectable, Module } from '@nestjs/common';
import { EVENT_STORE, EventStore, KeyedMutex, StreamStateCache } from '@ledger/event-store';
import { initialSubjectState, SubjectState } from '@ledger/domain';
import { evolveRecordedSubjectEvent } from './stored-subject-events';

/**
 * The one in-process writer's view of subject streams: a lock per stream and
 * the folded state of recently written subjects. Ingestion and decisions
 * share it, so they queue behind each other instead of racing on the
 * expected revision, and a subject's state is held in memory once.
 */
@Injectable()
export class SubjectStreams {
  readonly locks = new KeyedMutex();
  readonly states: StreamStateCache<SubjectState>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    // About 7 KB per folded subject. A command on a subject that fell out reads its stream again;
    // 10,000 of them were most of what grew in the process over two million events (B9).
    this.states = new StreamStateCache(store, { initialState: initialSubjectState, evolve: evolveRecordedSubjectEvent, maxStreams: 2_000 });
  }
}

@Module({ providers: [SubjectStreams], exports: [SubjectStreams] })
export class SubjectStreamsModule {}
