export * from './review-cases';
export * from './governance-settings';
export * from './recovery-governance';
export * from './enrollment-governance';
export * from './exceptions';
