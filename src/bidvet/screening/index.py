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
(:meth:`NameIndex._top`), and the best ``candidates`` go on to rescoring, followed by every
name that contains a word of the query that at most ``candidates`` stored names contain
(:meth:`NameIndex.rare_word_rows`): a rare word shared is kept whatever the ranking
(``CDM Inzhiniring`` against ``CDM Engineering``, when the names sharing ``inzhiniring`` hold
more of the query).

The postings are held once: the CSR ``indptr`` and ``indices`` (32-bit name rows), with no value
array (every stored value would be 1); the matrix of ones that the batch product needs is made on
first use only (:attr:`NameIndex.postings`). The arrays are saved with :meth:`NameIndex.save` as
``.npy`` files in a folder and read back memory-mapped, so a process that answers one query reads
only the pages it touches, and the index is built once per store fingerprint.

Building runs in numpy, not name by name (:meth:`NameIndex.build`): the trigrams of all cores at
once; CRC-32 and Adler-32 of every word, and of every deletion neighbour of each distinct long
core word, one byte of all texts per step (:func:`_zlib_codes`, the same codes as
:func:`hash_code`, which a query uses); the distinct codes ranked by one sort; and the (feature,
name) pairs turned into the CSR matrix by scipy's counting sort. Names outside ASCII take a
slower path with the same result. A million synthetic names build in about half the CPU time the
name-by-name build took.

After a load that only adds names, :meth:`NameIndex.extend` makes the same arrays from the
previous index and the added names alone: their postings are merged into the previous ones, and
the IDF and name weights, which every added name changes, are computed again over all postings.
"""

from __future__ import annotations

import gc
import itertools
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import scipy.sparse as sp

ALPHABET = 37  # space, a-z, 0-9
N_TRIGRAMS = ALPHABET**3
#: core words at least this long also index their one-deletion neighbours
DELETION_MIN = 5
#: a batch of fewer queries than this, before the postings matrix exists, is read one query
#: at a time (:meth:`NameIndex.candidates_many`)
SMALL_BATCH = 256

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: building a catalog or an index makes millions of
    small objects that are all kept, and collecting while they pile up scans them again and
    again (a million names took twice as long per name as 100,000)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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


# -- the same codes for many texts at once, in numpy ----------------------------------------------


def _crc_table() -> npt.NDArray[np.uint32]:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1)
    return table.astype(np.uint32)


_CRC = _crc_table()
_ADLER = 65521


def _zlib_codes(
    buf: npt.NDArray[np.uint8], start: IntArray, length: IntArray, skip: IntArray, prefix: str
) -> IntArray:
    """:func:`hash_code` of ``prefix`` + each text, the texts read from ``buf``: text ``t`` is
    ``buf[start[t]:start[t] + length[t]]`` without the byte at offset ``skip[t]`` (none when
    negative). CRC-32 and Adler-32 as zlib computes them, one byte of every text per step; the
    texts are split between two threads (numpy lets go of the interpreter lock meanwhile)."""
    n = len(start)
    if n < 200_000:
        return _zlib_part(buf, start, length, skip, prefix)
    from concurrent.futures import ThreadPoolExecutor

    half = n // 2
    parts = [slice(0, half), slice(half, n)]
    with ThreadPoolExecutor(2) as pool:
        done = list(
            pool.map(lambda p: _zlib_part(buf, start[p], length[p], skip[p], prefix), parts)
        )
    return np.concatenate(done)


def _zlib_part(
    buf: npt.NDArray[np.uint8], start: IntArray, length: IntArray, skip: IntArray, prefix: str
) -> IntArray:
    head = prefix.encode()
    state = zlib.crc32(head) ^ 0xFFFFFFFF
    a0, b0 = 1 + sum(head), sum(1 + sum(head[: k + 1]) for k in range(len(head)))
    n = len(start)
    out_len = length - (skip >= 0)
    # longest first, so the texts still being read at step k are a prefix of this order
    short = n == 0 or int(out_len.max()) < 2**15  # 16-bit keys sort by radix: much faster
    keys: npt.NDArray[np.signedinteger[Any]] = out_len.astype(np.int16 if short else np.int64)
    order = np.argsort(np.negative(keys), kind="stable")
    by_len = out_len[order]
    small = len(buf) < 2**31 - 64  # 32-bit offsets halve what each step moves
    itype = np.int32 if small else np.int64
    ptr: npt.NDArray[np.signedinteger[Any]] = start[order].astype(itype)
    cut: npt.NDArray[np.signedinteger[Any]] = np.where(
        skip[order] < 0, np.iinfo(itype).max, skip[order]
    ).astype(itype)
    deletes = bool(np.any(skip >= 0))
    steps = int(by_len[0]) if n else 0
    alive = np.searchsorted(-by_len, -np.arange(steps), side="left")
    crc = np.full(n, state, dtype=np.uint32)
    a = np.full(n, a0, dtype=np.int32)
    b = np.full(n, b0, dtype=np.int32)
    low = np.uint32(0xFF)
    for k in range(steps):
        m = int(alive[k])
        at = ptr[:m] + k
        if deletes:
            np.add(at, cut[:m] <= k, out=at)
        byte = buf.take(at)
        c = crc[:m]
        t = np.bitwise_xor(c, byte, dtype=np.uint32)
        np.bitwise_and(t, low, out=t)
        np.right_shift(c, 8, out=c)
        np.bitwise_xor(c, _CRC.take(t), out=c)
        a[:m] += byte
        b[:m] += a[:m]
        if k % 256 == 255:  # as zlib does, so that long texts do not overflow 32 bits
            np.remainder(a[:m], _ADLER, out=a[:m])
            np.remainder(b[:m], _ADLER, out=b[:m])
    crc ^= np.uint32(0xFFFFFFFF)
    adler = ((b.astype(np.int64) % _ADLER) << 16) | (a.astype(np.int64) % _ADLER)
    codes = np.empty(n, dtype=np.int64)
    codes[order] = ((crc.astype(np.int64) << 30) ^ adler) + N_TRIGRAMS
    return codes


def _as_buffer(
    texts: Sequence[str], joined: str | None = None
) -> tuple[npt.NDArray[np.uint8], IntArray, IntArray]:
    """ASCII texts run together as bytes, with their starts and lengths (``joined``: the
    texts run together, when the caller has it already)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    start = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=start[1:])
    text = "".join(texts) if joined is None else joined
    return np.frombuffer(text.encode("ascii"), dtype=np.uint8), start, lengths


def codes_many(texts: Sequence[str], prefix: str) -> IntArray:
    """:func:`hash_code` of ``prefix`` + each text (ASCII texts in numpy, others one by one)."""
    joined = "".join(texts)
    if joined.isascii():  # the usual case: no text to pick out
        buf, start, lengths = _as_buffer(texts, joined)
        return _zlib_codes(buf, start, lengths, np.full(len(texts), -1, dtype=np.int64), prefix)
    ascii_rows = [i for i, t in enumerate(texts) if t.isascii()]
    codes = np.empty(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        if not t.isascii():
            codes[i] = hash_code(prefix + t)
    if ascii_rows:
        buf, start, lengths = _as_buffer([texts[i] for i in ascii_rows])
        skip = np.full(len(ascii_rows), -1, dtype=np.int64)
        codes[ascii_rows] = _zlib_codes(buf, start, lengths, skip, prefix)
    return codes


def _deletions_many(words: Sequence[str]) -> tuple[IntArray, IntArray]:
    """:func:`deletion_codes` of each word, run together, and where each word's codes start
    (``ptr[w]:ptr[w + 1]``); ASCII words in numpy (a letter is then a byte), others one by one."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ptr = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=ptr[1:])
    codes = np.empty(int(ptr[-1]), dtype=np.int64)
    is_ascii = np.fromiter((w.isascii() for w in words), dtype=bool, count=len(words))
    for w in np.flatnonzero(~is_ascii).tolist():
        codes[ptr[w] : ptr[w + 1]] = list(deletion_codes(words[w]))
    rows = np.flatnonzero(is_ascii)
    if len(rows):
        buf, start, _ = _as_buffer([words[w] for w in rows.tolist()])
        n = lengths[rows]
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), n + 1)
        # code j of a word: 0 is the whole word, j > 0 deletes letter j - 1
        first = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(n[:-1] + 1, out=first[1:])
        j = np.arange(len(owner), dtype=np.int64) - first[owner]
        where = ptr[rows][owner] + j
        codes[where] = _zlib_codes(buf, start[owner], n[owner], j - 1, "d:")
    return codes, ptr


def _no_rows() -> IntArray:
    return np.empty(0, np.int64)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Name rows (positions in the index) and their index scores, best first; ``rare``: the
    rows among them kept only for sharing a rare word of the query
    (:meth:`NameIndex.rare_word_rows`), which the matcher scores whatever their rank."""

    rows: IntArray
    scores: FloatArray
    rare: IntArray = field(default_factory=_no_rows)


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

    # Feature weights are read for the features a query has, not made for every feature when
    # the index is read (the official lists' whole arrays took about 7 ms of a process that
    # screens one name).
    def df_of(self, feats: IntArray) -> IntArray:
        """How many names have each feature of ``feats`` (rows of the index)."""
        found: IntArray = self.indptr[feats + 1] - self.indptr[feats]
        return found

    def idf_of(self, feats: IntArray) -> FloatArray:
        """The inverse document frequency of each feature of ``feats`` (:func:`_idf`)."""
        return _idf(self.size, self.df_of(feats))

    @property
    def df(self) -> IntArray:
        """How many names have each feature, for every feature."""
        found: IntArray = np.diff(self.indptr)
        return found

    @property
    def idf(self) -> FloatArray:
        """The inverse document frequency of every feature."""
        return _idf(self.size, self.df)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, cores: Sequence[str], folded: Sequence[str] | None = None) -> NameIndex:
        """Index names: ``cores[i]`` and ``folded[i]`` (default the core) are row ``i``."""
        with paused_gc():
            return cls._build(cores, cores if folded is None else folded)

    @classmethod
    def _build(cls, cores: Sequence[str], folded: Sequence[str]) -> NameIndex:
        n = len(cores)
        import scipy.sparse as sp  # building only: a query does not load it

        tri_codes, tri_rows = _trigram_postings(cores)
        h_codes, h_feats, h_rows = _hashed_postings(cores, folded)
        # features are numbered in code order: the trigram codes themselves, then the hashed
        # codes by rank; the matrix made from (feature, name) pairs counts a trigram that
        # occurs twice in a name once (duplicates are summed, and the sums are not kept)
        feats = np.concatenate(
            [
                tri_codes.astype(np.int32, copy=False),
                (h_feats + N_TRIGRAMS).astype(np.int32, copy=False),
            ]
        )
        rows = np.concatenate(
            [tri_rows.astype(np.int32, copy=False), h_rows.astype(np.int32, copy=False)]
        )
        del tri_codes, tri_rows, h_feats, h_rows
        matrix = sp.csr_matrix(
            (np.ones(len(feats), dtype=np.int8), (feats, rows)),
            shape=(N_TRIGRAMS + len(h_codes), n),
        )
        del feats, rows
        matrix.sort_indices()
        full_df = np.diff(matrix.indptr)
        used = full_df > 0
        codes = np.concatenate([np.arange(N_TRIGRAMS, dtype=np.int64), h_codes])[used]
        df = full_df[used].astype(np.int64)
        indptr = np.zeros(len(df) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        indices = matrix.indices.astype(np.int32, copy=False)
        del matrix
        return cls._weighed(indptr, indices, codes, df, codes_many(cores, "c:"))

    @classmethod
    def _weighed(
        cls,
        indptr: IntArray,
        indices: npt.NDArray[np.int32],
        codes: IntArray,
        df: IntArray,
        core_codes: IntArray,
    ) -> NameIndex:
        """The index of these postings, with every name's norm over the IDF of its features
        and the names' core codes sorted: the last step of :meth:`build` and :meth:`extend`
        alike, so that an extended index is the one a rebuild makes."""
        n = len(core_codes)
        norm = _name_norms(n, indptr, indices, _idf(n, df))
        by_code = np.argsort(core_codes, kind="stable")
        return cls(
            indptr,
            indices,
            codes,
            norm.astype(np.float64),
            core_codes[by_code],
            by_code.astype(np.int32),
        )

    @classmethod
    def extend(
        cls,
        base: NameIndex,
        kept: IntArray,
        cores: Sequence[str],
        folded: Sequence[str] | None = None,
    ) -> NameIndex:
        """The index :meth:`build` makes of ``cores`` and ``folded``, made from ``base``: row
        ``r`` of ``base`` is row ``kept[r]`` here (``kept`` ascending, the same core and folded
        name: the caller checks it), and only the other rows, the added names, are cut into
        features. The arrays are those :meth:`build` gives, element for element: the added
        postings are merged into the base's (both sorted by feature code, then row), and the
        IDF of every feature and the weight of every name, which depend on the number of names
        and on every document frequency, are computed again over all the postings, as
        :meth:`build` computes them. It costs one pass over the base's postings (numpy) instead
        of cutting every name again."""
        with paused_gc():
            return cls._extend(base, kept, cores, cores if folded is None else folded)

    @classmethod
    def _extend(
        cls, base: NameIndex, kept: IntArray, cores: Sequence[str], folded: Sequence[str]
    ) -> NameIndex:
        n = len(cores)
        kept = np.asarray(kept, dtype=np.int64)
        if len(kept) != base.size or (len(kept) and (kept[0] < 0 or int(kept[-1]) >= n)):
            raise ValueError(f"{base.size} base names placed as {len(kept)} of {n}")
        if len(kept) > 1 and not bool(np.all(kept[1:] > kept[:-1])):
            raise ValueError("the base names must keep their order")
        is_new = np.ones(n, dtype=bool)
        is_new[kept] = False
        added = np.flatnonzero(is_new)
        new_cores = [cores[r] for r in added.tolist()]
        new_folded = [folded[r] for r in added.tolist()]
        # the added names' (code, row) postings, each pair once, sorted by code then row
        d_codes, d_rows = np.empty(0, np.int64), np.empty(0, np.int64)
        if new_cores:
            tri_codes, tri_rows = _trigram_postings(new_cores)
            h_codes, h_feats, h_rows = _hashed_postings(new_cores, new_folded)
            d_codes = np.concatenate([tri_codes.astype(np.int64), h_codes[h_feats]])
            local = np.concatenate([tri_rows.astype(np.int64), h_rows.astype(np.int64)])
            d_rows = added[local]
        order = np.lexsort((d_rows, d_codes))
        d_codes, d_rows = d_codes[order], d_rows[order]
        if len(d_codes):
            fresh = np.ones(len(d_codes), dtype=bool)
            fresh[1:] = (d_codes[1:] != d_codes[:-1]) | (d_rows[1:] != d_rows[:-1])
            d_codes, d_rows = d_codes[fresh], d_rows[fresh]
        # every feature code, and where the base's and the added features fall among them
        # (the added codes the base lacks slot in among its sorted codes: no sort of them all)
        b_codes = np.asarray(base.codes, dtype=np.int64)
        wanted = np.unique(d_codes)
        found = np.searchsorted(b_codes, wanted)
        inside = found < len(b_codes)
        inside[inside] = b_codes[found[inside]] == wanted[inside]
        missing = wanted[~inside]
        m_at = found[~inside] + np.arange(len(missing), dtype=np.int64)
        codes = np.empty(len(b_codes) + len(missing), dtype=np.int64)
        is_base = np.ones(len(codes), dtype=bool)
        is_base[m_at] = False
        codes[m_at] = missing
        codes[is_base] = b_codes
        b_pos = np.flatnonzero(is_base)
        d_pos = np.searchsorted(codes, d_codes)
        df = np.zeros(len(codes), dtype=np.int64)
        base_df = base.df
        df[b_pos] = base_df
        np.add.at(df, d_pos, 1)
        indptr = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        # the base's postings in the new numbering, and the place of each added one among
        # them: both are ordered by (feature, row), one key of the two
        b_rows = kept[base.indices]
        stride = np.int64(n + 1)
        b_keys = np.repeat(b_pos.astype(np.int64), base_df) * stride + b_rows
        d_keys = d_pos.astype(np.int64) * stride + d_rows
        at = np.searchsorted(b_keys, d_keys) + np.arange(len(d_keys), dtype=np.int64)
        indices = np.empty(len(b_rows) + len(d_rows), dtype=np.int32)
        from_base = np.ones(len(indices), dtype=bool)
        from_base[at] = False
        indices[at] = d_rows
        indices[from_base] = b_rows
        del b_keys, d_keys, from_base, b_rows
        core_codes = np.empty(n, dtype=np.int64)
        core_codes[kept[base.exact_rows]] = base.exact_codes
        core_codes[added] = codes_many(new_cores, "c:")
        return cls._weighed(indptr, indices, codes, df, core_codes)

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
        unknown = np.log(self.size + 1.0) + 1.0
        value = float(self.idf_of(rows[:1])[0]) if len(rows) else float(unknown)
        self._word_idf[word] = value
        return value

    def _select(
        self, feats: IntArray, budget: int, min_features: int
    ) -> tuple[IntArray, FloatArray, float]:
        """The query's features rarest first, cut at the posting budget, with their IDF; and
        the IDF of all the query's features summed."""
        df = self.df_of(feats)
        idf = _idf(self.size, df)
        order = np.argsort(df, kind="stable")
        cum = np.cumsum(df[order])
        keep = max(int(np.searchsorted(cum, budget, side="right")), min(min_features, len(order)))
        chosen = order[:keep]
        return feats[chosen], idf[chosen], float(idf.sum())

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
        chosen, chosen_idf, qnorm = self._select(feats, budget, min_features)
        qsel = float(chosen_idf.sum())
        starts, ends = self.indptr[chosen], self.indptr[chosen + 1]
        rows = np.concatenate([self.indices[s:e] for s, e in zip(starts, ends, strict=True)])
        weights = np.repeat(chosen_idf, ends - starts)
        # the names' shared weight, summed per name in posting order (a stable sort keeps it)
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        first = run_starts(rows)
        shared = np.bincount(np.cumsum(first) - 1, weights=weights[order]).astype(np.float64)
        rare = self.rare_word_rows(folded or core, limit)
        return self._top(rows[first].astype(np.int64), shared, qsel, qnorm, limit, rare)

    def rare_word_rows(self, text: str, limit: int) -> IntArray:
        """The names containing a word of ``text`` that at most ``limit`` stored names contain,
        ascending: each is a candidate whatever the ranking (a rare word shared is the
        strongest evidence a name gives; ``CDM Inzhiniring`` must meet ``CDM Engineering``
        even when the names sharing ``inzhiniring`` share more of the query)."""
        codes = np.asarray(sorted({word_code(w) for w in text.split()}), dtype=np.int64)
        feats = self._rows_of(codes)
        feats = feats[self.df_of(feats) <= limit]
        if len(feats) == 0:
            return _no_rows()
        parts = [self.indices[self.indptr[f] : self.indptr[f + 1]] for f in feats]
        found = np.sort(np.concatenate(parts)).astype(np.int64)
        return found[run_starts(found)]

    def _top(
        self,
        rows: IntArray,
        shared: FloatArray,
        qsel: float,
        qnorm: float,
        limit: int,
        rare: IntArray,
    ) -> Candidates:
        """Rank names by the share of the features read that they have, then by length.

        Only the rarest features were read, so a name's total weight cannot be compared with
        what it shares; the share of the read weight ranks first, and the closeness of the two
        names' total weights (at most 0.1) breaks ties between names that have all of it.
        The ``limit`` best are kept, and after them every name of ``rare``
        (:meth:`rare_word_rows`) the cut left out, in the same order.
        """
        if len(rare):
            missing = np.setdiff1d(rare, rows, assume_unique=True)
            if len(missing):  # a rare word whose postings the budget did not read
                rows = np.concatenate([rows, missing])
                shared = np.concatenate([shared, np.zeros(len(missing))])
        norms = self.name_norm[rows]
        scores = shared / qsel + 0.1 * np.minimum(norms, qnorm) / np.maximum(norms, qnorm)
        if len(scores) > limit:
            # every name tied with the last one kept stays in, so the cut below takes the
            # lowest rows among them whatever order the rows came in (one query or a batch)
            keep = scores >= np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep |= np.isin(rows, rare)
            rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))  # best first, ties by row: deterministic
        late = order[limit:]
        late = late[np.isin(rows[late], rare)] if len(rare) else late[:0]
        kept = np.concatenate([order[:limit], late])
        return Candidates(rows[kept], scores[kept], rows[late])

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
        """Candidates for many queries at once: one sparse matrix product.

        A small batch, before the product's matrix has been made, takes the one-query path
        instead (:meth:`candidates`): the two give the same candidates, and making the matrix
        (and loading scipy's sparse module) costs more than a few hundred queries one by one.
        """
        folded = cores if folded is None else folded
        if self._matrix is None and len(cores) < SMALL_BATCH:
            return [
                self.candidates(
                    core,
                    folded[i],
                    limit=limit,
                    budget=budget,
                    min_features=min_features,
                    all_deletions=all_deletions,
                )
                for i, core in enumerate(cores)
            ]
        q_rows: list[IntArray] = []
        q_cols: list[IntArray] = []
        q_vals: list[FloatArray] = []
        qnorms = np.zeros(len(cores))
        qsels = np.ones(len(cores))
        for i, core in enumerate(cores):
            feats = self.features(core, folded[i], all_deletions=all_deletions)
            if len(feats) == 0:
                continue
            chosen, chosen_idf, qnorms[i] = self._select(feats, budget, min_features)
            qsels[i] = chosen_idf.sum()
            q_rows.append(np.full(len(chosen), i, dtype=np.int64))
            q_cols.append(chosen)
            q_vals.append(chosen_idf)
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
            rare = self.rare_word_rows(folded[i], limit)
            if s == e and not len(rare):
                out.append(empty)
                continue
            rows = shared.indices[s:e].astype(np.int64)
            data = shared.data[s:e].astype(np.float64)
            out.append(self._top(rows, data, qsels[i], qnorms[i], limit, rare))
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
        # plain arrays over the mapped memory: a memmap's own slicing is several times slower
        arrays = {
            name: np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
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


def _hashed_postings(
    cores: Sequence[str], folded: Sequence[str]
) -> tuple[IntArray, IntArray, IntArray]:
    """The hashed features of the names: their codes (sorted, distinct), and (feature rank,
    name row) pairs in name order, all hashed in numpy.

    Every word occurrence of the folded names is hashed (that is cheaper than finding the
    distinct words in Python); the long core words are told apart by their own code, and the
    deletion neighbours of each distinct one are hashed once."""
    n = len(cores)
    found = _plain_words(folded) or _listed_words(folded)
    if found is None:
        return _hashed_postings_any(cores, folded)
    name_rows = np.arange(n, dtype=np.int64)
    buf, start, length, w_count = found
    w_codes = _zlib_codes(buf, start, length, np.full(len(start), -1, dtype=np.int64), "w:")
    w_rows = np.repeat(name_rows, w_count)
    del found, buf, start, length
    found = _plain_words(cores) or _listed_words(cores)
    if found is None:
        return _hashed_postings_any(cores, folded)
    buf, start, length, c_count = found
    long = length >= DELETION_MIN
    start, length = start[long], length[long]
    d_rows = np.repeat(name_rows, c_count)[long]
    del found, long
    # each long word occurrence's own code ("d:" and the word), and the distinct words by it
    whole = _zlib_codes(buf, start, length, np.full(len(start), -1, dtype=np.int64), "d:")
    order = np.argsort(whole, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = whole[order][1:] != whole[order][:-1]
    reps = order[first]  # an occurrence of each distinct word
    d_of = np.empty(len(order), dtype=np.int64)
    d_of[order] = np.cumsum(first) - 1
    del order, first
    lengths = length[reps]
    d_ptr = np.zeros(len(reps) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=d_ptr[1:])
    owner = np.repeat(np.arange(len(reps), dtype=np.int64), lengths + 1)
    # code j of a word: 0 is the whole word, j > 0 deletes letter j - 1
    j = np.arange(int(d_ptr[-1]), dtype=np.int64) - d_ptr[owner]
    d_codes = _zlib_codes(buf, start[reps][owner], lengths[owner], j - 1, "d:")
    del owner, j, buf, start, length, reps
    return _feature_ranks(w_codes, w_rows, d_codes, d_ptr, d_of, d_rows)


#: postings weighed at a time by :func:`_name_norms`
NORM_CHUNK = 4_000_000


def _name_norms(
    n: int, indptr: IntArray, indices: npt.NDArray[np.int32], idf: FloatArray
) -> FloatArray:
    """Each name's sum of the IDF of its features, added posting by posting in posting order
    (the sums of ``np.bincount`` over every posting, to the last bit), a chunk of features at
    a time: a weight per posting for all of them at once was the build's largest array."""
    norm = np.zeros(n, dtype=np.float64)
    df = np.diff(indptr)
    cuts = np.searchsorted(indptr, np.arange(0, int(indptr[-1]), NORM_CHUNK), side="right") - 1
    bounds = [*dict.fromkeys(int(c) for c in cuts), len(df)]
    for first, last in itertools.pairwise(bounds):
        lo, hi = int(indptr[first]), int(indptr[last])
        np.add.at(norm, indices[lo:hi], np.repeat(idf[first:last], df[first:last]))
    return norm


Words = tuple[npt.NDArray[np.uint8], IntArray, IntArray, IntArray]
#: the bytes a word of a folded name is made of
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True


def _plain_words(texts: Sequence[str]) -> Words | None:
    """The words of ``texts`` as :func:`_listed_words` gives them, found in numpy: the texts'
    bytes (run together, a newline between two), each word's start and length there, and the
    number of words of each text. Only for texts as :func:`~bidvet.screening.normalize.fold`
    makes them — lower-case ASCII letters and digits, words between single spaces — else
    None (and :func:`_listed_words` reads them)."""
    joined = "\n".join(texts)
    if not joined.isascii():
        return None
    b = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    del joined
    word = _WORD_BYTE[b]
    spaces = np.flatnonzero(b == 32)
    newlines = np.flatnonzero(b == 10)
    if int(np.count_nonzero(word)) + len(spaces) + len(newlines) != len(b):
        return None  # another byte
    if len(spaces) and (  # a space only between two word bytes
        spaces[0] == 0
        or spaces[-1] == len(b) - 1
        or not (word[spaces - 1].all() and word[spaces + 1].all())
    ):
        return None
    del spaces
    # +1 where a word starts, -1 just after it ends
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    del word
    starts = np.flatnonzero(edges == 1)
    lengths = np.flatnonzero(edges == -1) - starts
    del edges
    text_of = np.searchsorted(newlines, starts)  # the newlines before each word
    return (
        b,
        starts.astype(np.int64, copy=False),
        lengths,
        np.bincount(text_of, minlength=len(texts)),
    )


def _listed_words(texts: Sequence[str]) -> Words | None:
    """The words of ``texts`` (split on white space) as :func:`_plain_words` gives them, read
    in Python; None when a word is not ASCII."""
    split = list(map(str.split, texts))
    count = np.fromiter(map(len, split), dtype=np.int64, count=len(texts))
    words = list(itertools.chain.from_iterable(split))
    del split
    joined = "".join(words)
    if not joined.isascii():
        return None
    buf, start, length = _as_buffer(words, joined)
    return buf, start, length, count


def run_starts(ordered: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Where each run of equal values of the sorted ``ordered`` starts: ``ordered[starts]``
    is ``np.unique(ordered)``, found without ``np.unique``, whose check for masked arrays
    imports ``numpy.ma`` (8 ms of a process that screens one name)."""
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def _idf(names: int, df: IntArray) -> FloatArray:
    """Smoothed inverse document frequency of features found in ``df`` of ``names`` names."""
    n = max(names, 1)
    idf: FloatArray = np.log((n + 1.0) / (df + 1.0)) + 1.0
    return idf


def _distinct_words(per_name: list[list[str]]) -> tuple[list[str], IntArray, IntArray]:
    """The distinct words of ``per_name`` in first-seen order, the number of words of each
    name, and each word's place among the distinct ones (name by name, in order)."""
    counts = np.fromiter(map(len, per_name), dtype=np.int64, count=len(per_name))
    flat = list(itertools.chain.from_iterable(per_name))
    distinct = list(dict.fromkeys(flat))
    rank = {w: i for i, w in enumerate(distinct)}
    places = np.fromiter(map(rank.__getitem__, flat), dtype=np.int64, count=len(flat))
    return distinct, counts, places


def _hashed_postings_any(
    cores: Sequence[str], folded: Sequence[str]
) -> tuple[IntArray, IntArray, IntArray]:
    """:func:`_hashed_postings` for names with words outside ASCII: the distinct words are
    found in Python, and those outside ASCII hashed one by one."""
    n = len(cores)
    name_rows = np.arange(n, dtype=np.int64)
    # words of the whole folded names
    words, w_count, w_of = _distinct_words([t.split() for t in folded])
    w_codes = codes_many(words, "w:")[w_of]
    del words
    # deletion neighbours of the long core words
    dwords, d_count, d_of = _distinct_words(
        [[w for w in c.split() if len(w) >= DELETION_MIN] for c in cores]
    )
    d_codes, d_ptr = _deletions_many(dwords)
    del dwords
    return _feature_ranks(
        w_codes, np.repeat(name_rows, w_count), d_codes, d_ptr, d_of, np.repeat(name_rows, d_count)
    )


def _feature_ranks(
    w_codes: IntArray,
    w_rows: IntArray,
    d_codes: IntArray,
    d_ptr: IntArray,
    d_of: IntArray,
    d_rows: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """The distinct hashed codes, sorted, and the (feature rank, name row) pairs of the word
    features (``w_codes[k]`` in name ``w_rows[k]``) and the deletion features (the codes
    ``d_codes[d_ptr[w]:d_ptr[w + 1]]`` of distinct word ``w = d_of[k]`` in name ``d_rows[k]``)."""
    # rank the distinct codes (a word occurs in many names, a deletion neighbour is often
    # shared by several words)
    every = np.concatenate([w_codes, d_codes])
    n_words = len(w_codes)
    order = np.argsort(every)
    ordered = every[order]
    del every
    fresh = np.ones(len(ordered), dtype=bool)
    fresh[1:] = ordered[1:] != ordered[:-1]
    codes = ordered[fresh]
    del ordered
    # ranks and rows on 32 bits while they fit: these arrays have one entry per posting
    small = len(order) + len(d_rows) + int(d_ptr[-1]) < 2**31 - 1
    itype = np.int32 if small else np.int64
    ranks = np.empty(len(order), dtype=itype)
    ranks[order] = np.cumsum(fresh, dtype=itype) - 1
    del order, fresh
    w_rank, d_rank = ranks[:n_words], ranks[n_words:]
    # each (name, long word) pair expands to that word's neighbours
    per = (d_ptr[1:] - d_ptr[:-1])[d_of]
    first = np.zeros(len(per), dtype=np.int64)
    np.cumsum(per[:-1], out=first[1:])
    total = int(per.sum())
    ptype = np.int64 if total >= 2**31 - 1 else np.int32
    pos: npt.NDArray[np.signedinteger[Any]] = np.arange(total, dtype=ptype)
    np.subtract(pos, np.repeat((first - d_ptr[:-1][d_of]).astype(ptype), per), out=pos)
    feats = np.concatenate([w_rank, d_rank[pos]])
    del pos
    rows = np.concatenate([w_rows.astype(itype), np.repeat(d_rows.astype(itype), per)])
    return codes, feats, rows


def _trigram_postings(
    cores: Sequence[str],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """(trigram code, name row) pairs for every trigram of every core, computed in numpy (on
    32-bit integers: a trigram code is below 37**3)."""
    if not cores:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    # " core " of each name run together; a character outside ASCII is one "?"
    text = (" " + "  ".join(cores) + " ").encode("ascii", "replace")
    lengths = np.fromiter(map(len, cores), dtype=np.int64, count=len(cores)) + 2
    chars = _char_table().astype(np.int32)[np.frombuffer(text, dtype=np.uint8)]
    if len(chars) < 3:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    codes = (chars[:-2] * ALPHABET + chars[1:-1]) * ALPHABET + chars[2:]
    # the windows that start in a name's last two characters run into the next name
    ends = np.cumsum(lengths)
    valid = np.ones(len(codes), dtype=bool)
    valid[ends[ends - 2 < len(codes)] - 2] = False
    valid[ends[ends - 1 < len(codes)] - 1] = False
    rows = np.repeat(np.arange(len(cores), dtype=np.int32), lengths - 2)
    return codes[valid], rows
