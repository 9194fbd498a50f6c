"""Which capture a notebook's `reader` is, driven by Debian's jupyter_client (run by capture.test.ts).

Argv: KERNEL_CWD. The kernel starts in KERNEL_CWD (no retis.data there, no RETIS_FILE), so `reader` falls
back to the bundled sample. Prints one JSON object with what the cells showed.
"""
import json
import os
import sys

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("RETIS_KERNEL_NAME", "retis-ts")


def main():
    cwd = sys.argv[1]
    km, kc = start_new_kernel(kernel_name=KERNEL, cwd=cwd)
    out = {}
    try:
        def cell(code):
            outputs = []
            reply = kc.execute_interactive(code, timeout=120, output_hook=outputs.append)
            streams = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
            results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
            errors = [m["content"]["evalue"] for m in outputs if m["msg_type"] == "error"]
            return {"status": reply["content"]["status"], "streams": streams, "result": results[0] if results else None, "errors": errors}

        out["first"] = cell("1 + 1")
        out["second"] = cell("2 + 2")
        out["fallback_path"] = cell("reader.path")
        out["open"] = cell('reader = openCapture("other.data");\n[...reader.events()].length')
        out["opened_path"] = cell("reader.path")
        out["folder"] = cell('openCapture("cap")\nreader.path')
        out["assign"] = cell('reader = new EventFile("other.data")\nreader.sorted()')
        out["missing"] = cell('openCapture("nope.data")')
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(out))


main()
