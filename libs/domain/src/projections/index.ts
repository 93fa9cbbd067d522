export * from './projected-event';
export * from './subject-summary';
export * from './recovery-dependence';
export * from './review-items';
export * from './review-case-projection';
export * from './projected-policy';
export * from './posture';
export * from './subject-projection';
