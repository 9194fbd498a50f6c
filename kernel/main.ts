// The kernel process: `node dist/kernel/main.js -f CONNECTION_FILE` (what `retis kernel run -f` calls).
// Binds the sockets first and answers kernel_info at once; TypeScript and the engine load afterwards.
//
// Only the connection file and zeromq are loaded before the sockets are bound; the rest of the kernel loads
// while they start listening. A client connects while the kernel starts, is refused, and retries on its own
// timer (jupyter_client: every 100–200 ms): listening a few milliseconds earlier can save a whole retry.
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, resolve } from "node:path";
import type { Engine } from "../engine/index.js";
import { readConnectionFile } from "./protocol/connection.js";
import { Sockets } from "./protocol/sockets.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The sample shipped with retis: <repo>/samples/retis.data (this file is dist/kernel/main.js). */
export const BUNDLED_SAMPLE = resolve(here, "../../samples/retis.data");

function log(line: string): void {
  process.stderr.write(`[retis kernel] ${line}\n`);
}

/** Runs a kernel on a connection file until shutdown; resolves with the exit code. */
export async function runKernel(connectionFile: string): Promise<number> {
  const info = readConnectionFile(connectionFile);
  const [sockets, { Signer }, { KernelServer }, { CAPTURE_AMBIENT, chooseCapture, noteFirstCell }, { AMBIENT }] = await Promise.all([
    Sockets.bind(info, log),
    import("./protocol/hmac.js"),
    import("./server.js"),
    import("./capture.js"),
    import("./display/ambient.js"),
  ]);
  let signer: InstanceType<typeof Signer>;
  try {
    signer = new Signer(info.key, info.signature_scheme);
  } catch (err) {
    sockets.close();
    throw err;
  }
  if (!signer.enabled) log("the connection file has an empty key: messages are not authenticated");
  const capture = chooseCapture(process.env, process.cwd(), process.env.RETIS_BUNDLED_SAMPLE ?? BUNDLED_SAMPLE);
  if (capture.note) log(capture.note);

  let exitCode = 0;
  const server = new KernelServer(sockets, signer, {
    log,
    startEngine: async (): Promise<Engine> => {
      // Loaded here, not at the top: the engine pulls in TypeScript, which costs 200 ms before the first reply.
      const { createEngine } = await import("../engine/index.js");
      const engine = await createEngine({
        ambient: [AMBIENT, CAPTURE_AMBIENT],
        // What runs in the evaluation thread, named as modules beside this one.
        globalModules: [new URL("./display/globals.js", import.meta.url).href, new URL("./capture-globals.js", import.meta.url).href],
        displayModule: new URL("./display/index.js", import.meta.url).href,
        cwd: process.cwd(),
        input: capture.path,
      });
      return noteFirstCell(engine, capture.note);
    },
    onShutdown: (restart) => {
      log(restart ? "shutting down for a restart" : "shutting down");
      exitCode = 0;
    },
  });
  // With interrupt_mode "signal" (or a user's kill -INT) the signal must stop the cell, not the kernel.
  process.on("SIGINT", () => server.interrupt());
  process.on("SIGTERM", () => process.exit(143));
  watchParent();
  await server.run();
  return exitCode;
}

/**
 * Exit when the process that started the kernel is gone (it crashed or was killed without a
 * shutdown_request): an orphaned kernel would hold its ports and CPU forever. jupyter_client names its
 * pid in JPY_PARENT_PID; otherwise being re-parented tells the same.
 */
function watchParent(): void {
  const named = Number(process.env.JPY_PARENT_PID);
  const parent = Number.isInteger(named) && named > 1 ? named : process.ppid;
  const timer = setInterval(() => {
    let alive = process.ppid === parent;
    if (!alive && named > 1) {
      try {
        process.kill(named, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      log(`parent process ${parent} is gone: exiting`);
      process.exit(0);
    }
  }, 1000);
  timer.unref();
}

/** Command line: `-f FILE`, `--connection-file FILE`, `--connection-file=FILE` or a lone path. */
export function parseArgs(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-f" || a === "--connection-file") {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${a} needs a connection file path`);
      return v;
    }
    if (a.startsWith("--connection-file=")) return a.slice("--connection-file=".length);
    if (!a.startsWith("-")) return a;
  }
  throw new Error("usage: retis kernel run -f CONNECTION_FILE");
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let file: string;
  try {
    file = parseArgs(process.argv.slice(2));
  } catch (err) {
    log((err as Error).message);
    process.exit(2);
  }
  runKernel(file).then(
    (code) => process.exit(code),
    (err: unknown) => {
      log((err as Error).message);
      process.exit(1);
    },
  );
}
