"""Execute notebooks headless with nbclient and check their outputs.

usage: notebooks.py NOTEBOOK... ; prints one JSON line per notebook: {"notebook", "ok", "problems", "cells"}.
A code cell may carry metadata {"retis": {"expect": {"mime": [...], "text": "..."}}}: its outputs must
include every listed MIME type and the text somewhere in their text. No cell may output an error.
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = os.environ.get("RETIS_KERNEL_NAME", "retis-ts")


def texts(outputs):
    for o in outputs:
        if o.get("output_type") == "stream":
            yield o.get("text", "")
        data = o.get("data", {})
        if isinstance(data.get("text/plain"), str):
            yield data["text/plain"]


def check(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    try:
        client.execute()
    except CellExecutionError as e:  # only with allow_errors=False; kept for clarity
        problems.append(str(e))
    cells = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cells += 1
        where = f"cell {i} ({cell.source.splitlines()[0] if cell.source else ''!r})"
        for o in cell.outputs:
            if o.output_type == "error":
                problems.append(f"{where}: {o.ename}: {o.evalue}")
        expect = cell.metadata.get("retis", {}).get("expect", {})
        mimes = {m for o in cell.outputs for m in o.get("data", {})}
        for m in expect.get("mime", []):
            if m not in mimes:
                problems.append(f"{where}: no {m} output (got {sorted(mimes)})")
        if "text" in expect and not any(expect["text"] in t for t in texts(cell.outputs)):
            problems.append(f"{where}: no output contains {expect['text']!r}")
        if cell.execution_count is None:
            problems.append(f"{where}: not executed")
    return {"notebook": os.path.basename(path), "ok": not problems, "problems": problems, "cells": cells}


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(check(p)), flush=True)
