#!/usr/bin/env python3
"""Draws docs/benchmarks.png from bench/results/latest.json (npm run bench).

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
