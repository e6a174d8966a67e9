"""Output of tools/bench: the console tables, JSON and CSV files, and the optional gnuplot PNG."""

import csv
import json
import os
import shutil
import subprocess
import time

HEADER = (f"{'case':<18} {'ember ops/s':>12} {'redis ops/s':>12} {'ratio':>6} "
          f"{'spread':>11} {'ember p50/p99 ms':>17} {'redis p50/p99 ms':>17} "
          f"{'CPU us/req e/r':>15} {'ratio':>5}")


def print_row(r, flush=False):
    print(f"{r['case']:<18} {r['ember_rps']:>12,.0f} {r['redis_rps']:>12,.0f} "
          f"{r['ratio']:>6.2f} {r['ratio_min']:>5.2f}..{r['ratio_max']:<4.2f} "
          f"{r['ember_p50_ms']:>8.3f}/{r['ember_p99_ms']:<8.3f} "
          f"{r['redis_p50_ms']:>8.3f}/{r['redis_p99_ms']:<8.3f} "
          f"{r['ember_cpu_us']:>7.2f}/{r['redis_cpu_us']:<7.2f} {r['cpu_ratio']:>5.2f}", flush=flush)


def print_memory(rows):
    print()
    print(f"{'memory (bytes/key)':<26} {'ember used':>10} {'redis used':>10} {'ratio':>6} "
          f"{'ember RSS':>10} {'redis RSS':>10} {'ratio':>6}")
    for r in rows:
        print(f"{r['case']:<26} {r['ember_used_per_key']:>10.1f} {r['redis_used_per_key']:>10.1f} "
              f"{r['used_ratio']:>6.2f} {r['ember_rss_per_key']:>10.1f} "
              f"{r['redis_rss_per_key']:>10.1f} {r['rss_ratio']:>6.2f}")


def write_outputs(out_dir, meta, throughput, memory, wake=()):
    os.makedirs(out_dir, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = os.path.join(out_dir, f"bench-{stamp}")
    with open(base + ".json", "w") as f:
        json.dump({"meta": meta, "throughput": throughput, "memory": memory, "wake": list(wake)},
                  f, indent=2)
    fields = ["case", "ember_rps", "redis_rps", "ratio", "ratio_min", "ratio_max",
              "ember_p50_ms", "ember_p99_ms", "redis_p50_ms", "redis_p99_ms",
              "ember_cpu_us", "redis_cpu_us", "cpu_ratio"]
    with open(base + ".csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(throughput)
    written = [base + ".json", base + ".csv"]
    if throughput and shutil.which("gnuplot"):
        written.append(plot(base, throughput))
    for path in written:
        print(f"wrote {path}")


def plot(base, throughput):
    data = base + ".dat"
    with open(data, "w") as f:
        for r in throughput:
            f.write(f"\"{r['case']}\" {r['ember_rps']:.0f} {r['redis_rps']:.0f}\n")
    png = base + ".png"
    script = (f"set terminal png size 1200,600; set output '{png}';"
              "set style data histograms; set style fill solid; set ylabel 'ops/s';"
              "set xtics rotate by -30; set key top right;"
              f"plot '{data}' using 2:xtic(1) title 'ember', '' using 3 title 'redis'")
    subprocess.run(["gnuplot", "-e", script], check=True)
    return png
