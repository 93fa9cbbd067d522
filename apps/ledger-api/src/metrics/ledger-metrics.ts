import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppendResult, EventStore, RecordedEvent } from '@ledger/event-store';
import type { FastifyInstance } from 'fastify';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';

/** The events whose data carries an outcome worth counting, and where it is. */
const DECISION_OUTCOMES: Record<string, { kind: string; field: string }> = {
  'assurance.access.decided': { kind: 'access', field: 'decision' },
  'assurance.authentication.evaluated': { kind: 'authentication', field: 'verdict' },
};

/** Latency buckets in seconds: most answers take milliseconds, a `minPosition` wait up to seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics, in a registry of its own (several apps in
 * one test process must not share counters). Counters count what this process
 * did; gauges about the read models are read at scrape time, so every process
 * that shares them reports the same figures.
 */
@Injectable()
export class LedgerMetrics {
  readonly registry = new Registry();
  private readonly eventsIngested: Counter<'type'>;
  private readonly decisions: Counter<'kind' | 'outcome'>;
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.registry.setDefaultLabels({ role: config.role });
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_process_' });
    this.eventsIngested = new Counter({
      name: 'ledger_events_ingested_total',
      help: 'Events this process wrote to the event store, by CloudEvents type (duplicates are not written again)',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.decisions = new Counter({
      name: 'ledger_decisions_total',
      help: 'Decisions this process recorded: step-up decisions (kind="access") and authentication verdicts (kind="authentication"), by outcome',
      labelNames: ['kind', 'outcome'],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** A gauge whose value is read when Prometheus scrapes. */
  gaugeAtScrape<Label extends string>(
    name: string,
    help: string,
    labelNames: Label[],
    read: () => Promise<Array<{ labels: Record<Label, string>; value: number }>>,
  ): void {
    new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await read()) this.set(labels as never, value);
      },
    });
  }

  recordAppended(events: RecordedEvent[]): void {
    for (const event of events) {
      this.eventsIngested.inc({ type: event.type });
      const outcome = DECISION_OUTCOMES[event.type];
      const value = outcome && event.data[outcome.field];
      if (typeof value === 'string') this.decisions.inc({ kind: outcome.kind, outcome: value });
    }
  }

  /** Times every answer, errors included, labelled by the route's template so that ids do not explode the series. */
  observeHttp(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.requestDuration.observe(
        { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}

/** The event store as configured, with every successful append counted; everything else passes through untouched. */
export function meteredEventStore(store: EventStore, metrics: LedgerMetrics): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'append' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: Parameters<EventStore['append']>): Promise<AppendResult> => {
        const result: AppendResult = await value.apply(target, args);
        metrics.recordAppended(result.events);
        return result;
      };
    },
  });
}
