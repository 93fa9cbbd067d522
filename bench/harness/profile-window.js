// Preloaded into a profiled server. It profiles the whole process by default, and
// the benchmark can narrow the profile to its measured window: a line on standard
// input throws away what was sampled so far and starts again; the next line stops and
// writes the profile. (Not a signal: the server's shutdown hooks take SIGUSR2 too.) So a profile shows only what the server did under the measured load, not
// the set-up or the HTTP ceiling measured around it. On SIGTERM whatever is still
// being sampled is written, then the process exits normally (Nest re-raises SIGTERM
// after closing, and a process killed by a signal would write nothing).
//
// Beside each window's profile it writes `<name>.window.json`: the event-loop delay
// histogram of the window (how long work waited for the loop: the pauses behind a
// latency tail) and the process's CPU time in it (all threads, so GC and the second
// core count), from which the report derives CPU per request.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');

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
// 10 ms resolution is the default; 1 ms sees the short pauses a p99 of a few ms is made of.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let windowStart = { cpu: process.cpuUsage(), at: process.hrtime.bigint() };

function windowFacts() {
  const cpu = process.cpuUsage(windowStart.cpu);
  const ms = (nanos) => Math.round(nanos / 1e4) / 100;
  return {
    wallMs: ms(Number(process.hrtime.bigint() - windowStart.at)),
    cpuUserMs: Math.round(cpu.user / 10) / 100,
    cpuSystemMs: Math.round(cpu.system / 10) / 100,
    eventLoopDelayMs: {
      p50: ms(loopDelay.percentile(50)),
      p99: ms(loopDelay.percentile(99)),
      p999: ms(loopDelay.percentile(99.9)),
      max: ms(loopDelay.max),
      mean: ms(loopDelay.mean),
      samples: loopDelay.count,
    },
  };
}

function writeProfile(name, then) {
  const facts = windowFacts();
  session.post('Profiler.stop', (error, result) => {
    writeFileSync(join(dir, name.replace(/\.cpuprofile$/, '.window.json')), JSON.stringify(facts));
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
  loopDelay.disable();
  loopDelay.reset();
  loopDelay.enable();
  windowStart = { cpu: process.cpuUsage(), at: process.hrtime.bigint() };
  mode = 'window';
}

process.once('SIGTERM', () => {
  if (mode === 'idle') process.exit(0);
  else writeProfile(`${mode}-${process.pid}.cpuprofile`, () => process.exit(0));
});
