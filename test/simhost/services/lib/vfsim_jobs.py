"""How a systemd stand-in job runs: unit state changes, the unit's hook command (its real daemon in the sim), journal
messages as systemd writes them, and JobRemoved at the end."""
import os
import signal
import subprocess
import tempfile

from gi.repository import GLib

import vfsim_journal
import vfsim_state
from vfsim_catalog import unit_view

HOOK_TIMEOUT = 90


class JobRunner:
    """Mixed into the Manager, which has _set_state(), jobs_by_unit and the JobRemoved signal."""

    def _run_job(self, job):
        u = vfsim_state.load()["units"].get(job.unit)
        if u is None:  # the unit went away with a scenario load
            self._finish(job, "canceled")
            return False
        hooks = vfsim_state.load().get("hooks", {}).get(job.unit, {})
        desc = unit_view(job.unit, u)["Description"]
        if job.type == "nop" or (job.type == "start" and u["state"] == "active"):
            self._finish(job, "done")
        elif job.type == "stop":
            if u["state"] in ("active", "failed", "activating"):
                vfsim_journal.unit_message(job.unit, f"Stopping {desc}...")
                self._set_state(job.unit, "deactivating")
                self._run_hook(job, hooks.get("stop"), lambda ok: self._stopped(job, desc))
            else:
                self._finish(job, "done")
        elif job.type == "restart" and "restart" in hooks and u["state"] == "active":
            self._set_state(job.unit, "activating")
            self._run_hook(job, hooks["restart"], lambda ok: self._started(job, desc, ok))
        else:  # start, or restart as stop + start
            def start(_ok=True):
                vfsim_journal.unit_message(job.unit, f"Starting {desc}...")
                self._set_state(job.unit, "activating")
                if u.get("fail_start"):
                    GLib.timeout_add(300, lambda: self._started(job, desc, False))
                else:
                    self._run_hook(job, hooks.get("start"), lambda ok: self._started(job, desc, ok))
            if job.type == "restart" and u["state"] == "active":
                self._set_state(job.unit, "deactivating")
                self._run_hook(job, hooks.get("stop"), start)
            else:
                start()
        return False

    def _stopped(self, job, desc):
        self._set_state(job.unit, "inactive")
        vfsim_journal.unit_message(job.unit, f"Stopped {desc}.")
        self._finish(job, "done")

    def _started(self, job, desc, ok):
        self._set_state(job.unit, "active" if ok else "failed")
        if ok:
            vfsim_journal.unit_message(job.unit, f"Started {desc}.")
        else:
            vfsim_journal.unit_message(job.unit, f"{job.unit}: Failed with result 'exit-code'.", priority=5)
            vfsim_journal.unit_message(job.unit, f"Failed to start {desc}.", priority=3)
        self._finish(job, "done" if ok else "failed")
        return False

    def _run_hook(self, job, argv, then):
        """Run the unit's real daemon command (if any) without blocking the bus; its output goes to the journal."""
        if not argv:
            GLib.timeout_add(200, lambda: then(True) and False)
            return
        # output to a file, not a pipe: a daemon the hook leaves running may keep the pipe open for ever
        out = tempfile.TemporaryFile()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as e:
            out.close()
            vfsim_journal.unit_message(job.unit, f"{job.unit}: {argv[0]}: {e.strerror}", priority=3)
            GLib.idle_add(lambda: then(False) and False)
            return

        def timeout():  # systemd's default TimeoutStartSec/TimeoutStopSec
            if proc.returncode is None:
                vfsim_journal.unit_message(job.unit, f"{job.unit}: start operation timed out. Terminating.", 3)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass  # ended meanwhile
            return False
        GLib.timeout_add_seconds(HOOK_TIMEOUT, timeout)

        def done(pid, status):
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
            out.close()
            proc.returncode = os.waitstatus_to_exitcode(status)
            for line in text.splitlines():
                if line.strip():
                    vfsim_journal.append(line, identifier=os.path.basename(argv[0]), pid=pid, transport="stdout",
                                         extra={"_SYSTEMD_UNIT": job.unit})
            then(proc.returncode == 0)
        # GLib reaps the child; Popen.wait then sees ECHILD and returns 0, so the status comes from GLib
        GLib.child_watch_add(GLib.PRIORITY_DEFAULT, proc.pid, done)

    def _finish(self, job, result):
        self.jobs_by_unit.pop(job.unit, None)
        job.remove_from_connection()
        self.JobRemoved(job.id, job.path, job.unit, result)
