export type { ClusterCounters, ClusterFigures } from './cluster-metrics.ts';
export { clusterFamilies } from './cluster-metrics.ts';
export type { StatusErrorCode } from './errors.ts';
export type { Labels, MetricFamily, MetricType, Sample } from './exposition.ts';
export { EXPOSITION_CONTENT_TYPE, isMetricName, renderExposition } from './exposition.ts';
export type { PageOptions } from './page.ts';
export { renderPage } from './page.ts';
export { aggregatePromClient } from './prom-aggregate.ts';
export type { Readiness, StatusServer, StatusServerOptions, StatusSupervisor } from './status-server.ts';
export {
  DEFAULT_HEALTH_MAX_DELAY_MS,
  DEFAULT_STATUS_HOST,
  defaultReadiness,
  startStatusServer,
} from './status-server.ts';
