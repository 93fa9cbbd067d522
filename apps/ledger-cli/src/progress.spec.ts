import { startProgress } from './progress';

describe('progress of long jobs', () => {
  it('draws a bar with rate and ETA on a terminal', () => {
    let written = '';
    let clock = 0;
    const progress = startProgress({
      label: 'verify',
      total: 1000,
      unit: 'positions',
      write: (text) => (written += text),
      isTTY: true,
      now: () => clock,
    });
    clock = 2000;
    progress.update(400);
    progress.stop();
    expect(written).toMatch(/verify \[[=-]+\] 40% \| 400\/1000 positions \| 200\/s \| ETA \S+/);
  });

  it('prints a plain line per interval and a last one off a terminal, never a control sequence', () => {
    let written = '';
    let clock = 0;
    const progress = startProgress({
      label: 'rebuild',
      total: 1000,
      unit: 'positions',
      write: (text) => (written += text),
      isTTY: false,
      intervalMs: 1000,
      now: () => clock,
    });
    clock = 500;
    progress.update(100);
    clock = 1000;
    progress.update(250);
    clock = 1500;
    progress.update(300);
    clock = 2000;
    progress.update(1000);
    progress.stop();
    expect(written.split('\n').filter(Boolean)).toEqual([
      'rebuild: 250/1000 positions (25%), 250/s, ETA 3s',
      'rebuild: 1000/1000 positions (100%), 500/s, ETA 0s',
      'rebuild: 1000/1000 positions (100%), 500/s, ETA 0s',
    ]);
    expect(written).not.toContain('\u001b');
  });
});
