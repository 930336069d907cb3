"""The reps' dashboard: sign-in, inbox, lead page, pipeline board, metrics, JSON API.

Server-rendered HTML (Starlette + Jinja2 with autoescape) that works without JavaScript;
every action calls the same domain functions as the `leadbot` CLI. See docs/dashboard.md.
"""
