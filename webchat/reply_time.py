"""When the widget says a person typically replies: `GET /widget/reply-time`.

    {"open_now": true, "now": "...", "next_reply_at": "..."}

`next_reply_at` is when a person can next answer in the chat (`bot.handoff.next_reply`: the
business hours of `settings/handoff.yml` and the active reps' working hours from the store),
`now` the business clock (`bot.clock`), so the widget words it ("Typically replies in a few
minutes", "… in 3 hours", "… Monday at 09:00" in the visitor's time) without trusting the
visitor's clock. Public and read-only, for pages of any origin like the widget's files
(`Access-Control-Allow-Origin: *`, no cookies): it says no more than the hours a site shows.
"""
from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.formats import iso_utc
from bot.handoff import load_handoff_settings, next_reply
from bot.store.schema import Rep

MAX_AGE_SECONDS = 60  # a browser asks again at most once a minute


async def reply_time(request: Request) -> Response:
    dashboard = request.app.state.dashboard

    def read() -> dict[str, object]:
        now = dashboard.clock.now()
        with dashboard.sessions() as session:
            reps = list(session.scalars(select(Rep).where(Rep.active.is_(True))))
            at = next_reply(load_handoff_settings(), reps, now)
        return {"open_now": at <= now, "now": iso_utc(now), "next_reply_at": iso_utc(at)}

    return JSONResponse(await run_in_threadpool(read), headers={
        "Access-Control-Allow-Origin": "*", "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"})
