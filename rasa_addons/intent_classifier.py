"""Intent classifier: logistic regression over TF-IDF n-grams and pretrained token embeddings.

Replaces DIET (TensorFlow) in config.yml. Each message becomes one feature row:

- TF-IDF of character 1-5-grams within words (spelling variants, typos, "thx"/"thanks");
- TF-IDF of word 1-2-grams ("not sure" vs "not now");
- the unit-length mean of its wordllama token vectors (rasa_addons/embeddings.py; of the
  lower-cased text with `embedding_lowercase`) times `embedding_weight`, which carries meaning to words the training data never shows
  ("arrivederci", "ta-ta", "dynamics 365");
- the all-MiniLM-L6-v2 sentence vector (rasa_addons/sentence_encoder.py) times
  `sentence_weight`, which reads the words together ("who made you" is not "what do you make");
- the multilingual-e5-small sentence vector (rasa_addons/multilingual_encoder.py) times
  `multilingual_weight`, which carries an intent learnt in one language to wordings of it in
  Russian, Norwegian, Persian, Malay or Chinese that the training data never shows.

The features read the text as rasa_addons/text_normalizer.py writes it (Persian letters,
digits and half-spaces one way; Han characters as words for the word n-grams).

A multinomial logistic regression (balanced class weights, so the large `inform` class
does not absorb the small ones) gives probabilities; `temperature` sharpens them so that
confidences sit on the scale the dialogue expects (actions/slots.py and bot/pending.py
treat >= 0.6 / 0.8 as "sure"; chosen on cross-validation, see bench/README.md "NLU").

A cascade keeps the encoders for the messages that need them (`cascade_threshold` > 0): a
second, cheap regression over the n-grams and token embeddings alone (about 3 ms a message)
answers when its top probability reaches the threshold; the others go to the full model with
both sentence encoders (about 60 ms a message on one core: their 130 MB of weights are read
from memory for every message). Typed answers to the form's questions ("50k", "next quarter",
an e-mail) are what a sales chat is mostly made of, and the cheap model is sure of them; the
threshold is chosen on cross-validation so that macro-F1 holds in every language
(`bench/nlu_languages.py --cascade`, bench/README.md "Cascade").

It reads the message text itself (tokenisation included), so it needs no Rasa tokenizer or
featurizer and no TensorFlow. The model is stored as plain arrays (`.npy`, loaded with
`allow_pickle=False`) and JSON, plus a copy of the embedding and encoder files, so a trained
model runs on a machine without `.venvs/embeddings`.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons import embeddings, multilingual_encoder, sentence_encoder, text_normalizer

logger = logging.getLogger(__name__)

WORD_TOKENS = r"(?u)\b\w+\b|[?!]"  # words of one letter too ("k", "n"), and ? / !
MODEL_FILE = "classifier.json"
EMBEDDINGS_SUBDIR = "embeddings"
ENCODER_SUBDIR = "sentence_encoder"
MULTILINGUAL_SUBDIR = "multilingual_encoder"


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    """The process's BLAS thread pools, found once (after numpy, scipy and sklearn are loaded).

    One message's matrices are small (tens of tokens by 384): OpenBLAS's second thread costs
    more than it gives (the two encoders took 148 + 91 ms a message with 2 threads, 48 + 22 ms
    with one, bench/README.md "perf.py"), and the server's other core is left to the action
    server and the next request. Training keeps every thread."""
    return ThreadpoolController()


def _weights(coef: np.ndarray) -> np.ndarray:
    """A regression's (n_classes, n_features) weights in column-major order: a message's
    logits are `features @ coef.T`, and scipy multiplies by a row-major copy of `coef.T`,
    which for row-major weights it makes on every call (the whole matrix: 4% of the Rasa
    process under load, bench/README.md "Fifth round")."""
    return np.asfortranarray(coef, dtype=np.float32)


def _fitted(regression: Any) -> Tuple[List[str], np.ndarray, np.ndarray]:
    """A fitted LogisticRegression's classes, weights and intercepts, as the model keeps them."""
    return [str(c) for c in regression.classes_], _weights(regression.coef_), regression.intercept_.astype(np.float32)


class _SideProcess:
    """One other process for a long, independent fit, or this one where none can start.

    Spawned, not forked: the training process runs TensorFlow's and BLAS's threads, which a
    fork copies in whatever state they are. A fit the other process cannot do (it could not
    start, or died) is done here instead: a training never fails for want of a second core."""

    def __enter__(self) -> "_SideProcess":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            self._pool: Optional[Any] = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        except (OSError, ValueError) as error:
            logger.debug("No second process for training (%s): fitting in this one.", error)
            self._pool = None
        return self

    def submit(self, fit: Any, *args: Any) -> Any:
        if self._pool is not None:
            try:
                return (self._pool.submit(fit, *args), fit, args)
            except Exception as error:  # noqa: BLE001 - broken pool, pickling: fit here instead
                logger.debug("Second process unavailable (%s): fitting in this one.", error)
        return (None, fit, args)

    def result(self, submitted: Any) -> Any:
        future, fit, args = submitted
        if future is not None:
            try:
                return future.result()
            except Exception as error:  # noqa: BLE001 - the process died or could not start
                logger.warning("Fit in the second process failed (%s): fitting in this one.", error)
        return fit(*args)

    def __exit__(self, *exc_info: Any) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def _words_preprocessor(text: str) -> str:
    return text_normalizer.han_as_words(text.lower())


class _Tfidf:
    """sklearn's TfidfVectorizer, fitted or rebuilt from its vocabulary and idf weights.

    Its `transform` is sklearn's, computed without sklearn 1.1's per-call cost: each call
    rebuilt the idf vector by summing an n-features-square diagonal matrix (5% of the Rasa
    process under load, bench/README.md "Fifth round"). The same operations as sklearn's on a
    restored model (float32 counts and sublinear tf, float64 idf and l2 norm): the same rows
    to within 1e-16, in training too (where sklearn's own idf would have been float32)."""

    def __init__(self, vectorizer: Any) -> None:
        self.vectorizer = vectorizer
        self._idf: Optional[np.ndarray] = None

    @classmethod
    def make(cls, analyzer: str, ngrams: List[int], vocabulary: Optional[Dict[str, int]] = None) -> "_Tfidf":
        from sklearn.feature_extraction.text import TfidfVectorizer

        # word n-grams of Chinese: each Han character a word (text_normalizer.han_as_words)
        preprocessor = _words_preprocessor if analyzer == "word" else None
        return cls(TfidfVectorizer(
            analyzer=analyzer, ngram_range=(int(ngrams[0]), int(ngrams[1])), lowercase=True,
            sublinear_tf=True, token_pattern=WORD_TOKENS if analyzer == "word" else None,
            preprocessor=preprocessor, vocabulary=vocabulary, dtype=np.float32,
        ))

    @classmethod
    def restore(cls, analyzer: str, ngrams: List[int], vocabulary: Dict[str, int], idf: np.ndarray) -> "_Tfidf":
        tfidf = cls.make(analyzer, ngrams, vocabulary)
        tfidf.vectorizer.idf_ = idf  # sklearn's setter: checks the size against the vocabulary
        return tfidf

    def fit(self, texts: List[str]) -> "_Tfidf":
        self.vectorizer.fit(texts)
        self._idf = None
        return self

    @property
    def vocabulary_(self) -> Dict[str, int]:
        return self.vectorizer.vocabulary_

    @property
    def idf_(self) -> np.ndarray:
        if self._idf is None:
            self._idf = np.asarray(self.vectorizer.idf_, dtype=np.float64)
        return self._idf

    def transform(self, texts: List[str]) -> sp.csr_matrix:
        """`TfidfVectorizer.transform`: counts, 1 + log, times idf, unit length."""
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize

        counts = CountVectorizer.transform(self.vectorizer, texts)  # float32, as sklearn's
        np.log(counts.data, counts.data)
        counts.data += 1
        weighted = counts.astype(np.float64)
        weighted.data *= self.idf_[weighted.indices]
        return normalize(weighted, norm="l2", copy=False)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """TF-IDF n-grams + static embeddings -> logistic regression (see the module doc)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "char_ngrams": [1, 5],
            "word_ngrams": [1, 2],
            "embedding_weight": 1.0,   # 0 turns the embeddings off
            "embedding_lowercase": False,  # embed "HELLO" and "Bonjour" as "hello", "bonjour"
            "C": 10.0,                 # inverse regularisation strength
            "temperature": 1.0,        # < 1 sharpens the probabilities
            "ranking_length": 10,
            "random_seed": 42,
            "embeddings_dir": None,    # default: rasa_addons.embeddings.DEFAULT_DIR
            "sentence_weight": 0.0,    # > 0 adds the sentence encoder's vector
            "sentence_dir": None,      # default: rasa_addons.sentence_encoder.DEFAULT_DIR
            "multilingual_weight": 0.0,  # > 0 adds the multilingual encoder's vector
            "multilingual_dir": None,  # default: rasa_addons.multilingual_encoder.DEFAULT_DIR
            "cascade_threshold": 0.0,  # > 0: the cheap model answers when this sure (module doc)
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "tokenizers"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classes: List[str] = []
        self.coef: Optional[np.ndarray] = None       # (n_classes, n_features)
        self.intercept: Optional[np.ndarray] = None  # (n_classes,)
        self.cheap_coef: Optional[np.ndarray] = None  # (n_classes, n_base_features): the cascade's
        self.cheap_intercept: Optional[np.ndarray] = None
        self.char = None
        self.word = None
        self.embedder: Optional[embeddings.StaticEmbedder] = None
        self.encoder: Optional[sentence_encoder.SentenceEncoder] = None
        self.multilingual: Optional[multilingual_encoder.MultilingualEncoder] = None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    # --- features -------------------------------------------------------------------
    @property
    def _uses_embeddings(self) -> bool:
        return float(self.config["embedding_weight"]) > 0

    @property
    def _uses_encoder(self) -> bool:
        return float(self.config["sentence_weight"]) > 0

    @property
    def _uses_multilingual(self) -> bool:
        return float(self.config["multilingual_weight"]) > 0

    @property
    def _uses_cascade(self) -> bool:
        return float(self.config["cascade_threshold"]) > 0 and (self._uses_encoder or self._uses_multilingual)

    def _base_features(self, texts: List[str]) -> sp.csr_matrix:
        """N-grams and token embeddings of normalised texts: cheap, a few milliseconds."""
        parts = [self.char.transform(texts), self.word.transform(texts)]
        if self._uses_embeddings:
            # the Llama tokenizer is case-sensitive: "Bonjour" and "HI" split into rarer pieces
            embedded = [t.lower() for t in texts] if self.config["embedding_lowercase"] else texts
            dense = self.embedder.embed(embedded) * float(self.config["embedding_weight"])
            parts.append(sp.csr_matrix(dense))
        return sp.hstack(parts, format="csr", dtype=np.float32)

    def _encoder_features(self, texts: List[str]) -> List[sp.csr_matrix]:
        """The sentence encoders' vectors of normalised texts: the costly part."""
        parts = []
        if self._uses_encoder:
            parts.append(sp.csr_matrix(self.encoder.embed(texts) * float(self.config["sentence_weight"])))
        if self._uses_multilingual:
            parts.append(sp.csr_matrix(self.multilingual.embed(texts) * float(self.config["multilingual_weight"])))
        return parts

    def _features(self, texts: List[str], base: Optional[sp.csr_matrix] = None) -> sp.csr_matrix:
        """The full model's row per normalised text (its base features given when known)."""
        base = self._base_features(texts) if base is None else base
        return sp.hstack([base, *self._encoder_features(texts)], format="csr", dtype=np.float32)

    # --- training -------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: %s not trained.", self.__class__.__name__)
            return self._resource
        texts = [e.get(TEXT) for e in examples]
        labels = [e.get(INTENT) for e in examples]
        if self._uses_embeddings:
            source = Path(self.config["embeddings_dir"] or embeddings.DEFAULT_DIR)
            self.embedder = embeddings.StaticEmbedder(source)
        encoder_source = Path(self.config["sentence_dir"] or sentence_encoder.DEFAULT_DIR)
        if self._uses_encoder:
            self.encoder = sentence_encoder.SentenceEncoder(encoder_source)
        multilingual_source = Path(self.config["multilingual_dir"] or multilingual_encoder.DEFAULT_DIR)
        if self._uses_multilingual:
            self.multilingual = multilingual_encoder.MultilingualEncoder(multilingual_source)
        self.fit(texts, labels)
        self.persist(source if self._uses_embeddings else None, encoder_source if self._uses_encoder else None,
                     multilingual_source if self._uses_multilingual else None)
        return self._resource

    def fit(self, texts: List[str], labels: List[str]) -> None:
        """The vectorizers and regressions (full, and cheap with a cascade) on these examples;
        the embedder and encoders are set before.

        Each regression keeps one core busy (sparse products): the cheap one is fitted in a
        second process while this one fits the full one (bench/README.md "Fifth round")."""
        from sklearn.base import clone
        from sklearn.linear_model import LogisticRegression

        texts = [text_normalizer.normalize(t) for t in texts]
        self.char = _Tfidf.make("char_wb", self.config["char_ngrams"]).fit(texts)
        self.word = _Tfidf.make("word", self.config["word_ngrams"]).fit(texts)
        regression = LogisticRegression(C=float(self.config["C"]), class_weight="balanced", max_iter=5000,
                                        random_state=int(self.config["random_seed"]))

        base = self._base_features(texts)
        features = self._features(texts, base)  # the encoders: both cores already (BLAS)
        with _SideProcess() as side:
            cheap = side.submit(clone(regression).fit, base, labels) if self._uses_cascade else None
            full = clone(regression).fit(features, labels)
            self.classes, self.coef, self.intercept = _fitted(full)
            self.cheap_coef = self.cheap_intercept = None
            if cheap is not None:
                _, self.cheap_coef, self.cheap_intercept = _fitted(side.result(cheap))

    def persist(self, embeddings_source: Optional[Path], encoder_source: Optional[Path],
                multilingual_source: Optional[Path] = None) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            model_dir = Path(model_dir)
            meta = {
                "classes": self.classes,
                "char_vocabulary": {k: int(v) for k, v in self.char.vocabulary_.items()},
                "word_vocabulary": {k: int(v) for k, v in self.word.vocabulary_.items()},
                "embeddings": embeddings.WORDLLAMA_VERSION if embeddings_source else None,
                "sentence_encoder": sentence_encoder.MODEL_NAME if encoder_source else None,
                "multilingual_encoder": multilingual_encoder.MODEL_NAME if multilingual_source else None,
            }
            (model_dir / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            np.save(model_dir / "char_idf.npy", self.char.idf_.astype(np.float64), allow_pickle=False)
            np.save(model_dir / "word_idf.npy", self.word.idf_.astype(np.float64), allow_pickle=False)
            np.save(model_dir / "coef.npy", self.coef, allow_pickle=False)
            np.save(model_dir / "intercept.npy", self.intercept, allow_pickle=False)
            if self.cheap_coef is not None:
                np.save(model_dir / "cheap_coef.npy", self.cheap_coef, allow_pickle=False)
                np.save(model_dir / "cheap_intercept.npy", self.cheap_intercept, allow_pickle=False)
            if embeddings_source:
                embeddings.copy_files(embeddings_source, model_dir / EMBEDDINGS_SUBDIR)
            if encoder_source:
                sentence_encoder.copy_files(encoder_source, model_dir / ENCODER_SUBDIR)
            if multilingual_source:
                multilingual_encoder.copy_files(multilingual_source, model_dir / MULTILINGUAL_SUBDIR)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                model_dir = Path(model_dir)
                meta = json.loads((model_dir / MODEL_FILE).read_text(encoding="utf-8"))
                load = lambda name: np.load(model_dir / name, allow_pickle=False)  # noqa: E731
                component.classes = list(meta["classes"])
                component.coef = _weights(load("coef.npy"))
                component.intercept = load("intercept.npy")
                if (model_dir / "cheap_coef.npy").exists():
                    component.cheap_coef = _weights(load("cheap_coef.npy"))
                    component.cheap_intercept = load("cheap_intercept.npy")
                elif component._uses_cascade:
                    raise ValueError("model trained without the cascade, config asks for it")
                component.char = _Tfidf.restore("char_wb", component.config["char_ngrams"],
                                                meta["char_vocabulary"], load("char_idf.npy"))
                component.word = _Tfidf.restore("word", component.config["word_ngrams"],
                                                meta["word_vocabulary"], load("word_idf.npy"))
                if meta.get("embeddings"):
                    component.embedder = embeddings.StaticEmbedder(model_dir / EMBEDDINGS_SUBDIR)
                elif component._uses_embeddings:
                    raise ValueError("model trained without embeddings, config asks for them")
                if meta.get("sentence_encoder"):
                    component.encoder = sentence_encoder.SentenceEncoder(model_dir / ENCODER_SUBDIR)
                elif component._uses_encoder:
                    raise ValueError("model trained without the sentence encoder, config asks for it")
                if meta.get("multilingual_encoder"):
                    component.multilingual = multilingual_encoder.MultilingualEncoder(
                        model_dir / MULTILINGUAL_SUBDIR)
                elif component._uses_multilingual:
                    raise ValueError("model trained without the multilingual encoder, config asks for it")
        except ValueError:
            logger.debug("%s: no trained model in resource %s.", cls.__name__, resource.name)
        return component

    # --- inference ------------------------------------------------------------------
    def _probabilities(self, features: sp.csr_matrix, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
        logits = features @ coef.T + intercept
        return _softmax(np.asarray(logits) / float(self.config["temperature"]))

    def predict_proba(self, texts: List[str]) -> np.ndarray:
        """Each text's probability per class: the cheap model's where it is sure, else the full one's."""
        texts = [text_normalizer.normalize(t) for t in texts]
        base = self._base_features(texts)
        if self.cheap_coef is None or not self._uses_cascade:
            return self._probabilities(self._features(texts, base), self.coef, self.intercept)
        out = self._probabilities(base, self.cheap_coef, self.cheap_intercept)
        unsure = np.flatnonzero(out.max(axis=1) < float(self.config["cascade_threshold"]))
        if len(unsure):
            rows = [texts[i] for i in unsure]
            out[unsure] = self._probabilities(self._features(rows, base[unsure]), self.coef, self.intercept)
        return out

    def cascade_parts(self, texts: List[str]):
        """(cheap, full) probabilities of every text: what the cascade chooses between (bench)."""
        texts = [text_normalizer.normalize(t) for t in texts]
        base = self._base_features(texts)
        return (self._probabilities(base, self.cheap_coef, self.cheap_intercept),
                self._probabilities(self._features(texts, base), self.coef, self.intercept))

    def process(self, messages: List[Message]) -> List[Message]:
        if self.coef is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        with _blas_controller().limit(limits=1, user_api="blas"):
            probabilities = self.predict_proba(texts)
        length = int(self.config["ranking_length"])
        for message, text, row in zip(messages, texts, probabilities):
            if not text.strip():  # blanked by MessageLengthGuard, or empty
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            order = np.argsort(-row)
            ranking = [{"name": self.classes[i], "confidence": float(row[i])} for i in order]
            if length > 0:
                ranking = ranking[:length]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
