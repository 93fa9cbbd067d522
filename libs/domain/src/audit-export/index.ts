export * from './exportable-event';
export * from './cloud-event-line';
export * from './ocsf';
