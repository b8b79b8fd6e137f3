"""Creating, publishing and closing surveys, answering them once, and counting the answers."""

import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.encoding import force_bytes

from business.access import has_permission, require_permission, scoped
from business.access.scope import NotFoundError
from business.audit import services as audit
from business.core import ratelimit
from business.core.crypto import sm3
from business.organisations.models import Organisation

from .models import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    RATING_MAX,
    TEXT_ANSWER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Answer,
    Question,
    Response,
    Survey,
)

logger = logging.getLogger(__name__)

BROWSER_TOKEN_MIN_LENGTH = 16
BROWSER_TOKEN_MAX_LENGTH = 128
ALREADY_ANSWERED_MESSAGE = "您已填写过这份问卷，每人只能提交一次。"


class SurveyError(Exception):
    """Rejected input, with ``errors`` as ``(field, message, code)`` tuples."""

    def __init__(self, errors: list[tuple[str, str, str]]):
        super().__init__("; ".join(message for _, message, _ in errors))
        self.errors = errors


class SurveyRateLimited(Exception):
    """Too many anonymous responses from one client address."""


@dataclass
class QuestionSpec:
    kind: str
    text: str
    required: bool = True
    options: list[str] = field(default_factory=list)


@dataclass
class AnswerSpec:
    question_id: int
    option_indexes: list[int] = field(default_factory=list)
    rating: int | None = None
    text: str = ""


# --- Managing ----------------------------------------------------------------------------


def managed_surveys(user):
    return scoped(Survey.objects.all(), user, "surveys.manage")


def get_managed(user, pk) -> Survey:
    try:
        return managed_surveys(user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("问卷") from None


def _check_survey_fields(title, audience, opens_at, closes_at, questions) -> list:
    problems = []
    title = (title or "").strip()
    if not title:
        problems.append(("title", "请填写问卷标题。", "required"))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(("title", f"问卷标题最多 {TITLE_MAX_LENGTH} 个字，请精简。", "too_long"))
    if audience not in Survey.Audience.values:
        problems.append(
            ("audience", "请选择调查对象：社会公众、企业或技术机构。", "invalid_audience")
        )
    if opens_at is None or closes_at is None:
        problems.append(("closesAt", "请填写开始时间和截止时间。", "required"))
    elif closes_at <= opens_at:
        problems.append(("closesAt", "截止时间应晚于开始时间，请重新选择。", "invalid_period"))
    if not questions:
        problems.append(("questions", "问卷至少要有一道题目。", "required"))
    elif len(questions) > MAX_QUESTIONS:
        problems.append(("questions", f"一份问卷最多 {MAX_QUESTIONS} 道题目。", "too_many"))
    for index, question in enumerate(questions or [], start=1):
        problems.extend(_check_question(index, question))
    return problems


def _check_question(index: int, question: QuestionSpec) -> list:
    problems = []
    where = f"questions.{index - 1}"
    if question.kind not in Question.Kind.values:
        problems.append(
            (where, f"第 {index} 题的题型无效，请选择单选、多选、填空或评分。", "invalid_kind")
        )
    text = (question.text or "").strip()
    if not text or len(text) > 200:
        problems.append((where, f"请填写第 {index} 题的题目（最多 200 字）。", "invalid_text"))
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        options = [option.strip() for option in question.options]
        if len(options) < 2 or len(options) > MAX_OPTIONS:
            problems.append(
                (where, f"第 {index} 题应有 2 至 {MAX_OPTIONS} 个选项。", "invalid_options")
            )
        elif any(not option or len(option) > 100 for option in options):
            problems.append((where, f"第 {index} 题有空白或超过 100 字的选项。", "invalid_options"))
        elif len(set(options)) != len(options):
            problems.append((where, f"第 {index} 题有重复的选项。", "duplicate_options"))
    return problems


@transaction.atomic
def save_survey(
    user,
    *,
    survey: Survey | None,
    title: str,
    description: str,
    audience: str,
    opens_at,
    closes_at,
    questions: list[QuestionSpec],
    request_info,
) -> Survey:
    """Create a draft survey (``survey`` None) or replace a draft's fields and questions."""
    require_permission(user, "surveys.manage")
    if survey is not None and survey.status != Survey.Status.DRAFT:
        raise SurveyError([("id", "问卷已发布，不能再修改题目。", "not_draft")])
    problems = _check_survey_fields(title, audience, opens_at, closes_at, questions)
    if problems:
        raise SurveyError(problems)

    creating = survey is None
    if creating:
        survey = Survey(organisation=user.organisation, created_by=user)
    survey.title = title.strip()
    survey.description = (description or "").strip()
    survey.audience = audience
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.save()
    survey.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            survey=survey,
            position=position,
            kind=spec.kind,
            text=spec.text.strip(),
            required=spec.required,
            options=[option.strip() for option in spec.options]
            if spec.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
            else [],
        )
        for position, spec in enumerate(questions, start=1)
    )
    audit.record_event(
        "survey.create" if creating else "survey.update",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="survey",
        object_id=survey.pk,
        changes={"title": (None, survey.title), "questions": (None, len(questions))},
    )
    return survey


@transaction.atomic
def set_status(survey: Survey, user, status: str, *, request_info) -> Survey:
    """Publish a draft or close a published survey."""
    allowed = {
        Survey.Status.PUBLISHED: Survey.Status.DRAFT,
        Survey.Status.CLOSED: Survey.Status.PUBLISHED,
    }
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if allowed.get(status) != survey.status:
        raise SurveyError(
            [
                (
                    "status",
                    f"问卷当前为“{survey.get_status_display()}”，不能执行该操作。",
                    "invalid_status",
                )
            ]
        )
    before = survey.status
    survey.status = status
    if status == Survey.Status.PUBLISHED:
        survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at"])
    audit.record_event(
        "survey.publish" if status == Survey.Status.PUBLISHED else "survey.close",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="survey",
        object_id=survey.pk,
        changes={"status": (before, status)},
    )
    return survey


# --- Answering ---------------------------------------------------------------------------


def _audiences_for(user) -> list[str]:
    if user is None:
        return [Survey.Audience.PUBLIC]
    audiences = [Survey.Audience.PUBLIC]
    if not has_permission(user, "surveys.respond"):
        return audiences
    kind = user.organisation.kind
    if kind == Organisation.Kind.ENTERPRISE:
        audiences.append(Survey.Audience.ENTERPRISES)
    elif kind == Organisation.Kind.INSTITUTION:
        audiences.append(Survey.Audience.INSTITUTIONS)
    return audiences


def open_surveys(user):
    """Return the published surveys open now to ``user`` (None for an anonymous visitor)."""
    now = timezone.now()
    return Survey.objects.filter(
        status=Survey.Status.PUBLISHED,
        opens_at__lte=now,
        closes_at__gt=now,
        audience__in=_audiences_for(user),
    ).order_by("closes_at", "pk")


def get_open(user, pk) -> Survey:
    try:
        return open_surveys(user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("问卷") from None


def browser_token_digest(token: str) -> str:
    key = sm3.digest(force_bytes("business.surveys.browser_token:" + settings.SECRET_KEY))
    return sm3.hmac_sm3(key, force_bytes(token)).hex()


def _check_answers(survey: Survey, answers: list[AnswerSpec]) -> tuple[list, list[Answer]]:
    questions = {question.pk: question for question in survey.questions.all()}
    given = {answer.question_id: answer for answer in answers}
    problems = []
    rows: list[Answer] = []
    for question in questions.values():
        answer = given.get(question.pk)
        where = f"question.{question.pk}"
        label = f"第 {question.position} 题"
        answered = answer is not None and (
            answer.option_indexes or answer.rating is not None or (answer.text or "").strip()
        )
        if not answered:
            if question.required:
                problems.append((where, f"{label}为必答题，请作答。", "required"))
            continue
        rows.extend(_answer_rows(question, answer, where, label, problems))
    unknown = set(given) - set(questions)
    if unknown:
        problems.append(
            ("answers", "答案中有不属于本问卷的题目，请刷新后重新填写。", "unknown_question")
        )
    return problems, rows


def _answer_rows(question: Question, answer: AnswerSpec, where, label, problems) -> list[Answer]:
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        indexes = sorted(set(answer.option_indexes))
        if any(index < 0 or index >= len(question.options) for index in indexes):
            problems.append((where, f"{label}的选项无效，请重新选择。", "invalid_option"))
            return []
        if question.kind == Question.Kind.SINGLE and len(indexes) != 1:
            problems.append((where, f"{label}为单选题，请只选一项。", "single_choice"))
            return []
        return [Answer(question=question, option_index=index) for index in indexes]
    if question.kind == Question.Kind.RATING:
        if answer.rating is None or not 1 <= answer.rating <= RATING_MAX:
            problems.append((where, f"{label}请打 1 至 {RATING_MAX} 分。", "invalid_rating"))
            return []
        return [Answer(question=question, rating=answer.rating)]
    text = (answer.text or "").strip()
    if len(text) > TEXT_ANSWER_MAX_LENGTH:
        problems.append((where, f"{label}最多填写 {TEXT_ANSWER_MAX_LENGTH} 个字。", "too_long"))
        return []
    return [Answer(question=question, text=text)]


def submit_response(
    survey: Survey,
    answers: list[AnswerSpec],
    *,
    user,
    browser_token: str,
    request,
) -> Response:
    """Store one response. A respondent who has answered before gets SurveyError ``already_answered``."""
    digest = ""
    if user is None:
        if not ratelimit.hit(
            "surveys.respond",
            ratelimit.client_ip(request),
            limit=settings.SURVEY_RATE_LIMIT,
            window_seconds=settings.SURVEY_RATE_WINDOW_SECONDS,
        ):
            raise SurveyRateLimited()
        token = (browser_token or "").strip()
        if not BROWSER_TOKEN_MIN_LENGTH <= len(token) <= BROWSER_TOKEN_MAX_LENGTH:
            raise SurveyError(
                [("browserToken", "浏览器标识无效，请刷新页面后重新填写。", "invalid_token")]
            )
        digest = browser_token_digest(token)

    if _already_answered(survey, user, digest):
        raise SurveyError([("survey", ALREADY_ANSWERED_MESSAGE, "already_answered")])
    problems, rows = _check_answers(survey, answers)
    if problems:
        raise SurveyError(problems)

    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, respondent=user, browser_token_digest=digest
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # Two submissions of one respondent raced; the unique constraint kept one.
        raise SurveyError([("survey", ALREADY_ANSWERED_MESSAGE, "already_answered")]) from None
    logger.info("survey %s answered (response %s)", survey.pk, response.pk)
    return response


def _already_answered(survey: Survey, user, digest: str) -> bool:
    if user is not None:
        return survey.responses.filter(respondent=user).exists()
    return survey.responses.filter(browser_token_digest=digest).exists()


def has_answered(survey: Survey, user, browser_token: str) -> bool:
    if user is not None:
        return _already_answered(survey, user, "")
    token = (browser_token or "").strip()
    if not token:
        return False
    return _already_answered(survey, None, browser_token_digest(token))


# --- Results -----------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    # (label, count) per option, or per rating 1..5.
    counts: list[tuple[str, int]]
    answered: int
    texts: list[str]


TEXT_SAMPLE_SIZE = 20


def results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Return the number of responses and per-question counts, with GROUP BY queries."""
    total = survey.responses.count()
    questions = list(survey.questions.all())
    option_counts = {
        (row["question_id"], row["option_index"]): row["count"]
        for row in Answer.objects.filter(question__survey=survey, option_index__isnull=False)
        .values("question_id", "option_index")
        .annotate(count=Count("pk"))
    }
    rating_counts = {
        (row["question_id"], row["rating"]): row["count"]
        for row in Answer.objects.filter(question__survey=survey, rating__isnull=False)
        .values("question_id", "rating")
        .annotate(count=Count("pk"))
    }
    answered = {
        row["question_id"]: row["count"]
        for row in Answer.objects.filter(question__survey=survey)
        .values("question_id")
        .annotate(count=Count("response", distinct=True))
    }

    output = []
    for question in questions:
        texts: list[str] = []
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            counts = [
                (option, option_counts.get((question.pk, index), 0))
                for index, option in enumerate(question.options)
            ]
        elif question.kind == Question.Kind.RATING:
            counts = [
                (f"{score} 分", rating_counts.get((question.pk, score), 0))
                for score in range(1, RATING_MAX + 1)
            ]
        else:
            counts = []
            texts = list(
                question.answers.exclude(text="")
                .order_by("-pk")
                .values_list("text", flat=True)[:TEXT_SAMPLE_SIZE]
            )
        output.append(QuestionResult(question, counts, answered.get(question.pk, 0), texts))
    return total, output


def export_responses(survey: Survey, user, *, request_info) -> bytes:
    """Return an .xlsx workbook with one row per response and one column per question."""
    from openpyxl import Workbook

    questions = list(survey.questions.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("答卷")
    sheet.append(
        ["序号", "提交时间", "答卷人类型"] + [f"{q.position}. {q.text}" for q in questions]
    )

    answers_by_response: dict[int, dict[int, list[Answer]]] = {}
    for answer in Answer.objects.filter(response__survey=survey).order_by("pk"):
        answers_by_response.setdefault(answer.response_id, {}).setdefault(
            answer.question_id, []
        ).append(answer)

    responses = survey.responses.select_related("respondent__organisation").order_by("pk")
    for index, response in enumerate(responses, start=1):
        by_question = answers_by_response.get(response.pk, {})
        cells = [
            index,
            timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M"),
            # Respondents stay anonymous in the export: only the kind of respondent shows.
            response.respondent.organisation.get_kind_display() if response.respondent else "公众",
        ]
        for question in questions:
            cells.append(_cell(sheet, question, by_question.get(question.pk, [])))
        sheet.append(cells)

    output = io.BytesIO()
    workbook.save(output)
    audit.record_event(
        "survey.export",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="survey",
        object_id=survey.pk,
    )
    return output.getvalue()


def _cell(sheet, question: Question, answers: list[Answer]):
    from openpyxl.cell import WriteOnlyCell

    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        value = "、".join(question.options[a.option_index] for a in answers)
    elif question.kind == Question.Kind.RATING:
        return answers[0].rating if answers else None
    else:
        value = answers[0].text if answers else ""
    # Typed text such as "=1+1" must stay text: openpyxl would store it as a formula.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
