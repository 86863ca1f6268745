/**
 * The engine's public surface. Pure: objects in, answers out (no files, network, clock, database).
 */
export { ConnectionSet, PROTOCOLS, type Protocol } from './sets/connection-set.js';
export { IntervalSet } from './sets/interval-set.js';
export { ALL_V4, ALL_V6, parseAddress, parseCidr, toCidrs, toRangeTexts, type AddressSet } from './sets/address-set.js';
export {
  addressGroups,
  describeAddresses,
  formatAddressGroups,
  groupAddresses,
  outsidePeerAddresses,
  type AddressGroup,
} from './sets/describe-addresses.js';
export { LabelSelector, parseLabelSelector, SelectorError, type Labels } from './select/label-selector.js';
export { parseSelectorText, SelectorTextError } from './select/parse-selector-text.js';
export { InputError } from './model/input-error.js';
export { VOLATILE_LABELS } from './model/volatile-labels.js';
export type { FieldProblem, RawObject, SourceRef } from './model/source.js';
export type * from './model/cluster.js';
export { parseManifestText } from './manifests/parse-documents.js';
export { buildCluster, type BuildOptions } from './manifests/build-cluster.js';
export { namespaceWithName } from './manifests/namespace.js';
export { readNetworkPolicy } from './manifests/network-policy.js';
export {
  computeReachability,
  analyze,
  type AnalyzeOptions,
  type Connection,
  type Reachability,
  type Summary,
} from './reach/reachability.js';
export { summarize } from './reach/summary.js';
export { exposureCounts, type ExposureCounts } from './reach/exposure-counts.js';
export { groupWarnings, type Warning, type WarningGroup } from './reach/warnings.js';
export { addressCells, networksKey, networksPeers, standInAddress, type AddressCell } from './reach/networks-cells.js';
export {
  fromMatrixDoc,
  toMatrixDoc,
  type MatrixDoc,
  type NodeDoc,
  type StoredReachability,
} from './reach/matrix-doc.js';
export { compareConnections, type ChangeKind, type ConnectionChange } from './diff/connection-change.js';
export { diffConnections, diffReachability } from './diff/diff.js';
export { netChanges, netChangesWithOutside, type ChangeDirection } from './diff/net-changes.js';
export { diffKeyed, keyedChanges } from './diff/keyed-diff.js';
export { DIFF_FORMATS, renderDiff, type DiffFormat } from './diff/render.js';
export { explain, ExplainError, type Explanation, type PolicyRef, type SideExplanation } from './explain/explain.js';
export { formatExplanation, formatExplanations } from './explain/format-explanation.js';
export { explainParts } from './explain/explain-parts.js';
export { resolveExplainPeer, type ExplainPeer, type PeerResolution } from './explain/explain-peer.js';
export { mergeOutsidePeers, type MergedConnection } from './format/outside-rows.js';
export { FORMATS, formatReachability, isFormat, type Format, type FormatOptions } from './format/index.js';
