"""Prints the first-party import graph between the apps: each app → app edge with its number of module
imports, two-way pairs flagged, and the largest modules. Run it on any checkout:

    .venv/bin/python scripts/app_graph.py

It reads the source with grimp (import-linter's engine), so it needs no database and no settings."""

import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "core", "accounts", "grants", "applications", "processing", "opendata"]


def main():
    sys.path.insert(0, str(ROOT))
    present = [app for app in APPS if (ROOT / app / "__init__.py").exists()]
    graph = grimp.build_graph(*present)
    edges = Counter()
    for module in graph.modules:
        if ".migrations." in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = module.split(".")[0], imported.split(".")[0]
            if source != target and ".migrations." not in imported:
                edges[source, target] += 1
    modules = [m for m in graph.modules if ".migrations." not in m]
    print(f"{len(modules)} modules in {', '.join(present)}")
    for (source, target), count in sorted(edges.items()):
        two_way = "  ← TWO-WAY" if (target, source) in edges else ""
        print(f"  {source:>12} → {target:<12} {count:>3}{two_way}")
    sizes = []
    for module in modules:
        path = ROOT / Path(*module.split("."))
        file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if file.exists():
            sizes.append((sum(1 for _ in file.open()), module))
    print("largest modules (lines):")
    for lines, module in sorted(sizes, reverse=True)[:6]:
        print(f"  {lines:>5}  {module}")


if __name__ == "__main__":
    main()
