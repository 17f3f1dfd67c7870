"""MinHash signatures and LSH band keys of an article body: the near-duplicate test.

Two copies of one wire story differ by a dropped or reworded sentence, a
new headline, a local paragraph; two different stories of one section share
at most boilerplate and a sentence or two of background. Word 5-gram
shingles of the normalised body tell them apart: copies share most shingles,
different stories almost none. MinHash (datasketch) estimates that share,
the Jaccard similarity, from 128 numbers per article; LSH bands of those
numbers find the few stored stories worth comparing without scanning them.

Everything here is pure: signatures are bytes, band keys signed 64-bit ints
(they fit a BIGINT column), so the store can keep both.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.dedupe.fingerprint import normalise

NUM_PERM = 128
SHINGLE_WORDS = 5
# Copies join a cluster at this estimated Jaccard similarity to its
# representative. Chosen by measurement on the labelled set in
# tests/dedupe/corpus.py (`python bench/dedupe.py --quality`, table in the
# README): the lowest threshold with precision 1.0 on every seed tried.
THRESHOLD = 0.25
# Bands are tuned (datasketch's optimiser) for a slightly lower threshold,
# so that a copy just above THRESHOLD still shares a band with its cluster.
_LSH = MinHashLSH(threshold=THRESHOLD - 0.05, num_perm=NUM_PERM)
BANDS, ROWS = _LSH.b, _LSH.r
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """The distinct word 5-grams of the normalised, lower-cased text (the whole text if shorter)."""
    words = _WORD.findall(normalise(text).lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> bytes:
    """The MinHash of the text's shingles, as 128 little-endian uint32 (512 bytes)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_TEMPLATE.permutations)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


def band_keys(sig: bytes) -> list[int]:
    """One key per LSH band: texts sharing any key are candidates for comparison."""
    keys = []
    width = ROWS * 4
    for band in range(BANDS):
        chunk = band.to_bytes(2, "big") + sig[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
