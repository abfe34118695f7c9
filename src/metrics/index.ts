export { createMetrics } from './registry.js';
export type { Metrics, MetricsSources } from './registry.js';
export { mechanismOfIssueRequest, mechanismOfSubmitted, verdictOfStatus } from './classify.js';
export { clusterScraper, serveClusterMetrics } from './cluster.js';
export type { ClusterScraper } from './cluster.js';
