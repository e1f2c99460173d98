"""The benchmark harness (`make bench`): production server, generated data, load, one table of figures.

1. Makes sure the PostgreSQL database BENCH_DATABASE_URL (default: postgres://postgres@127.0.0.1:5432/
   grants_bench_<N>) holds N generated applications (manage.py generate_demo_data; made once, kept).
2. Prepares bench users and the deadline rush's drafts (bench/prepare.py), collects static files.
3. Starts gunicorn with the production settings (DEBUG off) on 127.0.0.1:8765, or BENCH_NODES application
   nodes (gunicorn on 8765, 8766, …, the workers shared out between them, one Redis cache as CACHE_URL).
4. Runs each scenario of bench/locustfile.py headless for a fixed time (BENCH_SECONDS, default 20) with
   BENCH_USERS concurrent users (default 8), the baseline (/healthz: no database) first.
5. Prints requests per second, p50/p95/p99 latency and errors per scenario, each beside the baseline and
   as a ratio of it, checks the rush (no lost or duplicated submission), measures the 360Giving export's
   peak memory, and writes all of it to bench/results/<N>.txt.

Nothing here is a test: the figures depend on the machine, so they are printed, never asserted."""

import csv
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PY = sys.executable
PORT = 8765
# BENCH_NODES=2: two application nodes, as README "Topology" runs them, sharing the database and a Redis
# cache (BENCH_CACHE_URL; one node keeps each process's own memory unless it is given).
NODES = int(os.environ.get("BENCH_NODES", "1"))
HOSTS = [f"http://127.0.0.1:{PORT + node}" for node in range(NODES)]
HOST = HOSTS[0]
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15" if NODES > 1 else "")

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
USERS = int(os.environ.get("BENCH_USERS", "8"))
RUSH = int(os.environ.get("BENCH_RUSH", "300"))
# One secret for the server and for bench/prepare.py, whose sessions the server must accept.
SECRET_KEY = secrets.token_urlsafe(50)
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/grants_bench_{APPLICATIONS // 1000}k"
)
# (scenario class, label, users, target)
ALL_SCENARIOS = [
    ("Baseline", "baseline: /healthz (no database)", USERS, None),
    ("PublicResults", "public results page (cached)", USERS, ("rps_ratio", 0.80)),
    ("PublicResultsDecompressed", "  the same, decompressed by locust", USERS, None),
    ("WorklistUnfiltered", "officials' worklist", USERS, ("p95", 150)),
    ("WorklistFiltered", "worklist, filtered and sorted", USERS, ("p95", 150)),
    ("WorklistSearch", "worklist, free-text search", USERS, ("p95", 300)),
    ("WorklistDeepPage", "worklist, page 40", USERS, ("p95", 150)),
    ("CasePage", "case page", USERS, None),
    ("MyCases", "municipality's My cases", USERS, None),
    ("Export360Giving", "360Giving export, all awards", 1, None),
    ("SignIn", "sign-in form (password hashing)", USERS, None),
]
# BENCH_SCENARIOS=WorklistSearch,MyCases runs only those, with the baseline ("DeadlineRush" and "Memory"
# name the rush and the export's memory); such a partial run prints its table but keeps bench/results/.
CHOSEN = os.environ.get("BENCH_SCENARIOS", "")
RUN_RUSH = not CHOSEN or "DeadlineRush" in CHOSEN.split(",")
RUN_MEMORY = not CHOSEN or "Memory" in CHOSEN.split(",")
SCENARIOS = [row for row in ALL_SCENARIOS if not CHOSEN or row[0] in {"Baseline", *CHOSEN.split(",")}]


def env(**extra):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**base, "DATABASE_URL": DATABASE_URL, "DJANGO_SECRET_KEY": SECRET_KEY, **extra}


def manage(*args, **extra):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(DJANGO_DEBUG="1", **extra), check=True)


def psql(sql, database="postgres"):
    server = DATABASE_URL.rsplit("/", 1)[0]
    return subprocess.run(
        ["psql", "-Atq", f"{server}/{database}", "-c", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def ensure_data():
    name = DATABASE_URL.rsplit("/", 1)[1]
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    if psql("SELECT count(*) FROM accounts_organisation", name) in ("", "0"):
        manage("loaddata", "organisations", "call_2022", "-v0")
    generated = int(
        psql(
            "SELECT count(*) FROM applications_application a JOIN grants_call c ON c.id = a.call_id "
            "WHERE c.slug LIKE 'gen-%' AND a.project_name NOT LIKE 'Rush %'",
            name,
        )
    )
    if generated != APPLICATIONS:
        started = time.monotonic()
        delete = ["--delete"] if generated else []
        manage("generate_demo_data", "--applications", str(APPLICATIONS), "--seed", "1", *delete)
        print(f"generated {APPLICATIONS} applications in {time.monotonic() - started:.0f} s")
    psql("VACUUM ANALYZE", name)
    subprocess.run(
        [PY, str(BENCH / "prepare.py")],
        cwd=ROOT,
        env=env(DJANGO_DEBUG="1", BENCH_USERS=str(USERS), BENCH_RUSH=str(RUSH)),
        check=True,
    )


def start_servers(static_root):
    """The application nodes: one gunicorn each, the workers shared out between them; returns the
    processes and the number of workers in all."""
    server_env = env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
        AXES_FAILURE_LIMIT="100000",  # hundreds of bench sign-ins come from one address
    )
    if CACHE_URL:
        server_env["CACHE_URL"] = CACHE_URL
        import redis

        redis.Redis.from_url(CACHE_URL).flushdb()  # no page cached by an earlier run
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env, check=True
    )
    workers = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 2) * 2)))
    per_node = max(1, workers // NODES)
    processes = [
        subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                host.removeprefix("http://"),
                "--workers",
                str(per_node),
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                str(OUT / f"gunicorn-{node}.log"),
            ],
            cwd=ROOT,
            env=server_env,
        )
        for node, host in enumerate(HOSTS)
    ]
    for host in HOSTS:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/readyz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            for process in processes:
                process.terminate()
            sys.exit(f"gunicorn at {host} did not become ready; see bench/out/gunicorn-*.log")
    return processes, per_node * NODES


def locust(scenario, users, seconds):
    prefix = OUT / scenario
    subprocess.run(
        [
            PY,
            "-m",
            "locust",
            "-f",
            str(BENCH / "locustfile.py"),
            scenario,
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            HOST,
            "--csv",
            str(prefix),
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "BENCH_HOSTS": ",".join(HOSTS)},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115 (closed when the process ends)
    )
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    # Set-up requests (": check") are not the scenario.
    measured = [row for name, row in rows.items() if name != "Aggregated" and not name.endswith(": check")]
    requests = sum(int(row["Request Count"]) for row in measured)
    failures = sum(int(row["Failure Count"]) for row in measured)
    if not requests:  # nothing finished within the window (a very slow scenario)
        return {
            "requests": 0,
            "failures": failures,
            "rps": 0.0,
            "p50": 0.0,
            "p95": 0.0,
            "p99": 0.0,
            "rows": measured,
        }
    # The scenario's own request (the slowest of equally frequent ones: a sign-in's POST, not its GET).
    main = max(measured, key=lambda row: (int(row["Request Count"]), float(row["95%"] or 0)))
    return {
        "requests": requests,
        "failures": failures,
        "rps": int(main["Request Count"]) / seconds,
        "p50": float(main["50%"] or 0),
        "p95": float(main["95%"] or 0),
        "p99": float(main["99%"] or 0),
        "rows": measured,
    }


def rush_check():
    slug = json.loads((OUT / "fixture.json").read_text())["rush_call"]
    name = DATABASE_URL.rsplit("/", 1)[1]
    query = (
        "SELECT count(*), count(DISTINCT a.case_sequence), "
        "coalesce(max(a.case_sequence) - min(a.case_sequence) + 1, 0) "
        "FROM applications_application a JOIN grants_call c ON c.id = a.call_id "
        f"WHERE c.slug = '{slug}' AND a.project_name LIKE 'Rush %' AND a.status = 'submitted'"
    )
    submitted, distinct, span = (int(x) for x in psql(query, name).split("|"))
    events = int(
        psql(
            "SELECT count(*) FROM applications_caseevent e "
            "JOIN applications_application a ON a.id = e.application_id "
            "WHERE a.project_name LIKE 'Rush %' AND e.kind = 'submitted'",
            name,
        )
    )
    return submitted, distinct, span, events


def export_memory():
    result = subprocess.run(
        [PY, str(BENCH / "memory_360giving.py")],
        cwd=ROOT,
        env=env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY="x" * 50,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


RUSH_SECONDS = 60


def rush_lines(rush):
    submitted, distinct, span, events = rush_check()
    rush_p95 = {row["Name"]: float(row["95%"] or 0) for row in rush["rows"]}
    worst = max(rush_p95.values(), default=0)
    met = submitted >= RUSH and rush["failures"] == 0 and worst < 500
    return [
        f"{'deadline rush: open, save, submit':<34}{RUSH:>6}{submitted / RUSH_SECONDS:>9.1f}{'':>8}{rush['p50']:>8.0f}"
        f"{worst:>8.0f}{'':>8}{rush['p99']:>8.0f}{rush['failures']:>8}  {RUSH} submissions in a minute, 0 errors, "
        f"p95 < 500 ms: " + ("met" if met else f"MISSED (p95 over by {max(worst - 500, 0):.0f} ms)"),
        f"  rush check: {submitted} of {RUSH} drafts submitted in {RUSH_SECONDS} s, {distinct} distinct case "
        f"numbers over a span of {span} (gapless: {distinct == span == submitted}), {events} submission journal "
        "events; p95 "
        + ", ".join(f"{name.removeprefix('rush: ')} {ms:.0f} ms" for name, ms in rush_p95.items()),
    ]


def memory_line(memory):
    return (
        f"360Giving export of all {memory['grants']} awards: {memory['megabytes']:.1f} MB of JSON, peak memory "
        f"{memory['peak_rss_mb']:.0f} MB RSS for the whole process ({memory['growth_mb']:.1f} MB above the "
        f"process before the export); "
        f"target < 150 MB: " + ("met" if memory["peak_rss_mb"] < 150 else "MISSED")
    )


def machine():
    memory = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    postgres = psql("SHOW server_version")
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {memory} GiB RAM; "
        f"Python {platform.python_version()}, PostgreSQL {postgres}, {platform.platform()}"
    )


def main():
    OUT.mkdir(exist_ok=True)
    (BENCH / "results").mkdir(exist_ok=True)
    ensure_data()
    lines = [
        f"Benchmark, {APPLICATIONS} generated applications, {time.strftime('%Y-%m-%d %H:%M')}",
        f"Machine: {machine()}",
    ]
    with tempfile.TemporaryDirectory() as static_root:
        servers, workers = start_servers(static_root)
        try:
            topology = (
                f"gunicorn, {workers} sync workers"
                if NODES == 1
                else f"{NODES} nodes (gunicorn, {workers // NODES} sync workers each), users spread over them"
            )
            cache = f"cache {CACHE_URL.split('://')[0]}" if CACHE_URL else "each process's own cache"
            lines.append(
                f"Server: {topology}, {cache}, production settings, DEBUG off; load: locust, "
                f"{SECONDS} s per scenario, {USERS} users unless noted"
            )
            results = {}
            for scenario, label, users, _target in SCENARIOS:
                results[scenario] = locust(scenario, users, SECONDS)
                print(
                    f"  {label}: {results[scenario]['rps']:.0f} req/s, p95 {results[scenario]['p95']:.0f} ms"
                )
            if RUN_RUSH:
                # BENCH_RUSH leads arriving at an even pace over the minute (the locustfile schedules them),
                # each saving and submitting once; a few seconds more let the last ones finish.
                rush = locust("DeadlineRush", RUSH, RUSH_SECONDS + 5)
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
    base = results["Baseline"]
    lines.append("")
    lines.append(
        f"{'scenario':<34}{'users':>6}{'req/s':>9}{'× base':>8}{'p50 ms':>8}{'p95 ms':>8}{'× base':>8}"
        f"{'p99 ms':>8}{'errors':>8}  target"
    )
    for scenario, label, users, target in SCENARIOS:
        r = results[scenario]
        verdict = ""
        if target and target[0] == "p95":
            verdict = f"p95 < {target[1]} ms: " + (
                "met"
                if r["p95"] < target[1]
                else f"MISSED by {r['p95'] - target[1]:.0f} ms"
                if r["p95"] > target[1]
                else "MISSED (p95 equals the target at locust's 2-digit rounding)"
            )
        elif target:
            ratio = r["rps"] / base["rps"] if base["rps"] else 0
            verdict = f"≥ {target[1]:.0%} of baseline req/s: " + (
                "met" if ratio >= target[1] else f"MISSED ({ratio:.0%})"
            )
        lines.append(
            f"{label:<34}{users:>6}{r['rps']:>9.1f}{r['rps'] / base['rps']:>8.2f}{r['p50']:>8.0f}{r['p95']:>8.0f}"
            f"{(r['p95'] / base['p95']) if base['p95'] else 0:>8.1f}{r['p99']:>8.0f}{r['failures']:>8}  {verdict}"
        )
    if RUN_RUSH:
        lines.extend(rush_lines(rush))
    if RUN_MEMORY:
        lines.append(memory_line(export_memory()))
    text = "\n".join(lines)
    print("\n" + text)
    if not CHOSEN:
        nodes = f"-{NODES}-nodes" if NODES > 1 else ""
        (BENCH / "results" / f"{APPLICATIONS}{nodes}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
