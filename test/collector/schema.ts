// Retis's JSON Schema (as embedded in Retis's own pcap export, shared/retis-samples/derived), adapted
// to format 1.7 where it lags: ct `tcp_state` is `proto_state`, startup gains `cmdline` and `split_file`.
// Also `packet.data`: the schema says an array of bytes, but Retis serializes it as a base64 string
// (see Retis's own test_events_packets.json), so that is what is checked.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sample } from "../samples.js";

const require = createRequire(import.meta.url);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}

export function schemaValidator(): Validator {
  const schema: Json = JSON.parse(
    readFileSync(sample("derived/retis_event_schema.from_test_events_packets_pcap.json"), "utf8"),
  );
  const defs = schema.$defs;
  for (const name of ["CtEvent", "CtConnEvent"]) {
    const props = defs[name].properties;
    props.proto_state = props.tcp_state;
    delete props.tcp_state;
    // no unknown keys: a misspelt field must fail
    defs[name].additionalProperties = false;
  }
  defs.StartupEvent.properties.cmdline = { type: "string" };
  defs.StartupEvent.properties.split_file = {
    type: "object",
    properties: {
      id: { type: "integer", minimum: 0 },
      policy: {
        type: "object",
        properties: { kind: { const: "size" }, limit: { type: "integer", minimum: 1 } },
        required: ["kind", "limit"],
        additionalProperties: false,
      },
    },
    required: ["id", "policy"],
    additionalProperties: false,
  };
  defs.StartupEvent.required.push("cmdline");
  defs.RawPacket = { type: "string", pattern: "^[A-Za-z0-9+/]*={0,2}$" };
  // every section object is closed, so that a stray or misspelt key is an error
  for (const name of ["CommonEvent", "TaskEvent", "KernelEvent", "SkbTrackingEvent", "SkbDropEvent", "PacketEvent",
    "SkbEvent", "SkbMetaEvent", "SkbDataRefEvent", "SkbGsoEvent", "NetnsEvent", "DevEvent", "StartupEvent",
    "MachineInfo", "TimeSpec", "CtTuple", "CtIp"]) {
    defs[name].additionalProperties = false;
  }
  schema.additionalProperties = false;
  const Ajv2020 = require("ajv/dist/2020.js").default ?? require("ajv/dist/2020.js");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // Retis's integer formats (uint8…uint64, int32, int64) only restate the bounds already given
  for (const f of ["uint8", "uint16", "uint32", "uint64", "int32", "int64", "uint"]) ajv.addFormat(f, true);
  return ajv.compile(schema) as Validator;
}
