"""``python -m bench`` as a whole: every section is one registry entry with a full and a quick plan and its targets
in bench/report.py; a section's results give a verdict per target; ``--only`` updates the last results instead of
dropping the other sections. No timing here (speed is the bench's business, not the tests')."""
from __future__ import annotations

import pytest

from bench import __main__ as bench
from bench import report

PROCESSES = {  # the shape bench/processes.py writes, with figures of a real run
    "other_cpu_load_at_start": 1.9, "other_cpu_load_at_end": 1.4,
    "processes": {"sessions": 100, "rounds": 3, "p95_ratio": 0.6, "success_one_all_rounds": 1.0,
                  "success_two_all_rounds": 1.0,
                  "one": {"success": 1.0, "p50_ms": 5000.0, "p95_ms": 5200.0, "wall_ms": 5300.0, "server_cpu_s": 3.5,
                          "client_cpu_s": 0.5, "rss_after_mb": 267.0, "p95_rounds_ms": [5200.0, 5400.0, 5100.0]},
                  "two": {"success": 1.0, "p50_ms": 3000.0, "p95_ms": 3120.0, "wall_ms": 3200.0, "server_cpu_s": 3.6,
                          "client_cpu_s": 0.5, "rss_after_mb": 490.0, "p95_rounds_ms": [3120.0, 3300.0, 3000.0]}},
    "failover": {"readers": 20, "on_killed": 9, "recovered": 9, "recovery_p50_ms": 900.0, "recovery_max_ms": 2000.0,
                 "others_ok": 11, "others": 11, "errors": []},
    "wait": {"overview": {"streamlit_run_ms": 90.0, "deploy_serve_ms": 50.0, "saved_ms": 40.0},
             "data": {"streamlit_run_ms": 60.0, "deploy_serve_ms": 30.0, "saved_ms": 30.0}},
}


def test_every_section_has_a_plan_for_both_runs_and_targets():
    keys = [k for s in bench.SECTIONS for k in s.full]
    assert len(keys) == len(set(keys)), "plan keys are shared by every section: each must be unique"
    for section in bench.SECTIONS:
        assert set(section.quick) == set(section.full), section.name
        assert section.results_key in report.TARGETS, f"{section.name}: no targets in bench/report.py"


@pytest.mark.parametrize("change,failing", [
    ({}, []),
    ({("processes", "p95_ratio"): 0.7}, ["100 sessions · p95 with 2 processes vs 1"]),
    ({("processes", "success_two_all_rounds"): 0.99}, ["100 sessions · 2 processes · success (every round)"]),
    ({("failover", "recovered"): 8},
     ["a process killed under load · its readers get their page again from the live one, no error"]),
    ({("failover", "others_ok"): 10}, ["a process killed under load · the other readers unaffected"]),
    ({("wait", "overview"): {"streamlit_run_ms": 50.0, "deploy_serve_ms": 90.0},
      ("wait", "data"): {"streamlit_run_ms": 30.0, "deploy_serve_ms": 60.0}},
     ["warm rerun · deploy.serve vs streamlit run (geometric mean over pages)"]),
])
def test_processes_targets_give_a_verdict_each(change, failing):
    results = {key: dict(value) if isinstance(value, dict) else value for key, value in PROCESSES.items()}
    for (part, key), value in change.items():
        results[part][key] = value
    verdicts = report.targets({"processes": results})
    assert len(verdicts) == 5
    assert [t["name"] for t in verdicts if not t["met"]] == failing


def test_the_processes_table_shows_each_figure():
    text = "\n".join(report.processes_table(PROCESSES))
    for figure in ("5,200", "3,120", "9 of its 9 readers", "11 of the other 11", "| overview | 90 | 50 | 40 |"):
        assert figure in text, figure


def test_only_some_sections_update_the_last_results():
    earlier = {"meta": {"started": "2026-11-26T23:35:55+00:00", "quick": False, "machine": {"commit": "ede85a0"},
                        "plan": {"server_runs": 20}},
               "server_time": {"overview": {"ratio": 1.1}}, "processes": {"old": True}, "targets": [{"name": "x"}]}
    now = {"meta": {"started": "2026-11-30T15:00:00+00:00", "quick": False, "plan": {"process_sessions": 100},
                    "measured": {"processes": {"started": "2026-11-30T15:00:00+00:00"}}},
           "processes": {"new": True}}
    out = bench.merged(earlier, now)
    assert out["server_time"] == earlier["server_time"] and out["processes"] == {"new": True}
    assert out["meta"]["measured"] == {"server": {"started": "2026-11-26T23:35:55+00:00", "quick": False,
                                                  "commit": "ede85a0"},
                                       "processes": {"started": "2026-11-30T15:00:00+00:00"}}
    assert out["meta"]["plan"] == {"server_runs": 20, "process_sessions": 100}
    assert "targets" not in out   # made again from the merged results


@pytest.mark.parametrize("only,names", [
    ("", [s.name for s in bench.SECTIONS]),
    ("processes", ["processes"]),
    ("static,server", ["server", "static"]),   # in the registry's order
])
def test_only_chooses_sections(only, names):
    assert [s.name for s in bench.chosen(only)] == names


def test_an_unknown_section_is_refused_with_the_list():
    with pytest.raises(SystemExit, match="unknown section"):
        bench.chosen("processes,nonsense")


def test_quick_and_sizes_shape_the_plan():
    sections = bench.chosen("scale,processes")
    quick = bench.plan_for(sections, quick=True)
    assert quick["process_sessions"] == 100 and quick["sizes"] == [10**3, 10**4]
    assert bench.plan_for(sections, quick=False, sizes="1e5")["sizes"] == [100000]


def test_a_failed_section_is_a_missed_target_and_the_others_keep_their_tables():
    results = {"meta": {"started": "2026-11-30T15:00:00+00:00", "quick": True, "wall_s": 1.0,
                        "machine": {"commit": "x", "cpus": 2, "memory_gb": 1, "streamlit": "1.67.0", "plotly": "7",
                                    "pandas": "3", "pyarrow": "26"}, "other_cpu_load_at_start": 0.0, "plan": {}},
               "scale": {"error": "KeyError: 'dictionary'"}, "processes": PROCESSES}
    results["targets"] = report.targets(results)
    assert results["targets"][0] == {"name": "scale · the section ran", "target": "yes",
                                     "value": "KeyError: 'dictionary'", "met": False}
    text = report.markdown(results)
    assert "## Several app processes behind nginx" in text and "## Scale" not in text
