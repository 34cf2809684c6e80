"""The pure core: calendar, rulebooks, states and guards, events, the project aggregate,
obligations and duties, rosters, event data, names (zh/en).

Nothing here imports SQLAlchemy, APScheduler, Jinja2 or click, reads the clock, the
environment or a file named by the user: dates, calendars and rulebooks are passed in.
A test that parses imports keeps it so (tests/unit/test_imports.py).
"""
