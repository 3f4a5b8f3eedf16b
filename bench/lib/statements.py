"""Core's SQL statements, for the bench scripts that run them through pgbench.

bench_statements (bench/tools/statements.cpp, built by bench/lib/tools.sh)
prints every statement core defines as JSON, name to SQL. load() reads that,
and statement() gives one of them with pgbench variables or SQL expressions in
place of its parameters, so bench/ceilings and bench/one-endpoint run core's
SQL as it is rather than a copy.

    python3 bench/lib/statements.py TOOL NAME...   prints the named statements
                                                   (exit 1 naming a missing one)
"""
import json
import re
import subprocess
import sys


def load(tool):
    """Every statement core defines: {name: sql}."""
    run = subprocess.run([tool], check=True, capture_output=True, text=True)
    return json.loads(run.stdout)


def statement(statements, name, values, script):
    """The SQL of statement `name` on one line, each $n replaced by values[n];
    exits naming `script` if core has no such statement or the statement has a
    parameter that `values` does not bind."""
    sql = statements.get(name)
    if not sql:
        sys.exit(f"{script}: core defines no statement {name} (renamed or removed?)")
    for n in sorted(values, reverse=True):  # $10 before $1
        sql = sql.replace(f"${n}", values[n])
    if re.search(r"\$[0-9]", sql):
        sys.exit(f"{script}: {name} in core has a parameter this script does not bind")
    return " ".join(sql.split())


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: statements.py TOOL NAME...")
    found = load(sys.argv[1])
    for wanted in sys.argv[2:]:
        if not found.get(wanted):
            sys.exit(f"statements.py: core defines no statement {wanted}")
        print(f"{wanted}: {' '.join(found[wanted].split())}")
