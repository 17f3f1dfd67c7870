"""MinHash signatures, similarity, band keys and the closest-representative rule, on strings."""

from datasketch import MinHashLSH

from crawler.dedupe.clusters import closest
from crawler.dedupe.minhash import (
    BANDS,
    NUM_PERM,
    ROWS,
    THRESHOLD,
    band_keys,
    shingles,
    signature,
    similarity,
)
from crawler.store.clusters import ClusterSignature

STORY = (
    "The port authority approved a new container terminal on Monday, citing rising demand.\n"
    "The terminal will handle two million boxes a year once complete, officials said.\n"
    "Environmental groups said they would challenge the decision in court."
)


def test_shingles_are_normalised_word_five_grams() -> None:
    assert shingles("One two three four five six") == {
        b"one two three four five",
        b"two three four five six",
    }
    assert shingles("“Short” text") == {b"short text"}
    assert shingles("") == set()
    assert shingles("A\u00a0B  c d E") == shingles("a b c d e")


def test_signatures_are_deterministic_and_compare() -> None:
    assert signature(STORY) == signature(STORY)
    assert len(signature(STORY)) == 512
    assert similarity(signature(STORY), signature(STORY)) == 1.0
    edited = STORY.replace("on Monday", "on Tuesday") + "\nThe vote was seven to two."
    assert THRESHOLD < similarity(signature(STORY), signature(edited)) < 1.0
    other = (
        "A local bakery won the regional bread prize for the third year running, its owner said."
    )
    assert similarity(signature(STORY), signature(other)) < 0.1


def test_band_keys_are_64_bit_and_shared_by_near_copies() -> None:
    keys = band_keys(signature(STORY))
    assert len(keys) == BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    near = band_keys(signature(STORY.replace("Monday", "Tuesday")))
    assert set(keys) & set(near)


def test_closest_picks_the_most_similar_representative_above_the_threshold() -> None:
    sig = signature(STORY)
    far = ClusterSignature(
        "far", signature("Completely different words about gardening and roses in June.")
    )
    near = ClusterSignature("near", signature(STORY + "\nOne more line."))
    same = ClusterSignature("same", sig)
    assert closest(sig, [far, near, same]) == "same"
    assert closest(sig, [far, near]) == "near"
    assert closest(sig, [far]) is None
    assert closest(sig, []) is None


def test_the_bands_are_what_datasketch_picks_for_the_threshold() -> None:
    lsh = MinHashLSH(threshold=THRESHOLD - 0.05, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
