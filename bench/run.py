"""Peak-hour pages against a bare Django view, on the same server, as a ratio.

    make bench                      # SQLite, demo data, gunicorn with 2 workers
    DATABASE_URL=postgres://... make bench

It builds a throwaway SQLite database with the demo data (with DATABASE_URL set,
it migrates that database and adds the demo data), starts gunicorn on a free
port with DEBUG off, signs a demo officer in, and sends BENCH_CONCURRENCY
clients at each page for BENCH_DURATION seconds: the catalogue, a course page,
a lesson, "My learning", and saving a quiz answer. For each it
prints requests per second, median and 95th-percentile latency, and the ratio
of its median latency to the bare view's (`/healthz`, no database).
"""

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
DURATION = float(os.environ.get("BENCH_DURATION", "10"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def opener_signed_in(base: str, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/ru/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/ru/accounts/login/", data=data, headers={"Referer": base}
    )
    opener.open(request).read()
    return opener, jar


def csrf_of(jar) -> str:
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def hammer(make_request) -> dict:
    latencies, errors = [], []
    stop = time.monotonic() + DURATION

    def client():
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                make_request()
            except urllib.error.HTTPError as error:
                errors.append(f"{error!r}: {error.read()[:200]!r}")
                continue
            except Exception as error:  # noqa: BLE001 - counted and shown
                errors.append(repr(error))
                continue
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / DURATION,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan"),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "DEBUG": "false"}
    env.pop("REDIS_URL", None)
    workdir = tempfile.mkdtemp(prefix="ustaz-bench-")
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    env["MEDIA_ROOT"] = f"{workdir}/media"
    env["LOG_LEVEL"] = "WARNING"
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "lms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz").read()
                break
            except OSError:
                time.sleep(0.2)
        opener, jar = opener_signed_in(base, "officer.astana", "ustaz-demo-2026")
        mi = f"{base}/ru/courses/motivational-interviewing/"
        lesson_path = re.search(
            r'href="(/ru/courses/motivational-interviewing/[^"/]+/)"',
            opener.open(mi).read().decode(),
        ).group(1)
        attempt_url = start_attempt(opener, jar, base)
        answer_url, answer = first_answer(opener, base, attempt_url)
        seq = iter(range(1, 10**9))
        lock = threading.Lock()

        def save_answer():
            with lock:
                number = next(seq)
            body = json.dumps({"seq": number, "answer": answer}).encode()
            request = urllib.request.Request(
                answer_url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "X-CSRFToken": csrf_of(jar),
                    "Referer": base,
                },
            )
            opener.open(request).read()

        cases = {
            "bare view (/healthz)": lambda: opener.open(f"{base}/healthz").read(),
            "catalogue": lambda: opener.open(f"{base}/ru/courses/").read(),
            "catalogue, filtered": lambda: opener.open(
                f"{base}/ru/courses/?topic=communication&length=long"
            ).read(),
            "course page": lambda: opener.open(mi).read(),
            "lesson": lambda: opener.open(base + lesson_path).read(),
            "quiz answer save": save_answer,
            "my learning": lambda: opener.open(f"{base}/ru/learning/").read(),
        }
        results = {name: hammer(run) for name, run in cases.items()}
    finally:
        server.terminate()
        server.wait()
    bare = results["bare view (/healthz)"]["median"]
    print(
        f"{CONCURRENCY} concurrent clients, {DURATION:.0f} s each, "
        f"gunicorn {WORKERS} workers, {env['DATABASE_URL'].split(':')[0]}"
    )
    print(
        f"{'page':<24}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'ratio':>8}"
        f"{'errors':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<24}{r['rps']:>8.1f}{r['median'] * 1000:>11.1f}"
            f"{r['p95'] * 1000:>9.1f}{r['median'] / bare:>8.1f}{r['errors']:>8}"
        )
        if r["first_error"]:
            print(f"    first error: {r['first_error']}")


def start_attempt(opener, jar, base) -> str:
    """Complete the MI lessons of the demo officer and open a quiz attempt."""
    mi = f"{base}/ru/courses/motivational-interviewing/"
    page = opener.open(mi).read().decode()
    lessons = re.findall(
        r'href="(/ru/courses/motivational-interviewing/[^"/]+/)"', page
    )
    for path in dict.fromkeys(lessons):
        lesson = opener.open(base + path).read().decode()
        match = re.search(r'action="(/ru/learning/lessons/\d+/done/)"', lesson)
        if match:
            post(opener, jar, base, match.group(1), {})
    page = opener.open(mi).read().decode()
    action = re.search(r'action="(/ru/learning/courses/\d+/quiz/)"', page).group(1)
    return post(opener, jar, base, action, {}).geturl()


def first_answer(opener, base, attempt_url):
    """The save URL and an answer for the attempt's first single-choice question
    (questions are drawn at random, so it may not be question 1)."""
    page = opener.open(attempt_url).read().decode()
    save = re.search(r'data-save-url="([^"]+)"', page).group(1)
    position = re.search(
        r'data-position="(\d+)" data-kind="(?:single|truefalse)"', page
    ).group(1)
    option = re.search(rf'name="q{position}" value="([^"]+)"', page).group(1)
    return base + save.replace("/0/", f"/{position}/"), {"option": option}


def post(opener, jar, base, path, fields):
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf_of(jar), **fields}
    ).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Referer": base})
    return opener.open(request)


if __name__ == "__main__":
    main()
