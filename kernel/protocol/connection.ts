// The connection file a front end writes before starting the kernel: where to bind and how to sign.
import { readFileSync } from "node:fs";

/** Contents of a Jupyter connection file (`kernel-<id>.json`). */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  signature_scheme: string;
  key: string;
  kernel_name?: string;
}

/** The five channels and the port field naming each. */
export const CHANNELS = ["shell", "iopub", "stdin", "control", "hb"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * Checks parsed JSON against the connection file's shape. Errors name the file, the field, the bad value
 * and what was expected.
 */
export function parseConnectionInfo(json: unknown, file = "<connection file>"): ConnectionInfo {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("expected a JSON object");
  const o = json as Record<string, unknown>;
  const transport = o.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") fail(`transport is ${JSON.stringify(transport)}: expected "tcp" or "ipc"`);
  const ip = o.ip ?? "127.0.0.1";
  if (typeof ip !== "string" || ip === "") fail(`ip is ${JSON.stringify(ip)}: expected an address`);
  const port = (name: string): number => {
    const v = o[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 65535) {
      return fail(`${name} is ${JSON.stringify(v)}: expected a port number (0-65535)`);
    }
    return v;
  };
  const key = o.key ?? "";
  if (typeof key !== "string") fail(`key is ${JSON.stringify(key)}: expected a string`);
  const scheme = o.signature_scheme ?? "hmac-sha256";
  if (typeof scheme !== "string") fail(`signature_scheme is ${JSON.stringify(scheme)}: expected e.g. "hmac-sha256"`);
  const info: ConnectionInfo = {
    transport: transport as "tcp" | "ipc",
    ip: ip as string,
    shell_port: port("shell_port"),
    iopub_port: port("iopub_port"),
    stdin_port: port("stdin_port"),
    control_port: port("control_port"),
    hb_port: port("hb_port"),
    signature_scheme: scheme as string,
    key: key as string,
  };
  if (typeof o.kernel_name === "string") info.kernel_name = o.kernel_name;
  return info;
}

/** Reads and checks a connection file. */
export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`Could not open connection file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON: ${(err as Error).message}`);
  }
  return parseConnectionInfo(json, path);
}

/**
 * The zeromq endpoint of a channel. For ipc the port is a suffix of the path (`<ip>-<port>`), as
 * jupyter_client writes it.
 */
export function endpoint(info: ConnectionInfo, channel: ChannelName): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}
