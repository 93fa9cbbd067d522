export * from './sqlite-event-store';
export * from './owner-only-file';
