import { EventStore, GlobalPosition, ReadAllOptions, RecordedEvent } from './event-store.port';

const PAGE = 1000;

/** Every event from a position on (of the given types, if any), in global order, one page in memory at a time. */
export async function* readAllPaged(
  store: EventStore,
  fromPosition: GlobalPosition = 0,
  filter: Pick<ReadAllOptions, 'typePrefixes'> = {},
): AsyncGenerator<RecordedEvent> {
  for (let from = fromPosition; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE, ...filter });
    yield* page;
    if (page.length < PAGE) return;
    from = page[page.length - 1].position + 1;
  }
}

/** Every event of one stream in revision order, one page in memory at a time. Throws StreamNotFoundError. */
export async function* readStreamPaged(store: EventStore, streamId: string): AsyncGenerator<RecordedEvent> {
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: PAGE });
    yield* page;
    if (page.length < PAGE) return;
  }
}
