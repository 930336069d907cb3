"""`leadbot model`: the win probability learned from the store's closed deals.

    leadbot model train [--json]   fit on won vs lost deals, print the time-split evaluation, save
    leadbot model show [--json]    the saved model: version, date, evaluation, strongest features
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli_support import EXIT_OK, UserError, now, store_session, table


def register(commands: Any) -> None:
    group = commands.add_parser("model", help="the win probability learned from closed deals: train, show")
    actions = group.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    p = actions.add_parser("train", help="fit on won vs lost deals, evaluate on the newest, save (settings/win_model.yml)")
    p.add_argument("--json", action="store_true", help="print the saved model as JSON")
    p.set_defaults(handler=cmd_train)
    p = actions.add_parser("show", help="the saved model's version, date, evaluation and strongest features")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)


def cmd_train(args: argparse.Namespace) -> int:
    from bot.scoring import load_scoring_settings
    from bot.store.pipeline import load_pipeline_settings
    from bot.winprob.model import NotEnoughDeals, closed_examples, load, save, train
    from bot.winprob.settings import load_win_model_settings

    settings = load_win_model_settings()
    with store_session() as session:
        examples = closed_examples(session, load_scoring_settings(), load_pipeline_settings())
    try:
        model = train(examples, settings, now=now(), previous=load())
    except NotEnoughDeals as exc:
        raise UserError(f"not trained: {exc}") from None
    path = save(model)
    if args.json:
        json.dump(model.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print(model)
        print(f"Saved to {path}.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from bot.winprob.model import load, model_path

    model = load()
    if model is None:
        raise UserError(f"no win model in {model_path()}: run `leadbot model train`")
    if args.json:
        json.dump(model.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print(model)
    return EXIT_OK


def _print(model: Any) -> None:
    ev = model.evaluation
    print(f"Win model v{model.version}, trained {model.trained_at} on {model.closed_deals} closed deals "
          f"({model.won} won, {model.closed_deals - model.won} lost).")
    print(f"Time split: fitted on the {ev.train} older deals, tested on the {ev.test} newest "
          f"({ev.base_rate:.0%} of them won).")
    print(f"  ROC AUC {ev.auc:.3f}   Brier score {ev.brier:.3f}")
    print("Calibration on the test deals:")
    table(["PREDICTED", "DEALS", "MEAN PREDICTED", "SHARE WON"],
          [[f"{r.low:.0%}-{r.high:.0%}", r.deals, f"{r.predicted:.0%}", f"{r.observed:.0%}"] for r in ev.calibration],
          sys.stdout)
    strongest = sorted(model.weights.items(), key=lambda w: -abs(w[1]))[:8]
    print("Strongest features (log-odds): " + ", ".join(f"{name} {w:+.2f}" for name, w in strongest))
