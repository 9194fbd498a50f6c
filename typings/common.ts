import type { Section } from "./section.js";

/** The task that was running on the CPU when the event was collected. JSON `common.task`. */
export interface TaskFields {
  /** Thread id (`current->pid`). JSON `pid` (i32). */
  pid: number;
  /** Process id, the thread group leader (`current->tgid`). JSON `tgid` (i32). */
  tgid: number;
  /** Task name, at most 15 characters (`current->comm`). JSON `comm`. */
  comm: string;
}

/** JSON shape of the `common` section, present in every event. */
export interface CommonFields {
  /** When the event was collected: CLOCK_MONOTONIC, in nanoseconds. JSON `timestamp` (u64). */
  timestamp: bigint;
  /** CPU the event was collected on (`bpf_get_smp_processor_id()`). Absent on the startup event. JSON `smp_id` (u32). */
  smp_id?: number;
  /** Task running when the event was collected. Absent on the startup event and where no task applies. JSON `task`. */
  task?: TaskFields;
}

/** The `common` section: time, CPU and task of the event. Always present. Retis `CommonEvent`. */
export interface CommonEvent extends CommonFields, Section<CommonFields> {}
