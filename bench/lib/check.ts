/** A workload whose result check fails: the run reports it and exits non-zero (WORKLOADS.md). */
export class CheckFailed extends Error {}
