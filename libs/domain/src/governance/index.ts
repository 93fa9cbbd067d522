export * from './review-cases';
export * from './governance-settings';
