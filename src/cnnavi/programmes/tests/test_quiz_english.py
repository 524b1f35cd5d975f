"""Quizzes in English (decision 1327): staff give each question optional English text and
choices in the Japanese order; the English lesson page shows them, else the Japanese marked
lang="ja" with one note; answers are positions, so grading is the same in both languages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cnnavi.programmes import rules, services
from cnnavi.programmes.models import LessonProgress
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("japanese_afterwards")]

QUIZ = "Q 排出量の単位は\n- kWh\n* t-CO2\n- 円\n\nQ Scope2 は\n* 購入した電気\n- 自社の燃料"
QUIZ_EN = (
    "Q What is the unit of emissions?\n- kWh\n* t-CO2\n- yen\n\n"
    "Q Scope 2 is\n- Purchased electricity\n- Fuel burnt on site"
)


def url(name: str, *args, language: str = "ja") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def quiz_course(world):
    course = make_course(world.a.office, lessons=2)
    first = course.chapters.get().lessons.first()
    lesson = services.lesson_save(
        actor=None,
        chapter=first.chapter,
        lesson=first,
        quiz_text=QUIZ,
        quiz_text_en=QUIZ_EN,
        quiz_pass_percent=100,
    )
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    return course, lesson, learner


def test_the_english_is_stored_next_to_the_japanese_and_round_trips():
    quiz = rules.parse_quiz_en(QUIZ_EN, rules.parse_quiz(QUIZ))
    assert quiz[0] == {
        "question": "排出量の単位は",
        "choices": ["kWh", "t-CO2", "円"],
        "answer": 1,
        "question_en": "What is the unit of emissions?",
        "choices_en": ["kWh", "t-CO2", "yen"],
    }
    # The answer stays the Japanese one; the English "*" is optional.
    assert quiz[1]["answer"] == 0 and quiz[1]["choices_en"][0] == "Purchased electricity"
    text = rules.quiz_text_en(quiz)
    assert text.splitlines()[-2] == "* Purchased electricity"
    assert rules.parse_quiz_en(text, rules.parse_quiz(QUIZ)) == quiz
    # A bare "Q" (or a missing trailing block) leaves a question in Japanese only.
    partial = rules.parse_quiz_en("Q\n\nQ Scope 2 is\n- a\n- b", rules.parse_quiz(QUIZ))
    assert "question_en" not in partial[0] and partial[1]["choices_en"] == ["a", "b"]
    assert rules.quiz_text_en(partial).startswith("Q\n\nQ Scope 2 is")
    assert rules.parse_quiz_en("", rules.parse_quiz(QUIZ)) == rules.parse_quiz(QUIZ)
    assert rules.quiz_text_en(rules.parse_quiz(QUIZ)) == ""


def test_english_problems_name_the_question():
    quiz = rules.parse_quiz(QUIZ)
    with pytest.raises(rules.EnglishQuizError) as exc:
        rules.parse_quiz_en("Q Unit?\n- kWh\n* t-CO2\n\nQ\n- a\n- b\n\nQ Third?\n- x\n- y", quiz)
    codes = [(p.question, p.code, p.given, p.needed) for p in exc.value.problems]
    assert codes == [
        (9, rules.EN_TOO_MANY, 3, 2),
        (1, rules.EN_CHOICE_COUNT, 2, 3),
        (2, rules.EN_NO_TEXT, 0, 0),
    ]
    with pytest.raises(rules.EnglishQuizError) as exc:
        rules.parse_quiz_en("Q Unit?\n* kWh\n- t-CO2\n- yen\n\nQ Scope 2?", quiz)
    assert [(p.question, p.code) for p in exc.value.problems] == [
        (1, rules.EN_ANSWER_MOVED),
        (2, rules.EN_NO_CHOICES),
    ]


def test_staff_save_english_choices_and_see_them_again(world, alice_client):
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    edit = reverse("programmes_staff:lesson_edit", args=[course.pk, lesson.pk])
    data = {"title": lesson.title, "kind": "video", "position": "", "quiz_text": QUIZ}
    response = alice_client.post(edit, {**data, "quiz_text_en": QUIZ_EN})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.quiz[1]["choices_en"] == ["Purchased electricity", "Fuel burnt on site"]
    page = alice_client.get(edit).content.decode()
    assert re.search(r'<textarea name="quiz_text_en"[^>]* lang="en"', page)
    assert "Q Scope 2 is\n* Purchased electricity\n- Fuel burnt on site</textarea>" in page


def test_staff_get_a_422_naming_the_question_when_the_english_choices_do_not_match(
    world, alice_client
):
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    edit = reverse("programmes_staff:lesson_edit", args=[course.pk, lesson.pk])
    short = "Q What is the unit of emissions?\n- kWh\n* t-CO2\n\nQ Scope 2 is\n- a\n- b"
    data = {"title": lesson.title, "kind": "video", "position": "", "quiz_text": QUIZ}
    response = alice_client.post(edit, {**data, "quiz_text_en": short})
    assert response.status_code == 422
    html = response.content.decode()
    assert "問1: 英語の選択肢が2行あります。日本語の選択肢と同じ3行にしてください" in html
    lesson.refresh_from_db()
    assert lesson.quiz == []  # nothing saved, not even the Japanese
    # In English, the same message.
    response = alice_client.post(
        url("programmes_staff:lesson_edit", course.pk, lesson.pk, language="en"),
        {**data, "quiz_text_en": short},
    )
    assert response.status_code == 422
    assert (
        "Question 1: the English has 2 choices; give as many as the Japanese choices (3)"
        in response.content.decode()
    )


def test_the_english_page_shows_the_english_quiz(quiz_course, client):
    course, lesson, learner = quiz_course
    client.force_login(learner)
    html = client.get(url("programmes:lesson_detail", course.pk, lesson.pk, language="en"))
    quiz = html.content.decode().split('data-testid="lesson-quiz"')[1].split("</section>")[0]
    assert "What is the unit of emissions?" in quiz and "> yen</label>" in quiz
    assert "Purchased electricity" in quiz and "排出量" not in quiz and "円" not in quiz
    assert 'lang="ja"' not in quiz and "Japanese only" not in quiz
    # The Japanese page keeps the Japanese.
    html = client.get(url("programmes:lesson_detail", course.pk, lesson.pk)).content.decode()
    assert "排出量の単位は" in html and "What is the unit" not in html


def test_a_question_without_english_is_japanese_marked_with_one_note(world, client):
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    services.lesson_save(
        actor=None,
        chapter=lesson.chapter,
        lesson=lesson,
        quiz_text=QUIZ + "\n\nQ 電気の排出係数は\n* 電力会社ごと\n- 全国一律",
        quiz_text_en="Q What is the unit of emissions?\n- kWh\n- t-CO2\n- yen",
    )
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    html = client.get(url("programmes:lesson_detail", course.pk, lesson.pk, language="en"))
    quiz = html.content.decode().split('data-testid="lesson-quiz"')[1].split("</section>")[0]
    assert quiz.count('data-testid="ja-only">Japanese only<') == 1
    assert '<span lang="ja">Scope2 は</span>' in quiz
    assert '<label lang="ja"><input type="radio" name="q1" value="0"> 購入した電気</label>' in quiz
    assert '<span lang="ja">電気の排出係数は</span>' in quiz
    assert '<label><input type="radio" name="q0" value="2"> yen</label>' in quiz
    # No note on the Japanese page.
    html = client.get(url("programmes:lesson_detail", course.pk, lesson.pk)).content.decode()
    assert "ja-only" not in html.split('data-testid="lesson-quiz"')[1]


def test_an_english_learner_is_graded_by_position_like_a_japanese_one(quiz_course, client):
    course, lesson, learner = quiz_course
    client.force_login(learner)
    post = url("programmes:lesson_quiz", course.pk, lesson.pk, language="en")
    # "t-CO2" is choice 1 and "Purchased electricity" choice 0 in both languages.
    assert lesson.quiz[0]["choices_en"][1] == lesson.quiz[0]["choices"][1] == "t-CO2"
    page = client.post(post, {"q0": "2", "q1": "0"}, follow=True).content.decode()
    assert "50%" in page and "The pass mark is 100%" in page
    progress = LessonProgress.objects.get(lesson=lesson)
    assert progress.quiz_percent == 50 and progress.done_at is None
    # The same positions on the Japanese page give the same result.
    japanese = url("programmes:lesson_quiz", course.pk, lesson.pk)
    assert (
        "50%でした" in client.post(japanese, {"q0": "2", "q1": "0"}, follow=True).content.decode()
    )
    client.post(post, {"q0": "1", "q1": "0"})
    progress.refresh_from_db()
    assert progress.quiz_percent == 100 and progress.done_at is not None


def test_editing_the_japanese_without_english_drops_it_and_english_alone_keeps_the_japanese(
    quiz_course,
):
    course, lesson, _ = quiz_course
    lesson = services.lesson_save(
        actor=None, chapter=lesson.chapter, lesson=lesson, quiz_text_en="Q\n\nQ Scope 2?\n- a\n- b"
    )
    assert lesson.quiz[0]["question"] == "排出量の単位は" and "question_en" not in lesson.quiz[0]
    assert lesson.quiz[1]["question_en"] == "Scope 2?" and lesson.quiz[1]["answer"] == 0
    lesson = services.lesson_save(actor=None, chapter=lesson.chapter, lesson=lesson, quiz_text=QUIZ)
    assert lesson.quiz == rules.parse_quiz(QUIZ)
