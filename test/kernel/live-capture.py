"""A capture from a notebook cell, driven by Debian's jupyter_client (run by live-capture.test.ts).

Argv: KERNEL_CWD NETNS. Cell 1 starts `collect({...})` on the namespace and awaits it; while it runs this
script sends traffic in the namespace (ping), waits for the status line to count events, then presses the
stop button (interrupt_request on the control channel, the kernelspec's interrupt_mode "message"). Prints
one JSON object: the iopub messages of cell 1 (display_data / update_display_data / execute_result /
error), its reply status, and cell 2's view of the returned file.
"""
import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("RETIS_KERNEL_NAME", "retis-ts")


def cell_messages(kc, msg_id, timeout=120):
    """(kind, content, text/plain) of each iopub message of one request, until it is idle or the time is up."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        yield kind, content, content.get("data", {}).get("text/plain", "")
        if kind == "status" and content["execution_state"] == "idle":
            return


def main():
    cwd, netns = sys.argv[1], sys.argv[2]
    km, kc = start_new_kernel(kernel_name=KERNEL, cwd=cwd)
    out = {"messages": []}
    try:
        code = (
            f'const cap = collect({{ out: "live.data", netns: "{netns}", '
            f'probes: ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit", "tp:skb:kfree_skb"] }});\n'
            "const file = await cap;\n"
            "file"
        )
        msg_id = kc.execute(code)
        pinged = False
        interrupted = False
        for kind, content, text in cell_messages(kc, msg_id):
            if kind in ("display_data", "update_display_data", "execute_result", "error", "stream"):
                out["messages"].append({
                    "type": kind,
                    "display_id": content.get("transient", {}).get("display_id"),
                    "text": content.get("data", {}).get("text/plain", content.get("text", content.get("evalue"))),
                    "html": "text/html" in content.get("data", {}),
                })
            if kind == "update_display_data" and "capturing" in text and not pinged:
                pinged = True
                subprocess.run(["ip", "netns", "exec", netns, "ping", "-c", "4", "-i", "0.2", "-W", "1", "127.0.0.1"],
                               capture_output=True, timeout=30)
            if kind == "update_display_data" and pinged and not interrupted and not text.startswith("● capturing: 0 events"):
                interrupted = True
                km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        out["status"] = reply["content"]["status"]
        out["interrupted"] = interrupted

        outputs = []
        kc.execute_interactive("console.log(JSON.stringify({ path: file.path, events: [...file.events()].length, stats: cap.stats }))",
                               timeout=60, output_hook=outputs.append)
        out["after"] = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")

        # a loop following the capture, refreshing its own display: the stop button ends the capture, the
        # loop ends after the last event, and the cell returns what it counted
        code = (
            f'const cap2 = collect({{ out: "follow.data", netns: "{netns}", probes: ["tp:net:netif_receive_skb"] }});\n'
            "let n = 0;\n"
            "const shown = displayUpdatable(`followed ${n} events`);\n"
            "for await (const e of cap2.follow()) { n++; shown.update(`followed ${n} events`); }\n"
            "n"
        )
        msg_id = kc.execute(code)
        pinged = interrupted = False
        follow = {"updates": []}
        for kind, content, text in cell_messages(kc, msg_id):
            if kind == "update_display_data" and text.startswith("● capturing") and not pinged:
                pinged = True
                subprocess.run(["ip", "netns", "exec", netns, "ping", "-c", "3", "-i", "0.2", "-W", "1", "127.0.0.1"],
                               capture_output=True, timeout=30)
            if os.environ.get("KCAP_DEBUG"): print(kind, text[:80], file=sys.stderr)
            if kind == "update_display_data" and text.startswith("'followed"):
                text = text.strip("'")  # a string result shows quoted
                follow["updates"].append(text)
                if pinged and not interrupted and text != "followed 1 events":
                    interrupted = True
                    km.interrupt_kernel()
            if kind == "execute_result":
                follow["result"] = text
            if kind == "error":
                follow["error"] = content.get("evalue")
        follow["status"] = kc.get_shell_msg(timeout=30)["content"]["status"]
        follow["interrupted"] = interrupted
        out["follow"] = follow
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(out))


main()
