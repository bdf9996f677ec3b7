"""Throughput of a page of 100 activities from the open-data API as a share of /healthz, gunicorn 2 workers.

    .venv/bin/python bench/api.py [--seconds 2] [--rounds 4] [--connections 4] [--port 8766]

Builds its own SQLite database with the demo data (bench/results/bench-api.sqlite3) and serves it
with production settings, as bench/pages.py does (its helpers are used here), the API's throttle
lifted (EHALSA_API_ANON_RATE). The machine is shared and noisy, so /healthz and the API alternate
in short windows: /healthz, API, /healthz … --rounds times, ending on /healthz; each API window is
divided by the mean of the two /healthz windows around it. The table gives the median share with
its spread and the median requests/s. Also a page of 100 activities filtered by a LIKA indicator
and a year, and a plan's adopted version (one JSON document).

Target (issue 20): a page of 100 activities >= 10 % of /healthz.
"""

import argparse
import json
import shutil
import statistics

import pages

TARGET = 0.10


def measure(load, path, seconds, connections, rounds):
    health, rates = [load("/healthz", seconds, connections)], []
    for _ in range(rounds):
        rates.append(load(path, seconds, connections))
        health.append(load("/healthz", seconds, connections))
    shares = [rate / ((health[i] + health[i + 1]) / 2) for i, rate in enumerate(rates)]
    return statistics.median(shares), min(shares), max(shares), statistics.median(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=2, help="one window (whole seconds: wrk's unit)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    options = parser.parse_args()
    pages.PORT = options.port
    database = pages.RESULTS / "bench-api.sqlite3"
    env = {**pages.environment(database), "EHALSA_API_ANON_RATE": "1000000/minute"}
    pages.prepare(env, database)
    server = pages.start_server(env)
    load = pages.wrk_load if shutil.which("wrk") else pages.python_load
    try:
        status, body = pages.get("/api/v1/plans/?status=adopted")
        plan = next(p for p in json.loads(body)["results"] if p["versions"])
        paths = [
            ("/api/v1/activities/?page_size=100", "100 activities", TARGET),
            ("/api/v1/activities/?page_size=100&lika=L19&year=2016", "100 activities, LIKA L19, 2016", None),
            (f"/api/v1/plans/{plan['id']}/versions/{plan['versions'][0]['number']}/", "an adopted version", None),
        ]
        print(f"{'page':<36} {'share of /healthz':>18} {'spread':>14} {'req/s':>8}  target")
        failed = False
        for path, label, target in paths:
            assert pages.get(path)[0] == 200, path
            for _ in range(20):  # warm up
                pages.get(path)
            share, low, high, rate = measure(load, path, options.seconds, options.connections, options.rounds)
            verdict = (
                "" if target is None else (f">= {target:.0%} ok" if share >= target else f">= {target:.0%} MISSED")
            )
            failed |= target is not None and share < target
            print(f"{label:<36} {share:>17.1%} {low:>6.1%}–{high:<6.1%} {rate:>8.0f}  {verdict}")
    finally:
        server.terminate()
        server.wait()
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
