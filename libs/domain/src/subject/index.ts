export * from './subject-state';
export * from './subject.decider';
