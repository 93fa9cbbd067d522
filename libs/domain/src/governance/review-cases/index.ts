export * from './review-case-events';
export * from './review-case.decider';
export * from './review-sla';
export * from './review-severity';
