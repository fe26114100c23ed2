"""Helpers both domain packages use: problems and messages, the catalogue that words them,
Swedish number/date formats, atomic files, table reading and bounded YAML.

Nothing here knows about citizens or campaigns; `segments` and `campaigns` import from here,
never from each other's internals for these jobs.
"""
