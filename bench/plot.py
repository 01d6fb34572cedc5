#!/usr/bin/env python3
"""Draws docs/benchmarks.png (and docs/benchmarks-tasks.png) from bench/results/latest.json (npm run bench).

Needs matplotlib: Debian's python3-matplotlib (run with /usr/bin/python3).
"""
import json
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

root = pathlib.Path(__file__).resolve().parent.parent
results = json.loads((root / "bench" / "results" / "latest.json").read_text())
rows = results["lateness"]
systems = ["embedded", "full-stack", "bullmq"]
labels = {"embedded": "Herald embedded", "full-stack": "Herald full stack (RabbitMQ)", "bullmq": "BullMQ (Redis)"}
# Columns: each rate cold (as the workload says), then 5,000/s warm (after one unmeasured second of load).
columns = [(rate, False) for rate in sorted({r["rate"] for r in rows})] + sorted({(r["rate"], True) for r in rows if r.get("warm")})

fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
for ax, key, title in ((axes[0], "p50", "lateness p50"), (axes[1], "p99", "lateness p99")):
    width = 0.8 / len(systems)
    for k, system in enumerate(systems):
        values = [
            next((r[key] for r in rows if r["system"] == system and r["rate"] == rate and bool(r.get("warm")) == warm), float("nan"))
            for rate, warm in columns
        ]
        xs = [i + (k - 1) * width for i in range(len(columns))]
        bars = ax.bar(xs, [max(v, 0.5) for v in values], width, label=labels[system])
        for x, v in zip(xs, values):
            ax.annotate(f"{v:g}", (x, max(v, 0.5)), ha="center", va="bottom", fontsize=8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(columns)), [f"{rate:,}/s{' warm' if warm else ''}" for rate, warm in columns])
    ax.set_ylabel("ms (log scale)")
    ax.set_title(f"{title}: callbacks due over 10 s")
    ax.grid(axis="y", alpha=0.3)
axes[0].legend(loc="upper left", fontsize=8)
fig.suptitle(f"Herald vs BullMQ, same run, {results['machine']['cpus']} cores ({results['at'][:10]})")
fig.tight_layout()
out = root / "docs" / "benchmarks.png"
fig.savefig(out, dpi=110)
print(f"wrote {out}")

# The task benchmark (npm run bench:tasks): docs/benchmarks-tasks.png, when latest.json has its figures.
tasks = results.get("tasks")
if tasks and (tasks.get("pickup") or tasks.get("throughput")):
    task_systems = [s for s in ["embedded", "full-stack", "bullmq", "pgboss"] if any(r["system"] == s for r in tasks["pickup"] + tasks["throughput"])]
    task_labels = {
        "embedded": "Herald embedded",
        "full-stack": "Herald full stack (RabbitMQ)",
        "bullmq": "BullMQ (Redis)",
        "pgboss": "pg-boss (PostgreSQL)",
    }
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    width = 0.8 / max(1, len(task_systems))
    offset = lambda k: (k - (len(task_systems) - 1) / 2) * width  # noqa: E731
    rates = sorted({r["rate"] for r in tasks["pickup"]})
    for ax, key in ((axes[0], "p50"), (axes[1], "p99")):
        for k, system in enumerate(task_systems):
            values = [next((r[key] for r in tasks["pickup"] if r["system"] == system and r["rate"] == rate), float("nan")) for rate in rates]
            xs = [i + offset(k) for i in range(len(rates))]
            ax.bar(xs, [max(v, 0.5) for v in values], width, label=task_labels[system])
            for x, v in zip(xs, values):
                ax.annotate(f"{v:,.0f}" if v >= 10 else f"{v:g}", (x, max(v, 0.5)), ha="center", va="bottom", fontsize=7)
        ax.set_yscale("log")
        ax.set_xticks(range(len(rates)), [f"{rate:,}/s" for rate in rates])
        ax.set_ylabel("ms (log scale)")
        ax.set_title(f"pickup latency {key}: enqueue sent → handler start")
        ax.grid(axis="y", alpha=0.3)
    axes[1].axhline(20, color="red", linestyle="--", linewidth=1)
    axes[1].annotate("target p99 ≤ 20 ms at 500/s", (len(rates) - 1.45, 22), color="red", fontsize=8)
    axes[0].legend(loc="upper left", fontsize=8)
    workers = sorted({r["workers"] for r in tasks["throughput"]})
    ax = axes[2]
    for k, system in enumerate(task_systems):
        values = [next((r["perSecond"] for r in tasks["throughput"] if r["system"] == system and r["workers"] == n), float("nan")) for n in workers]
        xs = [i + offset(k) for i in range(len(workers))]
        ax.bar(xs, values, width, label=task_labels[system])
        for x, v in zip(xs, values):
            ax.annotate(f"{v:,.0f}", (x, v), ha="center", va="bottom", fontsize=7)
    ax.axhline(2000, color="red", linestyle="--", linewidth=1)
    ax.annotate("target ≥ 2,000/s embedded", (-0.45, 2100), color="red", fontsize=8)
    ax.set_xticks(range(len(workers)), [f"{n} worker process{'es' if n > 1 else ''}" for n in workers])
    ax.set_ylabel("no-op tasks completed / s")
    ax.set_title("throughput: first lease → last completion")
    ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"Tasks: Herald vs BullMQ vs pg-boss, same run, {tasks['machine']['cpus']} cores ({tasks['at'][:10]})")
    fig.tight_layout()
    out = root / "docs" / "benchmarks-tasks.png"
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
