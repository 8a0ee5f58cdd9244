"""Server time per page: how long the server takes to run the page's script, real page vs its floor.

Measured on real servers (``streamlit run``), not AppTest: a client speaking Streamlit's websocket protocol asks
for a rerun of the page in an open session (warm caches, as after any widget change) and times it from the
request to the ``script_finished`` message. That includes Streamlit's own work for every element (protobuf,
plotly JSON, Arrow) and the loopback hop; both apps pay the same hop. Real and floor runs alternate, so that
whatever else the machine is doing falls on both alike. The server process's CPU time per run (psutil) is
recorded too: on a shared machine it moves far less than wall time.
"""
from __future__ import annotations

from .common import log, median, ms, percentile, ratio
from .record import PAGES
from .server import Server
from .wsclient import Session


def measure(real: Server, floor: Server, runs: int = 20, warmup: int = 3, pages: dict[str, str] = PAGES) -> dict:
    results = {}
    servers = {"real": real, "floor": floor}
    for name, path in pages.items():
        with Session(real.url) as real_session, Session(floor.url) as floor_session:
            sessions = {"real": real_session, "floor": floor_session}
            for _ in range(warmup):
                real_session.run(path, keep=False)
                floor_session.run(path, keep=False)
            samples = {"real": [], "floor": []}
            cpu = {"real": [], "floor": []}
            failures = 0
            for i in range(runs):
                for label in ("real", "floor") if i % 2 == 0 else ("floor", "real"):
                    before = servers[label].cpu_seconds()
                    run = sessions[label].run(path, keep=False)
                    cpu[label].append(servers[label].cpu_seconds() - before)
                    failures += not run.ok
                    samples[label].append(run.seconds)
        entry = {label: {"median_ms": ms(median(v)), "p90_ms": ms(percentile(v, 90)), "min_ms": ms(min(v)),
                         "cpu_ms": ms(sum(cpu[label]) / len(cpu[label])), "runs": len(v)} for label, v in samples.items()}
        entry["ratio"] = ratio(median(samples["real"]), median(samples["floor"]))
        # CPU: mean over the runs (psutil counts in 10 ms ticks, so a sum is more precise than a median)
        entry["cpu_ratio"] = ratio(sum(cpu["real"]), sum(cpu["floor"]))
        entry["failures"] = failures
        results[name] = entry
        log(f"server time {name}: real {entry['real']['median_ms']} ms, floor {entry['floor']['median_ms']} ms, "
            f"× {entry['ratio']} (CPU {entry['real']['cpu_ms']} / {entry['floor']['cpu_ms']} ms, × {entry['cpu_ratio']})")
    return results
