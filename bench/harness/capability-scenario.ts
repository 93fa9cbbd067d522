import { BenchContext } from './bench-context';
import { builtEntryExists, describeProbe, EndpointProbe, endpointExists } from './endpoint-probe';
import { notAvailable, Scenario, ScenarioResult } from './scenario';

/** A route the server answers, or an entry point in the build (a path inside `dist/`). */
export type Capability = { endpoint: EndpointProbe } | { builtEntry: string; description: string };

export interface CapabilityScenarioDefinition {
  id: string;
  title: string;
  target: string;
  /** What the server must offer before this scenario can measure anything. */
  needs: Capability;
  /** The measurement, once the capability exists; absent while nobody has written it. */
  measure?: (context: BenchContext) => Promise<ScenarioResult>;
}

/**
 * A scenario for a capability that is being built: it asks the built server
 * whether the capability exists and reports "not available yet" until it does,
 * so the suite never invents a number for it.
 */
export function capabilityScenario(definition: CapabilityScenarioDefinition): Scenario {
  const needs = definition.needs;
  const what = 'endpoint' in needs ? describeProbe(needs.endpoint) : needs.description;
  return {
    id: definition.id,
    title: definition.title,
    target: definition.target,
    async run(context) {
      const available =
        'endpoint' in needs ? await endpointExists(context, needs.endpoint) : await builtEntryExists(context, needs.builtEntry);
      if (!available) return notAvailable(`not available yet (needs ${what})`);
      if (!definition.measure) {
        return notAvailable(`${what} exists now, but this scenario's measurement is not written yet (bench/scenarios, ${definition.id})`);
      }
      return definition.measure(context);
    },
  };
}
