"""The dashboard application: `create_app()` builds it, `leadbot dashboard` serves it.

Extending it: pass more Starlette routes in `extra_routes` (they are mounted before the
catch-all static files): the site of `make run` (`leadbot.site`) mounts the chat widget, the
rep API and the CRM's webhooks this way. Shared state lives on `app.state.dashboard`
(`web.http.Dashboard`).
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.conversation import load_conversation_settings, make_clock
from bot.language.codes import NAMES as LANGUAGE_NAMES
from bot.store.db import make_engine, session_factory
from bot.store.pipeline import PipelineSettings, load_pipeline_settings
from web import api, auth_views, experiment_views, handoff_views, meeting_views, metrics_views, nurture_views, pages
from web.format import FILTERS, age, ago
from web.http import Dashboard, endpoint
from web.secret import secret_key
from web.settings import DashboardSettings, load_dashboard_settings
from web.throttle import Throttle

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 1024 * 1024  # forms and JSON bodies are small; a note is at most 10,000 characters


def templates() -> Environment:
    """Jinja2 with autoescape on for every template: whatever a visitor or rep typed is shown, never run."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    env.globals["age"] = age
    env.globals["ago"] = ago
    env.globals["languages"] = LANGUAGE_NAMES  # code -> name: the lead's language, the inbox's filter
    return env


def routes() -> list[BaseRoute]:
    return [
        Route("/", endpoint(pages.home)),
        Route("/login", auth_views.login_page, methods=["GET"]),
        Route("/login", auth_views.login_submit, methods=["POST"]),
        Route("/logout", endpoint(auth_views.logout), methods=["POST"]),
        Route("/inbox", endpoint(pages.inbox_page)),
        Route("/leads/{lead_id}", endpoint(pages.lead_page)),
        Route("/leads/{lead_id}/stage", endpoint(pages.move_action), methods=["POST"]),
        Route("/leads/{lead_id}/won", endpoint(pages.won_action), methods=["POST"]),
        Route("/leads/{lead_id}/lost", endpoint(pages.lost_action), methods=["POST"]),
        Route("/leads/{lead_id}/notes", endpoint(pages.note_action), methods=["POST"]),
        Route("/leads/{lead_id}/assign", endpoint(pages.reassign_action), methods=["POST"]),
        Route("/leads/{lead_id}/nurture", endpoint(pages.nurture_action), methods=["POST"]),
        Route("/leads/{lead_id}/export", endpoint(pages.export_action)),
        Route("/leads/{lead_id}/delete", endpoint(pages.delete_confirm), methods=["GET"]),
        Route("/leads/{lead_id}/delete", endpoint(pages.delete_action), methods=["POST"]),
        Route("/board", endpoint(pages.board_page)),
        Route("/board/move", endpoint(pages.board_move), methods=["POST"]),
        Route("/metrics", endpoint(metrics_views.metrics_page)),
        Route("/api/me", endpoint(api.me, api=True)),
        Route("/api/leads", endpoint(api.leads, api=True)),
        Route("/api/leads/{lead_id}", endpoint(api.lead, api=True)),
        Route("/api/leads/{lead_id}/stage", endpoint(api.move, api=True), methods=["POST"]),
        Route("/api/leads/{lead_id}/notes", endpoint(api.note, api=True), methods=["POST"]),
        Route("/api/pipeline", endpoint(api.pipeline, api=True)),
        Route("/api/metrics", endpoint(metrics_views.metrics_api, api=True)),
    ]


def create_app(*, database_url: str | None = None, settings: DashboardSettings | None = None,
               pipeline: PipelineSettings | None = None, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The dashboard on the configured store (migrated by the caller: `leadbot dashboard` does it)."""
    engine = make_engine(database_url)
    settings = settings or load_dashboard_settings()
    state = Dashboard(
        sessions=session_factory(engine),
        settings=settings,
        pipeline=pipeline or load_pipeline_settings(),
        clock=make_clock(load_conversation_settings()),
        secret=secret_key(),
        templates=templates(),
        throttle=Throttle(settings.sign_ins_per_address, settings.sign_in_window_minutes * 60),
    )
    # nurture e-mails' links and unsubscribe (docs/nurture.md), the reps' meetings and the
    # visitor's reschedule/cancel page, the hand-off queue and reps available / away, the A/B
    # tests of the bot's script
    provided = [*nurture_views.routes(), *meeting_views.routes(), *handoff_views.routes(),
                *experiment_views.routes()]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = Starlette(routes=[*routes(), *extra_routes, *provided,
                            Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
                    lifespan=lifespan, max_body_size=MAX_BODY_BYTES)
    app.state.dashboard = state
    return app
