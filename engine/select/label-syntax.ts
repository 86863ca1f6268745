/**
 * Label keys and values as the API server validates them (apimachinery's IsQualifiedName and
 * IsValidLabelValue): a value, or a key's name part, is at most 63 alphanumerics, `-`, `_`
 * or `.`, starting and ending alphanumeric; a key may carry a DNS-subdomain prefix and `/`.
 */
const NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const SHAPE = "at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";

/** Keys found valid: a cluster's pods share a few dozen keys, checked once each (bounded). */
const validKeys = new Set<string>();
const VALID_KEYS_KEPT = 10_000;

/** Why `key` is not a valid label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  if (validKeys.has(key)) return undefined;
  const problem = keyProblem(key);
  if (problem === undefined && validKeys.size < VALID_KEYS_KEPT) validKeys.add(key);
  return problem;
}

function keyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "invalid label key: more than one '/'";
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `invalid label key: its prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lower-case, at most 253 characters)`;
    }
  }
  if (name.length > 63 || !NAME.test(name)) return `invalid label key: its name must be ${SHAPE}`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value))
    return `invalid label value ${JSON.stringify(value)}: must be empty or ${SHAPE}`;
  return undefined;
}
