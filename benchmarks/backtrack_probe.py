"""Probe every bundled regex that rules/backtrack.py clears of its timeout with hostile texts,
at two lengths, and print the slowest searches and how their time grows. Prints figures;
asserts nothing.

    python benchmarks/backtrack_probe.py [--chars 50000] [--top 12]

The texts repeat pieces that make runs long or let a pattern start everywhere: one letter,
spaces, digits with dots, each word of the pattern alone and joined by spaces or by nothing.
A cleared pattern should take time proportional to the text (ratio about 2 when the text
doubles) and stay near or below the timeout (0.25 s) on a block of `max_block_chars`.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

import regex


def texts(pattern: str, chars: int) -> list[str]:
    words = sorted(set(re.findall(r"[a-zà-ÿ]{2,}", pattern.lower())))[:40] or ["word"]
    pieces = ["a", " ", "1.", "a ", ". ", "-", *[w + " " for w in words], *words, " ".join(words) + " "]
    out = []
    for piece in pieces:
        out.append((piece * (chars // len(piece) + 1))[:chars])
    return out


def seconds(compiled: regex.Pattern[str], text: str) -> float:
    t0 = time.process_time()
    list(compiled.finditer(text))
    return time.process_time() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=50_000)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()

    from ospo_procure.rules import backtrack, load_ruleset
    from ospo_procure.rules.patterns import REGEX_FLAGS

    ruleset = load_ruleset()
    cleared = sorted(k[len("\0linear\0") :] for k, v in ruleset.analyses.items() if k.startswith("\0linear\0") and v)
    print(f"{len(cleared)} patterns cleared of their timeout; probing each with hostile texts")
    worst: list[tuple[float, float, str, str]] = []
    for pattern in cleared:
        compiled = regex.compile(pattern, REGEX_FLAGS)
        for text in texts(pattern, args.chars):
            small = seconds(compiled, text[: args.chars // 2])
            big = seconds(compiled, text)
            worst.append((big, big / small if small > 1e-4 else 0.0, pattern, text[:12]))
    worst.sort(reverse=True)
    print(f"slowest searches on {args.chars:,} characters (ratio: time on the text / on its first half):")
    for big, ratio, pattern, start in worst[: args.top]:
        print(
            f"  {big * 1000:7.1f} ms  ratio {ratio:4.1f}  cost {backtrack.cost(pattern):6.0f}  {start!r:16} {pattern[:90]}"
        )
    scale = 200_000 / args.chars
    print(f"slowest extrapolated to a block of 200,000 characters: {worst[0][0] * scale:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
