#!/usr/bin/env python3
# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Summarise a py-spy collapsed-stack file (bench/run.py --profile DIR).

    python3 bench/profile.py DIR/receipt-native-5000.txt [--match stock] [--top 40]

Prints the functions with the most samples, inclusive ("cum") and exclusive
("self"), as a share of all samples.
"""

import argparse
import collections
import re


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only frames whose text has this")
    args = parser.parse_args()
    cum = collections.Counter()
    own = collections.Counter()
    total = 0
    with open(args.file) as f:
        for line in f:
            stack, _sep, count = line.rstrip("\n").rpartition(" ")
            count = int(count)
            total += count
            frames = [re.sub(r":\d+\)$", ")", fr) for fr in stack.split(";")]
            for frame in set(frames):
                cum[frame] += count
            own[frames[-1]] += count
    print(f"{total} samples")
    for title, counter in (("cum", cum), ("self", own)):
        print(f"--- {title}")
        shown = 0
        for frame, count in counter.most_common():
            if args.match and args.match not in frame:
                continue
            print(f"{100 * count / total:5.1f}%  {frame[:150]}")
            shown += 1
            if shown >= args.top:
                break


if __name__ == "__main__":
    main()
