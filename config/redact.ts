/**
 * Removes secrets from text bound for a log line or an error message: API token secrets,
 * bearer credentials, kubeconfig credential fields, passwords in URLs, and webhook URLs (whose
 * path is the credential). Applied to anything that may echo user or upstream input.
 */

const MARK = '[redacted]';

type Replace = (match: string, ...groups: string[]) => string;

const RULES: [RegExp, Replace][] = [
  // reachlog API token secrets (`rl_` + base64url), wherever they appear.
  [/\brl_[A-Za-z0-9_-]{8,}/g, () => MARK],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme) => `${scheme} ${MARK}`],
  // kubeconfig credential fields, as YAML (`token: x`) or JSON (`"token":"x"`).
  [
    /(["']?(?:token|client-key-data|client-certificate-data|password|id-token|refresh-token|access-token|secret)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}]+)/gi,
    (_m, key) => `${key}${MARK}`,
  ],
  // Webhook URLs: the path or query is the secret (Slack, Teams, Discord, generic `…/hooks/…`).
  [/\bhttps?:\/\/[^\s"'<>]*(?:hook|webhook)[^\s"'<>]*/gi, (m) => `${new URL(safeUrl(m)).origin}/${MARK}`],
  // user:password@ in any URL (database and Redis URLs included).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, (_m, scheme) => `${scheme}${MARK}@`],
];

function safeUrl(text: string): string {
  try {
    return new URL(text).toString();
  } catch {
    return 'http://unparseable.invalid';
  }
}

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = out.replace(pattern, replacement);
  }
  return out;
}
