"""Pure rules of the programmes app: who may apply, how many places are left, how a waiting
list moves, how a spreadsheet cell is made safe. No Django here (import-linter keeps it so)."""

from collections.abc import Sequence
from dataclasses import dataclass

from cnnavi.core.spreadsheet import safe_row, spreadsheet_safe  # noqa: F401 (re-exported)
from cnnavi.orgs.rules import corporate_number_is_valid

# Audience and applicant codes (the same strings as the models' TextChoices).
ANYONE = "anyone"
SME_MEMBERS = "sme_members"
SUPPORT_INSTITUTIONS = "support_institutions"
COMPANY = "company"
SUPPORT_INSTITUTION = "support_institution"

# Reasons an application is refused (the service turns them into messages).
NEEDS_COMPANY = "needs_company"
NOT_SME = "not_sme"
SME_UNKNOWN = "sme_unknown"
NEEDS_SUPPORT_INSTITUTION = "needs_support_institution"


def eligibility_problem(
    *, audience: str, applicant_kind: str, company_is_sme: bool | None
) -> str | None:
    """Why this applicant may not apply, or None if they may.

    ``company_is_sme`` is the SME Basic Act test of the applicant's company (None when the
    company has neither capital nor employees entered); it is ignored for other applicants."""
    if audience == ANYONE:
        return None
    if audience == SME_MEMBERS:
        if applicant_kind != COMPANY:
            return NEEDS_COMPANY
        if company_is_sme is None:
            return SME_UNKNOWN
        return None if company_is_sme else NOT_SME
    if audience == SUPPORT_INSTITUTIONS:
        return None if applicant_kind == SUPPORT_INSTITUTION else NEEDS_SUPPORT_INSTITUTION
    raise ValueError(f"unknown audience {audience!r}")


def places_left(*, capacity: int, confirmed: int) -> int:
    return max(capacity - confirmed, 0)


def promotions(*, capacity: int, confirmed: int, waiting: Sequence) -> list:
    """The waiting applications (in their order) that take the free places."""
    return list(waiting[: places_left(capacity=capacity, confirmed=confirmed)])


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (99% until the last lesson is done)."""
        return 0 if self.total == 0 else self.done * 100 // self.total

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def completion_rate(*, enrolled: int, completed: int) -> float | None:
    return None if enrolled == 0 else round(completed * 100 / enrolled, 1)


# --- Lessons: progress from what the learner did (decision 1313) ----------------------------
# A report may credit at most the wall-clock time since the previous report (or since the
# lesson was opened) plus this slack for timer jitter and network delay.
REPORT_SLACK_SECONDS = 5.0
# The player reports every 10 s while playing; a longer gap (a pause, a closed tab, a day away)
# credits no more than this, so coming back later cannot jump to the end either.
MAX_REPORT_GAP_SECONDS = 30.0


def credit_watch(
    *, credited: float, reported: float, since_last: float, since_start: float
) -> float:
    """The seconds credited after a report that the player has reached ``reported`` seconds.

    The credit only grows, and never faster than real time: by at most ``since_last`` (at most
    30 s, + slack) per report and never beyond ``since_start`` (+ slack) in all. A jump to the end of the
    video is therefore capped to the time that really passed."""
    if reported != reported or reported <= credited:  # NaN or nothing new
        return credited
    limit = min(
        credited + min(max(since_last, 0.0), MAX_REPORT_GAP_SECONDS) + REPORT_SLACK_SECONDS,
        max(since_start, 0.0) + REPORT_SLACK_SECONDS,
    )
    return max(credited, min(reported, limit))


def watch_needed(*, video_seconds: int, threshold_percent: int) -> float:
    """Seconds to watch for a video lesson to be done (e.g. 90 % of its length)."""
    return video_seconds * threshold_percent / 100


# What a lesson still needs (decision 1326), in the order the page lists them.
WATCH = "watch"  # the video watched to the course's threshold
QUIZ = "quiz"  # the quiz passed
READ = "read"  # the minimum reading time


def lesson_missing(
    *, mode: str, has_quiz: bool, watched: bool, read: bool, quiz_passed: bool
) -> list[str]:
    """What the learner has still to do for a lesson to be done; empty when it is done by what
    they did. A video lesson with a quiz needs both: the video watched to the threshold AND
    the quiz passed. A quiz lesson (no video) needs the quiz; a reading lesson its time; a
    button lesson only its button (nothing the learner's activity completes)."""
    if mode == "video":
        needs = [(WATCH, watched)] + ([(QUIZ, quiz_passed)] if has_quiz else [])
    elif mode == "quiz":
        needs = [(QUIZ, quiz_passed)]
    elif mode == "reading":
        needs = [(READ, read)]
    else:
        return []
    return [code for code, done in needs if not done]


class QuizSyntaxError(ValueError):
    """The staff's quiz text is malformed; ``problems`` names every bad line."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.problems = problems


def parse_quiz(text: str) -> list[dict]:
    """Quiz text as staff type it: a question line starting with "Q" or "問", then its choices
    one per line, "-" for a wrong and "*" for the right one; blank lines separate questions.
    Raises QuizSyntaxError naming every bad line (number, reason code)."""
    questions: list[dict] = []
    problems: list[tuple[int, str]] = []
    current: dict | None = None
    start = 0

    def close():
        if current is None:
            return
        if len(current["choices"]) < 2:
            problems.append((start, "few_choices"))
        elif current["answer"] is None:
            problems.append((start, "no_answer"))
        questions.append(current)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, rest = line[:1], line[1:].lstrip(" :：.．")
        if line[:1] in ("Q", "q", "問") and not line.startswith(("-", "*")):
            close()
            current, start = {"question": rest.strip(), "choices": [], "answer": None}, number
        elif head in ("-", "*", "＊", "−", "ー") and current is not None and rest.strip():
            if head in ("*", "＊"):
                if current["answer"] is not None:
                    problems.append((number, "two_answers"))
                current["answer"] = len(current["choices"])
            current["choices"].append(rest.strip())
        else:
            problems.append((number, "bad_line"))
    close()
    if problems:
        raise QuizSyntaxError(problems)
    return questions


def quiz_text(quiz: list[dict]) -> str:
    """The staff's text form of a stored quiz (the inverse of parse_quiz)."""
    blocks = []
    for item in quiz:
        lines = [f"Q {item['question']}"]
        for index, choice in enumerate(item["choices"]):
            lines.append(("* " if index == item["answer"] else "- ") + choice)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# Problems of the English quiz text (the service turns them into messages naming the question).
EN_TOO_MANY = "too_many"  # more questions than the Japanese quiz has
EN_NO_TEXT = "no_text"  # choices without the question's English
EN_NO_CHOICES = "no_choices"  # the question's English without choices
EN_CHOICE_COUNT = "choice_count"  # not as many choices as the Japanese question
EN_ANSWER_MOVED = "answer_moved"  # a "*" on another choice than the Japanese answer


@dataclass(frozen=True)
class EnglishQuizProblem:
    question: int  # 1-based; for bad_line and too_many the line number
    code: str
    given: int = 0
    needed: int = 0


class EnglishQuizError(ValueError):
    def __init__(self, problems: list[EnglishQuizProblem]):
        super().__init__(problems)
        self.problems = problems


def parse_quiz_en(text: str, quiz: list[dict]) -> list[dict]:
    """The staff's English for a parsed Japanese ``quiz`` (decision 1327), in the same syntax:
    the n-th "Q" block is the n-th question's English, its choice lines the choices in the
    Japanese order ("-" or "*"; a "*" must sit on the Japanese answer, which stays the answer).
    A block with a bare "Q" and no choices, or missing trailing blocks, leaves a question in
    Japanese only; a question's English is its text and all its choices, or nothing.
    Returns ``quiz`` with ``question_en`` and ``choices_en`` on the questions that have English;
    raises EnglishQuizError naming every bad question (or line)."""
    blocks: list[dict] = []
    problems: list[EnglishQuizProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, rest = line[:1], line[1:].lstrip(" :：.．").strip()
        if head in ("Q", "q", "問"):
            blocks.append({"question": rest, "choices": [], "marked": [], "line": number})
        elif head in ("-", "*", "＊", "−", "ー") and blocks and rest:
            if head in ("*", "＊"):
                blocks[-1]["marked"].append(len(blocks[-1]["choices"]))
            blocks[-1]["choices"].append(rest)
        else:
            problems.append(EnglishQuizProblem(number, "bad_line"))
    if len(blocks) > len(quiz):
        problems.append(
            EnglishQuizProblem(blocks[len(quiz)]["line"], EN_TOO_MANY, len(blocks), len(quiz))
        )
    result = []
    for index, item in enumerate(quiz):
        japanese = {k: item[k] for k in ("question", "choices", "answer")}
        block = blocks[index] if index < len(blocks) else None
        if block is None or not (block["question"] or block["choices"]):
            result.append(japanese)
            continue
        n, needed = index + 1, len(item["choices"])
        if not block["question"]:
            problems.append(EnglishQuizProblem(n, EN_NO_TEXT))
        elif not block["choices"]:
            problems.append(EnglishQuizProblem(n, EN_NO_CHOICES, 0, needed))
        elif len(block["choices"]) != needed:
            problems.append(EnglishQuizProblem(n, EN_CHOICE_COUNT, len(block["choices"]), needed))
        elif any(marked != item["answer"] for marked in block["marked"]):
            problems.append(EnglishQuizProblem(n, EN_ANSWER_MOVED))
        result.append(japanese | {"question_en": block["question"], "choices_en": block["choices"]})
    if problems:
        raise EnglishQuizError(problems)
    return result


def quiz_text_en(quiz: list[dict]) -> str:
    """The staff's text form of a stored quiz's English (the inverse of parse_quiz_en): a bare
    "Q" for a question without English; nothing when no question has English."""
    if not any(item.get("question_en") for item in quiz):
        return ""
    blocks = []
    for item in quiz:
        lines = [f"Q {item['question_en']}" if item.get("question_en") else "Q"]
        for index, choice in enumerate(item.get("choices_en") or []):
            lines.append(("* " if index == item["answer"] else "- ") + choice)
        blocks.append("\n".join(lines))
    while blocks and blocks[-1] == "Q":
        blocks.pop()
    return "\n\n".join(blocks)


def quiz_answers(quiz: list[dict], posted) -> dict[int, int | None]:
    """The learner's choice per question from the posted form (``q0``, ``q1``, ...): the
    index of a choice the question has, else None (not answered)."""
    answers: dict[int, int | None] = {}
    for index, item in enumerate(quiz or []):
        raw = posted.get(f"q{index}", "")
        answers[index] = int(raw) if raw.isdigit() and int(raw) < len(item["choices"]) else None
    return answers


def quiz_percent(quiz: list[dict], answers: dict[int, int | None]) -> int:
    """Whole percent of questions answered right (a missing answer is wrong)."""
    if not quiz:
        return 0
    right = sum(1 for i, item in enumerate(quiz) if answers.get(i) == item["answer"])
    return right * 100 // len(quiz)


# --- Uploaded files: the type is decided by the bytes, not the name -------------------------
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff_video(head: bytes) -> str | None:
    """ "mp4" or "webm" from the first bytes of a file, else None."""
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def sniff_attachment(head: bytes, filename: str) -> str | None:
    """The attachment kind from its first bytes (an Office file is a zip; its name says
    which), else None."""
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpg"
    if head[:4] == b"PK\x03\x04":
        ext = filename.rsplit(".", 1)[-1].lower()
        return ext if ext in ("docx", "xlsx", "pptx") else None
    return None


# --- Qualified invoices (適格請求書) -----------------------------------------------------------
def registration_number_problem(number: str) -> str | None:
    """None if ``number`` is a valid 適格請求書発行事業者登録番号: "T" and the 13 digits of a
    法人番号 whose check digit holds (orgs.rules); otherwise what is wrong, as a code."""
    if not number.startswith("T"):
        return "prefix"
    digits = number[1:]
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return "digits"
    if not corporate_number_is_valid(digits):
        return "check_digit"
    return None


@dataclass(frozen=True)
class InvoiceAmounts:
    total_yen: int  # tax included
    tax_yen: int  # the consumption tax contained in total_yen, at rate_percent
    rate_percent: int

    @property
    def net_yen(self) -> int:
        return self.total_yen - self.tax_yen


def invoice_amounts(*, unit_price_yen: int, quantity: int, rate_percent: int) -> InvoiceAmounts:
    """Totals of a tax-included invoice with one tax rate. The tax is computed once per invoice
    and rate from the rate's tax-included total, rounding down (消費税法施行令 第70条の10: one
    rounding per invoice per rate; the direction is the issuer's choice). A negative total (a
    cancellation) rounds towards zero so that it returns exactly the original tax."""
    total = unit_price_yen * quantity
    tax = abs(total) * rate_percent // (100 + rate_percent)
    return InvoiceAmounts(
        total_yen=total, tax_yen=tax if total >= 0 else -tax, rate_percent=rate_percent
    )


def invoice_number(*, year: int, sequence: int) -> str:
    """``INV-2026-000123``: the year of issue and the office's sequence (never reset)."""
    return f"INV-{year}-{sequence:06d}"


def format_yen(amount: int) -> str:
    """¥66,000 (and -¥66,000)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,}"
