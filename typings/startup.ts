import type { Section, TimeSpec } from "./section.js";

/** The machine the capture was made on, as `uname -r -v -m`. */
export interface MachineInfo {
  /** Kernel release (`uname -r`). JSON `kernel_release`. */
  kernel_release: string;
  /** Kernel version (`uname -v`). JSON `kernel_version`. */
  kernel_version: string;
  /** Hardware name (`uname -m`). JSON `hardware_name`. */
  hardware_name: string;
}

/** Where this file sits in a set of split files (`--out-rotate`). */
export interface SplitFile {
  /** Index of this file in the set, from 0. JSON `id` (u32). */
  id: number;
  /** When a new file is started. JSON `policy`. */
  policy: {
    /** Only `size` exists. JSON `kind`. */
    kind: "size";
    /** Largest size of one file, in bytes. JSON `limit`. */
    limit: number;
  };
}

/** JSON shape of the `startup` section. */
export interface StartupFields {
  /** Version of the program that wrote the file, e.g. `v1.7.0`; selects the format's compat fix-ups. JSON `retis_version`. */
  retis_version: string;
  /** Command line of the capture. JSON `cmdline` (`unknown` for files older than 1.7). */
  cmdline: string;
  /** CLOCK_REALTIME − CLOCK_MONOTONIC when the capture started: add it to a timestamp for wall-clock time (`--utc`). JSON `clock_monotonic_offset`. */
  clock_monotonic_offset: TimeSpec;
  /** The machine of the capture. JSON `machine` (`unknown` fields for files older than 1.7). */
  machine: MachineInfo;
  /** Position in a set of split files; present only when rotating. JSON `split_file`. */
  split_file?: SplitFile;
}

/** The `startup` section: the first event of every file, describing the capture. Retis `StartupEvent`. */
export interface StartupEvent extends StartupFields, Section<StartupFields> {}
