import type { ClusterParams } from './params.js';

const SEED = 20240501;

const spread = (pods: number, namespaces: number, policies: number): ClusterParams => ({
  seed: SEED,
  pods,
  namespaces,
  policies,
  uniqueLabels: false,
  dense: false,
});

/** The cluster shapes the engine issue sets targets for. */
export const SCENARIOS = {
  small: spread(1_000, 50, 100),
  medium: spread(10_000, 500, 1_000),
  large: spread(150_000, 5_000, 10_000),
  /** Many small namespaces: classes cannot merge across namespaces. */
  wide: spread(100_000, 25_000, 75_000),
  dense: { ...spread(10_000, 1, 10_000), dense: true },
  'unique-labels': { ...spread(150_000, 5_000, 10_000), uniqueLabels: true },
  /** large with the admin tiers: 100 AdminNetworkPolicies, 20 ClusterNetworkPolicies, the baseline. */
  'large-admin': {
    ...spread(150_000, 5_000, 10_000),
    admin: { adminNetworkPolicies: 100, clusterNetworkPolicies: 20, baseline: true },
  },
  /** dense with 1k AdminNetworkPolicies all selecting its one namespace's pods. */
  'dense-admin': {
    ...spread(10_000, 1, 10_000),
    dense: true,
    admin: { adminNetworkPolicies: 1_000, clusterNetworkPolicies: 0, baseline: false },
  },
} satisfies Record<string, ClusterParams>;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenario(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

export function scenario(name: string): ClusterParams {
  if (!isScenario(name)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return SCENARIOS[name];
}
