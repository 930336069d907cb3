"""Training the intent model: the cascade's cheap regression, fitted in a second process
while this one runs the encoders, is the regression sklearn fits in this process, and the
full model is the full regression; on real training examples, the real encoders, the Rasa
environment."""
from __future__ import annotations

import json
import os
import subprocess

from tests.e2e.servers import RASA_PYTHON, ROOT

SCRIPT = r"""
import json
import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from rasa_addons import embeddings, intent_classifier as ic, multilingual_encoder, sentence_encoder, text_normalizer

config = next(c for c in yaml.safe_load(open("config.yml"))["pipeline"] if c["name"].endswith("LinearIntentClassifier"))
config = {k: v for k, v in config.items() if k != "name"}
texts, labels = [], []
for block in yaml.safe_load(open("data/nlu.yml"))["nlu"]:
    if block.get("intent") in ("greet", "goodbye", "affirm", "deny", "faq_pricing", "request_human"):
        lines = [l.strip()[2:] for l in block["examples"].splitlines() if l.strip().startswith("- ")][:25]
        texts += lines
        labels += [block["intent"]] * len(lines)
component = ic.LinearIntentClassifier(config, None, None)
component.embedder = embeddings.StaticEmbedder(embeddings.DEFAULT_DIR)
component.encoder = sentence_encoder.SentenceEncoder(sentence_encoder.DEFAULT_DIR)
component.multilingual = multilingual_encoder.MultilingualEncoder(multilingual_encoder.DEFAULT_DIR)
component.fit(texts, labels)

normalised = [text_normalizer.normalize(t) for t in texts]
base = component._base_features(normalised)
def sklearn_here(features):
    return LogisticRegression(C=float(config["C"]), class_weight="balanced", max_iter=5000,
                              random_state=int(config["random_seed"])).fit(features, labels)
cheap, full = sklearn_here(base), sklearn_here(component._features(normalised, base))
probe = ["hello there", "how much is it", "can I talk to a human", "nope", "bye now"]
print(json.dumps({
    "examples": len(texts),
    "classes": component.classes == [str(c) for c in full.classes_],
    "cheap_diff": float(np.abs(component.cheap_coef - cheap.coef_).max()),
    "full_diff": float(np.abs(component.coef - full.coef_).max()),
    "cheap_intercept_diff": float(np.abs(component.cheap_intercept - cheap.intercept_).max()),
    "scale": float(np.abs(cheap.coef_).max()),
    "column_major": bool(component.coef.flags.f_contiguous and component.cheap_coef.flags.f_contiguous),
    "predicted": [component.classes[i] for i in component.predict_proba(probe).argmax(axis=1)],
}))
"""


def test_the_cheap_regression_fitted_aside_is_sklearns_and_the_model_answers():
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["examples"] >= 100 and out["classes"]
    # float32 storage of the weights: equal to sklearn's to float32 precision
    assert out["cheap_diff"] < 1e-5 * max(1.0, out["scale"]) and out["cheap_intercept_diff"] < 1e-4
    assert out["full_diff"] < 1e-4 * max(1.0, out["scale"])
    assert out["column_major"]
    assert out["predicted"] == ["greet", "faq_pricing", "request_human", "deny", "goodbye"]
