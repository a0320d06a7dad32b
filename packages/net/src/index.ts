export { MAX_HANDOFF_ATTEMPTS } from './primary/handoff-listener.ts';
export type { ListenerStats, PortPeer, WorkerConnectionStats } from './primary/peer.ts';
export type { PortRegistry, PortRegistryOptions, QueryResult } from './primary/port-registry.ts';
export { createPortRegistry } from './primary/port-registry.ts';
export {
  ACCEPT_MEMORY,
  BALANCE_SLACK,
  IDLE_RESUME_MS,
  OPEN_WEIGHT,
  PROBE_INTERVAL_MS,
  STALE_AFTER_MS,
} from './primary/steering.ts';
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
export { PAUSE_LEAK_LIMIT } from './worker/accept-gate.ts';
export type { PortSharing } from './worker/port-sharing.ts';
export {
  ACCEPT_REPORT_BATCH,
  installPortSharing,
  LOAD_REPORT_DELAY_MS,
  SHARED_REPORT_DELAY_MS,
} from './worker/port-sharing.ts';
