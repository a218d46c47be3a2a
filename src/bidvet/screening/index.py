"""The candidate index: which stored names are worth scoring against a query.

Every name is cut into features:

* the character trigrams of its core (padded with spaces), coded as integers over a 37-letter
  alphabet;
* the words of its whole folded name (legal-form words included, so they get an IDF: a low one);
* the *deletion neighbours* of each core word of at least five letters: the word itself and the
  word with any one letter deleted. Two words one typo apart (substitution, insertion, deletion
  or adjacent swap) always share one of these, and they are rare, so a typo'd query still pins
  its name down (the idea of SymSpell). A query reads them only for its words the index does
  not know (a typo'd word is usually not a stored word).

Word and deletion features are hashed to 62-bit codes (CRC-32 and Adler-32 of the text), so the
index needs no vocabulary; codes are kept sorted and looked up by binary search. A feature's
weight is its inverse document frequency (IDF). The index is a ``features × names`` sparse matrix
(scipy CSR), so a feature's postings are one contiguous slice.

A query reads its features **rarest first** and stops once ``posting_budget`` postings have been
read (after at least ``min_features``). Rare features pin a name down; common ones ("ing", "ltd",
"trading") would cost much to read and decide little. Names are ranked by the share of the
read IDF weight they have, ties broken by how close their total weight is to the query's
(:meth:`NameIndex._top`), and the best ``candidates`` go on to rescoring.

The postings are held once: the CSR ``indptr`` and ``indices`` (32-bit name rows), with no value
array (every stored value would be 1); the matrix of ones that the batch product needs is made on
first use only (:attr:`NameIndex.postings`). The arrays are saved with :meth:`NameIndex.save` as
``.npy`` files in a folder and read back memory-mapped, so a process that answers one query reads
only the pages it touches, and the index is built once per store fingerprint.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import scipy.sparse as sp

ALPHABET = 37  # space, a-z, 0-9
N_TRIGRAMS = ALPHABET**3
#: core words at least this long also index their one-deletion neighbours
DELETION_MIN = 5

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _char_table() -> npt.NDArray[np.int64]:
    table = np.zeros(256, dtype=np.int64)
    for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz0123456789", start=1):
        table[ord(ch)] = i
    return table


def trigram_codes(core: str) -> list[int]:
    """Integer codes of the trigrams of ``" core "`` (characters outside a-z0-9 count as space)."""
    padded = f" {core} "
    codes = [0] * len(padded)
    for i, ch in enumerate(padded):
        o = ord(ch)
        if 97 <= o <= 122:
            codes[i] = o - 96
        elif 48 <= o <= 57:
            codes[i] = o - 48 + 27
    return sorted(
        {
            codes[i] * ALPHABET * ALPHABET + codes[i + 1] * ALPHABET + codes[i + 2]
            for i in range(len(codes) - 2)
        }
    )


def hash_code(text: str) -> int:
    """A stable 62-bit code for a word or deletion feature, above the trigram codes."""
    data = text.encode("utf-8")
    return ((zlib.crc32(data) << 30) ^ zlib.adler32(data)) + N_TRIGRAMS


def core_code(core: str) -> int:
    """The code of a whole core, for finding names typed exactly as stored."""
    return hash_code("c:" + core)


def word_code(word: str) -> int:
    return hash_code("w:" + word)


def deletion_codes(word: str) -> Iterator[int]:
    """The word and each one-letter deletion of it, as feature codes."""
    yield hash_code("d:" + word)
    for i in range(len(word)):
        yield hash_code("d:" + word[:i] + word[i + 1 :])


def hashed_features(core: str, folded: str) -> set[int]:
    """Word and deletion-neighbour feature codes of one stored name."""
    codes = {word_code(w) for w in folded.split()}
    for word in core.split():
        if len(word) >= DELETION_MIN:
            codes.update(deletion_codes(word))
    return codes


@dataclass(frozen=True, slots=True)
class Candidates:
    """Name rows (positions in the index) and their index scores, best first."""

    rows: IntArray
    scores: FloatArray


class NameIndex:
    """Sparse feature index over name cores; see the module docstring."""

    def __init__(
        self,
        indptr: IntArray,
        indices: npt.NDArray[np.int32],
        codes: IntArray,
        name_norm: FloatArray,
        exact_codes: IntArray | None = None,
        exact_rows: npt.NDArray[np.int32] | None = None,
    ) -> None:
        # features × names, CSR without values: row i (feature code codes[i]) has the names
        # indices[indptr[i]:indptr[i + 1]]
        self.indptr = indptr
        self.indices = indices
        self.codes = codes  # sorted feature codes
        self.name_norm = name_norm
        self.df: IntArray = np.diff(indptr)
        n = max(len(name_norm), 1)
        self.idf: FloatArray = np.log((n + 1.0) / (self.df + 1.0)) + 1.0
        # each name's core as a code, sorted, with its row: names typed exactly as stored
        if exact_codes is None or exact_rows is None:
            exact_codes, exact_rows = np.empty(0, np.int64), np.empty(0, np.int32)
        self.exact_codes = exact_codes
        self.exact_rows = exact_rows
        self._matrix: sp.csr_matrix | None = None
        self._word_idf: dict[str, float] = {}

    @property
    def postings(self) -> sp.csr_matrix:
        """The postings as a ``features × names`` matrix of ones (made on first use)."""
        if self._matrix is None:
            import scipy.sparse as sp  # only batches need it: a single query does not load it

            self._matrix = sp.csr_matrix(
                (np.ones(len(self.indices), dtype=np.float64), self.indices, self.indptr),
                shape=(len(self.codes), len(self.name_norm)),
                copy=False,
            )
        return self._matrix

    @property
    def size(self) -> int:
        return len(self.name_norm)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, cores: Sequence[str], folded: Sequence[str] | None = None) -> NameIndex:
        """Index names: ``cores[i]`` and ``folded[i]`` (default the core) are row ``i``."""
        folded = cores if folded is None else folded
        n = len(cores)
        tri_codes, tri_rows = _trigram_postings(cores)
        h_codes, h_rows = _hashed_postings(cores, folded)
        all_codes = np.concatenate([tri_codes, h_codes])
        rows = np.concatenate([tri_rows, h_rows])
        del tri_codes, tri_rows, h_codes, h_rows
        # sort by feature, then name (rows were made in name order and the sort is stable)
        order = np.argsort(all_codes, kind="stable")
        all_codes = all_codes[order]
        rows = rows[order]
        del order
        # a name has a trigram once however often it occurs in it
        keep = np.ones(len(rows), dtype=bool)
        keep[1:] = (all_codes[1:] != all_codes[:-1]) | (rows[1:] != rows[:-1])
        all_codes = all_codes[keep]
        indices = rows[keep].astype(np.int32)
        del rows, keep
        first = np.ones(len(all_codes), dtype=bool)
        first[1:] = all_codes[1:] != all_codes[:-1]
        starts = np.flatnonzero(first)
        codes = all_codes[starts]
        del all_codes, first
        indptr = np.append(starts, len(indices)).astype(np.int64)
        df = np.diff(indptr)
        idf = np.log((max(n, 1) + 1.0) / (df + 1.0)) + 1.0
        norm = np.bincount(indices, weights=np.repeat(idf, df), minlength=n)
        core_codes = np.fromiter((core_code(c) for c in cores), dtype=np.int64, count=n)
        by_code = np.argsort(core_codes, kind="stable")
        return cls(
            indptr,
            indices,
            codes.astype(np.int64),
            norm.astype(np.float64),
            core_codes[by_code],
            by_code.astype(np.int32),
        )

    # -- querying -------------------------------------------------------------------------

    def _rows_of(self, codes: IntArray) -> IntArray:
        """Feature rows of the codes the index knows (unknown codes are dropped)."""
        if len(codes) == 0 or len(self.codes) == 0:
            return np.empty(0, np.int64)
        pos = np.searchsorted(self.codes, codes)
        pos[pos == len(self.codes)] = 0
        return np.asarray(pos[self.codes[pos] == codes], dtype=np.int64)

    def features(
        self, core: str, folded: str | None = None, *, all_deletions: bool = False
    ) -> IntArray:
        """Feature rows of a query in the index.

        Trigrams of the core and words of the folded name; deletion neighbours only for core
        words the index does not know as words (a word spelt as in some stored name needs no
        typo search, and reading its neighbours would spend the budget on one word), or, with
        ``all_deletions``, for every core word of :data:`DELETION_MIN` letters or more too (a
        stored name may carry the typo).
        """
        codes = trigram_codes(core)
        # sorted, so features of equal frequency are read in the same order in every process
        codes.extend(word_code(w) for w in sorted(set((folded or core).split())))
        for word in sorted(set(core.split())):
            if (len(word) >= DELETION_MIN - 1 and not self._knows(word_code(word))) or (
                all_deletions and len(word) >= DELETION_MIN
            ):
                codes.extend(deletion_codes(word))
        return self._rows_of(np.asarray(codes, dtype=np.int64))

    def exact_candidates(self, core: str) -> list[int]:
        """Rows whose core has the code of ``core``, ascending (the caller checks the text: two
        cores may share a code)."""
        code = core_code(core)
        lo = int(np.searchsorted(self.exact_codes, code, side="left"))
        hi = int(np.searchsorted(self.exact_codes, code, side="right"))
        return [int(r) for r in self.exact_rows[lo:hi]]

    def _knows(self, code: int) -> bool:
        pos = int(np.searchsorted(self.codes, code))
        return pos < len(self.codes) and int(self.codes[pos]) == code

    def word_idf(self, word: str) -> float:
        """IDF of a word (unknown words are as rare as can be); remembered once looked up."""
        cached = self._word_idf.get(word)
        if cached is not None:
            return cached
        rows = self._rows_of(np.asarray([word_code(word)], dtype=np.int64))
        value = float(self.idf[rows[0]]) if len(rows) else float(np.log(self.size + 1.0) + 1.0)
        self._word_idf[word] = value
        return value

    def _select(self, feats: IntArray, budget: int, min_features: int) -> IntArray:
        """The query's features rarest first, cut at the posting budget."""
        order = np.argsort(self.df[feats], kind="stable")
        ordered = feats[order]
        cum = np.cumsum(self.df[ordered])
        keep = max(int(np.searchsorted(cum, budget, side="right")), min(min_features, len(ordered)))
        return ordered[:keep]

    def candidates(
        self,
        core: str,
        folded: str | None = None,
        *,
        limit: int,
        budget: int,
        min_features: int,
        all_deletions: bool = False,
    ) -> Candidates:
        """The ``limit`` best names for one query (its core and its whole folded name)."""
        feats = self.features(core, folded, all_deletions=all_deletions)
        if len(feats) == 0:
            return Candidates(np.empty(0, np.int64), np.empty(0, np.float64))
        qnorm = float(self.idf[feats].sum())
        chosen = self._select(feats, budget, min_features)
        qsel = float(self.idf[chosen].sum())
        starts, ends = self.indptr[chosen], self.indptr[chosen + 1]
        rows = np.concatenate([self.indices[s:e] for s, e in zip(starts, ends, strict=True)])
        weights = np.repeat(self.idf[chosen], ends - starts)
        uniq, inverse = np.unique(rows, return_inverse=True)
        shared = np.bincount(inverse, weights=weights).astype(np.float64)
        return self._top(uniq.astype(np.int64), shared, qsel, qnorm, limit)

    def _top(
        self, rows: IntArray, shared: FloatArray, qsel: float, qnorm: float, limit: int
    ) -> Candidates:
        """Rank names by the share of the features read that they have, then by length.

        Only the rarest features were read, so a name's total weight cannot be compared with
        what it shares; the share of the read weight ranks first, and the closeness of the two
        names' total weights (at most 0.1) breaks ties between names that have all of it.
        """
        norms = self.name_norm[rows]
        scores = shared / qsel + 0.1 * np.minimum(norms, qnorm) / np.maximum(norms, qnorm)
        if len(scores) > limit:
            part = np.argpartition(-scores, limit - 1)[:limit]
            rows, scores = rows[part], scores[part]
        order = np.lexsort((rows, -scores))  # best first, ties by row: deterministic
        return Candidates(rows[order], scores[order])

    def candidates_many(
        self,
        cores: Sequence[str],
        folded: Sequence[str] | None = None,
        *,
        limit: int,
        budget: int,
        min_features: int,
        all_deletions: bool = False,
    ) -> list[Candidates]:
        """Candidates for many queries at once: one sparse matrix product."""
        folded = cores if folded is None else folded
        q_rows: list[IntArray] = []
        q_cols: list[IntArray] = []
        q_vals: list[FloatArray] = []
        qnorms = np.zeros(len(cores))
        qsels = np.ones(len(cores))
        for i, core in enumerate(cores):
            feats = self.features(core, folded[i], all_deletions=all_deletions)
            if len(feats) == 0:
                continue
            qnorms[i] = self.idf[feats].sum()
            chosen = self._select(feats, budget, min_features)
            qsels[i] = self.idf[chosen].sum()
            q_rows.append(np.full(len(chosen), i, dtype=np.int64))
            q_cols.append(chosen)
            q_vals.append(self.idf[chosen])
        empty = Candidates(np.empty(0, np.int64), np.empty(0, np.float64))
        if not q_rows:
            return [empty for _ in cores]
        counts = np.zeros(len(cores) + 1, dtype=np.int64)
        for r in q_rows:
            counts[r[0] + 1] = len(r)
        postings = self.postings
        # the query matrix on the postings' index type, so the product never converts them
        itype = postings.indices.dtype
        import scipy.sparse as sp

        query = sp.csr_matrix(
            (
                np.concatenate(q_vals),
                np.concatenate(q_cols).astype(itype),
                np.cumsum(counts).astype(postings.indptr.dtype),
            ),
            shape=(len(cores), postings.shape[0]),
        )
        shared = (query @ postings).tocsr()
        out: list[Candidates] = []
        for i in range(len(cores)):
            s, e = shared.indptr[i], shared.indptr[i + 1]
            if s == e:
                out.append(empty)
                continue
            rows = shared.indices[s:e].astype(np.int64)
            data = shared.data[s:e].astype(np.float64)
            out.append(self._top(rows, data, qsels[i], qnorms[i], limit))
        return out

    # -- persistence ----------------------------------------------------------------------

    _ARRAYS = ("indptr", "indices", "codes", "name_norm", "exact_codes", "exact_rows")

    def save(self, path: Path) -> None:
        """Write the index arrays to the folder ``path`` (one ``.npy`` file each)."""
        path.mkdir(parents=True, exist_ok=True)
        for name in self._ARRAYS:
            np.save(path / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> NameIndex:
        """Read an index written by :meth:`save`, memory-mapped."""
        arrays = {
            name: np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in cls._ARRAYS
        }
        indptr, indices = arrays["indptr"], arrays["indices"]
        n_names, n_codes = len(arrays["name_norm"]), len(arrays["codes"])
        if len(indptr) != n_codes + 1 or (len(indptr) and int(indptr[-1]) != len(indices)):
            raise ValueError(f"{path}: postings do not match the feature codes")
        if len(arrays["exact_rows"]) != n_names or len(arrays["exact_codes"]) != n_names:
            raise ValueError(f"{path}: {n_names} names but not as many exact-name codes")
        return cls(
            indptr,
            indices,
            arrays["codes"],
            arrays["name_norm"],
            arrays["exact_codes"],
            arrays["exact_rows"],
        )


def _hashed_postings(cores: Sequence[str], folded: Sequence[str]) -> tuple[IntArray, IntArray]:
    """(word or deletion code, name row) pairs; each distinct word is hashed once."""
    words: dict[str, tuple[int, ...]] = {}
    deletions: dict[str, tuple[int, ...]] = {}
    h_codes = array("q")  # machine integers: a million names give tens of millions
    counts = array("q")
    for core, text in zip(cores, folded, strict=True):
        feats: set[int] = set()
        for w in text.split():
            got = words.get(w)
            if got is None:
                got = words[w] = (word_code(w),)
            feats.update(got)
        for w in core.split():
            if len(w) >= DELETION_MIN:
                got = deletions.get(w)
                if got is None:
                    got = deletions[w] = tuple(deletion_codes(w))
                feats.update(got)
        h_codes.extend(feats)
        counts.append(len(feats))
    rows = np.repeat(np.arange(len(cores), dtype=np.int64), np.frombuffer(counts, dtype=np.int64))
    return np.frombuffer(h_codes, dtype=np.int64).copy(), rows


def _trigram_postings(cores: Sequence[str]) -> tuple[IntArray, IntArray]:
    """(trigram code, name row) pairs for every trigram of every core, computed in numpy."""
    if not cores:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    padded = [f" {c} " for c in cores]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    text = "".join(padded).encode("ascii", "replace")
    chars = _char_table()[np.frombuffer(text, dtype=np.uint8)]
    owner = np.repeat(np.arange(len(cores), dtype=np.int64), lengths)
    if len(chars) < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = chars[:-2] * ALPHABET * ALPHABET + chars[1:-1] * ALPHABET + chars[2:]
    valid = owner[:-2] == owner[2:]
    return codes[valid], owner[:-2][valid]
