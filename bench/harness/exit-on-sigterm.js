// Preloaded into a profiled server: Nest re-raises SIGTERM after closing, and a
// process killed by a signal never writes its --cpu-prof file; a normal exit does.
process.once('SIGTERM', () => process.exit(0));
