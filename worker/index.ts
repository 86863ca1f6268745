// The worker's one entry for the CLI commands that start it (`worker`, `demo`, `serve`); nothing else
// outside worker/ imports it (eslint.config.js).
export { startWorker, type RunningWorker, type WorkerOptions } from './queue/run-worker.js';
export { DEMO_DIR, DemoHistoryError, ensureDemoCluster, replayTimelineOnce } from './demo/demo-cluster.js';
export { InProcessSnapshotJobs } from './queue/in-process-jobs.js';
export { startInProcessAlerts, startInProcessJobs } from './queue/run-in-process.js';
export type { InProcessAlerts } from './alerts/in-process-alerts.js';
export { DEFAULT_STATUS_PORT, startStatusServer } from './status/status-server.js';
