// Which network addresses hooks and strategies may reach over `sym/http`. The allowlist of an
// integration names hosts; this policy decides about the addresses they resolve to, so that an
// organization cannot reach the operator's own network (loopback, cloud metadata, private ranges)
// by allowing a host name that points there, or that changes where it points (DNS rebinding).
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the default is `dns.lookup` with `all: true`). */
export type EgressResolver = (hostname: string) => Promise<LookupAddress[]>;

/** How the operator sets egress up; both fields are optional. */
export interface EgressOptions {
  /**
   * CIDRs reachable although they are not public unicast addresses, e.g. `127.0.0.0/8` for local
   * test doubles or `10.1.0.0/16` for an internal API (`SYM_EGRESS_ALLOW_CIDRS`).
   */
  allowCidrs?: readonly string[];
  /** Replaces DNS resolution (tests inject answers, e.g. a rebinding name). */
  resolve?: EgressResolver;
}

/** Thrown (through the connection's `lookup`) when a resolved address is not allowed. */
export class EgressDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressDeniedError';
  }
}

/** The setting named in refusals, so the hook's author can tell the operator what to change. */
export const EGRESS_ALLOW_SETTING = 'SYM_EGRESS_ALLOW_CIDRS';

/** Human names of the ranges ipaddr.js reports; anything but `unicast` is refused. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  unspecified: 'unspecified address',
  loopback: 'loopback',
  linkLocal: 'link-local range, which includes cloud metadata',
  private: 'private range',
  carrierGradeNat: 'carrier-grade NAT range',
  uniqueLocal: 'unique-local range',
  multicast: 'multicast range',
  broadcast: 'broadcast address',
};

/** Parses CIDR text (`10.0.0.0/8`, `::1/128`, or a single address); throws a TypeError naming the bad entry. */
export function parseCidrs(entries: readonly string[]): Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> {
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      try {
        if (entry.includes('/')) return ipaddr.parseCIDR(entry);
        const address = ipaddr.parse(entry);
        return [address, address.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      } catch {
        throw new TypeError(`${JSON.stringify(entry)} is not an IP address or CIDR range`);
      }
    });
}

/** The operator's egress rules: public unicast addresses, plus the CIDRs it allows. */
export class EgressPolicy {
  private readonly allowed: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  private readonly resolve: EgressResolver;

  constructor(options: EgressOptions = {}) {
    this.allowed = parseCidrs(options.allowCidrs ?? []);
    this.resolve = options.resolve ?? ((hostname) => dnsLookup(hostname, { all: true }));
  }

  /** Why `address` may not be reached (a sentence for the guest), or undefined when it may. */
  refusal(address: string): string | undefined {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
      parsed = ipaddr.process(address);
    } catch {
      return `egress to ${address} is not allowed: it is not an IP address`;
    }
    if (this.allowed.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return undefined;
    const range = parsed.range();
    if (range === 'unicast') return undefined;
    const shown = parsed.toString();
    return `egress to ${shown} (${RANGE_NAMES[range] ?? `${range} range`}) is not allowed; the operator can allow it with ${EGRESS_ALLOW_SETTING}`;
  }

  /**
   * A `lookup` for `http.request`: resolves, drops addresses the policy refuses, and fails when
   * none is left. Node calls it for every new connection, so the check is on the address the
   * socket actually connects to (a name that resolves somewhere else the next time is checked
   * again). IP literals never reach a lookup; check them with {@link refusal} first.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const candidates = addresses.filter((a) => family === 0 || a.family === family);
        const usable = candidates.filter((a) => this.refusal(a.address) === undefined);
        if (usable.length === 0) {
          const first = candidates[0];
          const why = first ? this.refusal(first.address)! : `${hostname} has no address`;
          callback(new EgressDeniedError(first ? `${hostname}: ${why}` : why), '', 0);
          return;
        }
        if (options.all) (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  /** Refusal for a URL host given as an IP literal (`[::1]` included), or undefined. */
  literalRefusal(hostname: string): string | undefined {
    const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
    return isIP(bare) ? this.refusal(bare) : undefined;
  }
}
