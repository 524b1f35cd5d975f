"""A diagnosis in progress lives in the browser session (nothing is stored in the database
until the last step is answered); the finished result's id stays there too, so that an
anonymous user sees it, and still sees it after logging in to save it."""

from django.http import HttpRequest

from cnnavi.know.models import Diagnosis, DiagnosisVersion

IN_PROGRESS = "know.diagnosis"
RESULT = "know.result"
RESULT_COMPANY = "know.result_company"  # the company chosen at the start, offered for saving


class AnswerSession:
    def __init__(self, request: HttpRequest):
        self.request = request
        data = request.session.get(IN_PROGRESS)
        self.data = data if isinstance(data, dict) else {}

    @classmethod
    def start(cls, request, *, version, prefecture="", industry="", company=None):
        request.session[IN_PROGRESS] = {
            "version": version.pk,
            "answers": {},
            "prefecture": prefecture or "",
            "industry": industry or "",
            "company": company.pk if company is not None else None,
            "reached": 1,
        }
        return cls(request)

    def version(self) -> DiagnosisVersion | None:
        pk = self.data.get("version")
        return DiagnosisVersion.objects.filter(pk=pk).first() if isinstance(pk, int) else None

    @property
    def answers(self) -> dict:
        return self.data.get("answers", {})

    @property
    def company_id(self) -> int | None:
        return self.data.get("company")

    @property
    def prefecture(self) -> str:
        return self.data.get("prefecture", "")

    @property
    def industry(self) -> str:
        return self.data.get("industry", "")

    def step(self, raw, *, total: int) -> int:
        """The step asked for, but never beyond the first unanswered one."""
        try:
            step = int(raw or 1)
        except (TypeError, ValueError):
            step = 1
        return max(1, min(step, self.data.get("reached", 1), total))

    def record(self, step: int, answers: dict) -> None:
        self.data["answers"] = {**self.answers, **answers}
        self.data["reached"] = max(self.data.get("reached", 1), step + 1)
        self.request.session[IN_PROGRESS] = self.data

    def finish(self, diagnosis: Diagnosis) -> None:
        company_id = self.company_id
        self.clear()
        self.request.session[RESULT] = diagnosis.pk
        self.request.session[RESULT_COMPANY] = company_id

    def clear(self) -> None:
        self.request.session.pop(IN_PROGRESS, None)
        self.data = {}
