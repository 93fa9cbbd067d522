export * from './assurance-level';
export * from './policy-document';
export * from './policy-history';
export * from './evaluation';
