// Which addresses webhook deliveries may connect to (D-177). Endpoint URLs are chosen by partners
// (any authenticated OEM, MO, CPO or CPS client), and the server POSTs to them: without a check a
// partner could make the pool's host send requests into its own network — cloud metadata services
// (169.254.169.254), admin interfaces on loopback, databases on private addresses (server-side
// request forgery, OWASP SSRF Prevention Cheat Sheet). So by default a delivery connects only to
// public unicast addresses; PNC_WEBHOOK_ALLOW_PRIVATE=1 lifts this for local testing and for
// receivers inside the operator's own network.
//
// The check runs on the addresses the connection actually uses: the HTTP agents get a DNS lookup
// that refuses a name resolving to any non-public address (no window between check and connect for
// DNS rebinding), and IP literals, which Node connects to without a lookup, are checked before the
// request. Ranges: RFC 6890 special-purpose registries (IANA IPv4 / IPv6 Special-Purpose Address
// Registry) that are not globally reachable, plus multicast.

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

type Range = readonly [prefix: bigint, bits: number];

function v4(text: string, bits: number): Range {
  const n = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  return [n, bits];
}

/** IPv4 ranges that are not public unicast (RFC 6890 and the IANA registry; multicast, reserved). */
const BLOCKED_V4: readonly Range[] = [
  v4('0.0.0.0', 8), // "this network" (RFC 791)
  v4('10.0.0.0', 8), // private (RFC 1918)
  v4('100.64.0.0', 10), // shared address space, carrier-grade NAT (RFC 6598)
  v4('127.0.0.0', 8), // loopback (RFC 1122)
  v4('169.254.0.0', 16), // link-local, cloud metadata services (RFC 3927)
  v4('172.16.0.0', 12), // private (RFC 1918)
  v4('192.0.0.0', 24), // IETF protocol assignments (RFC 6890)
  v4('192.0.2.0', 24), // documentation TEST-NET-1 (RFC 5737)
  v4('192.88.99.0', 24), // 6to4 relay anycast, deprecated (RFC 7526)
  v4('192.168.0.0', 16), // private (RFC 1918)
  v4('198.18.0.0', 15), // benchmarking (RFC 2544)
  v4('198.51.100.0', 24), // documentation TEST-NET-2 (RFC 5737)
  v4('203.0.113.0', 24), // documentation TEST-NET-3 (RFC 5737)
  v4('224.0.0.0', 4), // multicast (RFC 5771)
  v4('240.0.0.0', 4), // reserved, and the limited broadcast address (RFC 1112, RFC 919)
];

function parseV6(text: string): bigint | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (isIP(tail) !== 4) return undefined;
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    s = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

function v6(text: string, bits: number): Range {
  return [parseV6(text) as bigint, bits];
}

/** IPv6 ranges that are not public unicast (IANA IPv6 Special-Purpose Address Registry). */
const BLOCKED_V6: readonly Range[] = [
  v6('::', 128), // unspecified
  v6('::1', 128), // loopback
  v6('100::', 64), // discard-only (RFC 6666)
  v6('2001:db8::', 32), // documentation (RFC 3849)
  v6('fc00::', 7), // unique local (RFC 4193)
  v6('fe80::', 10), // link-local (RFC 4291)
  v6('fec0::', 10), // site-local, deprecated (RFC 3879)
  v6('ff00::', 8), // multicast (RFC 4291)
];

/** IPv4 inside IPv6 that reaches the IPv4 address: IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96). */
const EMBEDDING_V4: readonly Range[] = [v6('::ffff:0:0', 96), v6('64:ff9b::', 96)];

function within(value: bigint, [prefix, bits]: Range, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === prefix >> shift;
}

/**
 * Whether a delivery may connect to this IP address: a public unicast address. Anything that is not
 * a valid IPv4 or IPv6 address is not allowed.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const value = v4(address, 32)[0];
    return !BLOCKED_V4.some((r) => within(value, r, 32));
  }
  if (family !== 6) return false;
  const value = parseV6(address);
  if (value === undefined) return false;
  for (const embedding of EMBEDDING_V4) {
    if (within(value, embedding, 128)) {
      const inner = value & 0xffffffffn;
      return !BLOCKED_V4.some((r) => within(inner, r, 32));
    }
  }
  return !BLOCKED_V6.some((r) => within(value, r, 128));
}

/** The error of a refused address; `code` tells it from network errors in the delivery log. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(host: string, address: string) {
    super(
      `${host} is ${host === address ? 'a' : `resolved to ${address}, a`} private, local or reserved address: ` +
        'webhook deliveries go to public addresses only (PNC_WEBHOOK_ALLOW_PRIVATE=1 allows others)',
    );
  }
}

/** A URL host as an address when it is an IP literal (`[::1]` unbracketed), else undefined. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).Agent / net.connect that resolves like dns.lookup and refuses a name any of
 * whose addresses is not public (a name that also resolves to a private address is refused whole:
 * the connection could use either).
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) {
      callback(error, []);
      return;
    }
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused !== undefined) {
      callback(new AddressNotAllowedError(hostname, refused.address), []);
      return;
    }
    if (options.all === true) {
      callback(null, addresses);
      return;
    }
    const first = addresses[0];
    if (first === undefined) {
      callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(null, first.address, first.family);
  });
}
