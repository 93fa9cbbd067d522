export * from './decider-specification';
export * from './catalog-examples';
