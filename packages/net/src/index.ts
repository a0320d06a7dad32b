export { MAX_HANDOFF_ATTEMPTS } from './primary/handoff-listener.ts';
export type { ListenerStats, PortPeer, WorkerConnectionStats } from './primary/peer.ts';
export type { PortRegistry, PortRegistryOptions, QueryResult } from './primary/port-registry.ts';
export { createPortRegistry } from './primary/port-registry.ts';
export type {
  AddressType,
  ListeningInfo,
  PrimaryPortsApi,
  PrimaryPortsChannel,
  QueryReply,
  ServerQuery,
  SockName,
  WorkerPortsApi,
  WorkerPortsChannel,
} from './protocol.ts';
export { MAX_ADDRESS_LENGTH, MAX_LOAD_ENTRIES, PORTS_ACTS } from './protocol-shapes.ts';
export type { PortSharing } from './worker/port-sharing.ts';
export { installPortSharing, LOAD_REPORT_INTERVAL_MS } from './worker/port-sharing.ts';
