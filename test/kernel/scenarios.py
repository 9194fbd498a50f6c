"""The kernel driven by Debian's jupyter_client: interrupts, forged messages, restart, stdin, many cells.

Run by scenarios.test.ts (python3 -m unittest -v scenarios) with JUPYTER_PATH holding the kernelspec.
"""
import os
import queue
import signal
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

KERNEL = os.environ.get("RETIS_KERNEL_NAME", "retis-ts")
TIMEOUT = 60


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class KernelScenarios(unittest.TestCase):
    # Node options and environment variables for the kernel process of one test (see the memory test).
    node_options = {}
    kernel_env = {}

    def setUp(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="retis-kernel-", suffix=".log", delete=False)
        env = dict(os.environ)
        extra = self.node_options.get(self._testMethodName)
        if extra:
            env["NODE_OPTIONS"] = (env.get("NODE_OPTIONS", "") + " " + extra).strip()
        env.update(self.kernel_env.get(self._testMethodName, {}))
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, stderr=self.log, env=env)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)

    def kernel_log(self):
        with open(self.log.name) as f:
            return f.read()

    def run_cell(self, code, **kw):
        """Execute and collect (reply, iopub messages of this request)."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=TIMEOUT, output_hook=outputs.append, **kw)
        return reply, outputs

    def result_text(self, code):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def stdout_of(self, outputs):
        return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    def interrupt_while_running(self, code, interrupt):
        msg_id = self.kc.execute(code)
        # Wait until the cell is running (busy, then execute_input), then let it spin a little.
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        time.sleep(0.5)
        started = time.monotonic()
        interrupt()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        return reply, time.monotonic() - started

    # --- interrupt ---------------------------------------------------------------------------------

    def test_interrupt_message_stops_busy_loop_and_keeps_variables(self):
        self.run_cell("let kept = 41")
        reply, took = self.interrupt_while_running("while (true) {}", self.km.interrupt_kernel)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertLess(took, 10)
        self.assertEqual(self.result_text("kept + 1"), "42")

    def test_interrupt_message_stops_pending_await_and_keeps_variables(self):
        self.run_cell("const before = 'still here'")
        reply, _ = self.interrupt_while_running("await new Promise(() => {})", self.km.interrupt_kernel)
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(self.result_text("before"), "'still here'")

    def test_sigint_stops_busy_loop_and_keeps_variables(self):
        self.run_cell("let n = 1")
        reply, _ = self.interrupt_while_running("while (true) { n++ }", lambda: self.km.signal_kernel(signal.SIGINT))
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.result_text("n > 1"), "true")

    # --- authentication ----------------------------------------------------------------------------

    def forged(self, key):
        """Send an execute_request signed with `key` on the real shell socket; nothing may come back."""
        # Replies left from start-up (kernel_info is asked until answered) must not count as answers.
        while True:
            try:
                self.kc.get_shell_msg(timeout=0.5)
            except queue.Empty:
                break
        bad = Session(key=key, session=self.kc.session.session, username="mallory")
        content = {"code": "globalThis.pwned = true", "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        bad.send(self.kc.shell_channel.socket, "execute_request", content)
        with self.assertRaises(queue.Empty):
            self.kc.get_shell_msg(timeout=1.5)

    def test_forged_signature_is_rejected_and_logged(self):
        self.forged(b"not-the-key")
        self.assertEqual(self.result_text("typeof (globalThis as any).pwned"), "'undefined'")
        self.assertIn("rejected a message: signature does not match", self.kernel_log())

    def test_unsigned_message_is_rejected_and_logged(self):
        self.forged(b"")
        self.assertEqual(self.result_text("typeof (globalThis as any).pwned"), "'undefined'")
        self.assertIn("rejected a message: unsigned message", self.kernel_log())

    # --- lifecycle ---------------------------------------------------------------------------------

    def test_restart_gives_a_fresh_kernel(self):
        self.run_cell("let beforeRestart = 1")
        old_pid = self.km.provisioner.pid
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertNotEqual(self.km.provisioner.pid, old_pid)
        # The new kernel knows nothing of the old one's declarations, and counts from 1 again.
        reply, _ = self.run_cell("beforeRestart")
        self.assertEqual(reply["content"]["ename"], "TSError")
        self.assertIn("Cannot find name 'beforeRestart'", reply["content"]["evalue"])
        self.assertEqual(reply["content"]["execution_count"], 1)
        self.assertEqual(self.result_text("1 + 1"), "2")

    def test_heartbeat_beats(self):
        # start_new_kernel started the heartbeat channel; it pings every few seconds.
        time.sleep(4)
        self.assertTrue(self.kc.hb_channel.is_beating())

    def test_kernel_info_on_control(self):
        msg = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        self.assertEqual(reply["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["language_info"]["name"], "typescript")

    def test_comm_info_is_empty(self):
        reply = self.kc.comm_info(reply=True, timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "comm_info_reply")
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})

    # --- execution ---------------------------------------------------------------------------------

    def test_runtime_error_traceback_points_at_the_cell_line(self):
        reply, outputs = self.run_cell("const a = 1;\nfunction f(): never {\n  throw new TypeError('bad ' + a);\n}\nf();")
        c = reply["content"]
        self.assertEqual((c["status"], c["ename"], c["evalue"]), ("error", "TypeError", "bad 1"))
        self.assertTrue(any(":3:" in line for line in c["traceback"]), c["traceback"])
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] == "error"], ["error"])

    def test_type_error_is_reported_with_its_line_and_nothing_runs(self):
        reply, outputs = self.run_cell("console.log('ran');\nconst s: string = 1;")
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "TSError")
        self.assertTrue(any(":2:" in line and "TS2322" in line for line in c["traceback"]), c["traceback"])
        self.assertEqual(self.stdout_of(outputs), "")

    def test_execution_count_counts_stored_cells_only(self):
        first = self.run_cell("1")[0]["content"]["execution_count"]
        self.run_cell("2", store_history=False)
        self.assertEqual(self.run_cell("3")[0]["content"]["execution_count"], first + 1)

    def test_silent_cell_has_no_result_or_input(self):
        _, outputs = self.run_cell("40 + 2", silent=True)
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] in ("execute_result", "execute_input")], [])

    def test_reader_is_preloaded(self):
        self.assertEqual(self.result_text("reader.path === process.env.RETIS_FILE"), "true")
        _, outputs = self.run_cell("let n = 0; for (const e of reader.events()) n++; console.log(n > 0)")
        self.assertEqual(self.stdout_of(outputs), "true\n")

    # --- stdin ---------------------------------------------------------------------------------------

    def test_input_request_when_allowed(self):
        asked = []

        def answer(msg):
            asked.append(msg["content"])
            self.kc.input("bob")

        outputs = []
        reply = self.kc.execute_interactive('const who = await input("name? ");\nconsole.log("hi " + who)',
                                            timeout=TIMEOUT, allow_stdin=True, stdin_hook=answer,
                                            output_hook=outputs.append)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(asked, [{"prompt": "name? ", "password": False}])
        self.assertEqual(self.stdout_of(outputs), "hi bob\n")

    def test_interrupt_while_waiting_for_input(self):
        self.run_cell("const kept = 'yes'")
        msg_id = self.kc.execute('const answer = await input("never answered? ")', allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(self.result_text("kept"), "'yes'")

    def test_input_refused_when_stdin_not_allowed(self):
        reply, _ = self.run_cell('await input("name? ")', allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("allow_stdin", reply["content"]["evalue"])

    # --- memory (issue I) ---------------------------------------------------------------------------

    # A small heap, so that exhausting it takes a moment, not gigabytes.
    node_options["test_out_of_memory_is_reported_and_the_kernel_stays_usable"] = "--max-old-space-size=64"

    def test_out_of_memory_is_reported_and_the_kernel_stays_usable(self):
        pid = self.km.provisioner.pid
        self.run_cell("let before = 1")
        reply, outputs = self.run_cell("const hog: number[][] = []\nwhile (true) hog.push(new Array(100000).fill(1.5))")
        c = reply["content"]
        self.assertEqual((c["status"], c["ename"]), ("error", "OutOfMemory"), c)
        self.assertIn("ran out of memory", c["evalue"])
        self.assertNotIn("process.exit", c["evalue"])
        # Same process, still answering; a new cell runs (earlier values are gone, and it says so).
        self.assertEqual(self.km.provisioner.pid, pid)
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.result_text("6 * 7"), "42")
        self.assertEqual(self.result_text("typeof (globalThis as any).before"), "'undefined'")

    # --- endurance -----------------------------------------------------------------------------------

    # V8 grows its heap lazily up to a large default limit, so RSS keeps rising for a while even without a
    # leak. A bounded old space makes it collect for real: RSS then tracks live memory, and a leak shows as
    # growth (or as the kernel dying out of memory).
    # --expose-gc: the evaluation thread's live heap is measured after a full collection (issue I).
    node_options["test_thousand_cells_without_unbounded_memory_growth"] = "--max-old-space-size=96 --expose-gc"
    # glibc raises its mmap threshold each time a large block it mmapped is freed; later blocks of that size then
    # come from a malloc arena that keeps its pages. Measured (smaps): one arena grew ~20 MB in one step, between
    # cells 500 and 600 on one run, 400 and 800 on another, never again - a one-time step, not a leak, that pushed
    # the 400-to-1200 growth over its bound in CI. A fixed threshold returns large blocks to the system when freed,
    # so RSS follows what is live; leaked memory still shows.
    kernel_env["test_thousand_cells_without_unbounded_memory_growth"] = {"MALLOC_MMAP_THRESHOLD_": "131072"}

    def live_heap(self):
        """The evaluation thread's heap in use after full collections, in bytes (a cell kept out of history)."""
        _, outputs = self.run_cell("(globalThis as any).gc(); (globalThis as any).gc(); console.log(process.memoryUsage().heapUsed)", store_history=False)
        return int(self.stdout_of(outputs))

    def test_thousand_cells_without_unbounded_memory_growth(self):
        pid = self.km.provisioner.pid
        self.run_cell("let counter = 0")
        samples = {}
        heaps = {}
        # The first few hundred cells grow the process to its working size; samples start after them, so the
        # bounds below measure what cells leave behind, not that warm-up.
        for i in range(1, 1201):
            reply, outputs = self.run_cell("counter += 1;\nconsole.log(counter);\ncounter * 2")
            self.assertEqual(reply["content"]["status"], "ok")
            if i in (400, 800, 1200):
                samples[i] = rss_kib(pid)
                heaps[i] = self.live_heap()
        self.assertEqual(self.result_text("counter"), "1200")
        print(f"\nRSS KiB after 400/800/1200 cells: {samples}")
        # A leak of 40 kB per cell would add 32 MB over 800 cells.
        self.assertTrue(self.km.is_alive())
        self.assertLess(samples[1200] - samples[400], 32 * 1024, samples)
        self.assertLess(samples[1200] - samples[800], 16 * 1024, samples)
        # What the cells leave behind in the evaluation thread: compiled scripts once stayed in V8's cache,
        # about 1.2 kB per cell (1 MB over these 800 cells); now it is flat. 512 kB leaves room for noise.
        print(f"evaluation thread heap after 400/800/1200 cells: {heaps}")
        self.assertLess(heaps[1200] - heaps[400], 512 * 1024, heaps)


if __name__ == "__main__":
    unittest.main(verbosity=2)
