# The kernel bench's harness, on Debian's jupyter_client (run it with /usr/bin/python3):
#   kernel-peers.py ROUNDS CELLS NAME...
# Starts each kernelspec NAME in turn (found through JUPYTER_PATH), ROUNDS times, interleaved, and after each
# start runs CELLS tiny typed cells. Prints one JSON object: per name, "start" (start_kernel → the first
# kernel_info_reply, ms), "first" (start_kernel → the first cell's execute_reply, ms: a kernel that answers
# kernel_info early and sets up later pays here), "cells" (execute_request → execute_reply, ms) and "error".
#
# Not client.wait_for_ready(): it ends with a fixed 0.2 s wait for IOPub to go quiet, which would hide the
# differences being measured.
import json
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

TIMEOUT = 120


def reply_to(get_msg, msg_id, deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no reply within %d s" % TIMEOUT)
        try:
            msg = get_msg(timeout=left)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def cell(i):
    return "const x%d: number = %d + 1;\nx%d * 2" % (i, i, i)


def one(name, cells, out):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        deadline = time.monotonic() + TIMEOUT
        # The request waits in zeromq's queue until the kernel binds.
        reply_to(kc.get_shell_msg, kc.kernel_info(), deadline)
        out["start"].append((time.perf_counter() - t0) * 1000)
        for i in range(cells):
            t = time.perf_counter()
            reply = reply_to(kc.get_shell_msg, kc.execute(cell(i)), time.monotonic() + TIMEOUT)
            ms = (time.perf_counter() - t) * 1000
            if reply["content"].get("status") != "ok":
                raise RuntimeError("cell %d: %s" % (i, json.dumps(reply["content"])[:200]))
            if i == 0:
                out["first"].append((time.perf_counter() - t0) * 1000)
            out["cells"].append(ms)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    rounds, cells, names = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    results = {n: {"start": [], "first": [], "cells": [], "error": None} for n in names}
    for _ in range(rounds):
        for n in names:
            if results[n]["error"]:
                continue
            try:
                one(n, cells, results[n])
            except Exception as e:  # a peer that fails is reported on its row, not fatal
                results[n]["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    print(json.dumps(results))


main()
