"""The Aging Males' Symptoms (AMS) scale: 17 symptoms rated 1 (none) to 5 (extremely severe).

Scored the standard way (Heinemann et al., Aging Male 1999 and Health Qual Life Outcomes
2003;1:15): the total is the sum of the 17 answers (17-85) with three sub-scores, and the
total reads as no (17-26), mild (27-36), moderate (37-49) or severe (50+) symptoms. The item
texts below are the project's own short wording of the scale's 17 symptoms; the printed
questionnaire of the scale's authors is the reference.
"""

from __future__ import annotations

from dataclasses import dataclass

ANSWERS = ("none", "mild", "moderate", "severe", "extremely severe")  # scored 1..5

ITEMS = (
    "Feeling less well in general (overall health, how you feel in yourself)",
    "Aching joints and muscles (e.g. low back pain, stiff limbs)",
    "Sweating a lot (sudden sweats or hot flushes you did not expect)",
    "Trouble sleeping (falling asleep, staying asleep, waking too early)",
    "Needing more sleep, often tired",
    "Irritable (easily annoyed, moody)",
    "Nervous (tense, restless inside)",
    "Anxious (panicky feelings)",
    "Physically exhausted, low on drive (less active, less keen on leisure)",
    "Less muscle strength (feeling weaker)",
    "Low or depressed mood (down, sad, close to tears, no drive)",
    "Feeling that your best years are behind you",
    "Feeling burnt out, at rock bottom",
    "Less beard growth",
    "Less able or less often able to have sex",
    "Fewer morning erections",
    "Less desire for sex",
)

# Item numbers (1-based) of each sub-score.
SUBSCALES = {
    "psychological": (6, 7, 8, 11, 13),
    "somato-vegetative": (1, 2, 3, 4, 5, 9, 10),
    "sexual": (12, 14, 15, 16, 17),
}

BANDS = ((26, "no"), (36, "mild"), (49, "moderate"), (85, "severe"))


@dataclass(frozen=True)
class AmsScore:
    """The AMS scale's total, subscores and the severity they mean."""
    total: int
    subscores: dict[str, int]
    severity: str  # "no", "mild", "moderate", "severe" (symptoms)

    def __str__(self) -> str:
        parts = ", ".join(f"{name} {value}" for name, value in self.subscores.items())
        return f"{self.total} ({self.severity} symptoms; {parts})"


def score(answers: list[int] | tuple[int, ...]) -> AmsScore:
    """Score 17 answers, each 1-5. ValueError says which answer is missing or wrong."""
    if len(answers) != len(ITEMS):
        raise ValueError(f"the AMS scale has {len(ITEMS)} questions; {len(answers)} answered")
    for number, answer in enumerate(answers, start=1):
        if answer not in (1, 2, 3, 4, 5):
            raise ValueError(f"question {number} needs an answer from 1 (none) to 5 (extremely "
                             "severe)")
    total = sum(answers)
    subscores = {name: sum(answers[i - 1] for i in items) for name, items in SUBSCALES.items()}
    severity = next(label for limit, label in BANDS if total <= limit)
    return AmsScore(total, subscores, severity)


def encode(answers: list[int] | tuple[int, ...]) -> str:
    return ",".join(str(a) for a in answers)


def decode(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]
