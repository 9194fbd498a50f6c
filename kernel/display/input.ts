// input() for cells. The cell runs in the engine's evaluation thread; stdin lives with the sockets on the
// main thread. The engine's API has no input callback, so the two talk over a BroadcastChannel, which
// node delivers between threads of one process.

export const INPUT_CHANNEL = "retis-kernel-input";

/** From the cell: ask the front end for a line. */
export interface InputAsk {
  id: number;
  prompt: string;
  password: boolean;
}

/** From the kernel: the line typed, or why there is none. */
export type InputAnswer = { id: number; value: string; error?: undefined } | { id: number; error: string; value?: undefined };
