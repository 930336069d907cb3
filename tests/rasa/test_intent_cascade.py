"""The intent classifier's cascade: the cheap model answers when sure, the encoders only otherwise.

Runs inside the Rasa environment (a subprocess), on the classifier of the session's trained
model (models/leadbot.tar.gz) as Rasa loads it. The encoders are the real ones, wrapped to count
the texts they are given; the expected probabilities are the two regressions' own.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e.servers import MODEL

pytestmark = pytest.mark.rasa

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

# Typed answers to the form's questions and small talk the cheap model should be sure of,
# and messages whose meaning is in how the words go together.
FORM_ANSWERS = ["around 50k a year", "sam@brightwell.example", "next quarter", "hello there", "yes please"]
OTHERS = ["who made you", "what do you make", "Сколько это стоит?", "我想和真人聊", "I'd rather not say, is that ok?"]

SCRIPT = r"""
import json, sys, tempfile
from pathlib import Path
import numpy as np
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa_addons.intent_classifier import LinearIntentClassifier

model, config, texts = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
storage, metadata = LocalModelStorage.from_model_archive(Path(tempfile.mkdtemp()), model)
name = next(n for n in metadata.train_schema.nodes if n.startswith("train_") and "LinearIntentClassifier" in n)
component = LinearIntentClassifier.load(config, storage, Resource(name), None)

class Counting:
    def __init__(self, encoder):
        self.encoder, self.texts = encoder, []
    def embed(self, batch):
        batch = list(batch)
        self.texts += batch
        return self.encoder.embed(batch)

component.encoder, component.multilingual = Counting(component.encoder), Counting(component.multilingual)
cheap, full = component.cascade_parts(texts)
component.encoder.texts.clear()
component.multilingual.texts.clear()
together = component.predict_proba(texts)
encoded_together = list(component.multilingual.texts)
alone = np.vstack([component.predict_proba([t]) for t in texts])
print(json.dumps({
    "has_cheap": component.cheap_coef is not None,
    "threshold": component.config["cascade_threshold"],
    "cheap": cheap.tolist(), "full": full.tolist(), "together": together.tolist(), "alone": alone.tolist(),
    "encoded_together": encoded_together, "english_encoded": len(component.encoder.texts),
}))
"""


def _classifier_config() -> dict:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    config = next(c for c in pipeline if c["name"].endswith("LinearIntentClassifier"))
    return {k: v for k, v in config.items() if k != "name"}


@pytest.fixture(scope="module")
def run():
    config = _classifier_config()
    texts = FORM_ANSWERS + OTHERS
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, str(MODEL), json.dumps(config), json.dumps(texts)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["texts"] = texts
    return out


def test_the_trained_model_has_the_cheap_model_and_config_turns_the_cascade_on(run):
    assert run["has_cheap"]
    assert 0 < run["threshold"] < 1


def test_each_text_gets_the_cheap_answer_when_it_is_sure_and_the_full_one_otherwise(run):
    import numpy as np

    cheap, full, got = (np.array(run[k]) for k in ("cheap", "full", "together"))
    sure = cheap.max(axis=1) >= run["threshold"]
    expected = np.where(sure[:, None], cheap, full)
    assert np.allclose(got, expected, atol=1e-6)
    # only the texts the cheap model was unsure of reached the encoders
    assert run["encoded_together"] == [t for t, s in zip(run["texts"], sure) if not s]
    # and a batch answers as each text alone
    assert np.allclose(np.array(run["alone"]), got, atol=1e-5)


def test_form_answers_skip_the_encoders_and_meaning_in_word_order_reaches_them(run):
    import numpy as np

    cheap = np.array(run["cheap"])
    sure = dict(zip(run["texts"], cheap.max(axis=1) >= run["threshold"]))
    assert all(sure[t] for t in FORM_ANSWERS), sure
    assert not all(sure[t] for t in OTHERS), sure
