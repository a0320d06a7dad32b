import type { Cluster } from '@cluster/facade';

declare const cluster: Cluster;
export = cluster;
