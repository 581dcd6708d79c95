"""Which process runs a job, and whether that process is still there.

The lease (heartbeat_at) is the reaper's rule; this is its second opinion on the same machine.
A worker records a key made of the machine's boot id, its PID namespace, its pid and its start
time (Linux /proc). A reaper that shares the boot and the namespace can then tell for certain:
  - the process is gone (or is another process that reused the pid): the job is abandoned now,
    without waiting for the lease — a restarted `mofang serve` reaps its killed worker at once;
  - the process is alive: the job is not reaped even if its heartbeat is late (SQLite's single
    writer can hold a heartbeat back while the job's own long transaction commits).
Anywhere else (another machine, another container, not Linux) the answer is "unknown" and the
lease alone decides.
"""

import os
import socket

ALIVE, DEAD, UNKNOWN = "alive", "dead", "unknown"


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _boot_id() -> str:
    return _read("/proc/sys/kernel/random/boot_id")


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process; None if /proc does not show it."""
    stat = _read(f"/proc/{pid}/stat")
    if not stat or ")" not in stat:
        return None
    # the command name (field 2) may hold spaces and parentheses: fields 3… follow the last ")"
    fields = stat.rsplit(")", 1)[1].split()
    return (fields[0], fields[19]) if len(fields) >= 20 else None  # fields 3 (state) and 22 (starttime)


def this_process() -> tuple[str, str]:
    """(label for people "host:pid", key for the reaper; empty where /proc cannot tell)."""
    pid = os.getpid()
    boot, namespace, stat = _boot_id(), _pid_namespace(), _stat(pid)
    key = f"{boot}|{namespace}|{pid}|{stat[1]}" if boot and namespace and stat else ""
    return f"{socket.gethostname()}:{pid}", key


def process_state(key: str) -> str:
    """ALIVE, DEAD or UNKNOWN for a key recorded by `this_process`."""
    parts = key.split("|") if key else []
    if len(parts) != 4 or not parts[2].isdigit():
        return UNKNOWN
    boot, namespace, pid, start = parts
    if boot != _boot_id() or namespace != _pid_namespace():
        return UNKNOWN
    stat = _stat(int(pid))
    if stat is not None:
        state, started = stat
        # a zombie has exited already; another start time is another process that reused the pid
        return DEAD if state in ("Z", "X", "x") or started != start else ALIVE
    try:  # not in /proc: gone, or hidden from us (/proc mounted with hidepid)
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return DEAD
    except OSError:
        return UNKNOWN
    return UNKNOWN
