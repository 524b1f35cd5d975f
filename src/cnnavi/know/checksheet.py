"""The brochure's self-check sheet (カーボンニュートラル実現に向けたチェックシート, J-Net21):
11 items in three steps. Texts follow the brochure; references are those it names, linked only
to official sites (see docs/decisions/0500-know-diagnosis-as-versioned-data.md)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SOURCE_URL = "https://j-net21.smrj.go.jp/solution/chusho_sdgs/carbonneutral/checksheet.html"


@dataclass(frozen=True)
class Reference:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Item:
    number: str
    step: str
    text: str
    explanation: str
    references: tuple[Reference, ...]
    next_step: str  # what to do when the item is not yet in place
    help: tuple[str, ...]  # help codes (cnnavi.know.links)


@dataclass(frozen=True)
class CheckStep:
    code: str
    number: str
    title: str
    subtitle: str


STEPS = (
    CheckStep("current", "①", _("現状把握"), _("認識・知識")),
    CheckStep("action", "②", _("取り組み"), _("行動・意識")),
    CheckStep("plan", "③", _("計画策定"), _("計画・今後の方針")),
)

ITEMS = (
    Item(
        "1",
        "current",
        _("エネルギーの種類別（電気・ガス・熱供給の区分）に、毎月の使用量を整理していますか"),
        _(
            "エネルギー使用量の把握には、電力会社などからの明細が役立ちます。月別の明細や前年同期との"
            "比較などを見える化すると、改善点が見つかります。"
        ),
        (),
        _("電気・ガス・燃料の明細を、エネルギーの種類別・月別に CN Navi に入力しましょう。"),
        ("measure",),
    ),
    Item(
        "2",
        "current",
        _("事業所のCO2排出量（排出の実態）を把握していますか"),
        _(
            "自社の事業所のCO2排出量を把握することが、カーボンニュートラルへの出発点です。燃料などの"
            "使用量からCO2排出量に換算できます。"
        ),
        (Reference(_("CO2チェックシート（日本商工会議所）"), "https://eco.jcci.or.jp/checksheet"),),
        _("使用量からCO2排出量を算定しましょう。専門家のCO2排出量算定支援（無料）も使えます。"),
        ("measure", "calc_support"),
    ),
    Item(
        "3",
        "current",
        _("事業所の電気・燃料の使用量を、用途別（照明・空調・給湯など）に把握していますか"),
        _(
            "用途ごとの計量器がある事業所はほとんどありません。用途別の使用量は、計算による推計か、"
            "用途別の計量で求めます。用途別に把握すれば、CO2排出量の多い用途を絞り込めます。"
        ),
        (),
        _(
            "明細に用途を付けて、CO2排出量の多い用途を絞り込みましょう。講座で推計の方法を学べます。"
        ),
        ("measure", "courses"),
    ),
    Item(
        "4",
        "action",
        _("省エネルギー対策の検討や、外部の診断を依頼したことがありますか"),
        _(
            "外部の診断を受けると、CO2削減効果の大きい改善点が見つかります。省エネルギーセンターや"
            "各地域の省エネ支援団体が、省エネ診断を行っています。"
        ),
        (
            Reference(_("一般財団法人 省エネルギーセンター"), "https://www.eccj.or.jp/"),
            Reference(_("省エネお助け隊（省エネ支援団体）"), "https://www.shoene-portal.jp/"),
        ),
        _("相談窓口で、省エネ診断の受け方や対策の進め方を専門家に相談しましょう。"),
        ("consultation", "reduce"),
    ),
    Item(
        "5",
        "action",
        _(
            "省エネルギーやカーボンニュートラルのための設備投資に、補助金を活用できることを知っていますか"
        ),
        _("カーボンニュートラルに関連する補助金制度はさまざまあります。"),
        (
            Reference(_("一般社団法人 環境共創イニシアチブ（SII）"), "https://sii.or.jp/"),
            Reference(
                _("経済産業省 カーボンニュートラルに向けた中小企業支援策"),
                "https://www.meti.go.jp/policy/energy_environment/global_warming/SME/index.html",
            ),
        ),
        _("支援情報ヘッドラインで、地域の補助金を探しましょう。"),
        ("headlines", "consultation"),
    ),
    Item(
        "6",
        "action",
        _("中小企業のカーボンニュートラルへの取組事例を知っていますか"),
        _("中小企業の取組事例が参考になります。"),
        (Reference(_("中小規模事業者のための脱炭素経営ハンドブック（環境省）")),),
        _("オンデマンド講座「サプライチェーンで取り組むカーボンニュートラル」で事例を見られます。"),
        ("courses", "events"),
    ),
    Item(
        "7",
        "plan",
        _("カーボンニュートラルの実現に向けた政府の取り組みを知っていますか"),
        _(
            "カーボンニュートラルへの挑戦は、産業構造や経済社会の転換をもたらし、大きな成長につながる"
            "という発想で、本気で取り組むことが重要です。"
        ),
        (
            Reference(
                _("脱炭素ポータル（環境省）"), "https://ondankataisaku.env.go.jp/carbon_neutral/"
            ),
        ),
        _("セミナーで、カーボンニュートラルの背景と必要性を押さえましょう。"),
        ("events", "courses"),
    ),
    Item(
        "8",
        "plan",
        _("自社で、太陽光などの再生可能エネルギーによる発電を検討しましたか"),
        _(
            "再生可能エネルギーは、電気に変えて使うのが使いやすく経済的です。なかでも最も導入しやすい"
            "のが太陽光発電です。"
        ),
        (Reference(_("一般社団法人 太陽光発電協会"), "https://www.jpea.gr.jp/"),),
        _("削減計画の中で、太陽光発電の導入を検討しましょう。"),
        ("reduce", "consultation"),
    ),
    Item(
        "9",
        "plan",
        _("再生可能エネルギーで発電した電気の購入を検討しましたか"),
        _(
            "自社で再生可能エネルギーを発電できない場合は、再生可能エネルギーで発電している小売電気事業者"
            "から電気を購入できます。自社に合った電力会社を選べます。"
        ),
        (
            Reference(
                _("電力小売全面自由化（資源エネルギー庁）"),
                "https://www.enecho.meti.go.jp/category/electricity_and_gas/electric/electricity_liberalization/",
            ),
            Reference(_("企業・自治体向け電力調達ガイドブック 第5版（2022年版）（環境省）")),
        ),
        _("電力会社とメニューで、電気のCO2排出量がどれだけ変わるかを CN Navi で比べましょう。"),
        ("reduce", "measure"),
    ),
    Item(
        "10",
        "plan",
        _("【製造業向け】バイオマス燃料などを使うことで、CO2を削減できることを知っていますか"),
        _(
            "バイオマス燃料は再生可能エネルギーです。建築廃材や製材の端材をチップにしたものなどがあります。"
            "また、再生可能エネルギーは電気で利用でき、中期的には化石燃料を使う設備から電気を使う設備に"
            "切り替えることもCO2削減につながります。"
        ),
        (),
        _("燃料の転換や設備の電化を、専門家と一緒に検討しましょう。"),
        ("handson", "courses"),
    ),
    Item(
        "11",
        "plan",
        _(
            "再生可能エネルギーの発電（自家消費）や再生可能エネルギー電気の購入のほかに、証書で環境価値を買えることを知っていますか"
        ),
        _(
            "再生可能エネルギーの電力を使わなくても、グリーン電力証書などで環境価値を購入すれば、"
            "再生可能エネルギーを使ったとみなされます。証書の購入は、発電設備の建設・維持・拡大にも"
            "貢献します。"
        ),
        (Reference(_("J-クレジット制度"), "https://japancredit.go.jp/"),),
        _("証書やクレジットの使い方を、相談窓口で確かめましょう。"),
        ("consultation",),
    ),
)

ITEM_NUMBERS = tuple(item.number for item in ITEMS)


def items_by_step():
    return [(step, [i for i in ITEMS if i.step == step.code]) for step in STEPS]
