"""Where in CN Navi each kind of help lives (the URL name of each help's page)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HelpLink:
    code: str
    url_name: str
    title: str
    summary: str


HELP_LINKS = {
    link.code: link
    for link in (
        HelpLink(
            "self_check",
            "know:self_check",
            _("セルフチェックシート"),
            _("11項目で取り組みの手順を確かめる"),
        ),
        HelpLink(
            "events",
            "programmes:event_list",
            _("普及・啓発セミナー"),
            _("支援機関と共催のセミナー"),
        ),
        HelpLink(
            "courses",
            "programmes:course_list",
            _("オンデマンド講座・研修"),
            _("無料の動画講座で学ぶ"),
        ),
        HelpLink(
            "headlines",
            "programmes:headline_list",
            _("支援情報ヘッドライン"),
            _("地域のイベントや補助金を探す"),
        ),
        HelpLink(
            "measure",
            "measure:index",
            _("CO2の見える化"),
            _("明細からCO2排出量を算定する"),
        ),
        HelpLink("reduce", "reduce:index", _("削減計画"), _("目標と削減計画を作る")),
        HelpLink(
            "consultation",
            "consultations:index",
            _("カーボンニュートラル相談窓口"),
            _("専門家に無料で相談する"),
        ),
        HelpLink(
            "calc_support",
            "consultations:calc_support",
            _("CO2排出量算定支援"),
            _("専門家が最大3回、無料で訪問"),
        ),
        HelpLink(
            "handson",
            "consultations:handson",
            _("ハンズオン支援（専門家派遣）"),
            _("専門家チームが中長期で伴走（有料・審査あり）"),
        ),
    )
}


def help_items(codes) -> list[dict]:
    """The help links for codes, in order, each {code, title, summary, url}."""
    items = []
    for code in codes:
        link = HELP_LINKS.get(code)
        if link is not None:
            items.append(
                {
                    "code": code,
                    "title": link.title,
                    "summary": link.summary,
                    "url": reverse(link.url_name),
                }
            )
    return items
