// The u64 fields that hold kernel or user-space addresses. People read addresses in hex, as Retis's text shows
// them (`(skb ffff8e95d3009100)`, `flow … sf_acts …`); the JSON keeps every u64 as an exact decimal. Tables and
// summaries written for people (notebook displays, `retis ts` output) ask here how to show a u64.

/** Per section key, the paths (dot-separated inside the section) of its pointer-like u64 fields. */
export const POINTER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "skb-tracking": ["orig_head", "skb"],
  tracking: ["skb.orig_head", "skb.skb"],
  ovs: ["flow", "sf_acts"],
  "ovs-detrace": ["flow", "sf_acts"],
  userspace: ["ip"],
};

/** True when `path` in section `section` holds an address: `isPointerField("skb-tracking", "skb")`. */
export function isPointerField(section: string, path: string): boolean {
  return POINTER_FIELDS[section]?.includes(path) ?? false;
}

/** An address as `0x…` lowercase hex. */
export function pointerText(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** How a field's value reads for people: addresses in hex, any other value as `String(value)`. */
export function displayValue(section: string, path: string, value: unknown): string {
  if ((typeof value === "bigint" || typeof value === "number") && isPointerField(section, path)) return pointerText(value);
  return String(value);
}
