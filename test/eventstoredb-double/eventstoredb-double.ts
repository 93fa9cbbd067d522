/**
 * An in-memory test double of the EventStoreDB gRPC API, served over real
 * gRPC on loopback so that the production adapter (and the official
 * `@eventstore/db-client`) can be exercised without a real server.
 *
 * It covers only what the adapter uses:
 * - ServerFeatures.GetSupportedMethods (advertising BatchAppend or not, or UNIMPLEMENTED);
 * - Streams.Append (classic, client streaming);
 * - Streams.BatchAppend (bidi; one long-lived stream carrying many correlated batches);
 * - Streams.Read for a stream and for `$all`: forwards/backwards, counts,
 *   `stream_not_found`, filters, and subscriptions that catch up and then go live.
 *
 * Semantics mirrored from EventStoreDB:
 * - one global log; each event is its own "implicitly committed" prepare record,
 *   so commit position == prepare position for every event;
 * - reading `$all` forwards from a position includes that position, backwards excludes it;
 *   a subscription from a position excludes it;
 * - idempotent appends: when the ids of an append equal the events already stored right
 *   after the expected revision, the original result is answered instead of writing again;
 * - `stream_not_found` is a message in the read response stream, not a gRPC error;
 * - wrong expected version: a response field for classic Append, a `google.rpc.Status`
 *   with a packed `event_store.client.WrongExpectedVersion` for BatchAppend;
 * - ids are answered as strings when the client asks for them (it always does in 6.x);
 *   int64 fields are strings; `created` is 100-ns ticks since the Unix epoch.
 *
 * The generated code is required through the client package's own path, never from a
 * copy: it registers its messages in a global `proto` namespace.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import * as codePb from '@eventstore/db-client/generated/code_pb';
import * as featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import * as featuresPb from '@eventstore/db-client/generated/serverfeatures_pb';
import * as sharedPb from '@eventstore/db-client/generated/shared_pb';
import * as statusPb from '@eventstore/db-client/generated/status_pb';
import * as streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb';
import * as streamsPb from '@eventstore/db-client/generated/streams_pb';

export interface EventStoreDbDoubleOptions {
  /** Advertise Streams.BatchAppend in GetSupportedMethods (the client then appends over BatchAppend). */
  batchAppend: boolean;
  /** 'unimplemented' answers GetSupportedMethods with UNIMPLEMENTED, like a 20.6.0 server. Default 'supported'. */
  serverFeatures?: 'supported' | 'unimplemented';
  /** Seed the log with a few system events (`$`-prefixed streams and types), as a real server has. Default true. */
  seedSystemEvents?: boolean;
  /** Reported as the server version. */
  serverVersion?: string;
}

/** Number of calls (or batches) the double has seen, per RPC. */
export interface EventStoreDbDoubleCalls {
  getSupportedMethods: number;
  append: number;
  /** BatchAppend calls (streams) opened by clients, including refused ones. */
  batchAppend: number;
  /** Correlated append batches completed over BatchAppend. */
  batchAppendBatches: number;
  readStream: number;
  readAll: number;
  subscribeToStream: number;
  subscribeToAll: number;
}

export interface EventStoreDbDouble {
  readonly port: number;
  /** `esdb://127.0.0.1:PORT?tls=false` */
  readonly connectionString: string;
  readonly options: Readonly<Required<EventStoreDbDoubleOptions>>;
  /** A snapshot of the call counters. */
  calls(): EventStoreDbDoubleCalls;
  /** Number of live subscriptions currently registered (cancelled ones are removed). */
  activeSubscriptions(): number;
  /** Force-shuts the server down, cancelling every open call. */
  stop(): Promise<void>;
  /** Starts a stopped double again on the same port with the same events, like a server coming back after an outage. */
  restart(): Promise<void>;
}

interface StoredEvent {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** Commit position == prepare position (see the header comment). */
  position: bigint;
  /** 100-ns ticks since the Unix epoch. */
  created: bigint;
}

interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: number };

type AppendOutcome = { ok: true; currentRevision: number | null; position: bigint | null } | { ok: false; currentRevision: number | null };

type EventFilter = (event: StoredEvent) => boolean;

interface LiveSubscriber {
  /** Called synchronously for every newly committed event. */
  onEvent(event: StoredEvent): void;
}

const TICKS_PER_MS = 10_000n;
const FIRST_POSITION = 1_024n;
const RECORD_OVERHEAD = 96n;
const WRONG_EXPECTED_VERSION_TYPE = 'event_store.client.WrongExpectedVersion';
const STREAMS_SERVICE = 'event_store.client.streams.streams';

function utf8(bytes: Uint8Array | string): string {
  return typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
}

function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? Uint8Array.from(Buffer.from(value, 'base64')) : value;
}

function uuidToString(uuid: sharedPb.UUID | undefined): string {
  if (!uuid) throw new Error('missing uuid');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const buffer = Buffer.alloc(16);
    buffer.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
    buffer.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
    const hex = buffer.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString().toLowerCase();
}

function uuidMessage(id: string, structured: boolean): sharedPb.UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const buffer = Buffer.from(id.replace(/-/g, ''), 'hex');
  const parts = new sharedPb.UUID.Structured();
  parts.setMostSignificantBits(BigInt.asIntN(64, buffer.readBigUInt64BE(0)).toString(10));
  parts.setLeastSignificantBits(BigInt.asIntN(64, buffer.readBigUInt64BE(8)).toString(10));
  uuid.setStructured(parts);
  return uuid;
}

function streamIdentifier(streamId: string): sharedPb.StreamIdentifier {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(streamId, 'utf8')));
  return identifier;
}

function readCount(options: streamsPb.ReadReq.Options): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function filterOf(options: streamsPb.ReadReq.Options): EventFilter {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const expression = filter.hasEventType() ? filter.getEventType() : filter.getStreamIdentifier();
  const onType = filter.hasEventType();
  if (!expression) return () => true;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (event) => {
    const value = onType ? event.type : event.streamId;
    if (regex && !regex.test(value)) return false;
    if (prefixes.length > 0 && !prefixes.some((prefix) => value.startsWith(prefix))) return false;
    return true;
  };
}

function grpcError(code: grpc.status, details: string): Partial<grpc.ServiceError> {
  return { code, details, message: details, metadata: new grpc.Metadata() };
}

/** The in-memory store: one global log plus a per-stream index. */
class InMemoryLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly subscribers = new Set<LiveSubscriber>();
  private nextPosition = FIRST_POSITION;

  stream(streamId: string): StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  clearSubscribers(): void {
    this.subscribers.clear();
  }

  append(streamId: string, expected: Expected, proposed: ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId);
    const current = stream ? stream.length - 1 : -1;
    const currentRevision = current < 0 ? null : current;

    const idempotentAfter = (after: number): StoredEvent | undefined => {
      if (!stream || proposed.length === 0) return undefined;
      const slice = stream.slice(after + 1, after + 1 + proposed.length);
      if (slice.length !== proposed.length) return undefined;
      return slice.every((stored, i) => stored.id === proposed[i].id) ? slice[slice.length - 1] : undefined;
    };
    const idempotentAnywhere = (): StoredEvent | undefined => {
      if (!stream || proposed.length === 0) return undefined;
      const first = stream.findIndex((stored) => stored.id === proposed[0].id);
      return first < 0 ? undefined : idempotentAfter(first - 1);
    };

    switch (expected.kind) {
      case 'revision':
      case 'no_stream': {
        const after = expected.kind === 'no_stream' ? -1 : expected.revision;
        const original = idempotentAfter(after);
        if (original) return { ok: true, currentRevision: original.revision, position: original.position };
        if (current !== after) return { ok: false, currentRevision };
        break;
      }
      case 'stream_exists': {
        if (!stream) return { ok: false, currentRevision };
        const original = idempotentAnywhere();
        if (original) return { ok: true, currentRevision: original.revision, position: original.position };
        break;
      }
      case 'any': {
        const original = idempotentAnywhere();
        if (original) return { ok: true, currentRevision: original.revision, position: original.position };
        break;
      }
    }

    if (proposed.length === 0) return { ok: true, currentRevision, position: null };

    const target = stream ?? [];
    if (!stream) this.streams.set(streamId, target);
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written: StoredEvent[] = [];
    for (const event of proposed) {
      const stored: StoredEvent = {
        streamId,
        revision: target.length,
        id: event.id,
        type: event.type,
        contentType: event.contentType,
        data: event.data,
        customMetadata: event.customMetadata,
        position: this.nextPosition,
        created,
      };
      this.nextPosition +=
        RECORD_OVERHEAD +
        BigInt(event.data.length + event.customMetadata.length + Buffer.byteLength(streamId) + Buffer.byteLength(event.type));
      target.push(stored);
      this.events.push(stored);
      written.push(stored);
    }
    for (const stored of written) for (const subscriber of [...this.subscribers]) subscriber.onEvent(stored);
    const last = written[written.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }
}

class Double implements EventStoreDbDouble {
  port = 0;
  connectionString = '';
  readonly options: Readonly<Required<EventStoreDbDoubleOptions>>;
  private server: grpc.Server;
  private readonly log = new InMemoryLog();
  private readonly counters: EventStoreDbDoubleCalls = {
    getSupportedMethods: 0,
    append: 0,
    batchAppend: 0,
    batchAppendBatches: 0,
    readStream: 0,
    readAll: 0,
    subscribeToStream: 0,
    subscribeToAll: 0,
  };
  private readonly openCalls = new Set<{ end(): void }>();
  private stopped = false;

  constructor(options: EventStoreDbDoubleOptions) {
    this.options = {
      serverFeatures: 'supported',
      seedSystemEvents: true,
      serverVersion: '24.10.0',
      ...options,
    };
    this.server = this.createServer();
    if (this.options.seedSystemEvents) this.seed();
  }

  private createServer(): grpc.Server {
    const server = new grpc.Server();
    const streams: streamsGrpc.IStreamsServer = {
      read: (call) => this.read(call),
      append: (call, callback) => this.append(call, callback),
      batchAppend: (call) => this.batchAppend(call),
      delete: (_call, callback) => callback(grpcError(grpc.status.UNIMPLEMENTED, 'not covered by the test double')),
      tombstone: (_call, callback) => callback(grpcError(grpc.status.UNIMPLEMENTED, 'not covered by the test double')),
    };
    const features: featuresGrpc.IServerFeaturesServer = {
      getSupportedMethods: (_call, callback) => this.getSupportedMethods(callback),
    };
    server.addService(streamsGrpc.StreamsService, streams);
    server.addService(featuresGrpc.ServerFeaturesService, features);
    return server;
  }

  async start(port = 0): Promise<void> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.connectionString = `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  calls(): EventStoreDbDoubleCalls {
    return { ...this.counters };
  }

  activeSubscriptions(): number {
    return this.log.subscriberCount();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.log.clearSubscribers();
    for (const call of [...this.openCalls]) {
      try {
        call.end();
      } catch {
        /* already closed */
      }
    }
    this.openCalls.clear();
    this.server.forceShutdown();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.server = this.createServer();
    this.stopped = false;
    await this.start(this.port);
  }

  /** A fresh server has system events in `$all`; the adapter must filter them out. */
  private seed(): void {
    const json = (value: unknown) => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
    const system = (streamId: string, type: string, data: unknown) =>
      this.log.append(streamId, { kind: 'any' }, [
        { id: randomUUID(), type, contentType: 'application/json', data: json(data), customMetadata: new Uint8Array() },
      ]);
    system('$settings', '$settings', { $userStreamAcl: { $r: '$all' } });
    system('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-id': 1 });
    system('$scavenges', '$scavengeIndexInitialized', {});
  }

  private getSupportedMethods(callback: grpc.sendUnaryData<featuresPb.SupportedMethods>): void {
    this.counters.getSupportedMethods++;
    if (this.options.serverFeatures === 'unimplemented') {
      callback(grpcError(grpc.status.UNIMPLEMENTED, 'Method not found: GetSupportedMethods'));
      return;
    }
    const supported = new featuresPb.SupportedMethods();
    supported.setEventStoreServerVersion(this.options.serverVersion);
    const add = (serviceName: string, methodName: string, features: string[] = []) => {
      const method = new featuresPb.SupportedMethod();
      method.setServiceName(serviceName);
      method.setMethodName(methodName);
      method.setFeaturesList(features);
      supported.addMethods(method);
    };
    add(STREAMS_SERVICE, 'read', ['position', 'events', 'all']);
    add(STREAMS_SERVICE, 'append');
    if (this.options.batchAppend) add(STREAMS_SERVICE, 'batchappend');
    add('event_store.client.server_features.serverfeatures', 'getsupportedmethods');
    callback(null, supported);
  }

  // ---------------------------------------------------------------- append

  private append(
    call: grpc.ServerReadableStream<streamsPb.AppendReq, streamsPb.AppendResp>,
    callback: grpc.sendUnaryData<streamsPb.AppendResp>,
  ): void {
    this.counters.append++;
    let options: streamsPb.AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    call.on('data', (request: streamsPb.AppendReq) => {
      if (failed) return;
      try {
        if (request.hasOptions()) options = request.getOptions();
        else if (request.hasProposedMessage()) proposed.push(this.proposed(request.getProposedMessage()!));
      } catch (error) {
        failed = true;
        callback(grpcError(grpc.status.INVALID_ARGUMENT, (error as Error).message));
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (!options) {
        callback(grpcError(grpc.status.INVALID_ARGUMENT, 'append without options'));
        return;
      }
      const streamId = utf8(options.getStreamIdentifier()!.getStreamName());
      const expected = this.expectedFromAppend(options);
      const outcome = this.log.append(streamId, expected, proposed);
      const response = new streamsPb.AppendResp();
      if (outcome.ok) {
        const success = new streamsPb.AppendResp.Success();
        if (outcome.currentRevision === null) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(String(outcome.currentRevision));
        if (outcome.position === null) success.setNoPosition(new sharedPb.Empty());
        else {
          const position = new streamsPb.AppendResp.Position();
          position.setCommitPosition(outcome.position.toString(10));
          position.setPreparePosition(outcome.position.toString(10));
          success.setPosition(position);
        }
        response.setSuccess(success);
      } else {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
        if (outcome.currentRevision === null) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(String(outcome.currentRevision));
        switch (expected.kind) {
          case 'any':
            wrong.setExpectedAny(new sharedPb.Empty());
            break;
          case 'no_stream':
            wrong.setExpectedNoStream(new sharedPb.Empty());
            break;
          case 'stream_exists':
            wrong.setExpectedStreamExists(new sharedPb.Empty());
            break;
          case 'revision':
            wrong.setExpectedRevision(String(expected.revision));
            break;
        }
        response.setWrongExpectedVersion(wrong);
      }
      callback(null, response);
    });
  }

  private expectedFromAppend(options: streamsPb.AppendReq.Options): Expected {
    if (options.hasRevision()) return { kind: 'revision', revision: Number(options.getRevision()) };
    if (options.hasNoStream()) return { kind: 'no_stream' };
    if (options.hasStreamExists()) return { kind: 'stream_exists' };
    return { kind: 'any' };
  }

  private expectedFromBatch(options: streamsPb.BatchAppendReq.Options): Expected {
    if (options.hasStreamPosition()) return { kind: 'revision', revision: Number(options.getStreamPosition()) };
    if (options.hasNoStream()) return { kind: 'no_stream' };
    if (options.hasStreamExists()) return { kind: 'stream_exists' };
    return { kind: 'any' };
  }

  private proposed(message: streamsPb.AppendReq.ProposedMessage | streamsPb.BatchAppendReq.ProposedMessage): ProposedEvent {
    const metadata = message.getMetadataMap();
    const type = metadata.get('type');
    const contentType = metadata.get('content-type');
    if (!type) throw new Error('proposed message without a type');
    return {
      id: uuidToString(message.getId()),
      type,
      contentType: contentType ?? 'application/octet-stream',
      data: bytesOf(message.getData()),
      customMetadata: bytesOf(message.getCustomMetadata()),
    };
  }

  private batchAppend(call: grpc.ServerDuplexStream<streamsPb.BatchAppendReq, streamsPb.BatchAppendResp>): void {
    this.counters.batchAppend++;
    if (!this.options.batchAppend) {
      call.emit('error', grpcError(grpc.status.UNIMPLEMENTED, 'Method not found: BatchAppend'));
      return;
    }
    this.openCalls.add(call);
    const pending = new Map<string, { options: streamsPb.BatchAppendReq.Options; proposed: ProposedEvent[] }>();
    const forget = () => this.openCalls.delete(call);
    call.on('cancelled', forget);
    call.on('error', forget);
    call.on('end', () => {
      forget();
      call.end();
    });
    call.on('data', (request: streamsPb.BatchAppendReq) => {
      const correlationId = uuidToString(request.getCorrelationId());
      let batch = pending.get(correlationId);
      if (request.hasOptions()) {
        batch = { options: request.getOptions()!, proposed: [] };
        pending.set(correlationId, batch);
      }
      if (!batch) {
        call.emit('error', grpcError(grpc.status.INVALID_ARGUMENT, `batch ${correlationId} without options`));
        return;
      }
      for (const message of request.getProposedMessagesList()) batch.proposed.push(this.proposed(message));
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);
      this.counters.batchAppendBatches++;
      if (!call.cancelled) call.write(this.completeBatch(request.getCorrelationId()!, batch.options, batch.proposed));
    });
  }

  private completeBatch(
    correlationId: sharedPb.UUID,
    options: streamsPb.BatchAppendReq.Options,
    proposed: ProposedEvent[],
  ): streamsPb.BatchAppendResp {
    const streamId = utf8(options.getStreamIdentifier()!.getStreamName());
    const expected = this.expectedFromBatch(options);
    const outcome = this.log.append(streamId, expected, proposed);
    const response = new streamsPb.BatchAppendResp();
    response.setCorrelationId(correlationId);
    response.setStreamIdentifier(streamIdentifier(streamId));
    switch (expected.kind) {
      case 'any':
        response.setAny(new ProtobufEmpty());
        break;
      case 'no_stream':
        response.setNoStream(new ProtobufEmpty());
        break;
      case 'stream_exists':
        response.setStreamExists(new ProtobufEmpty());
        break;
      case 'revision':
        response.setStreamPosition(String(expected.revision));
        break;
    }
    if (outcome.ok) {
      const success = new streamsPb.BatchAppendResp.Success();
      if (outcome.currentRevision === null) success.setNoStream(new ProtobufEmpty());
      else success.setCurrentRevision(String(outcome.currentRevision));
      if (outcome.position === null) success.setNoPosition(new ProtobufEmpty());
      else {
        const position = new sharedPb.AllStreamPosition();
        position.setCommitPosition(outcome.position.toString(10));
        position.setPreparePosition(outcome.position.toString(10));
        success.setPosition(position);
      }
      response.setSuccess(success);
      return response;
    }
    const wrong = new sharedPb.WrongExpectedVersion();
    if (outcome.currentRevision === null) wrong.setCurrentNoStream(new ProtobufEmpty());
    else wrong.setCurrentStreamRevision(String(outcome.currentRevision));
    switch (expected.kind) {
      case 'any':
        wrong.setExpectedAny(new ProtobufEmpty());
        break;
      case 'no_stream':
        wrong.setExpectedNoStream(new ProtobufEmpty());
        break;
      case 'stream_exists':
        wrong.setExpectedStreamExists(new ProtobufEmpty());
        break;
      case 'revision':
        wrong.setExpectedStreamPosition(String(expected.revision));
        break;
    }
    const details = new Any();
    details.pack(wrong.serializeBinary(), WRONG_EXPECTED_VERSION_TYPE);
    const status = new statusPb.Status();
    status.setCode(codePb.Code.FAILED_PRECONDITION);
    status.setMessage('WrongExpectedVersion');
    status.setDetails(details);
    response.setError(status);
    return response;
  }

  // ------------------------------------------------------------------ read

  private read(call: grpc.ServerWritableStream<streamsPb.ReadReq, streamsPb.ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', grpcError(grpc.status.INVALID_ARGUMENT, 'read without options'));
      return;
    }
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const send = (event: StoredEvent) => {
      if (!call.cancelled) call.write(this.readEvent(event, structuredIds));
    };
    if (options.hasSubscription()) {
      this.subscription(call, options, send);
      return;
    }
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    const count = readCount(options);
    let selected: StoredEvent[];
    if (options.hasStream()) {
      this.counters.readStream++;
      const streamOptions = options.getStream()!;
      const streamId = utf8(streamOptions.getStreamIdentifier()!.getStreamName());
      const stream = this.log.stream(streamId);
      if (!stream) {
        const notFound = new streamsPb.ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(streamId));
        const response = new streamsPb.ReadResp();
        response.setStreamNotFound(notFound);
        call.write(response);
        call.end();
        return;
      }
      const last = stream.length - 1;
      let from: number;
      if (streamOptions.hasRevision()) from = Number(streamOptions.getRevision());
      else if (streamOptions.hasEnd()) from = backwards ? last : stream.length;
      else from = 0;
      selected = backwards ? stream.slice(0, Math.min(from, last) + 1).reverse() : stream.slice(from);
    } else {
      this.counters.readAll++;
      const all = options.getAll();
      const log = this.log.events;
      if (all?.hasPosition()) {
        const position = BigInt(all.getPosition()!.getCommitPosition());
        selected = backwards
          ? log.filter((event) => event.position < position).reverse()
          : log.filter((event) => event.position >= position);
      } else if (all?.hasEnd()) {
        selected = backwards ? [...log].reverse() : [];
      } else {
        selected = backwards ? [] : [...log];
      }
      const filter = filterOf(options);
      selected = selected.filter(filter);
    }
    for (const event of selected.slice(0, count)) send(event);
    call.end();
  }

  private subscription(
    call: grpc.ServerWritableStream<streamsPb.ReadReq, streamsPb.ReadResp>,
    options: streamsPb.ReadReq.Options,
    send: (event: StoredEvent) => void,
  ): void {
    this.openCalls.add(call);
    const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const confirm = new streamsPb.ReadResp();
    confirm.setConfirmation(confirmation);
    call.write(confirm);

    let matches: EventFilter;
    let catchUp: StoredEvent[];
    if (options.hasStream()) {
      this.counters.subscribeToStream++;
      const streamOptions = options.getStream()!;
      const streamId = utf8(streamOptions.getStreamIdentifier()!.getStreamName());
      const stream = this.log.stream(streamId) ?? [];
      matches = (event) => event.streamId === streamId;
      if (streamOptions.hasRevision()) {
        const after = Number(streamOptions.getRevision());
        catchUp = stream.filter((event) => event.revision > after);
      } else catchUp = streamOptions.hasEnd() ? [] : [...stream];
    } else {
      this.counters.subscribeToAll++;
      const all = options.getAll();
      matches = filterOf(options);
      if (all?.hasPosition()) {
        const after = BigInt(all.getPosition()!.getCommitPosition());
        catchUp = this.log.events.filter((event) => event.position > after);
      } else catchUp = all?.hasEnd() ? [] : [...this.log.events];
    }
    // Catch-up and registration happen in one synchronous step, so no event can fall between them.
    for (const event of catchUp) if (matches(event)) send(event);
    const caughtUp = new streamsPb.ReadResp();
    caughtUp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
    call.write(caughtUp);
    const unsubscribe = this.log.subscribe({ onEvent: (event) => matches(event) && send(event) });
    const done = () => {
      unsubscribe();
      this.openCalls.delete(call);
    };
    call.on('cancelled', done);
    call.on('error', done);
    call.on('close', done);
  }

  private readEvent(event: StoredEvent, structuredIds: boolean): streamsPb.ReadResp {
    const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
    recorded.setId(uuidMessage(event.id, structuredIds));
    recorded.setStreamIdentifier(streamIdentifier(event.streamId));
    recorded.setStreamRevision(String(event.revision));
    recorded.setCommitPosition(event.position.toString(10));
    recorded.setPreparePosition(event.position.toString(10));
    const metadata = recorded.getMetadataMap();
    metadata.set('type', event.type);
    metadata.set('content-type', event.contentType);
    metadata.set('created', event.created.toString(10));
    recorded.setData(event.data);
    recorded.setCustomMetadata(event.customMetadata);
    const readEvent = new streamsPb.ReadResp.ReadEvent();
    readEvent.setEvent(recorded);
    readEvent.setCommitPosition(event.position.toString(10));
    const response = new streamsPb.ReadResp();
    response.setEvent(readEvent);
    return response;
  }
}

/** Starts a double on 127.0.0.1 with an OS-assigned port. */
export async function startEventStoreDbDouble(options: EventStoreDbDoubleOptions): Promise<EventStoreDbDouble> {
  const double = new Double(options);
  await double.start();
  return double;
}
