export * from './event-catalog';
export * from './decider';
export * from './subject';
