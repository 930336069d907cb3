"""`leadbot events`: the conversation events Rasa streams through RabbitMQ (docs/deploy.md).

    leadbot events consume [--follow]    write queued events to the analytics and the funnel:
                                         until the queue is empty, or as a service (idle when
                                         LEADBOT_RABBITMQ_URL is unset, as `sync --follow` without a CRM)
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from typing import Any

from pika.exceptions import AMQPError

from bot.cli_support import EXIT_OK, EXIT_UNAVAILABLE, UserError, now, positive_int, serve_metrics


def register(commands: Any) -> None:
    group = commands.add_parser("events", help="conversation events streamed from Rasa (RabbitMQ)")
    actions = group.add_subparsers(dest="events_command", required=True, metavar="ACTION")
    p = actions.add_parser("consume", help="write streamed events to the conversation analytics and the funnel "
                                           "(LEADBOT_RABBITMQ_URL)")
    p.add_argument("--follow", action="store_true", help="keep running: consume events as Rasa publishes them")
    p.add_argument("--batch", type=positive_int, default=200, help="events written per transaction, at most")
    p.set_defaults(handler=cmd_consume)


def cmd_consume(args: argparse.Namespace) -> int:
    from bot.event_stream import URL_VARIABLE, broker_url, streamed
    from bot.event_stream.consumer import Consumer
    from bot.service import once_the_store_answers
    from bot.store.db import database_url, make_engine, session_factory
    from bot.store.migrate import upgrade

    if not streamed() and not args.follow:
        raise UserError(f"{URL_VARIABLE} is not set: the RabbitMQ Rasa publishes its events to (docs/deploy.md)")
    store = database_url()
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    if args.follow:  # a service waits for a store that is down (bot.service) and shows /metrics
        serve_metrics()
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        logging.getLogger("pika").setLevel(logging.WARNING)  # a line per socket step otherwise; ours say the outages
        once_the_store_answers(lambda: upgrade(store))
        signal.signal(signal.SIGTERM, stop)  # from here on a signal lets the batch in hand finish
        signal.signal(signal.SIGINT, stop)
        if not streamed():  # as `sync --follow` without a CRM: an idle service, not an exit to restart
            logging.error("%s is not set: no events to consume; idle until stopped", URL_VARIABLE)
            while not stopping:
                time.sleep(0.5)
            return EXIT_OK
    else:
        upgrade(store)
    engine = make_engine(store)
    try:
        consumer = Consumer(broker_url(), session_factory(engine), now, batch=args.batch)
        stored = consumer.run(lambda: stopping, drain=not args.follow)
    except AMQPError as error:  # once, without --follow (a service keeps trying)
        print(f"RabbitMQ did not answer ({type(error).__name__}): nothing consumed", file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        engine.dispose()
    if not args.follow:
        print(f"Stored {stored} new events.")
    return EXIT_OK
