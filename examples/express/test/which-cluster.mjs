// Imported after register by the test: says, in the primary and in every worker, whose cluster `import 'cluster'` gives.
import cluster from 'cluster';

const ours = cluster === globalThis[Symbol.for('@cluster/facade:cluster')];
console.log(`cluster: ${ours ? 'ours' : 'node'} in ${cluster.isPrimary ? 'primary' : 'worker'}`);
