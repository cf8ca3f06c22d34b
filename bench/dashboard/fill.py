#!/usr/bin/env python3
"""Fills a project of a stopped Grains server's SQLite data with synthetic issues (issue 13 bench).

Writes the query store's tables directly (issues and their hourly counts) in one transaction: 100,000
issues take seconds, where ingesting them would take most of an hour on a small machine. Issue numbers
start far above the project's own (10,000,000), so issues created later by real events never collide.
Usage: fill.py <grains.db> <project id> [count]
"""
import random
import sqlite3
import sys
import time

STRIDE = 1_000_000_000  # ProjectGrain.IssueIdStride: issue id = project id * stride + number
FIRST_NUMBER = 10_000_000
LEVELS = ["error"] * 6 + ["warning"] * 2 + ["fatal", "info"]
TYPES = ["TypeError", "ValueError", "KeyError", "NullReferenceException", "TimeoutError", "HttpError"]

database, project = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
rng = random.Random(13)
now_us = int(time.time() * 1_000_000)
hour_us = 3_600_000_000
started = time.time()

connection = sqlite3.connect(database, timeout=30)
connection.execute("PRAGMA journal_mode=WAL")
issues, hours = [], []
for n in range(count):
    number = FIRST_NUMBER + n
    issue_id = project * STRIDE + number
    kind = rng.choice(TYPES)
    value = f"synthetic failure {n} in module m{n % 997}"
    title = f"{kind}: {value}"
    culprit = f"app/module{n % 997}.py in handler_{n % 53}"
    # Last seen spread over the past 14 days (the stream's default period), first seen up to 30 days before it.
    last_seen = now_us - rng.randrange(0, 14 * 24 * hour_us)
    first_seen = last_seen - rng.randrange(0, 30 * 24 * hour_us)
    times_seen = 1 + int(rng.paretovariate(1.2))
    status = "resolved" if n % 10 == 9 else "unresolved"
    substatus = None if status == "resolved" else ("new" if n % 3 == 0 else "ongoing")
    issues.append((issue_id, project, f"{project}:synthetic{n:08d}", number, title, culprit, rng.choice(LEVELS), "python", None,
                   "error", f'{{"type":"{kind}","value":"{value}"}}', status, substatus, "{}", first_seen, last_seen,
                   times_seen, min(times_seen, 1 + n % 40), None, None, kind, value, f"{title} {culprit}"))
    # Up to three hours with events in the last day, so the row charts have bars.
    for h in rng.sample(range(24), k=min(3, times_seen)):
        hours.append((issue_id, (now_us // hour_us - h) * 3600, max(1, times_seen // 3)))

with connection:
    connection.executemany(
        """INSERT INTO issues (id, project_id, grain_key, short_number, title, culprit, level, platform, logger, issue_type,
               metadata_json, status, substatus, status_details_json, first_seen, last_seen, times_seen, user_count,
               first_release, last_release, error_type, error_value, search_text)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", issues)
    connection.executemany("INSERT OR IGNORE INTO issue_hourly (issue_id, hour_start, event_count) VALUES (?, ?, ?)", hours)
total = connection.execute("SELECT COUNT(*) FROM issues WHERE project_id = ?", (project,)).fetchone()[0]
connection.close()
print(f"filled {count} issues ({len(hours)} hourly rows) in {time.time() - started:.1f} s; project {project} has {total} issues")
