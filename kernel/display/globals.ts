// Globals the kernel adds to every cell (EngineOptions.globalModules), run in the engine's evaluation
// thread: charts, input(), clearOutput(), and html/markdown/svg wrappers. Their types are in ambient.ts;
// ambient.test.ts checks the two list the same names.
import { BroadcastChannel } from "node:worker_threads";
import type { GlobalsApi, MimeBundle } from "../../engine/index.js";
import { dropsByReason, eventsPerProbe, latency } from "./charts.js";
import { KERNEL_MIME, type KernelDirective } from "./directive.js";
import { INPUT_CHANNEL, type InputAnswer, type InputAsk } from "./input.js";
import { barChart, lineChart } from "./plots.js";

const DISPLAY = Symbol.for("Jupyter.display");

/** A value that displays as the given bundle. */
function bundleOf(bundle: MimeBundle): object {
  return { [DISPLAY]: () => bundle, toString: () => String(bundle["text/plain"] ?? "") };
}

function directive(d: KernelDirective, data: MimeBundle = {}): object {
  return bundleOf({ ...data, [KERNEL_MIME]: d });
}

let channel: BroadcastChannel | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve(v: string): void; reject(e: Error): void }>();

function inputChannel(): BroadcastChannel {
  if (!channel) {
    channel = new BroadcastChannel(INPUT_CHANNEL);
    channel.onmessage = (ev) => {
      const a = (ev as { data: InputAnswer | InputAsk }).data;
      if ("prompt" in a) return; // another thread's question, not an answer
      const w = waiting.get(a.id);
      if (!w) return;
      waiting.delete(a.id);
      if (waiting.size === 0) (channel as unknown as { unref(): void }).unref();
      if (a.error !== undefined) w.reject(new Error(a.error));
      else w.resolve(a.value);
    };
  }
  return channel;
}

/** Ask the front end for one line (Jupyter input_request); rejects when the front end does not allow stdin. */
function input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
  const ch = inputChannel();
  const id = nextId++;
  // While an answer is awaited the channel must keep the thread alive; otherwise it must not.
  (ch as unknown as { ref(): void }).ref();
  return new Promise<string>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    ch.postMessage({ id, prompt: String(prompt), password: options.password === true } satisfies InputAsk);
  });
}

export default function kernelGlobals(api: GlobalsApi): Record<string, unknown> {
  let displayIds = 0;
  return {
    plot: { dropsByReason, eventsPerProbe, latency, bar: barChart, line: lineChart },
    input,
    clearOutput(wait = false): void {
      api.display(directive({ kind: "clear", wait }));
    },
    /** display() that returns a handle whose update() replaces the output in place. */
    displayUpdatable(value: unknown): { id: string; update(value: unknown): void } {
      const id = `retis-${process.pid}-${++displayIds}`;
      api.display(directive({ kind: "display", id, update: false }, api.format(value)));
      return { id, update: (v: unknown) => api.display(directive({ kind: "display", id, update: true }, api.format(v))) };
    },
    html: (s: string) => bundleOf({ "text/html": String(s), "text/plain": String(s) }),
    markdown: (s: string) => bundleOf({ "text/markdown": String(s), "text/plain": String(s) }),
    svg: (s: string) => bundleOf({ "image/svg+xml": String(s), "text/plain": "[SVG]" }),
  };
}
