#!/usr/bin/env python3
"""Runs the official toml-test suite (TOML 1.0.0) against our decoder.

For each file listed in tests/files-toml-1.0.0 under SUITE: a valid document must decode to
the JSON beside it (toml-test's tagged form; floats compared as numbers, date-times as
instants or local values, whatever their spelling), an invalid one must be rejected
(exit status not 0). Prints each failure, then `toml-test: P passed, F failed`.
Exits 1 when any failed. Usage: run.py DECODER SUITE [-v]
"""
import datetime
import json
import math
import os
import subprocess
import sys


def normalize_datetime(kind, text):
    text = text.replace("t", "T").replace("z", "Z").replace(" ", "T")
    if kind == "time-local":
        base, _, frac = text.partition(".")
        return base, (frac + "000000000")[:9] if frac else "0" * 9
    if kind == "date-local":
        return text
    date_part, _, rest = text.partition("T")
    offset = ""
    for sign in ("Z", "+", "-"):
        if sign in rest:
            idx = rest.index(sign)
            rest, offset = rest[:idx], rest[idx:]
            break
    base, _, frac = rest.partition(".")
    frac = (frac + "000000000")[:9]
    if kind == "datetime":
        value = datetime.datetime.fromisoformat(f"{date_part}T{base}{'+00:00' if offset == 'Z' else offset}")
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(), frac
    return f"{date_part}T{base}", frac


def same(expected, actual):
    if isinstance(expected, dict) and set(expected.keys()) == {"type", "value"} and isinstance(expected.get("type"), str) \
            and not isinstance(expected.get("value"), (dict, list)):
        if not (isinstance(actual, dict) and actual.get("type") == expected["type"]):
            return False
        kind, want, got = expected["type"], expected["value"], actual.get("value")
        if kind == "float":
            a, b = float(want), float(got)
            return (math.isnan(a) and math.isnan(b)) or a == b
        if kind == "integer":
            return int(want) == int(got)
        if kind in ("datetime", "datetime-local", "date-local", "time-local"):
            try:
                return normalize_datetime(kind, want) == normalize_datetime(kind, got)
            except ValueError:
                return False
        return want == got
    if isinstance(expected, dict):
        return isinstance(actual, dict) and expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    return expected == actual


def main():
    decoder, suite = sys.argv[1], sys.argv[2]
    verbose = "-v" in sys.argv
    tests = os.path.join(suite, "tests")
    with open(os.path.join(tests, "files-toml-1.0.0")) as listing:
        files = [line.strip() for line in listing if line.strip().endswith(".toml")]
    passed, failed = 0, []
    for name in files:
        with open(os.path.join(tests, name), "rb") as f:
            document = f.read()
        result = subprocess.run([decoder], input=document, capture_output=True, timeout=10)
        if name.startswith("invalid/"):
            ok = result.returncode != 0
            why = "accepted an invalid document" if not ok else ""
        else:
            with open(os.path.join(tests, name[:-5] + ".json")) as f:
                expected = json.load(f)
            if result.returncode != 0:
                ok, why = False, "rejected: " + result.stderr.decode(errors="replace").strip()[:200]
            else:
                try:
                    actual = json.loads(result.stdout)
                except ValueError as error:
                    ok, why = False, f"printed invalid JSON: {error}"
                else:
                    ok = same(expected, actual)
                    why = "" if ok else "decoded differently: " + result.stdout.decode(errors="replace")[:200]
        if ok:
            passed += 1
        else:
            failed.append(name)
            print(f"FAIL {name}: {why}")
    print(f"toml-test: {passed} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
