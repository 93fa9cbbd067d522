export * from './vocabulary';
export * from './event-data';
export { LIST_LIMITS, STRING_LIMITS } from './field-constraints';
export {
  type CatalogEvent,
  currentSchemaVersion,
  EVENT_TYPES,
  type EventData,
  type EventType,
  isKnownEventType,
  UnknownEventTypeError,
} from './catalog';
export { type CatalogIssue, validateEventData } from './validate-event-data';
export { type AcceptorOptions, acceptorOf } from './compiled-validation';
export { type EventTypeSchema, eventTypeSchemas } from './json-schemas';
export * from './upcasting';
export * from './stream-names';
export * from './rfc3339';
