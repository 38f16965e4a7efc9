/**
 * Whether a URL or origin points back at the machine it is opened on. Decided
 * on the parsed host (WHATWG URL), never on the raw text: the parser lowercases
 * `LocalHost`, turns `127.1` and `0x7f000001` into `127.0.0.1`, and writes every
 * IPv6 loopback spelling as `[::1]`, so no spelling slips past.
 */

/** True for localhost, *.localhost, 127.0.0.0/8, ::1 (IPv4-mapped forms too) and 0.0.0.0 / ::. */
export function isLoopbackUrl(value: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(value).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname);
}

/** The same test on a host name as `URL.hostname` gives it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // 0.0.0.0 and [::] reach this machine too in most browsers.
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '0.0.0.0') return true;
  // IPv4-mapped loopback: the parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  return host === '[::1]' || host === '[::]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host) || host === '[::ffff:0:0]';
}
