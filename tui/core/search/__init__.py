"""The live filter engine: a token index over titles and author names, grown as papers
arrive, and an index of where the abstracts' tokens start, for `abs:` words.

Scoring every title with rapidfuzz on each key press does not scale: over 100,000
papers a typo-tolerant scorer takes 100-600 ms (numbers in `benchmarks/filter.py`).
Instead titles and author names are cut into tokens once; a query word is first matched
against the *distinct* tokens (the vocabulary: prefix, infix and typo-tolerant matches,
see `tui.core.query`), then the posting lists of the matching tokens give the papers. The
per-key-press work is proportional to the vocabulary and the hits, not to the text.

Abstracts hold ten times the text of titles and names: their posting lists would take
more memory than the papers, and every list would pay for it. They get their own index,
made only when `abs:` is first typed: the folded text, and where each token starts sorted
by its first two bytes (`abstracts`); a word compares bytes only among the tokens that
start like it, then only among the papers the rest of the query kept.

Tokens are hashed and sorted with numpy, so indexing holds the GIL only in short
slices, and one word's scores are cached (a byte per paper), so typing the third word
of a query does not recompute the first two. Posting lists live in a few segments per
field: each batch of papers makes one, and segments are merged in tiers, as
log-structured stores do. A segment keeps positions as offsets from its first paper in
the narrowest integer type (two bytes while it spans fewer than 65,536 papers). A
refreshed paper is indexed again in a new segment and its older postings are skipped.
The folded titles the ranking compares with the query are the store's paper keys, not
copies. All told the index holds about 60 bytes a paper (`benchmarks/filter.py`).

The parts, by job:
- `tokens`: folded texts cut into hashed tokens, a batch at a time;
- `vocabulary`: the distinct tokens, and which of them a word matches;
- `postings`: which papers hold each token (segments merged in tiers), and initials;
- `abstracts`: the abstracts' index, for `abs:` words;
- `scoring`: what each kind of match is worth, and the order of results;
- `index`: `SearchIndex`, the thread-safe front that ties them together;
- `arrays`: numpy helpers they share.
"""
