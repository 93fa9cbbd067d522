import { SingleBar } from 'cli-progress';

export interface Progress {
  update(value: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  unit: string;
  /** Where progress goes: standard error, so standard output stays clean for data. */
  write(text: string): void;
  /** A terminal gets a live bar; anything else gets a plain line every `intervalMs`. */
  isTTY: boolean;
  intervalMs?: number;
  now?: () => number;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** Progress with rate and ETA for long passes over the log. */
export function startProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const total = Math.max(options.total, 0);
  if (options.isTTY) {
    const bar = new SingleBar({
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted}`,
      stream: {
        write: (text: string) => options.write(text),
        isTTY: true,
        columns: 100,
        cursorTo: () => true,
        clearLine: () => true,
      } as never,
      etaBuffer: 50,
    });
    const started = now();
    bar.start(total, 0, { rate: '0' });
    return {
      update: (value) => bar.update(value, { rate: Math.round(value / Math.max((now() - started) / 1000, 0.001)).toString() }),
      stop: () => bar.stop(),
    };
  }
  const interval = options.intervalMs ?? 2000;
  const started = now();
  let lastPrinted = started;
  let current = 0;
  const line = (final: boolean) => {
    const elapsed = Math.max((now() - started) / 1000, 0.001);
    const rate = current / elapsed;
    const percent = total > 0 ? Math.min(100, Math.floor((current / total) * 100)) : 100;
    const eta = final ? 0 : rate > 0 ? (total - current) / rate : Infinity;
    options.write(
      `${options.label}: ${current}/${total} ${options.unit} (${percent}%), ${Math.round(rate)}/s, ETA ${formatSeconds(eta)}\n`,
    );
  };
  return {
    update(value) {
      current = value;
      if (now() - lastPrinted >= interval) {
        lastPrinted = now();
        line(false);
      }
    },
    stop: () => line(true),
  };
}
