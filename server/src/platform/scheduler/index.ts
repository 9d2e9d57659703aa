export { JobRunsRepository } from './job-runs.repository.js';
export { type JobDefinition, type JobRun, type Schedule, Scheduler } from './scheduler.js';
