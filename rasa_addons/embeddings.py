"""Pretrained static token embeddings for NLU, without a model hub or a network.

The vectors are wordllama's `l2_supercat` (256 dimensions over the Llama 2 tokenizer's
32,000 tokens, 16 MB): two data files shipped inside the `wordllama` wheel on PyPI.
`scripts/setup.sh` downloads that wheel (pinned version and sha256) and extracts the two
files into `.venvs/embeddings/`; nothing is fetched at run time. wordllama itself is not
installed (it needs numpy 2 and pydantic 2, which Rasa 3.6 cannot have): the embedding is
reproduced here with numpy (rasa_addons/mapped_weights.py maps the file) and `tokenizers`,
as wordllama's `embed(texts, norm=True)` computes it: the mean of the message's token
vectors (no special tokens), scaled to unit length.

Licences: wordllama's code is MIT; the vectors derive from Llama 2, so the Llama 2
Community License applies to them (README.md, "Licences").
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, List

import numpy as np

from rasa_addons import mapped_weights
from rasa_addons.pinned_files import PinnedFiles

WORDLLAMA_VERSION = "0.4.0.post1"
WEIGHTS_FILE = "l2_supercat_256.safetensors"
TOKENIZER_FILE = "l2_supercat_tokenizer_config.json"
# sha256 of the two files as the pinned wheel ships them (checked on every load).
SHA256 = {
    WEIGHTS_FILE: "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    TOKENIZER_FILE: "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
}
ROOT = Path(__file__).resolve().parents[1]
# Where scripts/setup.sh puts the files.
DEFAULT_DIR = ROOT / ".venvs" / "embeddings" / f"wordllama-{WORDLLAMA_VERSION}"


class EmbeddingsMissing(RuntimeError):
    pass


FILES = PinnedFiles(SHA256, wheel=f"wordllama=={WORDLLAMA_VERSION}", what="the embeddings", missing=EmbeddingsMissing)
check_files = FILES.check
copy_files = FILES.copy


class StaticEmbedder:
    """Text -> unit-length mean of its token vectors (float32, 256 dimensions)."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        directory = Path(directory)
        check_files(directory)
        # float16 as shipped (16 MB), memory-mapped (rasa_addons/mapped_weights.py): only the
        # rows of tokens that messages use become resident; they are widened to float32 per message.
        self.vectors = mapped_weights.load(directory / WEIGHTS_FILE)["embedding.weight"]
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.dimension = int(self.vectors.shape[1])

    def embed(self, texts: Iterable[str]) -> np.ndarray:
        texts = [t or "" for t in texts]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        last = self.vectors.shape[0] - 1
        for i, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids: List[int] = encoding.ids
            if not ids:
                continue
            mean = self.vectors[np.clip(ids, 0, last)].astype(np.float32).mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 0:
                out[i] = mean / norm
        return out
