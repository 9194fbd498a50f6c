"""jupyter_kernel_test's protocol suite against the retis TypeScript kernel, every sample filled in.

Run by conformance.test.ts with JUPYTER_PATH pointing at a kernelspec installed by `retis kernel install`.
"""
import os
import unittest

import jupyter_kernel_test


class RetisKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("RETIS_KERNEL_NAME", "retis-ts")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("this goes to stderr")'

    # `reader` is the open capture (an EventFile): completion lists its members, typed from typings/.
    completion_samples = [
        {"text": "reader.", "matches": ["currentFormat", "events", "path", "series", "sorted", "startup", "version"]},
        {"text": "reader.ev", "matches": ["events"]},
        {"text": "const answer = 42;\nansw", "matches": ["answer"]},
    ]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1; }", "for (const e of reader.events()) {}"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "const s = `abc", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["1 +* 2)", "const = 5;", "}"]

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2].map((x) => x * 10)", "result": "[ 10, 20 ]"},
        {"code": "reader.sorted()", "result": "false"},
    ]
    code_display_data = [
        {"code": 'display(html("<b>hi</b>"))', "mime": "text/html"},
        {"code": "display(plot.eventsPerProbe(reader.events()))", "mime": "image/svg+xml"},
        {"code": "display(plot.eventsPerProbe(reader.events()))", "mime": "application/vnd.vegalite.v5+json"},
        {"code": "for (const e of reader.events()) { if (e.kernel) { display(e); break; } }", "mime": "text/html"},
    ]
    code_generate_error = 'throw new Error("boom")'
    code_inspect_sample = "reader"
    code_history_pattern = "1 +*"
    supported_history_operations = ("tail", "range", "search")
    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main(verbosity=2)
