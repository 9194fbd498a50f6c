// The engine's display channel carries only MIME bundles (ExecuteCallbacks.onDisplay). Cells that need
// more than display_data — clear_output, or a display updated in place — send a bundle with this private
// key; the kernel turns it into the right iopub message and never shows the key. Going through the
// display channel keeps these in order with the cell's other output.

export const KERNEL_MIME = "application/vnd.retis.kernel-directive+json";

export type KernelDirective =
  | { kind: "clear"; wait: boolean }
  | { kind: "display"; id: string; update: boolean };
