/** What a worker's `'listening'` event carries (both clusters). */
export interface ListeningAddress {
  readonly addressType: number | string;
  readonly address: string | null | undefined;
  readonly port: number | undefined;
}

/** Where to point a client: `http://localhost:8000/` for a server on every interface, `unix:/path`, `udp://…`. */
export function describeAddress(address: ListeningAddress): string {
  if (address.addressType === -1) return `unix:${address.address}`;
  const raw = address.address ?? '';
  const host = raw === '' || raw === '0.0.0.0' || raw === '::' ? 'localhost' : raw.includes(':') ? `[${raw}]` : raw;
  if (address.addressType === 'udp4' || address.addressType === 'udp6') return `udp://${host}:${address.port}`;
  return `http://${host}:${address.port}/`;
}
