import type * as facade from '@cluster/facade';

/** `require('@cluster/core')`: the cluster object itself, as `require('node:cluster')` gives it. */
declare const cluster: facade.Cluster;
// The types, for `import cluster = require('@cluster/core')` users: `cluster.Worker`, `cluster.Settings`, ….
declare namespace cluster {
  type Address = facade.Address;
  type Cluster = facade.Cluster;
  type ClusterEvents = facade.ClusterEvents;
  type MessageHandle = facade.MessageHandle;
  type Settings = facade.Settings;
  type Worker = facade.Worker;
  type WorkerAddress = facade.WorkerAddress;
  type WorkerEvents = facade.WorkerEvents;
  type WorkerState = facade.WorkerState;
}
export = cluster;
