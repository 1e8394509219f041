/** Whether `url` may be fetched: http(s) only, and its host (or host:port) must match an entry. */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (!entry) return false;
    // "[::1]:8080" and "host:8080" carry a port; a bare host allows any port.
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry);
    const host = portMatch?.[1] ?? entry;
    const entryPort = portMatch?.[2];
    if (entryPort && entryPort !== port) return false;
    if (host.startsWith('*.')) {
      const suffix = host.slice(1);
      return hostname.endsWith(suffix) && hostname.length > suffix.length;
    }
    return hostname === host;
  });
}
