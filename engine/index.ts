/**
 * The engine's public surface. Pure: objects in, answers out (no files, network, clock, database).
 */
export { ConnectionSet, PROTOCOLS, type Protocol } from './sets/connection-set.js';
export { IntervalSet } from './sets/interval-set.js';
export { parseAddress, parseCidr, toCidrs, toRangeTexts, type AddressSet } from './sets/address-set.js';
export { LabelSelector, parseLabelSelector, SelectorError, type Labels } from './select/label-selector.js';
export { InputError } from './model/input-error.js';
export type { RawObject, SourceRef } from './model/source.js';
export type * from './model/cluster.js';
export { parseManifestText } from './manifests/parse-documents.js';
export { buildCluster } from './manifests/build-cluster.js';
export {
  computeReachability,
  analyze,
  type AnalyzeOptions,
  type Connection,
  type Reachability,
  type Summary,
} from './reach/reachability.js';
