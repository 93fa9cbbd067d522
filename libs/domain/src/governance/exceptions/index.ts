export * from './exception-events';
export * from './exception.decider';
export * from './exception-coverage';
export * from './exception-catalog';
export * from './exception-views';
