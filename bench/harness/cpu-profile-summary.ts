import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  function: string;
  where: string;
  selfShare: number;
}

export interface HotModule {
  module: string;
  selfShare: number;
}

export interface ProfileSummary {
  functions: HotFunction[];
  modules: HotModule[];
}

/**
 * Where the server spent its CPU, from the V8 profiles in a directory: the
 * functions with the most self time, and self time summed per package or
 * source folder, which says more about what bounds a scenario.
 */
export function summarizeProfiles(profileDir: string, buildRoot: string, top = 15): ProfileSummary {
  const shorten = (url: string) => shortenUrl(url, buildRoot);
  const moduleOf = (url: string, functionName: string) => moduleOfUrl(shorten(url), url, functionName);
  const selfMicros = new Map<string, { function: string; where: string; module: string; micros: number }>();
  let totalMicros = 0;
  for (const file of readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((nodeId, i) => {
      const micros = profile.timeDeltas[i] ?? 0;
      const { functionName, url, lineNumber } = nodes.get(nodeId)!.callFrame;
      const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
      const key = `${functionName}@${where}`;
      const entry = selfMicros.get(key) ?? {
        function: functionName || '(anonymous)',
        where,
        module: moduleOf(url, functionName),
        micros: 0,
      };
      entry.micros += micros;
      selfMicros.set(key, entry);
      totalMicros += micros;
    });
  }
  const share = (micros: number) => micros / Math.max(1, totalMicros);
  const byModule = new Map<string, number>();
  for (const entry of selfMicros.values()) byModule.set(entry.module, (byModule.get(entry.module) ?? 0) + entry.micros);
  return {
    functions: [...selfMicros.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, top)
      .map((entry) => ({ function: entry.function, where: entry.where, selfShare: share(entry.micros) })),
    modules: [...byModule]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, micros]) => ({ module, selfShare: share(micros) })),
  };
}

/** A package under node_modules, a source folder two levels deep, a node: built-in, or V8's own buckets. */
function moduleOfUrl(path: string, url: string, functionName: string): string {
  if (!url) return functionName || '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inPackage) return inPackage[1];
  if (path.startsWith('node:')) return 'node: built-ins';
  const inSource = /^dist\/((?:apps|libs)\/[^/]+\/src\/[^/]+)/.exec(path);
  return inSource ? inSource[1] : path;
}

/** Paths inside the run's copy of the build read as `dist/…`, the rest relative to the repository. */
function shortenUrl(url: string, buildRoot: string): string {
  const path = url.replace(/^file:\/\//, '');
  if (!path.startsWith('/')) return path;
  const inBuild = relative(buildRoot, path);
  return inBuild.startsWith('..') ? relative(REPO_ROOT, path) : join('dist', inBuild);
}

/** What profile-window.js measured over one measured window of a profiled server. */
export interface ServerWindowFacts {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopDelayMs: { p50: number; p99: number; p999: number; max: number; mean: number; samples: number };
}

/** The measured windows' facts in a profile directory, in the order they were written. */
export function readWindowFacts(profileDir: string): ServerWindowFacts[] {
  return readdirSync(profileDir)
    .filter((name) => name.endsWith('.window.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(profileDir, name), 'utf8')) as ServerWindowFacts);
}
