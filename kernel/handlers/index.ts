// One request → its reply content. An exhaustive switch over the message types this kernel handles:
// adding a type to messages.ts without a case here is a compile error (the `never` check).
import type { Contents, Request, RequestType } from "../messages.js";
import { REPLY_TYPE } from "../messages.js";
import { complete, inspect, isComplete } from "./complete.js";
import type { HandlerContext } from "./context.js";
import { execute } from "./execute.js";
import { kernelInfo } from "./kernel-info.js";

type Replied = keyof typeof REPLY_TYPE;
/** A request's reply: its type and content; `undefined` for messages without one (comm_*). */
export type Reply = { [T in Replied]: { type: (typeof REPLY_TYPE)[T]; content: Contents[(typeof REPLY_TYPE)[T]] } }[Replied] | undefined;

/** A request with its type lifted to the top, so that `switch` narrows the message (TS narrows top-level discriminants only). */
export type Tagged = { [T in RequestType]: { type: T; msg: Extract<Request, { header: { msg_type: T } }> } }[RequestType];

export function tag(msg: Request): Tagged {
  return { type: msg.header.msg_type, msg } as Tagged;
}

export async function dispatch(ctx: HandlerContext, req: Tagged): Promise<Reply> {
  switch (req.type) {
    case "kernel_info_request":
      return { type: "kernel_info_reply", content: kernelInfo() };
    case "execute_request":
      return { type: "execute_reply", content: await execute(ctx, req.msg.content) };
    case "complete_request": {
      const engine = await ctx.engine();
      return { type: "complete_reply", content: complete(engine, req.msg.content) };
    }
    case "inspect_request": {
      const engine = await ctx.engine();
      return { type: "inspect_reply", content: inspect(engine, req.msg.content) };
    }
    case "is_complete_request": {
      const engine = await ctx.engine();
      return { type: "is_complete_reply", content: isComplete(engine, req.msg.content) };
    }
    case "history_request":
      return { type: "history_reply", content: { status: "ok", history: ctx.history.query(req.msg.content) } };
    case "comm_info_request":
      // No comm targets (no widgets): an empty map, under the right msg_type (tslab answers complete_reply).
      return { type: "comm_info_reply", content: { status: "ok", comms: {} } };
    case "comm_open":
      // Nothing here can open a comm: close it at once so the front end does not wait for one (as Deno).
      ctx.publish("comm_close", { comm_id: req.msg.content.comm_id, data: {} });
      return undefined;
    case "comm_msg":
    case "comm_close":
      return undefined;
    case "interrupt_request":
      ctx.interrupt();
      return { type: "interrupt_reply", content: { status: "ok" } };
    case "shutdown_request": {
      const restart = req.msg.content.restart === true;
      ctx.shutdown(restart);
      return { type: "shutdown_reply", content: { status: "ok", restart } };
    }
    default: {
      const never: never = req;
      throw new Error(`no handler for ${(never as Tagged).type}`);
    }
  }
}
