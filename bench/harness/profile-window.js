// Preloaded into a profiled server. It profiles the whole process by default, and
// the benchmark can narrow the profile to its measured window: a line on standard
// input throws away what was sampled so far and starts again; the next line stops and
// writes the profile. (Not a signal: the server's shutdown hooks take SIGUSR2 too.) So a profile shows only what the server did under the measured load, not
// the set-up or the HTTP ceiling measured around it. On SIGTERM whatever is still
// being sampled is written, then the process exits normally (Nest re-raises SIGTERM
// after closing, and a process killed by a signal would write nothing).
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
const session = new Session();
session.connect();
session.post('Profiler.enable');
// 1 ms sampling, as --cpu-prof samples by default.
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
/** `process` until a window opens; `window` while one is open; `idle` after a window was written. */
let mode = 'process';
let written = 0;

function writeProfile(name, then) {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(join(dir, name), JSON.stringify(result.profile));
    then();
  });
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  for (let lines = chunk.split('\n').length - 1; lines > 0; lines--) toggleWindow();
});
// Standard input must not keep a server alive that would otherwise exit.
if (typeof process.stdin.unref === 'function') process.stdin.unref();

function toggleWindow() {
  if (mode === 'window') {
    mode = 'idle';
    writeProfile(`window-${process.pid}-${written++}.cpuprofile`, () => undefined);
    return;
  }
  // A window opens: what was sampled before it is dropped.
  if (mode === 'process') session.post('Profiler.stop');
  session.post('Profiler.start');
  mode = 'window';
}

process.once('SIGTERM', () => {
  if (mode === 'idle') process.exit(0);
  else writeProfile(`${mode}-${process.pid}.cpuprofile`, () => process.exit(0));
});
