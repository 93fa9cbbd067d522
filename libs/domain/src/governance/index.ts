export * from './exceptions';
