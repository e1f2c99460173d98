"""The cost probe (`make probe`): CPU instructions, queries and bytes of each main page type, against a
checked-in baseline. A benchmark with a budget, not a timed test; see bench/README.md.

1. Makes sure the PostgreSQL database PROBE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
   grants_probe_<N>k) holds PROBE_APPLICATIONS (10 000: four calls of 2 500, the oldest published) applications made by the project's own generator
   (`manage.py generate_demo_data --seed 1`), and collects the static files.
2. Runs bench/probe_pages.py under valgrind's callgrind with PYTHONHASHSEED=0: it warms each page up, then
   PROBE_REQUESTS (3) requests of each are counted, in instructions executed by the Django process, which
   do not depend on how busy the machine is.
3. Prints a table beside bench/probe-baseline.json and exits 1 if a page costs more than 10 % more
   instructions per request than its baseline, or more queries.

PROBE_PAGES=name,name measures only those pages (a quick look while working; the table then shows only
them). Options: --update writes the baseline from this run (an intended increase updates it in the same commit,
with the reason); --checkout DIR measures another checkout (its own .venv and its own database, named
after its commit) with this probe, for a comparison in one sitting; --json FILE writes the figures."""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = HERE / "probe-baseline.json"
TOLERANCE = 0.10
SECRET_KEY = "probe-secret-key-not-for-production-0123456789-abcdefghijklmnop"


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def psql(server, database, sql):
    return run(
        ["psql", "-Atq", f"{server}/{database}", "-c", sql], capture_output=True, text=True
    ).stdout.strip()


def environment(database_url, **extra):
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))}
    return {
        **base,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "PYTHONHASHSEED": "0",
        **extra,
    }


def ensure_data(checkout, python, database_url, applications):
    server, name = database_url.rsplit("/", 1)
    if not psql(server, "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(server, "postgres", f'CREATE DATABASE "{name}"')
    env = environment(database_url, DJANGO_DEBUG="1")
    manage = [python, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], cwd=checkout, env=env)
    if psql(server, name, "SELECT count(*) FROM accounts_organisation") in ("", "0"):
        run([*manage, "loaddata", "organisations", "call_2022", "-v0"], cwd=checkout, env=env)
    generated = int(
        psql(
            server,
            name,
            "SELECT count(*) FROM applications_application a JOIN grants_call c ON c.id = a.call_id "
            "WHERE c.slug LIKE 'gen-%'",
        )
    )
    if generated != applications:
        started = time.monotonic()
        delete = ["--delete"] if generated else []
        run(
            [*manage, "generate_demo_data", "--applications", str(applications), "--seed", "1", *delete],
            cwd=checkout,
            env=env,
        )
        print(f"generated {applications} applications in {time.monotonic() - started:.0f} s", flush=True)
        psql(server, name, "VACUUM ANALYZE")


def dumps(folder):
    """{page: instructions} from callgrind's dumps, one per page (named by the client request)."""
    counts = {}
    for path in sorted(folder.glob("callgrind.out*")):
        text = path.read_text(errors="replace")
        trigger = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.MULTILINE)
        total = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
        if trigger and total:
            counts[trigger.group(1)] = int(total.group(1))
    return counts


def measure(checkout, applications, database_url, requests):
    python = str(checkout / ".venv" / "bin" / "python")
    ensure_data(checkout, python, database_url, applications)
    with tempfile.TemporaryDirectory(prefix="grants-probe-") as temporary:
        folder = Path(temporary)
        marks = folder / "probe_marks.so"
        run(["cc", "-shared", "-fPIC", "-O2", "-o", str(marks), str(HERE / "probe_marks.c")])
        env = environment(
            database_url,
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_STATIC_ROOT=str(folder / "static"),
            DJANGO_LOG_LEVEL="ERROR",
            PROBE_MARKS=str(marks),
            PROBE_REQUESTS=str(requests),
        )
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=checkout, env=env)
        figures = folder / "pages.json"
        run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                "--collect-atstart=no",
                "--dump-line=no",
                f"--callgrind-out-file={folder / 'callgrind.out'}",
                "--log-file=" + str(folder / "valgrind.log"),
                python,
                str(HERE / "probe_pages.py"),
                str(figures),
            ],
            cwd=checkout,
            env=env,
        )
        result = json.loads(figures.read_text())
        for name, instructions in dumps(folder).items():
            result["pages"][name]["instructions"] = instructions // result["requests"]
    commit = run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True, text=True
    ).stdout.strip()
    return {"commit": commit, "applications": applications, **result}


def table(result, baseline):
    lines = [
        f"Cost probe at {result['commit']}: {result['applications']} generated applications, "
        f"{result['requests']} requests per page; baseline {baseline.get('commit', '-')}",
        "",
        "| page | instructions per request | baseline | change | queries (baseline) | kB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    failures = []
    for name, page in result["pages"].items():
        base = baseline.get("pages", {}).get(name, {})
        count, was = page.get("instructions"), base.get("instructions")
        change = f"{(count - was) / was:+.1%}" if count and was else "-"
        queries = f"{page['queries']} ({base.get('queries', '-')})"
        count_text = f"{count / 1e6:.1f} M" if count else f"n/a ({page['status']})"
        was_text = f"{was / 1e6:.1f} M" if was else "-"
        lines.append(
            f"| {name} | {count_text} | {was_text} | {change} | {queries} | {page['bytes'] / 1024:.1f} |"
        )
        if count and was and count > was * (1 + TOLERANCE):
            failures.append(f"{name}: {count / 1e6:.1f} M instructions, over {was / 1e6:.1f} M + 10 %")
        if "queries" in base and page["queries"] > base["queries"]:
            failures.append(f"{name}: {page['queries']} queries, over {base['queries']}")
        if page["status"] != 200 and base:
            failures.append(f"{name}: answered {page['status']}")
    return "\n".join(lines), failures


def main():
    parser = argparse.ArgumentParser(prog="make probe", description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="write the baseline from this run")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--applications", type=int, default=None)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    import os

    applications = args.applications or int(os.environ.get("PROBE_APPLICATIONS", "10000"))
    requests = args.requests or int(os.environ.get("PROBE_REQUESTS", "3"))
    checkout = args.checkout.resolve()
    suffix = (
        ""
        if checkout == ROOT
        else "_"
        + run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True, text=True
        ).stdout.strip()
    )
    database_url = args.database_url or os.environ.get(
        "PROBE_DATABASE_URL",
        f"postgres://postgres@127.0.0.1:5432/grants_probe_{applications // 1000}k{suffix}",
    )
    result = measure(checkout, applications, database_url, requests)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    text, failures = table(result, baseline)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.update:
        BASELINE.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        print(f"\nbaseline written to {BASELINE.relative_to(ROOT)}")
        return 0
    if failures:
        print("\nOver budget:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
