export * from './command-path';
