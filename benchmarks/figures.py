"""Percentiles and per-group summaries printed by the benchmarks."""


def percentile(samples: list[float], fraction: float) -> float:
    """Return the sample at ``fraction`` (0.95 for p95) of the sorted samples, without interpolation."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def p95_by_group(label: str, samples: dict[str, list[float]]) -> str:
    """Return one line with the p95 and the sample count of each group, groups sorted by name."""
    parts = [
        f"{group} {percentile(values, 0.95):.0f} ms ({len(values)})"
        for group, values in sorted(samples.items())
    ]
    return f"    p95 by {label}: " + ", ".join(parts)
