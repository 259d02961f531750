"""Loom's Jupyter kernel driven by a real client: the jupyter_kernel_test suite (PyPI) with
Loom samples, plus what that suite does not cover: a badly signed message is ignored, an
interrupt stops a running fit after its batch and keeps the session, the session survives an
error, and queued cells after an error are aborted.

Run by Scripts/kernel-tests.sh, which installs the kernelspec into a temporary JUPYTER_PATH.
"""
import os
import queue
import time
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("LOOM_KERNEL_NAME", "loom")


class LoomKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "loom"
    file_extension = ".loom"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'print("careful", to: "stderr")'
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": '"a" + "b"', "result": '"ab"'}]
    code_display_data = [
        {"code": 'plot([{n: 1, v: 2}, {n: 2, v: 3}], x: "n", y: ["v"], to: "/tmp/loom-kernel-test.png")', "mime": "image/png"},
    ]
    code_generate_error = "undefined_name + 1"
    completion_samples = [{"text": "pri", "matches": {"print"}}, {"text": "x = synth", "matches": {"synthetic"}}]
    complete_code_samples = ["1 + 1", "x = [1, 2]", "def f(a) { a * 2 }"]
    incomplete_code_samples = ["def f(a) {", "x = [1, 2,", "print(1,"]
    invalid_code_samples = ["1 +* 2", "x = )"]
    code_inspect_sample = "print"
    code_page_something = ":help fit"
    supported_history_operations = ("tail", "search", "range")
    code_history_pattern = "6 *"


class LoomKernelSession(unittest.TestCase):
    """Behaviour the generic suite cannot know: interrupts, signatures, errors."""

    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)

    def run_cell(self, code, timeout=60):
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.append(msg)
        return reply, outputs

    def test_variables_survive_an_error(self):
        reply, _ = self.run_cell("x = 41")
        self.assertEqual(reply["content"]["status"], "ok")
        reply, outputs = self.run_cell("y = no_such_name")
        self.assertEqual(reply["content"]["status"], "error")
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("no_such_name", "\n".join(errors[0]["content"]["traceback"]))
        self.assertTrue(any("^" in line for line in errors[0]["content"]["traceback"]), "the traceback shows the caret")
        reply, outputs = self.run_cell("x + 1")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_cells_queued_after_an_error_are_aborted(self):
        # The failing cell trains a little first, so that the second request is surely queued;
        # its error is found at run time (an unknown name would stop it before fit started).
        first = self.kc.execute("d = synthetic(users: 300, items: 400)\nfit(GRU4Rec(d, dim: 8), d, epochs: 2)\n[1][5]")
        second = self.kc.execute("z = 1")
        replies = {}
        while len(replies) < 2:
            msg = self.kc.get_shell_msg(timeout=60)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies[first], "error")
        self.assertEqual(replies[second], "aborted")
        reply, _ = self.run_cell("z")
        self.assertEqual(reply["content"]["status"], "error", "the aborted cell did not run")

    def test_a_badly_signed_message_is_ignored(self):
        session = self.kc.session
        good_key = session.key
        session.key = b"not-the-key"
        try:
            self.kc.execute("forged = 1")
        finally:
            session.key = good_key
        with self.assertRaises(queue.Empty):
            self.kc.get_shell_msg(timeout=2)
        reply, outputs = self.run_cell("forged")
        self.assertEqual(reply["content"]["status"], "error", "the forged cell must not have run")
        reply, _ = self.run_cell("1")
        self.assertEqual(reply["content"]["status"], "ok", "the kernel still answers")

    def test_an_interrupt_stops_fit_after_its_batch(self):
        self.run_cell("data = synthetic(users: 400, items: 500)\nm = GRU4Rec(data, dim: 16)")
        msg_id = self.kc.execute("h = fit(m, data, epochs: 1000, batch: 8)")
        # Wait until training has printed its first line, then interrupt.
        deadline = time.time() + 60
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=60)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        reply, outputs = self.run_cell("m.epochs < 1000")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true", "fit stopped early and the session lives")

    def test_fit_progress_redraws_one_display_and_keeps_the_epoch_lines(self):
        self.run_cell("data = synthetic(users: 300, items: 400)\nm = GRU4Rec(data, dim: 16)")
        reply, outputs = self.run_cell("h = fit(m, data, epochs: 2, batch: 4)")
        self.assertEqual(reply["content"]["status"], "ok")
        displays = [m for m in outputs if m["msg_type"] == "display_data"]
        updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(displays), 1, "one progress display per cell")
        self.assertGreaterEqual(len(updates), 1)
        self.assertEqual(len({m["content"]["transient"]["display_id"] for m in displays + updates}), 1)
        self.assertEqual(updates[-1]["content"]["data"]["text/plain"], "", "the bar is cleared at the end")
        printed = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("epoch 1  loss", printed)
        self.assertIn("epoch 2  loss", printed)

    def test_a_report_is_also_an_html_table(self):
        self.run_cell("data = synthetic(users: 60, items: 80)\np = Pop(data)\nfit(p, data)")
        reply, outputs = self.run_cell('evaluate(p, data, k: [10], metrics: ["ndcg"])')
        self.assertEqual(reply["content"]["status"], "ok")
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("ndcg@10", data["text/plain"])
        self.assertTrue(data["text/html"].startswith("<table>"))
        self.assertIn("<td>ndcg@10</td>", data["text/html"])

    def test_a_summary_is_a_table_under_the_cell_after_the_printed_text(self):
        self.run_cell("data = synthetic(users: 60, items: 80)\nm = SASRec(data, dim: 16)")
        reply, outputs = self.run_cell('print("before")\nsummary(m)')
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in outputs if m["msg_type"] in ("stream", "display_data")]
        self.assertEqual(kinds, ["stream", "display_data"], "the table follows the text printed before it")
        data = [m for m in outputs if m["msg_type"] == "display_data"][0]["content"]["data"]
        self.assertIn("parameters:", data["text/plain"])
        self.assertTrue(data["text/html"].startswith("<table>\n<caption>model SASRec"))
        self.assertIn("<th>parameters</th>", data["text/html"])
        self.assertIn("<p>parameters: ", data["text/html"])

    def test_help_opens_the_pager_with_the_signature(self):
        reply, outputs = self.run_cell(":help fit")
        self.assertEqual(reply["content"]["status"], "ok")
        page = reply["content"]["payload"][0]
        self.assertIn("fit(model, data, epochs: 10, batch: 128", page["data"]["text/plain"])
        self.assertFalse([m for m in outputs if m["msg_type"] == "execute_result"], "the text goes to the pager only")

    def test_an_unknown_request_gets_an_error_reply(self):
        msg = self.kc.session.msg("frobnicate_request", {})
        self.kc.shell_channel.send(msg)
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["msg_type"], "frobnicate_reply")
        self.assertEqual(reply["content"]["status"], "error")


class LoomKernelRestart(unittest.TestCase):
    def test_a_restarted_kernel_answers_with_a_fresh_session(self):
        km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        try:
            kc.execute_interactive("before = 1", timeout=60)
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive("before", timeout=60)
            self.assertEqual(reply["content"]["status"], "error", "a restart starts a new session")
            reply = kc.execute_interactive("1 + 1", timeout=60)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)


class QuickstartNotebook(unittest.TestCase):
    """Examples/quickstart.loom as a notebook, executed by nbclient with the Loom kernel: every
    cell runs and the training-curve figure is in the executed notebook as a PNG."""

    def test_the_quickstart_runs_as_a_notebook_and_holds_its_figure(self):
        import tempfile

        import nbformat
        from nbclient import NotebookClient

        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(os.path.join(root, "Examples", "quickstart.loom")) as f:
            text = f.read()
        # One cell per paragraph, as a reader would split the script.
        cells = [nbformat.v4.new_code_cell(block.strip()) for block in text.split("\n\n") if block.strip()]
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Loom", "language": "loom"}
        with tempfile.TemporaryDirectory() as folder:
            NotebookClient(nb, timeout=900, kernel_name=KERNEL, resources={"metadata": {"path": folder}}).execute()
            nbformat.validate(nb)
            nbformat.write(nb, os.path.join(folder, "quickstart.ipynb"))
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        self.assertFalse([o for o in outputs if o["output_type"] == "error"], "no cell fails")
        pngs = [o for o in outputs if o["output_type"] == "display_data" and "image/png" in o["data"]]
        self.assertEqual(len(pngs), 1, "the training curves appear under their cell")
        text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
        self.assertIn("test NDCG@10", text)


if __name__ == "__main__":
    unittest.main()
