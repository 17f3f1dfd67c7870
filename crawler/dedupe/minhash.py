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

import functools
import hashlib
import re

import numpy as np

from crawler.dedupe.fingerprint import normalise

NUM_PERM = 128
SHINGLE_WORDS = 5
# Copies join a cluster at this estimated Jaccard similarity to its
# representative. Chosen by measurement on the labelled set in
# tests/dedupe/corpus.py (`python bench/dedupe.py --quality`, table in the
# README): the lowest threshold with precision 1.0 on every seed tried.
THRESHOLD = 0.25
# Bands are tuned for a slightly lower threshold, so that a copy just above
# THRESHOLD still shares a band with its cluster: these are what datasketch's
# optimiser, MinHashLSH(threshold=THRESHOLD - 0.05, num_perm=NUM_PERM), picks
# (a test holds them to it). Written out so that the processes that only
# compare signatures (the crawl's reactor, its store writer) never import
# datasketch, nor the SciPy its optimiser loads: 0.4 s and 35 MB per process.
BANDS, ROWS = 28, 2
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


@functools.cache
def _minhash_class() -> type:
    """datasketch's MinHash, imported on first use (see BANDS); extraction workers preload it."""
    from datasketch import MinHash

    return MinHash


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    return _minhash_class()(num_perm=NUM_PERM, seed=1).permutations


def signature(text: str) -> bytes:
    """The MinHash of the text's shingles, as 128 little-endian uint32 (512 bytes)."""
    minhash = _minhash_class()(num_perm=NUM_PERM, seed=1, permutations=_permutations())
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
