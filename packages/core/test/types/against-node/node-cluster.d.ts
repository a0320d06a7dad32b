// Stands in for @cluster/core when the page's examples are compiled against node:cluster's own types, to show
// that the examples need no more TypeScript adaptation with ours than with Node's. (worker-methods.ts is left
// out: its `Object.values(cluster.workers)` loop compiles with ours, whose table holds no `undefined`s, and
// not with Node's.)
import cluster from 'node:cluster';

export default cluster;
