import { startProgress } from './progress';

/** A progress display of 1,000 positions on a clock the test moves, writing into a string. */
function progressOn(label: string, display: { isTTY: boolean; intervalMs?: number }) {
  const output = { written: '', clock: 0 };
  const progress = startProgress({
    label,
    total: 1000,
    unit: 'positions',
    write: (text) => (output.written += text),
    ...display,
    now: () => output.clock,
  });
  return { progress, output };
}

describe('progress of long jobs', () => {
  it('draws a bar with rate and ETA on a terminal', () => {
    const { progress, output } = progressOn('verify', { isTTY: true });
    output.clock = 2000;
    progress.update(400);
    progress.stop();
    expect(output.written).toMatch(/verify \[[=-]+\] 40% \| 400\/1000 positions \| 200\/s \| ETA \S+/);
  });

  it('prints a plain line per interval and a last one off a terminal, never a control sequence', () => {
    const { progress, output } = progressOn('rebuild', { isTTY: false, intervalMs: 1000 });
    output.clock = 500;
    progress.update(100);
    output.clock = 1000;
    progress.update(250);
    output.clock = 1500;
    progress.update(300);
    output.clock = 2000;
    progress.update(1000);
    progress.stop();
    expect(output.written.split('\n').filter(Boolean)).toEqual([
      'rebuild: 250/1000 positions (25%), 250/s, ETA 3s',
      'rebuild: 1000/1000 positions (100%), 500/s, ETA 0s',
      'rebuild: 1000/1000 positions (100%), 500/s, ETA 0s',
    ]);
    expect(output.written).not.toContain('\u001b');
  });
});
