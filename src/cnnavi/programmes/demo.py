"""Demo data from the brochure: the seminar (moved into the future so that it is open), the paid
training (its real 2026 run, now past, and a future run marked as demo), the two on-demand
courses exactly as listed, and support headlines for 富山・石川・福井 marked as demo.

Links go only to the pages the brochure names; invented items carry no link and say so."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cnnavi.programmes.models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    Audience,
    Chapter,
    Course,
    Event,
    EventKind,
    EventSession,
    Headline,
    HeadlineKind,
    HeadlinePrefecture,
    HeadlineTopic,
    InvoiceSettings,
    InvoiceStatus,
    Lesson,
    LessonKind,
    PaymentStatus,
    Topic,
    VenueMode,
)

TOKYO = ZoneInfo("Asia/Tokyo")
# A fictitious 登録番号: "T" and thirteen digits whose check digit holds (a base of twelve
# zeros), so that the demo can issue invoices; no real business has it.
DEMO_REGISTRATION_NUMBER = "T9000000000000"
DEMO_PAYMENT_NOTE = (
    "【デモ】この請求書はデモ用です。発行事業者名・登録番号・振込先は架空のもので、"
    "お支払いの必要はありません。"
)
COURSE_1_URL = "https://www.smrj.go.jp/institute/web/ondemand_course/index.html"
COURSE_2_URL = "https://www.smrj.go.jp/institute/web/ondemand_course/hkj3i80000009atu.html"
TRAINING_URL = "https://webeecampus.smrj.go.jp/courses/hien/261005/"

SEMINAR_TITLE = "中小企業脱炭素経営セミナー"
TRAINING_TITLE = "カーボンニュートラル戦略の支援（基本編）【7月・午後】"
TRAINING_DEMO_TITLE = "カーボンニュートラル戦略の支援（基本編）【デモ開催回】"

SEMINAR_CONSENT = (
    "※お申込みいただいた情報、当日の様子（映像・写真等）は開催者からの各種連絡・情報提供のために"
    "利用させていただきます"
)
TRAINING_PROGRAMME = """1日目：カーボンニュートラルと今後の事業環境変化、取り組みの概要
1. 地球温暖化（原因と地球規模の影響／カーボンニュートラルの目指すところ／カーボンニュートラル以外の地球温暖化対応）
2. 世界の動き（気候変動関連イベントとカーボンニュートラルの広がり／NDCとGHG削減状況）
3. 国内の動き（カーボンニュートラルに係る政策の動向／大企業のサプライチェーンへの要求／金融機関の動向）
4. 中小企業とカーボンニュートラル（国内外の潮流の影響／カーボンニュートラル経営の考え方）
5. その他キーワード（排出量取引と化石燃料賦課金／Scope3とCFP）
6. カーボンニュートラルの取り組み（知る・測る・減らすの具体的な流れの概要）
7. ケーススタディのポイント（CO2排出量見える化の基本）
2日目：CO2排出量の見える化を理解しよう
1. ケーススタディ（A社のCO2排出量の把握・算定／見える化を削減の取組につなげる支援のポイント）
2. 先進事例等紹介"""
DAY_1 = "カーボンニュートラルと今後の事業環境変化、取り組みの概要"
DAY_2 = "CO2排出量の見える化を理解しよう"

# (Japanese title, English title), lesson titles
COURSE_1_CHAPTERS = [
    (
        ("1. カーボンニュートラルに取り組む理由", "1. Why work on carbon neutrality"),
        [
            "【オープニング】漫画アニメーション「いま、時代はカーボンニュートラル！わが社も脱炭素について真剣に考える時が・・・」",
            "【注目理由1】なぜカーボンニュートラルに取り組む必要があるのか？ 企業を取り巻く環境の変化",
            "【注目理由2】なぜカーボンニュートラルに取り組む必要があるのか？ 活動で得られること",
            "【国際的な対応1】SBTとは何か？",
            "【国際的な対応2】中小企業版SBTとは何か？",
        ],
    ),
    (
        ("2. 現状把握と目標設定", "2. Knowing where you stand and setting targets"),
        [
            "【まんが】CO2排出量の算出式って何？",
            "【全体フロー】カーボンニュートラル活動の全体像",
            "【現状把握1】自社のCO2排出量を把握するためには (1) CO2排出量の計算方法",
            "【現状把握2】自社のCO2排出量を把握するためには (2) 電気のCO2排出量の把握",
            "【現状把握3】自社のCO2排出量を把握するためには (3) ガス・燃料油などのCO2排出量の把握",
            "【目標設定・認定】目標設定と対外的アピール",
        ],
    ),
    (
        ("3. CO2排出量の削減計画 (1)", "3. Planning the reduction of CO2 emissions (1)"),
        [
            "【まんが】エネルギーフローとパレート図って何？",
            "【計画1-1】CO2削減の狙い目を探すには (1) 施設・エネルギーごとに比較する",
            "【計画1-2】CO2削減の狙い目を探すには (2) 設備・工程ごとに比較する",
            "【まんが】CO2を削減する3つの方法って何？",
            "【計画2】削減に向けての考え方：CO2排出量を面積で考える",
            "【計画2-1】省エネ6つのポイント：「ヤメル」について",
            "【計画2-1】省エネ6つのポイント：「トメル」「サゲル」について",
            "【計画2-1】省エネ6つのポイント：「ナオス」について",
            "【計画2-1】省エネ6つのポイント：「ヒロウ」「カエル」について",
        ],
    ),
    (
        ("4. CO2排出量の削減計画 (2)", "4. Planning the reduction of CO2 emissions (2)"),
        [
            "【計画2-2】CO2の排出係数の低減：電力・非電力",
            "【計画2-3】エネルギーの電化：燃料油の電化",
            "【まんが】ロードマップの作成と補助金の利用",
            "【計画3】ロードマップ作りと補助金の活用",
        ],
    ),
    (
        ("5. 活動事例", "5. Case studies"),
        [
            "【活動事例1】カーボンニュートラルの取組みを始めたきっかけとは？",
            "【活動事例2】カーボンニュートラルの取組内容について",
            "【活動事例3】取組みの障壁と突破方法とは？",
            "【活動事例4】取組みを組織内に浸透させた方法とは？",
            "【活動事例5】カーボンニュートラル経営 今後の展望",
        ],
    ),
    (
        ("まとめ", "Summary"),
        [
            "【まとめ】講師からの総括コメント",
            "【まんが】この取組で我が社は『選ばれる会社』になった！",
        ],
    ),
]

COURSE_2_EPISODES = [
    ("第1回 オープニング", 3),
    ("第2回 明電舎の取り組み", 10),
    ("第3回 東名電機の取り組み", 15),
    ("第4回 三静工業の取り組み", 11),
    ("第5回 たつみ電機製作所の取り組み", 13),
    ("第6回 環境省の取り組み", 15),
    ("第7回 クロージング", 5),
]

COURSES = [
    dict(
        title="中小企業の目線で取り組む カーボンニュートラルの進め方",
        provider="中小企業大学校 WEBee Campus（無料オンデマンド講座）",
        description=(
            "1本あたり5～10分の動画、全26本で構成されています。オンデマンド講座登録が必要ですが、"
            "無料で視聴頂けます。\n"
            "（CN Navi では、パンフレットの目次の31項目をそのままレッスンにしています。"
            "うち5項目は【まんが】です。動画は講座ページで視聴し、見終えたら「視聴済み」にしてください。）"
        ),
        audience_note=(
            "中小企業者、中小企業支援者\n"
            "取引先よりカーボンニュートラルの取組みを求められている方\n"
            "時代の流れを踏まえて先手を打つことで一歩先を行く環境対応企業を目指す方\n"
            "カーボンニュートラルについてゼロから学びたい方"
        ),
        title_en="Carbon neutrality from an SME's point of view: how to proceed",
        audience_note_en=(
            "SMEs and those who support them\n"
            "Companies whose customers ask them to work on carbon neutrality\n"
            "Companies that want to act early and stay a step ahead on the environment\n"
            "Anyone who wants to learn about carbon neutrality from scratch"
        ),
        description_en=(
            "26 videos of 5-10 minutes each. Registration for the on-demand course is required; "
            "watching is free.\n"
            "(In CN Navi the 31 items of the brochure's table of contents are the lessons, five of "
            "them manga. Watch the videos on the course page and mark each as watched.)"
        ),
        page_url=COURSE_1_URL,
        position=1,
    ),
    dict(
        title="サプライチェーンで取り組む カーボンニュートラル",
        provider="中小企業大学校 WEBee Campus（無料オンデマンド講座）",
        description="サプライチェーンでの取り組みについて実際の事例を多数ご紹介しています。",
        audience_note=(
            "中小企業者、中小企業支援者\n"
            "サプライチェーンでの取り組みにより、取引先よりカーボンニュートラルの取組みを求められている方\n"
            "カーボンニュートラルに関する企業の取組み事例を知りたい方\n"
            "環境省のカーボンニュートラルに関する最新の取組みを知りたい方"
        ),
        page_url=COURSE_2_URL,
        position=2,
    ),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TOKYO)


def _next_weekday(start, weekday: int):
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _event(office, *, title: str, sessions: list[tuple], **fields) -> Event:
    event = Event.objects.filter(office=office, title=title, is_demo=True).first()
    if event is not None:
        return event
    event = Event.objects.create(office=office, title=title, is_demo=True, **fields)
    for starts_at, ends_at, topic in sessions:
        EventSession.objects.create(event=event, starts_at=starts_at, ends_at=ends_at, topic=topic)
    return event


def _events(office, today) -> dict[str, Event]:
    now = timezone.now()
    seminar_day = _next_weekday(today + timedelta(days=28), 3)  # a Thursday, like 10.23 (木)
    seminar = _event(
        office,
        title=SEMINAR_TITLE,
        kind=EventKind.SEMINAR,
        description=(
            "カーボンニュートラルの実現に向け、大手企業が取引先である中小企業にもCO₂排出量の開示や"
            "削減を求める動きが加速しています。かつては一部企業の自主的な取組みと見られていた脱炭素"
            "対応も、今や信頼性や取引継続に関わる重要な経営課題となってきました。\n"
            "本セミナーは、北陸技術交流テクノフェアの会場内にて、カーボンニュートラルの背景や必要性を"
            "押さえ、脱炭素に対応しないリスク・取り組むメリット、「知る」「測る」「減らす」のステップ、"
            "Scope1・2の考え方など、実践に向けた進め方を解説します。\n"
            "※北陸技術交流テクノフェアへの入場には、来場お申込みが別途必要です。\n"
            "※テクノフェア会場内では、当機構がカーボンニュートラル相談ブースも設置。\n"
            "【デモ】パンフレットの過去の実施例（10月23日（木）11:00～11:45）を、申込できるように"
            "今日より後の日付に置き換えています。定員・申込期間もデモ用の値です。"
        ),
        programme=(
            "(1) カーボンニュートラル・脱炭素経営の必要性\n"
            "(2) 脱炭素経営に取り組まないリスク・取り組むメリット\n"
            "(3) 脱炭素経営を実現するためのステップ"
        ),
        title_en="Carbon neutrality for SMEs: how to get started (seminar)",
        description_en=(
            "Large companies increasingly ask their SME suppliers to disclose and reduce CO2 "
            "emissions; decarbonisation has become a business issue that affects trust and "
            "continued trade.\n"
            "Held at the Hokuriku Technology Exchange Techno Fair, this seminar explains why carbon "
            "neutrality matters, the risks of not acting and the benefits of acting, the steps "
            "'learn, measure, reduce' and how to think about Scope 1 and 2.\n"
            "Entry to the Techno Fair requires a separate visitor registration.\n"
            "[Demo] The brochure's past session (23 October, 11:00-11:45) has been moved to a date "
            "after today so that you can apply; capacity and application period are demo values."
        ),
        programme_en=(
            "(1) Why carbon neutrality and decarbonisation management matter\n"
            "(2) Risks of not acting, benefits of acting\n"
            "(3) Steps towards decarbonisation management"
        ),
        lecturer="中小企業基盤整備機構 中小企業アドバイザー（経営支援） 坂田 卓也 氏",
        venue_mode=VenueMode.VENUE,
        venue="福井県産業会館2号館（北陸技術交流テクノフェア会場内プレゼンコーナー）",
        venue_en=(
            "Fukui Industrial Hall, Building 2 (presentation corner of the Hokuriku Technology "
            "Exchange Techno Fair)"
        ),
        co_hosts="福井県\n(独)中小企業基盤整備機構 北陸本部\n福井県環境・エネルギー懇話会\n福井商工会議所",
        audience=Audience.ANYONE,
        audience_note="中小企業の経営者、部門リーダー、脱炭素経営等に関心がある方など",
        audience_note_en=(
            "SME owners, team leaders and anyone interested in decarbonisation management"
        ),
        fee_yen=0,
        capacity=40,
        application_opens_at=now - timedelta(days=1),
        application_closes_at=_at(seminar_day - timedelta(days=1), 17),
        cancellation_deadline=_at(seminar_day - timedelta(days=1), 17),
        consent_text=SEMINAR_CONSENT,
        contact="福井商工会議所 産業技術・DX推進課\nTel.0776-33-8252 E-mail sangyou@fcci.or.jp",
        is_published=True,
        sessions=[(_at(seminar_day, 11), _at(seminar_day, 11, 45), "")],
    )
    training_fields = dict(
        kind=EventKind.TRAINING,
        programme=TRAINING_PROGRAMME,
        venue_mode=VenueMode.ONLINE,
        online_note="WEBee Campus（インターネット・web会議システム）で受講します。",
        audience=Audience.SUPPORT_INSTITUTIONS,
        audience_note="中小企業支援機関",
        fee_yen=16_000,
        capacity=10,
        consent_text=(
            "お申込みいただいた情報は、研修の運営（受講のご案内、請求書の送付、受講記録）のために"
            "利用します。"
        ),
        contact="中小機構北陸本部 企業支援課\nTEL : 076-223-5546",
        external_url=TRAINING_URL,
        is_published=True,
    )
    training = _event(
        office,
        title=TRAINING_TITLE,
        description=(
            "中小企業支援機関の方は、受講をご検討ください。各3時間×2日間。\n"
            "【デモ】時刻（13:30～16:30）・申込期間・キャンセル期限はデモ用の仮の値です"
            "（パンフレットには「午後・各3時間」とだけあります）。"
        ),
        application_opens_at=_at(datetime(2026, 5, 20).date(), 9),
        application_closes_at=_at(datetime(2026, 7, 17).date(), 17),
        cancellation_deadline=_at(datetime(2026, 7, 17).date(), 17),
        sessions=[
            (
                _at(datetime(2026, 7, 27).date(), 13, 30),
                _at(datetime(2026, 7, 27).date(), 16, 30),
                DAY_1,
            ),
            (
                _at(datetime(2026, 8, 3).date(), 13, 30),
                _at(datetime(2026, 8, 3).date(), 16, 30),
                DAY_2,
            ),
        ],
        **training_fields,
    )
    day_1 = _next_weekday(today + timedelta(days=42), 0)  # Mondays, like the real run
    day_2 = day_1 + timedelta(days=7)
    training_demo = _event(
        office,
        title=TRAINING_DEMO_TITLE,
        description=(
            "【デモ】パンフレットの研修（2026年7月27日・8月3日、終了）をもとに、申込を試せるよう"
            "今日より後の日付で作ったデモ用の開催回です。実際の開催ではありません。各3時間×2日間。"
        ),
        application_opens_at=now - timedelta(days=1),
        application_closes_at=_at(day_1 - timedelta(days=10), 17),
        cancellation_deadline=_at(day_1 - timedelta(days=10), 17),
        sessions=[
            (_at(day_1, 13, 30), _at(day_1, 16, 30), DAY_1),
            (_at(day_2, 13, 30), _at(day_2, 16, 30), DAY_2),
        ],
        **training_fields,
    )
    return {"seminar": seminar, "training": training, "training_demo": training_demo}


def _demo_application(event, user, *, kind, company=None, organisation="", name="") -> None:
    if Application.objects.filter(event=event, user=user).exists():
        return
    paid = not event.is_free
    Application.objects.create(
        event=event,
        user=user,
        applicant_kind=kind,
        company=company,
        organisation=company.name if company else organisation,
        name=name or user.name or user.email,
        email=user.email,
        status=ApplicationStatus.CONFIRMED,
        consent_given_at=timezone.now(),
        invoice_status=InvoiceStatus.TO_ISSUE if paid else InvoiceStatus.NOT_APPLICABLE,
        payment_status=PaymentStatus.UNPAID if paid else PaymentStatus.NOT_APPLICABLE,
    )


def _courses(office) -> None:
    for spec in COURSES:
        course = Course.objects.filter(office=office, title=spec["title"], is_demo=True).first()
        if course is not None:
            continue
        course = Course.objects.create(office=office, is_demo=True, is_published=True, **spec)
        if spec["page_url"] == COURSE_1_URL:
            for c, ((chapter_title, title_en), lessons) in enumerate(COURSE_1_CHAPTERS, start=1):
                chapter = Chapter.objects.create(
                    course=course, position=c, title=chapter_title, title_en=title_en
                )
                for n, title in enumerate(lessons, start=1):
                    Lesson.objects.create(
                        chapter=chapter,
                        position=n,
                        title=title,
                        kind=LessonKind.MANGA
                        if title.startswith("【まんが】")
                        else LessonKind.VIDEO,
                        video_url=COURSE_1_URL,
                    )
        else:
            chapter = Chapter.objects.create(course=course, position=1, title="全7回")
            for n, (title, minutes) in enumerate(COURSE_2_EPISODES, start=1):
                Lesson.objects.create(
                    chapter=chapter,
                    position=n,
                    title=title,
                    kind=LessonKind.VIDEO,
                    duration_minutes=minutes,
                    video_url=COURSE_2_URL,
                )


def _headlines(office, today) -> None:
    items = [
        dict(
            kind=HeadlineKind.NEWS,
            title="カーボンニュートラル相談窓口（中小機構 北陸本部）",
            summary="専門家が無料で相談に応じます。場所：中小機構北陸本部（対面またはオンライン）。"
            "「CN相談」で検索。",
            source="中小機構 北陸本部",
            url="https://www.smrj.go.jp/regional_hq/hokuriku/sme/cn/index.html",
            prefectures=["16", "17", "18"],
            topics=[Topic.GENERAL],
            starts_on=today - timedelta(days=30),
            ends_on=None,
        ),
        dict(
            kind=HeadlineKind.NEWS,
            title="カーボンニュートラルのオンライン相談会（毎週火曜日・木曜日）",
            summary="専門家によるオンライン相談会（事前予約制、1時間無料）。",
            source="中小機構",
            url="https://www.smrj.go.jp/sme/consulting/sdgs/favos000001to2v.html",
            nationwide=True,
            topics=[Topic.GENERAL],
            starts_on=today - timedelta(days=30),
            ends_on=None,
        ),
        dict(
            kind=HeadlineKind.NEWS,
            title="J-Net21 カーボンニュートラル特設ページ",
            summary="施策情報、取組みの手順、セルフチェックシートなど。",
            source="J-Net21（中小機構）",
            url="https://j-net21.smrj.go.jp/special/chusho_sdgs/carbonneutral/index.html",
            nationwide=True,
            topics=[Topic.GENERAL, Topic.CO2_ACCOUNTING],
            starts_on=today - timedelta(days=60),
            ends_on=None,
        ),
        dict(
            kind=HeadlineKind.SEMINAR,
            title="中小企業脱炭素経営セミナー（福井県産業会館）",
            summary="CN Navi の「セミナー・研修」から申し込めます（デモ用の日付）。",
            source="福井商工会議所ほか",
            prefectures=["18"],
            topics=[Topic.GENERAL],
            starts_on=today - timedelta(days=3),
            ends_on=today + timedelta(days=30),
        ),
        dict(
            kind=HeadlineKind.SUBSIDY,
            title="【デモ・架空】省エネ設備への更新を支援する補助金（富山県内の中小企業向けの例）",
            summary="架空の例です。実在の制度ではありません。高効率空調・LED照明・コンプレッサー"
            "などへの更新を想定しています。",
            source="デモデータ",
            prefectures=["16"],
            topics=[Topic.ENERGY_SAVING, Topic.EQUIPMENT],
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=60),
        ),
        dict(
            kind=HeadlineKind.SUBSIDY,
            title="【デモ・架空】自家消費型太陽光発電の導入補助（石川県内の例）",
            summary="架空の例です。実在の制度ではありません。",
            source="デモデータ",
            prefectures=["17"],
            topics=[Topic.RENEWABLES, Topic.EQUIPMENT],
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=45),
        ),
        dict(
            kind=HeadlineKind.SUBSIDY,
            title="【デモ・架空】燃料から電気への転換（電化）を支援する補助金（福井県内の例）",
            summary="架空の例です。実在の制度ではありません。ボイラーのヒートポンプ化などを想定しています。",
            source="デモデータ",
            prefectures=["18"],
            topics=[Topic.ELECTRIFICATION, Topic.EQUIPMENT],
            starts_on=today - timedelta(days=20),
            ends_on=today + timedelta(days=20),
        ),
        dict(
            kind=HeadlineKind.EVENT,
            title="【デモ・架空】CO2排出量の算定 個別相談会（富山市・高岡市）",
            summary="架空の例です。請求書を持ち寄って、専門家と一緒にCO2排出量を算定します。",
            source="デモデータ",
            prefectures=["16"],
            topics=[Topic.CO2_ACCOUNTING],
            starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=25),
        ),
        dict(
            kind=HeadlineKind.SUBSIDY,
            title="【デモ・架空】受付を終了した補助金の例（富山県・石川県・福井県）",
            summary="架空の例です。終了した情報は、既定の一覧には表示されません。",
            source="デモデータ",
            prefectures=["16", "17", "18"],
            topics=[Topic.ENERGY_SAVING],
            starts_on=today - timedelta(days=90),
            ends_on=today - timedelta(days=1),
        ),
    ]
    for item in items:
        prefectures = item.pop("prefectures", [])
        topics = item.pop("topics", [])
        if Headline.objects.filter(office=office, title=item["title"]).exists():
            continue
        headline = Headline.objects.create(office=office, is_demo=True, **item)
        for code in prefectures:
            HeadlinePrefecture.objects.create(headline=headline, prefecture=code)
        for code in topics:
            HeadlineTopic.objects.create(headline=headline, topic=code)


def _invoice_settings(office) -> None:
    """The demo office's invoice issuer, marked as demo, so that a paid application is
    invoiced (and the invoice e-mailed) when it is accepted. An office's own settings are
    left alone."""
    InvoiceSettings.objects.get_or_create(
        office=office,
        defaults={
            "issuer_name": f"{office.name}（デモ）",
            "registration_number": DEMO_REGISTRATION_NUMBER,
            "payment_note": DEMO_PAYMENT_NOTE,
        },
    )


def load(ctx: dict) -> None:
    office = ctx["office"]
    today = timezone.localdate()
    with transaction.atomic():
        _invoice_settings(office)
        events = _events(office, today)
        companies = ctx["companies"]
        for key in ("fukui", "toyama"):
            company = companies[key]
            owner = company.memberships.filter(role="owner").select_related("user").first().user
            _demo_application(events["seminar"], owner, kind=ApplicantKind.COMPANY, company=company)
        _demo_application(
            events["training_demo"],
            ctx["staff"],
            kind=ApplicantKind.SUPPORT_INSTITUTION,
            organisation=office.name,
        )
        _courses(office)
        _headlines(office, today)
    ctx["notes"].append(
        "Programmes: the brochure's seminar is placed in the future so that it is open; "
        "the paid training's 2026-07 run is past (see /events/?past=1) and a future demo run "
        "exists. Run `cnnavi send_event_reminders` to send reminders. "
        f"Invoices: the demo office issues them as 「{office.name}（デモ）」 with the fictitious "
        f"registration number {DEMO_REGISTRATION_NUMBER} (check digit valid, no real business): "
        "apply for the demo training to receive the invoice by e-mail (`make run` prints "
        "mails to the console); the staff issue the demo staff member's from the event's page."
    )
