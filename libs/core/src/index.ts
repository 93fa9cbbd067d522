/**
 * The Nest-free core that the API, the CLI and the demo share: configuration, opening the store,
 * access (keys and roles), the shared kernel (write context, errors, ledger-written events), and the
 * application services the API's handlers wrap. No file here imports Nest or an app.
 */
export * from './config/ledger-config';
export * from './store/open-event-store';
export * from './access/roles';
export * from './access/api-key';
export * from './access/api-key-registry';
export * from './access/failed-authentication-limiter';
export * from './shared/api-errors';
export * from './shared/event-ids';
export * from './shared/ledger-written-event';
export * from './shared/write-context';
export * from './policy/policy-history.store';
export * from './governance/exception-registry';
export * from './audit/export-events';
export * from './audit/evidence/evidence-catalog';
export * from './audit/evidence/evidence-report';
export * from './audit/subject-state-as-of';
export * from './views/subject-state.view';
export * from './shared/projection-errors';
export * from './write-models/subject-streams';
