"""Lottery numbers anyone can recompute: SHA-256(UTF-8 seed ‖ 0x00 ‖ UTF-8 applicant id) as a
256-bit integer. The smaller number wins a tie. They depend only on the published seed and each
applicant's stable id, so the order of rows in the input changes nothing."""

import hashlib
import itertools


def lottery_number(seed: str, applicant_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}\0{applicant_id}".encode()).digest(), "big")


def lottery_numbers(applicant_ids: list[str], seed: str) -> list[int]:
    prefix, sha, from_bytes = f"{seed}\0".encode(), hashlib.sha256, int.from_bytes
    return [from_bytes(sha(prefix + aid.encode()).digest(), "big") for aid in applicant_ids]


def lottery_order(applicant_ids: list[str], seed: str, numbers: list[int] | None = None) -> list[int]:
    """Applicant indices from the smallest lottery number up; ties, which SHA-256 makes vanishingly
    unlikely, go to the smaller id."""
    if numbers is None:
        numbers = lottery_numbers(applicant_ids, seed)
    order = sorted(range(len(numbers)), key=numbers.__getitem__)
    if any(numbers[a] == numbers[b] for a, b in itertools.pairwise(order)):
        order.sort(key=lambda a: (numbers[a], applicant_ids[a]))
    return order


def lottery_ranks(applicant_ids: list[str], seed: str) -> list[int]:
    """Each applicant's place in the lottery (0 = smallest number)."""
    return ranks_of(lottery_order(applicant_ids, seed))


def ranks_of(order: list[int]) -> list[int]:
    ranks = [0] * len(order)
    for r, a in enumerate(order):
        ranks[a] = r
    return ranks
