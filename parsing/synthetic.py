"""Realistic made-up papers, and renderers to every input format, for tests and benchmarks.

Deterministic: `generate(n, seed)` always returns the same papers, and the first `k` papers
of `generate(n, seed)` are `generate(k, seed)`. Titles are unique (by `paper_key`) and ASCII.
Every word comes from the lists below, written for this project.

    python -m parsing.synthetic --papers 1000 --format text-meta --seed 3 > list.txt
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from string import Formatter
from typing import Any

from parsing.model import Paper

HEADER = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
CURATOR = "A. Curator"
ORGANIZATION = "Example Lab"
ORGANIZATION_ITEM = {"_id": "0" * 24, "name": "example-lab", "fullname": ORGANIZATION}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NEWEST = date(2025, 12, 31)  # published dates fall in the four years before this day
FORMATS = ("text", "text-meta", "json")

ADJECTIVES = (
    "Sparse", "Efficient", "Scalable", "Robust", "Adaptive", "Unified", "Hierarchical",
    "Lightweight", "Self-Supervised", "Multimodal", "Long-Context", "Data-Efficient",
    "Training-Free", "Interpretable", "Compositional", "Parameter-Efficient", "Zero-Shot",
    "Generalizable", "Controllable", "Faithful", "Calibrated", "Memory-Efficient", "Streaming",
    "Causal", "Contrastive", "Continual", "Differentiable", "Probabilistic", "Grounded",
    "Open-Vocabulary", "Real-Time", "Verifiable", "Structured", "Modular", "Test-Time",
)  # fmt: skip
METHODS = (
    "Mixture-of-Experts", "Diffusion Transformers", "State Space Models",
    "Retrieval-Augmented Generation", "Preference Optimization", "Speculative Decoding",
    "Token Merging", "Low-Rank Adaptation", "Flow Matching", "Knowledge Distillation",
    "Chain-of-Thought Prompting", "Reward Models", "Neural Radiance Fields", "Gaussian Splatting",
    "Graph Transformers", "Vision-Language Models", "Masked Autoencoders", "Linear Attention",
    "Quantization", "Curriculum Learning", "Self-Play", "Model Merging", "In-Context Learning",
    "Instruction Tuning", "Sparse Autoencoders", "World Models", "Latent Diffusion",
    "Policy Distillation", "Contrastive Pretraining", "Tool-Using Agents",
)  # fmt: skip
TASKS = (
    "Long-Context Retrieval", "Video Generation", "Code Synthesis", "Mathematical Reasoning",
    "Protein Design", "Speech Recognition", "Robot Manipulation", "Weather Forecasting",
    "Text-to-3D Generation", "Document Understanding", "Image Editing",
    "Open-Domain Question Answering", "Machine Translation", "Autonomous Driving",
    "Medical Imaging", "Time Series Forecasting", "Multi-Agent Planning",
    "Semantic Segmentation", "Music Generation", "Molecule Generation",
    "Visual Question Answering", "Embodied Navigation", "Theorem Proving", "Recommendation",
    "Table Understanding", "Audio Captioning", "Novel View Synthesis", "Web Navigation",
    "Software Engineering", "Scientific Discovery",
)  # fmt: skip
COMPONENTS = (
    "Attention Sinks", "Positional Encodings", "Routing", "Tokenization", "Layer Normalization",
    "the KV Cache", "Synthetic Data", "Reward Shaping", "Negative Sampling", "Prompt Caching",
    "Early Exits", "Memory Tokens", "Visual Tokens", "Optimizer States", "Data Mixtures",
)  # fmt: skip
PROPERTIES = (
    "Robustness", "Sample Efficiency", "Emergent Abilities", "Calibration", "Stability",
    "Scaling Behavior", "Limits", "Hidden Costs", "Geometry", "Memorization",
)  # fmt: skip
SCALES = ("a Million Tokens", "Billions of Images", "Thousands of GPUs", "Edge Devices",
          "Hundreds of Languages", "Trillion-Parameter Models")  # fmt: skip
SYLLABLES = ("lu", "mo", "ra", "ze", "phy", "ori", "on", "ve", "ga", "ky", "ro", "na", "tu",
             "fal", "sol", "ar", "ia", "ne", "qui", "tal", "mi", "dex", "vor", "cel", "pa", "xi",
             "bel", "ka", "os", "ren")  # fmt: skip
NAME_SUFFIXES = ("", "", "", "", "-VL", "-R1", "-7B", "-2", "-Bench", "++", "-X", "-Lite", "-3D")
TITLE_TEMPLATES = (
    "{name}: {adj} {method} for {task}",
    "{adj} {method} for {task}",
    "{adj} {method} for {adj2} {task}",
    "{method} with {component} for {task}",
    "Scaling {method} to {scale}",
    "Towards {adj} {task} via {method}",
    "{name}: Towards {adj} {task}",
    "Rethinking {component} in {method}",
    "On the {property} of {method}",
    "Bridging {method} and {method2} for {adj} {task}",
    "Can {method} Solve {task}?",
    "{name}: {adj} {method} with {component}",
    "Learning {task} from {adj} {method}",
    "Do We Need {component} for {task}?",
    "A Survey of {method} for {task}",
    "{name}: Benchmarking {method} on {task}",
)
TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "adj": ADJECTIVES,
    "adj2": ADJECTIVES,
    "method": METHODS,
    "method2": METHODS,
    "task": TASKS,
    "component": COMPONENTS,
    "property": PROPERTIES,
    "scale": SCALES,
}
TITLE_PATTERNS = tuple(
    (
        template,
        tuple(field for _, field, _, _ in Formatter().parse(template) if field in TITLE_WORDS),
    )
    for template in TITLE_TEMPLATES
)
NAMED_TITLE_PATTERNS = tuple(pattern for pattern in TITLE_PATTERNS if "{name}" in pattern[0])
SYLLABLES_OR_NONE = ("", "", *SYLLABLES)

# Abstract sentences: {name} is the paper's model name, other fields come from FILLERS.
OPENERS = (
    "{task} remains challenging because {problem}, which limits progress in practice.",
    "Recent advances in {method_l} have enabled {capability}, yet {problem}.",
    "Despite rapid progress, current {method_l} still struggle when {problem}.",
    "{capability} is a central goal of modern machine learning, but {problem}.",
    "Large pretrained models have transformed {task_l}, but {problem}.",
)
INTROS = (
    "In this work, we introduce {name}, {a_adj} framework that {mechanism}.",
    "We propose {name}, {a_adj} approach to {task_l} which {mechanism} without {requirement}.",
    "We present {name}, a simple method that {mechanism} and can be added to existing "
    "pipelines with a few lines of code.",
)
MIDDLES = (
    "Our key insight is that {insight}, so a small amount of extra computation goes a long way.",
    "Unlike prior work, our approach {mechanism} and requires no {requirement}.",
    "We further add a module for {component_l} that {goal}, which keeps training stable.",
    "To this end, we formulate {task_l} as {formulation} and solve it with {method_l}.",
    "We also provide a theoretical analysis showing that {insight} under mild assumptions.",
    "To support this study, we collect a new dataset of {count}00 thousand examples spanning "
    "diverse domains, difficulty levels and input lengths.",
    "At inference time, the model {mechanism}, which {goal} at no additional cost.",
)
RESULTS = (
    "Experiments on {count} benchmarks show that {name} improves accuracy by {percent}% "
    "over strong baselines while using {factor}x less compute.",
    "On {benchmark}, {name} sets a new state of the art and runs {factor}x faster at inference.",
    "Extensive ablations confirm that each component contributes to the final performance.",
    "Human evaluators prefer the outputs of {name} in {percent}% of pairwise comparisons.",
    "Our {size}-parameter model matches systems ten times larger on {count} of {count2} tasks.",
    "Remarkably, the gains persist when scaling from {size} to {size2} parameters.",
)
CLOSERS = (
    "Code, models and data are publicly available.",
    "We release our code and checkpoints to facilitate future research.",
    "We hope this work provides a strong baseline for future studies.",
    "Our findings suggest a simple recipe for building more capable and efficient systems.",
)
FILLERS: dict[str, tuple[str, ...]] = {
    "problem": (
        "existing approaches scale quadratically with the input length",
        "annotated data is scarce and expensive to collect",
        "models tend to overfit to spurious correlations in the training distribution",
        "inference cost grows quickly with model size",
        "errors compound over long horizons",
        "evaluation protocols differ widely across prior work",
        "fine-grained spatial and temporal structure is often ignored",
        "most methods require costly task-specific supervision",
    ),
    "capability": (
        "open-ended generation of images and video",
        "reasoning over long documents",
        "agents that act in complex environments",
        "accurate forecasting from irregular observations",
        "fast adaptation to new domains",
        "fluent dialogue across many languages",
    ),
    "mechanism": (
        "routes each token to a small set of specialised experts",
        "compresses intermediate representations into a compact latent memory",
        "interleaves retrieval with generation at every decoding step",
        "learns a reward model from pairwise preferences and optimises against it",
        "distils a large teacher into a student that runs on a single GPU",
        "aligns visual and textual features in a shared embedding space",
        "predicts several future tokens in parallel and verifies them cheaply",
        "decomposes each problem into verifiable sub-goals",
    ),
    "requirement": (
        "additional human annotation",
        "retraining the base model",
        "hand-crafted heuristics",
        "access to model gradients",
        "task-specific architectures",
    ),
    "insight": (
        "most of the computation in long sequences is spent on a few salient positions",
        "simple data curation matters more than architectural changes",
        "uncertainty estimates can guide where to spend extra compute",
        "the failure modes of strong models are highly structured",
        "intermediate layers already encode the information needed for the final answer",
        "synthetic data from a weaker model can still improve a stronger one",
    ),
    "goal": (
        "keeps memory usage constant as the context grows",
        "stabilises training at large batch sizes",
        "reduces hallucinations on knowledge-intensive queries",
        "improves sample efficiency by an order of magnitude",
        "transfers across modalities with minimal changes",
    ),
    "formulation": (
        "a sequential decision problem",
        "a constrained optimisation problem",
        "conditional generation over a discrete latent space",
        "a ranking problem over candidate solutions",
    ),
    "benchmark": ("LongBench-S", "MathVista-Lite", "CodeArena", "OmniQA", "ViewSynth-360"),
    "size": ("350M", "1.3B", "3B"),
    "size2": ("7B", "13B", "70B"),
    "count": tuple("3456789"),
    "count2": tuple(str(number) for number in range(12, 21)),
    "percent": tuple(str(number) for number in range(4, 64)),
    "factor": tuple("23456789"),
    "task_l": tuple(task.lower() for task in TASKS),
    "method_l": tuple(method.lower() for method in METHODS),
    "a_adj": tuple(
        ("an " if adjective[0] in "AEIOU" else "a ") + adjective.lower() for adjective in ADJECTIVES
    ),
    "component_l": tuple(component.lower() for component in COMPONENTS),
    "task": TASKS,
}
POOL_SIZE = 100  # filled variants of each sentence template, drawn once per seed
FIRST_NAMES = (
    "Wei", "Amelia", "Kofi", "Sofia", "Arjun", "Yuki", "Mateo", "Leila", "Jonas", "Priya",
    "Chen", "Olga", "Tariq", "Hannah", "Diego", "Mei", "Lucas", "Aisha", "Noah", "Ingrid",
    "Ravi", "Elena", "Kwame", "Sara", "Hiroshi", "Fatima", "Pavel", "Lina", "Omar", "Grace",
    "Jun", "Beatriz", "Anders", "Nadia", "Samuel", "Ji-woo", "Marco", "Zainab", "Felix", "Hana",
)  # fmt: skip
LAST_NAMES = (
    "Zhang", "Hart", "Mensah", "Rossi", "Mehta", "Tanaka", "Alvarez", "Haddad", "Berg", "Iyer",
    "Liu", "Petrova", "Rahman", "Keller", "Moreno", "Lin", "Dubois", "Okafor", "Fischer",
    "Lund", "Nair", "Kovacs", "Boateng", "Cohen", "Sato", "Yilmaz", "Novak", "Sousa", "Kim",
    "Wang", "Park", "Costa", "Nilsson", "Ward", "Chowdhury", "Silva", "Weber", "Ito", "Chen",
    "Garcia",
)  # fmt: skip
FULL_NAMES = tuple(f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES)


def generate(n: int, seed: int = 0, *, newest: date = NEWEST) -> list[Paper]:
    """`n` papers with unique titles, ~1,200-character abstracts, authors, dates, upvotes,
    arXiv-like ids, and for some a code repository and a project page. No list label."""
    writer = _Writer(seed, newest)
    return [writer.paper() for _ in range(n)]


def render_text_copy(
    papers: Iterable[Paper], label: str, with_metadata: bool, *, today: date | None = None
) -> str:
    """The page as select-all + copy gives it: header, list label, then each paper.

    With metadata, each abstract is followed by `  • N authors`, `·` and the published date
    with the upvotes; dates in the year of `today` (default: this year) omit the year.
    """
    year = (today or date.today()).year
    header = HEADER if with_metadata else tuple(line for line in HEADER if line != "Daily Papers")
    parts = [*header, label]
    for paper in papers:
        parts.append(_one_line(paper.title))
        parts.append(_one_line(paper.abstract))
        if with_metadata:
            parts.append(_metadata_block(paper, year))
    return "\n\n".join(parts) + "\n"


def render_hf_json(papers: Iterable[Paper], day: date | None = None) -> str:
    """The papers as the daily-papers API returns them: a bare JSON array, one item a line.

    `day` is the list's day (`submittedOnDailyAt`); without it, each paper's published day.
    """
    items = [json.dumps(_api_item(paper, index, day)) for index, paper in enumerate(papers)]
    return "[\n" + ",\n".join(items) + "\n]\n"


def render(papers: Sequence[Paper], fmt: str, label: str = "Mar 14") -> str:
    """The papers in one of `FORMATS`."""
    if fmt == "json":
        return render_hf_json(papers)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}, expected one of {', '.join(FORMATS)}")
    return render_text_copy(papers, label, with_metadata=fmt == "text-meta")


def text_date(day: date, current_year: int | None = None) -> str:
    """`Sep 5, 2024`, or `Sep 5` when `day` is in `current_year` (the page omits it)."""
    short = f"{MONTH_NAMES[day.month - 1]} {day.day}"
    return short if day.year == current_year else f"{short}, {day.year}"


class _Writer:
    """Draws papers from one seeded random stream."""

    def __init__(self, seed: int, newest: date) -> None:
        self._rng = random.Random(seed)
        self._random = self._rng.random
        self._newest = newest
        self._keys: set[str] = set()
        self._numbers: dict[str, int] = {}  # next arXiv number of each month
        self._openers = self._pool(OPENERS)
        self._intros = self._pool(INTROS)
        self._middles = self._pools(MIDDLES)
        self._results = self._pools(RESULTS)

    def pick(self, choices: Sequence[str]) -> str:
        return choices[int(self._random() * len(choices))]

    def paper(self) -> Paper:
        pick = self.pick
        name, title = self._title()
        published = self._newest - timedelta(days=int(self._random() * 4 * 365))
        count = min(1 + int(self._rng.expovariate(0.18)), 40)
        upvotes = None if self._random() < 0.45 else int(self._rng.paretovariate(1.1) * 3) - 2
        slug = name.lower().strip("-+")
        roll = self._random()
        return Paper(
            title=title,
            abstract=self._abstract(name),
            authors=count,
            author_names=tuple(self._rng.choices(FULL_NAMES, k=count)),
            published=text_date(published),
            published_date=published,
            upvotes=upvotes,
            arxiv_id=self._arxiv_id(published),
            github_repo=f"https://github.com/{pick(LAST_NAMES).lower()}-lab/{slug}"
            if roll < 0.5
            else None,
            project_page=f"https://{slug}.github.io" if roll < 0.2 else None,
        )

    def _title(self) -> tuple[str, str]:
        """A model name and a title not used before (after a clash, one with the name)."""
        pick = self.pick
        patterns = TITLE_PATTERNS
        while True:
            name = (pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES_OR_NONE)).capitalize()
            name += pick(NAME_SUFFIXES)
            template, fields = pick(patterns)
            words = {field: pick(TITLE_WORDS[field]) for field in fields}
            if words.get("method2", "") == words.get("method") or words.get(
                "adj2", ""
            ) == words.get("adj"):
                continue  # no "Bridging World Models and World Models"
            title = template.format(name=name, **words)
            key = _ascii_key(title)
            if key not in self._keys:
                self._keys.add(key)
                return name, title
            patterns = NAMED_TITLE_PATTERNS

    def _abstract(self, name: str) -> str:
        pick = self.pick
        random = self._random
        sentences = [pick(self._openers), pick(self._intros)]
        sentences += _distinct(self._middles, 3 + int(random() * 2.5), random)
        sentences += _distinct(self._results, 2 + int(random() * 1.5), random)
        sentences.append(pick(CLOSERS))
        return " ".join(sentences).replace("{name}", name)

    def _pool(self, templates: Sequence[str]) -> list[str]:
        """Variants of one kind of sentence, every field but {name} filled in."""
        pick = self.pick
        fields = _Fields(pick)
        pool = []
        for _ in range(POOL_SIZE):
            text = pick(templates).format_map(fields)
            pool.append(text[0].upper() + text[1:])
        return pool

    def _pools(self, templates: Sequence[str]) -> list[list[str]]:
        """One pool per template, so that an abstract can use distinct templates."""
        return [self._pool((template,)) for template in templates]

    def _arxiv_id(self, published: date) -> str:
        """`YYMM.NNNNN`, numbered on from a random start within each month."""
        month = f"{published.year % 100:02d}{published.month:02d}"
        number = self._numbers.get(month) or 1 + int(self._random() * 20000)
        self._numbers[month] = number + 1
        return f"{month}.{number:05d}"


_PUNCTUATION_TO_SPACE = bytes(code if chr(code).isalnum() else ord(" ") for code in range(256))


def _ascii_key(title: str) -> str:
    """`paper_key` of an ASCII title, without its slower Unicode regex."""
    return " ".join(title.lower().encode().translate(_PUNCTUATION_TO_SPACE).decode().split())


def _distinct(pools: list[list[str]], count: int, random: Callable[[], float]) -> list[str]:
    """One sentence from each of `count` consecutive pools, starting at a random one."""
    start = int(random() * len(pools))
    chosen = []
    for offset in range(count):
        pool = pools[(start + offset) % len(pools)]
        chosen.append(pool[int(random() * len(pool))])
    return chosen


class _Fields(dict):
    """Template fields drawn on use; {name} is kept for the paper's model name."""

    def __init__(self, pick: Callable[[Sequence[str]], str]) -> None:
        super().__init__()
        self._pick = pick

    def __missing__(self, field: str) -> str:
        return "{name}" if field == "name" else self._pick(FILLERS[field])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _metadata_block(paper: Paper, year: int) -> str:
    lines = []
    if paper.author_count is not None:
        lines.append(f"  • {paper.author_count} authors")
    lines.append("·")
    when = text_date(paper.published_date, year) if paper.published_date else paper.published
    if when:
        lines.append(when if paper.upvotes is None else f"{when} {paper.upvotes}")
    return "\n".join(lines)


def _api_item(paper: Paper, index: int, day: date | None) -> dict[str, Any]:
    published = None
    if paper.published_date:
        published = f"{paper.published_date.isoformat()}T{index % 24:02d}:14:07.000Z"
    listed = day or paper.published_date
    authors = [
        {"_id": f"{index:08x}{number:04x}", "name": name, "hidden": False}
        for number, name in enumerate(paper.author_names)
    ]
    if index % 17 == 3:  # the API keeps authors who chose to hide: not shown, not counted
        authors.insert(1, {"_id": f"{index:08x}ffff", "name": "Hidden Author", "hidden": True})
    inner: dict[str, Any] = {
        "id": paper.arxiv_id,
        "authors": authors,
        "publishedAt": published,
        "submittedOnDailyAt": f"{listed.isoformat()}T08:02:51.000Z" if listed else None,
        "title": paper.title,
        "summary": paper.abstract,
        "upvotes": paper.upvotes,
        "ai_summary": paper.abstract[:160],
        "ai_keywords": paper.title.lower().split()[:4],
        "submittedOnDailyBy": {"_id": f"{index:024x}", "fullname": CURATOR, "type": "user"},
    }
    if paper.github_repo:
        inner["githubRepo"] = paper.github_repo
        if index % 3:  # a repository can come without stars
            inner["githubStars"] = index * 13 % 500
    if paper.project_page:
        inner["projectPage"] = paper.project_page
    if index % 4 % 2:  # the organization sits on the paper, the item, both or neither
        inner["organization"] = ORGANIZATION_ITEM
    item = {
        "paper": {key: value for key, value in inner.items() if value is not None},
        "publishedAt": published,
        "title": paper.title,
        "summary": paper.abstract,
        "thumbnail": f"https://cdn-thumbnails.example.org/{paper.arxiv_id or index}.png",
        "numComments": index % 7,
        "submittedBy": {"_id": f"{index:024x}", "fullname": CURATOR, "type": "user"},
        "isAuthorParticipating": index % 5 == 0,
    }
    if index % 4 >= 2:
        item["organization"] = ORGANIZATION_ITEM
    return item


def api_extras(paper: Paper, index: int, day: date | None = None) -> dict[str, Any]:
    """The fields a parse reads from `render_hf_json`'s item at `index` beyond the paper's
    own: the API's extras (as given, before cleaning)."""
    listed = day or paper.published_date
    return {
        "ai_summary": paper.abstract[:160],
        "ai_keywords": tuple(paper.title.lower().split()[:4]),
        "organization": ORGANIZATION if index % 4 else None,
        "comments": index % 7,
        "github_stars": index * 13 % 500 if paper.github_repo and index % 3 else None,
        "submitted_by": CURATOR,
        "submitted_on": listed.isoformat() if listed else None,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m parsing.synthetic", description="Print synthetic papers in an input format."
    )
    parser.add_argument("--papers", type=int, default=100, help="how many papers (default 100)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--label", default="Mar 14", help="list label of a text copy")
    args = parser.parse_args(argv)
    sys.stdout.write(render(generate(args.papers, args.seed), args.format, args.label))


if __name__ == "__main__":
    main()
