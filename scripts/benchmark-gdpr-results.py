"""Results of scripts/benchmark-gdpr: one run's figures from the Pushgateway, a row of the runs
table, and the tables of medians.

  benchmark-gdpr-results.py BUILD CUSTOMERS RUN CPU_SECONDS PEAK_RSS_KIB < gateway /metrics   one JSON line
  benchmark-gdpr-results.py --row < JSON line                                  a row of the runs table
  benchmark-gdpr-results.py --medians < JSON lines                             the tables of medians
"""
import json
import re
import statistics
import sys

JOB = 'job="gdprErasureJob"'

# Each step, the counter that measures its work, and what one unit of it is.
STEPS = [
    ("computeDeadlines", "read_items", "open request"),
    ("checkPreconditions", None, None),
    ("eraseSubjects", "read_items", "request"),
    ("notifyRecipients", "read_items", "message"),
    ("verifyErasure", "read_items", "request verified"),
    ("confirmErasures", "read_items", "confirmation"),
    ("sweepRetention", "written_items", "row swept"),
]


def parse(build, customers, run, cpu, rss):
    values = {}
    for line in sys.stdin:
        m = re.match(r"(\w+)\{([^}]*)\} (\S+)$", line.strip())
        if m and JOB in m.group(2):
            values[(m.group(1), m.group(2))] = float(m.group(3))

    def get(name, label="", default=None):
        found = [v for (n, labels), v in values.items() if n == name and label in labels]
        if not found and default is None:
            raise SystemExit("benchmark-gdpr: no %s{%s} in the gateway" % (name, label))
        return found[0] if found else default

    steps = {}
    for step, counter, _ in STEPS:
        label = 'step="%s"' % step
        steps[step] = {
            "seconds": get("batch_step_duration_seconds", label),
            "units": get("batch_step_%s_total" % counter, label) if counter else 0,
        }
    pushes = get("gdpr_metrics_contribution_seconds_count", default=0)
    print(json.dumps({
        "build": build, "customers": int(customers), "run": int(run), "cpu": float(cpu),
        "rss_mib": int(rss) / 1024,
        # the machine's load average (1 min) as the run ended: the neighbours the times were measured beside
        "load": float(open("/proc/loadavg").read().split()[0]),
        "requests": int(steps["eraseSubjects"]["units"]),
        "erased": int(get("gdpr_erasure_last_run_requests", 'outcome="completed"')),
        "job": get("batch_job_duration_seconds"),
        "pushes": int(pushes),
        "push_seconds": get("gdpr_metrics_contribution_seconds_sum", default=0) if pushes else None,
        # CPU time of the pushing thread: wall time on a loaded machine is mostly waiting for a core
        "push_cpu_seconds": get("gdpr_metrics_contribution_cpu_seconds_sum", default=-1) if pushes else None,
        "steps": steps,
    }))


def summary(r):
    erase = r["steps"]["eraseSubjects"]["seconds"]
    per_push = "%.1f" % (1000 * r["push_seconds"] / r["pushes"]) if r["push_seconds"] is not None else "-"
    return (r["requests"], r["erased"], erase, r["erased"] / erase, r["job"], r["cpu"], per_push, r["rss_mib"])


def row():
    r = json.loads(sys.stdin.readline())
    print("  %-16s %9d %4d %9d %8d %10.2f %11.1f %9.2f %8.1f %10s %9.0f %5.1f"
          % ((r["build"], r["customers"], r["run"]) + summary(r) + (r["load"],)))


def medians():
    results = [json.loads(line) for line in sys.stdin if line.strip()]
    builds = list(dict.fromkeys(r["build"] for r in results))
    groups = {}
    for r in results:
        groups.setdefault((r["build"], r["customers"]), []).append(r)

    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    print("Medians (the erase step's subjects per second; whole job; CPU time and peak resident memory of the process)")
    print("  %-16s %9s %5s %9s %8s %10s %11s %9s %8s %10s %9s"
          % ("build", "customers", "runs", "requests", "erased", "erase s", "subjects/s", "job s", "cpu s", "ms/push",
             "peak MiB"))
    for (build, customers), runs in sorted(groups.items(), key=lambda g: (builds.index(g[0][0]), g[0][1])):
        per_push = median([1000 * r["push_seconds"] / r["pushes"] if r["push_seconds"] is not None else None
                           for r in runs])
        print("  %-16s %9d %5d %9d %8d %10.2f %11.1f %9.2f %8.1f %10s %9.0f" % (
            build, customers, len(runs), runs[0]["requests"], runs[0]["erased"],
            median(r["steps"]["eraseSubjects"]["seconds"] for r in runs),
            median(r["erased"] / r["steps"]["eraseSubjects"]["seconds"] for r in runs),
            median(r["job"] for r in runs), median(r["cpu"] for r in runs),
            "-" if per_push is None else "%.1f" % per_push, median(r["rss_mib"] for r in runs)))

    print()
    print("Per step (median seconds, and milliseconds per unit of the step's work; \"x first\" compares"
          " the time per unit with the smallest size of the same build: flat is 1.0; \"runs\" is the lowest"
          " and highest time per unit of the runs, what one run of that size can move)")
    print("  %-16s %9s %-19s %9s %8s %-17s %9s %8s  %s"
          % ("build", "customers", "step", "s", "units", "unit", "ms/unit", "x first", "runs"))
    for build in builds:
        sizes = sorted(c for b, c in groups if b == build)
        first = {}
        for customers in sizes:
            runs = groups[(build, customers)]
            for step, _, unit in STEPS + [("metrics per push", None, None), ("metrics CPU/push", None, None)]:
                if step.startswith("metrics"):
                    key = "push_cpu_seconds" if step == "metrics CPU/push" else "push_seconds"
                    pushes = [r for r in runs if r.get(key) is not None and r[key] >= 0]
                    if not pushes:
                        continue
                    seconds = median(r[key] for r in pushes)
                    units = median(r["pushes"] for r in pushes)
                    unit = "push"
                    each = [1000 * r[key] / r["pushes"] for r in pushes if r["pushes"]]
                else:
                    seconds = median(r["steps"][step]["seconds"] for r in runs)
                    units = median(r["steps"][step]["units"] for r in runs)
                    each = [1000 * r["steps"][step]["seconds"] / r["steps"][step]["units"] for r in runs
                            if r["steps"][step]["units"]]
                per_unit = 1000 * seconds / units if unit and units else None
                # a short step's time per unit moves with what lands in it (a collection of the heap
                # takes a third of verification's second at 100,000 customers in one run, none in the next)
                spread = "%.2f-%.2f" % (min(each), max(each)) if unit and len(each) > 1 else ""
                if per_unit is not None:
                    first.setdefault(step, per_unit)
                ratio = "%.2f" % (per_unit / first[step]) if per_unit is not None and first[step] else "-"
                print("  %-16s %9d %-19s %9.2f %8s %-17s %9s %8s  %s" % (
                    build, customers, step, seconds, "-" if not unit else "%d" % units, unit or "-",
                    "-" if per_unit is None else "%.2f" % per_unit, ratio, spread))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--row"]:
        row()
    elif sys.argv[1:2] == ["--medians"]:
        medians()
    else:
        parse(*sys.argv[1:6])
