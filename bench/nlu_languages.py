"""Intent macro-F1 per language: 5-fold cross-validation of the NLU's classifier on data/nlu*.yml.

Runs in the Rasa environment. The folds are stratified by language and intent; every fold trains
one model on all languages (as the bot's one model is trained) and scores the held-out examples of
each language apart. The features are the classifier's own (`LinearIntentClassifier._features`
with config.yml's settings, or overrides), the encoders' vectors cached per text in a run.

    .venvs/rasa/bin/python bench/nlu_languages.py                      # config.yml as it is
    .venvs/rasa/bin/python bench/nlu_languages.py --set multilingual_weight=0 --set sentence_weight=1
    .venvs/rasa/bin/python bench/nlu_languages.py --holdout tests/nlu/test_nlu.yml   # train on all, score a file
    .venvs/rasa/bin/python bench/nlu_languages.py --cascade      # macro-F1 and encoder share per threshold

With `--cascade` each threshold of the cheap model (n-grams and token embeddings) is scored: the
texts it is less sure of than the threshold go to the full model, as the classifier does.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def language_of(path: Path) -> str:
    """data/nlu_ru.yml -> ru; data/nlu.yml -> en."""
    stem = path.stem
    return stem.split("_", 1)[1] if "_" in stem else "en"


def _key(text: str) -> str:
    """A text as compared for overlap: case, spacing and end punctuation aside."""
    return " ".join(text.casefold().split()).strip(" .!?。！？")


def read_examples(path: Path) -> List[Tuple[str, str]]:
    out = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        if "intent" not in block:
            continue
        for line in block.get("examples", "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append((line[2:].strip(), block["intent"]))
    return out


class _Cached:
    """An encoder's vectors, computed once per distinct text (and kept in `store` between runs)."""

    def __init__(self, encoder, store: Path = None) -> None:
        self.encoder, self.cache, self.store = encoder, {}, store
        if store and store.exists():
            saved = np.load(store, allow_pickle=False)
            self.cache = dict(zip(saved["texts"].tolist(), saved["vectors"]))

    def embed(self, texts):
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            for text, vector in zip(missing, self.encoder.embed(missing)):
                self.cache[text] = vector
            if self.store:
                np.savez(self.store, texts=np.array(list(self.cache)), vectors=np.vstack(list(self.cache.values())))
        return np.vstack([self.cache[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


def classifier(overrides: Dict[str, str]):
    from rasa_addons import intent_classifier as ic

    config = next(c for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
                  if c["name"].endswith("LinearIntentClassifier"))
    config = {k: v for k, v in config.items() if k != "name"}
    for key, value in overrides.items():
        config[key] = yaml.safe_load(value)
    return ic.LinearIntentClassifier(config, None, None)


def fit(component, encoders, texts: List[str], labels: List[str]):
    for name, encoder in encoders.items():
        setattr(component, name, encoder)
    component.fit(texts, labels)
    return component


def predict(component, texts: List[str]) -> List[str]:
    probabilities = component.predict_proba(texts)
    return [component.classes[i] for i in probabilities.argmax(axis=1)]


THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99, 1.01)


def cascade_predictions(component, texts: List[str]) -> Dict[float, List[Tuple[str, bool]]]:
    """Per threshold, each text's (predicted intent, whether the full model was needed)."""
    cheap, full = component.cascade_parts(texts)
    out = {}
    for threshold in THRESHOLDS:
        unsure = cheap.max(axis=1) < threshold
        chosen = np.where(unsure[:, None], full, cheap)
        out[threshold] = [(component.classes[i], bool(u)) for i, u in zip(chosen.argmax(axis=1), unsure)]
    return out


def print_cascade(name: str, want: List[str], got: Dict[float, List[Tuple[str, bool]]]) -> None:
    from sklearn.metrics import f1_score

    print(f"{name}: threshold -> macro-F1, share sent to the encoders")
    for threshold in THRESHOLDS:
        labels = [label for label, _ in got[threshold]]
        share = np.mean([u for _, u in got[threshold]])
        print(f"    {threshold:.2f}: {f1_score(want, labels, average='macro'):.3f}  {share:5.1%}")


def main() -> None:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], help="classifier option=value (YAML value)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-folds", type=int, default=0, help="score only the first N folds (a held-out split)")
    parser.add_argument("--holdout", action="append", default=[], help="score these files instead of CV")
    parser.add_argument("--languages", default="", help="comma-separated: score only these in CV")
    parser.add_argument("--errors", action="store_true", help="list every misclassified example")
    parser.add_argument("--cascade", action="store_true", help="score the cascade at several thresholds")
    parser.add_argument("--cache", type=Path, help="a folder to keep the encoders' vectors in between runs")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)

    rows = []
    for path in sorted((ROOT / "data").glob("nlu*.yml")):
        rows += [(text, intent, language_of(path)) for text, intent in read_examples(path)]
    texts = [r[0] for r in rows]
    labels = [r[1] for r in rows]
    languages = [r[2] for r in rows]
    if args.cascade and not float(overrides.get("cascade_threshold", 0) or 0):
        overrides["cascade_threshold"] = "0.9"  # any > 0: trains the cheap model; thresholds are scored apart
    component = classifier(overrides)
    encoders = _encoders(component, args.cache)
    started = time.time()
    if args.holdout:
        fit(component, encoders, texts, labels)
        trained = {_key(t) for t in texts}
        for name in args.holdout:
            held = read_examples(ROOT / name)
            if args.cascade:
                print_cascade(name, [i for _, i in held], cascade_predictions(component, [t for t, _ in held]))
                continue
            got = predict(component, [t for t, _ in held])
            want = [i for _, i in held]
            print(f"{name}: macro-F1 {f1_score(want, got, average='macro'):.3f} "
                  f"accuracy {np.mean(np.array(got) == np.array(want)):.3f} ({len(held)})")
            # lines also written, independently, as training examples ("hello", "yes") say
            # nothing about unseen wording: scored apart
            unseen = [k for k, (t, _) in enumerate(held) if _key(t) not in trained]
            u_want, u_got = [want[k] for k in unseen], [got[k] for k in unseen]
            print(f"    lines not in training: macro-F1 {f1_score(u_want, u_got, average='macro'):.3f} "
                  f"accuracy {np.mean(np.array(u_got) == np.array(u_want)):.3f} ({len(unseen)})")
            scores = f1_score(u_want, u_got, average=None, labels=sorted(set(u_want)))
            print("    weakest: " + ", ".join(f"{label} {score:.2f}" for score, label in sorted(zip(scores, sorted(set(u_want))))[:5]))
            if args.errors:
                for k in unseen:
                    if u_got[unseen.index(k)] != want[k]:
                        print(f"    {held[k][0]!r}: {want[k]} -> {got[k]}")
        return
    wanted = set(filter(None, args.languages.split(","))) or set(languages)
    strata = [f"{lang}/{label}" for lang, label in zip(languages, labels)]
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42)
    predicted: Dict[int, str] = {}
    cascaded: Dict[float, Dict[int, Tuple[str, bool]]] = defaultdict(dict)
    for number, (train, test) in enumerate(folds.split(texts, _rare_merged(strata))):
        if args.max_folds and number >= args.max_folds:
            break
        fit(component, encoders, [texts[i] for i in train], [labels[i] for i in train])
        test = [i for i in test if languages[i] in wanted]
        if args.cascade:
            for threshold, rows in cascade_predictions(component, [texts[i] for i in test]).items():
                cascaded[threshold].update(zip(test, rows))
            continue
        for i, label in zip(test, predict(component, [texts[i] for i in test])):
            predicted[i] = label
    if args.cascade:
        for lang in sorted(wanted):
            idx = [i for i in cascaded[THRESHOLDS[0]] if languages[i] == lang]
            print_cascade(f"{lang} ({len(idx)} examples)", [labels[i] for i in idx],
                          {t: [cascaded[t][i] for i in idx] for t in THRESHOLDS})
        print(f"({time.time() - started:.0f} s)")
        return
    by_language: Dict[str, List[int]] = defaultdict(list)
    for i in predicted:
        by_language[languages[i]].append(i)
    for lang in sorted(by_language):
        idx = by_language[lang]
        want = [labels[i] for i in idx]
        got = [predicted[i] for i in idx]
        print(f"{lang}: {args.folds}-fold{' (first %d)' % args.max_folds if args.max_folds else ''} macro-F1 {f1_score(want, got, average='macro'):.3f} "
              f"accuracy {np.mean(np.array(got) == np.array(want)):.3f} ({len(idx)} examples)")
        scores = f1_score(want, got, average=None, labels=sorted(set(want)))
        weakest = sorted(zip(scores, sorted(set(want))))[:4]
        print("    weakest: " + ", ".join(f"{label} {score:.2f}" for score, label in weakest))
        if args.errors:
            for i in idx:
                if predicted[i] != labels[i]:
                    print(f"    {texts[i]!r}: {labels[i]} -> {predicted[i]}")
    print(f"({time.time() - started:.0f} s; options {overrides or 'as config.yml'})")


def _rare_merged(strata: List[str]) -> List[str]:
    """Strata with fewer examples than folds are merged into their language's 'rare' stratum."""
    counts: Dict[str, int] = defaultdict(int)
    for s in strata:
        counts[s] += 1
    return [s if counts[s] >= 5 else s.split("/")[0] + "/rare" for s in strata]


def _encoders(component, cache: Path = None) -> Dict[str, object]:
    from rasa_addons import embeddings, multilingual_encoder, sentence_encoder

    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    store = (lambda name: cache / f"{name}.npz") if cache else (lambda name: None)
    out: Dict[str, object] = {}
    if component._uses_embeddings:  # the embedder lower-cases itself in _features
        out["embedder"] = _Cached(embeddings.StaticEmbedder(embeddings.DEFAULT_DIR), store("embedder"))
    if component._uses_encoder:
        out["encoder"] = _Cached(sentence_encoder.SentenceEncoder(sentence_encoder.DEFAULT_DIR), store("encoder"))
    if component._uses_multilingual:
        out["multilingual"] = _Cached(multilingual_encoder.MultilingualEncoder(multilingual_encoder.DEFAULT_DIR),
                                      store("multilingual"))
    return out


if __name__ == "__main__":
    main()
