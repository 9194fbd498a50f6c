// execute_request: run a cell on the engine, streaming its output to iopub as it comes, then reply.
// Order on iopub, as clients expect: execute_input, streams/display_data in call order, then
// execute_result or error; the caller sends busy before and idle after.
import type { MimeBundle } from "../../engine/index.js";
import { KERNEL_MIME, type KernelDirective } from "../display/directive.js";
import { STDIN_NOT_ALLOWED } from "../display/input.js";
import type { Contents } from "../messages.js";
import { executeDefaults } from "../messages.js";
import type { HandlerContext } from "./context.js";

type ExecuteReply = Contents["execute_reply"];

export async function execute(ctx: HandlerContext, request: Contents["execute_request"]): Promise<ExecuteReply> {
  const req = executeDefaults(request);
  const store = req.store_history && !req.silent;
  if (store) ctx.executionCount += 1;
  const count = ctx.executionCount;
  if (store) ctx.history.add(count, req.code);
  if (!req.silent) ctx.publish("execute_input", { code: req.code, execution_count: count });

  const engine = await ctx.engine();
  const outcome = await engine.execute(req.code, {
    mode: "cell",
    fileName: `In[${count}]`,
    onStdout: (text) => ctx.publish("stream", { name: "stdout", text }),
    onStderr: (text) => ctx.publish("stream", { name: "stderr", text }),
    onDisplay: (bundle) => publishDisplay(ctx, bundle),
    onInput: (prompt, { password }) => (req.allow_stdin ? ctx.input(prompt, password) : Promise.reject(new Error(STDIN_NOT_ALLOWED))),
  });

  if (outcome.status === "error") {
    const { ename, evalue, traceback } = outcome;
    ctx.publish("error", { ename, evalue, traceback });
    if (outcome.outOfMemory) {
      // The evaluation thread was stopped at its heap limit; the kernel itself is fine. As after process.exit,
      // what the cells declared is gone: the next cell starts a new engine.
      ctx.engineGone();
      ctx.publish("stream", { name: "stderr", text: "The cell ran out of memory: the kernel stopped it and goes on; the next cell starts afresh, without earlier variables.\n" });
    } else if (outcome.exitCode !== undefined) {
      // The cell ended the evaluation thread. The kernel stays (a notebook should not lose its connection to
      // a stray process.exit), but what the cells declared is gone, as after a restart: say so.
      ctx.engineGone();
      ctx.publish("stream", { name: "stderr", text: `process.exit(${outcome.exitCode}) ended this kernel's evaluation: the next cell starts afresh, without earlier variables.\n` });
    }
    return { status: "error", ename, evalue, traceback, execution_count: count };
  }
  if (outcome.result !== undefined && !req.silent) {
    ctx.publish("execute_result", { execution_count: count, data: outcome.result, metadata: {} });
    const plain = outcome.result["text/plain"];
    if (store && typeof plain === "string") ctx.history.setOutput(count, plain);
  }
  return {
    status: "ok",
    execution_count: count,
    // Expressions would need a second evaluation through the engine per request; none of the clients in
    // use sends them, so each is answered as not evaluated rather than silently dropped.
    user_expressions: Object.fromEntries(
      Object.keys(req.user_expressions).map((k) => [k, { status: "error", ename: "NotSupported", evalue: "user_expressions are not evaluated by this kernel", traceback: [] }]),
    ),
    payload: [],
  };
}

/**
 * A display bundle becomes display_data, unless it carries the kernel's own directive (see directive.ts):
 * clear_output, or a display with an id / an update of one.
 */
export function publishDisplay(ctx: Pick<HandlerContext, "publish">, bundle: MimeBundle): void {
  const directive = bundle[KERNEL_MIME] as KernelDirective | undefined;
  if (directive === undefined) {
    ctx.publish("display_data", { data: bundle, metadata: {} });
    return;
  }
  const data = { ...bundle };
  delete data[KERNEL_MIME];
  switch (directive.kind) {
    case "clear":
      ctx.publish("clear_output", { wait: directive.wait });
      return;
    case "display":
      if (directive.update) ctx.publish("update_display_data", { data, metadata: {}, transient: { display_id: directive.id } });
      else ctx.publish("display_data", { data, metadata: {}, transient: { display_id: directive.id } });
      return;
    default: {
      const never: never = directive;
      throw new Error(`unknown kernel directive ${JSON.stringify(never)}`);
    }
  }
}
