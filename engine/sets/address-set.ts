import ipaddr from 'ipaddr.js';
import { IntervalSet } from './interval-set.js';

/**
 * Addresses of both families on one bigint line: IPv4 at [0, 2^32), IPv6 shifted above it,
 * so one interval set holds a mixed-family ipBlock partition.
 */
const V6_OFFSET = 1n << 32n;
const V4_MAX = V6_OFFSET - 1n;
const V6_MAX = V6_OFFSET + (1n << 128n) - 1n;

export type AddressSet = IntervalSet<bigint>;

export class CidrError extends Error {}

export interface ParsedCidr {
  /** The canonical text, host bits cleared (`10.1.0.0/16`). */
  text: string;
  family: 4 | 6;
  prefix: number;
  range: IntervalSet<bigint>;
}

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  const bytes = addr.toByteArray();
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return addr.kind() === 'ipv4' ? value : value + V6_OFFSET;
}

/** Go's netip, which the API server uses, takes only four decimal octets for IPv4. */
const STRICT_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const parsedCidrs = new Map<string, ParsedCidr>();

/** Parses (and remembers: thousands of policies repeat the same few CIDRs) an ipBlock CIDR. */
export function parseCidr(text: string): ParsedCidr {
  let parsed = parsedCidrs.get(text);
  if (!parsed) {
    parsed = parseCidrText(text);
    if (parsedCidrs.size > 100_000) parsedCidrs.clear();
    parsedCidrs.set(text, parsed);
  }
  return parsed;
}

function parseCidrText(text: string): ParsedCidr {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    const address = text.trim().split('/')[0]!;
    if (!address.includes(':') && !STRICT_V4.test(address)) throw new CidrError(text);
    [addr, prefix] = ipaddr.parseCIDR(text.trim());
  } catch {
    throw new CidrError(`"${text}" is not a valid CIDR`);
  }
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = BigInt(family === 4 ? 32 : 128);
  const hostBits = bits - BigInt(prefix);
  const base = toBigInt(addr);
  const offset = family === 4 ? 0n : V6_OFFSET;
  const start = ((base - offset) >> hostBits) << hostBits;
  const lo = start + offset;
  const hi = lo + (1n << hostBits) - 1n;
  return { text: `${fromBigInt(lo)}/${prefix}`, family, prefix, range: IntervalSet.of(lo, hi) };
}

/** `a.b.c.d` (each 0-255, at most three digits) as a number, without a regex or an array: 150k pod IPs are parsed per analysis. */
function dottedQuad(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && dots < 3 && octet <= 255) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  return dots === 3 && digits > 0 && octet <= 255 ? value * 256 + octet : undefined;
}

/** A single address (pod IP) as a point on the line; undefined if it does not parse. */
export function parseAddress(text: string): bigint | undefined {
  const v4 = dottedQuad(text);
  if (v4 !== undefined) return BigInt(v4);
  try {
    return toBigInt(ipaddr.parse(text.trim()));
  } catch {
    return undefined;
  }
}

export function fromBigInt(value: bigint): string {
  if (value <= V4_MAX) {
    return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 255n)).join('.');
  }
  let v = value - V6_OFFSET;
  const parts: number[] = [];
  for (let i = 0; i < 8; i++) {
    parts.unshift(Number(v & 0xffffn));
    v >>= 16n;
  }
  return ipaddr.IPv6.parse(parts.map((p) => p.toString(16)).join(':')).toString();
}

export const ALL_V4: AddressSet = IntervalSet.of(0n, V4_MAX);
export const ALL_V6: AddressSet = IntervalSet.of(V6_OFFSET, V6_MAX);
export const ALL_ADDRESSES: AddressSet = ALL_V4.union(ALL_V6);

/** Splits [lo, hi] (one family) into the fewest CIDR blocks. */
function rangeToCidrs(lo: bigint, hi: bigint): string[] {
  const v6 = lo > V4_MAX;
  const offset = v6 ? V6_OFFSET : 0n;
  const width = v6 ? 128n : 32n;
  const out: string[] = [];
  let cur = lo - offset;
  const end = hi - offset;
  while (cur <= end) {
    let size = 0n;
    while (size < width && (cur & ((1n << (size + 1n)) - 1n)) === 0n && cur + (1n << (size + 1n)) - 1n <= end) size++;
    out.push(`${fromBigInt(cur + offset)}/${width - size}`);
    cur += 1n << size;
  }
  return out;
}

function splitFamilies(set: AddressSet): [bigint, bigint][] {
  const parts: [bigint, bigint][] = [];
  for (const [lo, hi] of set.ranges) {
    if (lo <= V4_MAX && hi > V4_MAX) {
      parts.push([lo, V4_MAX], [V6_OFFSET, hi]);
    } else {
      parts.push([lo, hi]);
    }
  }
  return parts;
}

export function toCidrs(set: AddressSet): string[] {
  return splitFamilies(set).flatMap(([lo, hi]) => rangeToCidrs(lo, hi));
}

/** `0.0.0.0-9.255.255.255` style ranges, one per interval and family. */
export function toRangeTexts(set: AddressSet): string[] {
  return splitFamilies(set).map(([lo, hi]) => `${fromBigInt(lo)}-${fromBigInt(hi)}`);
}
