import { isIP } from 'node:net';

/**
 * Who a login attempt comes from, for the throttle. An IPv4 address is one client. An IPv6 client
 * is its /64: one subscriber usually holds a whole /64 and can pick any of its 2^64 addresses, so
 * counting addresses one by one would not slow anyone down. IPv4-mapped IPv6 is IPv4.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return `v4:${mapped[1]}`;
  const kind = isIP(ip);
  if (kind === 4) return `v4:${ip}`;
  if (kind !== 6) return `other:${ip}`;
  return `v6:${expandIpv6(ip.split('%')[0]!).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (as isIP accepts it), lower-case, without leading zeros. */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16).toString(16));
}
