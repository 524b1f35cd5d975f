"""The programme's menus, in the brochure's order."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Menu:
    number: str
    stage: str
    title: str
    summary: str
    url_name: str

    def url(self) -> str:
        return reverse(self.url_name)


# ① to ⑦ follow the brochure; the stage is 知る・測る・減らす or 人の支援 (help from people).
MENUS = [
    Menu(
        "①",
        _("知る"),
        _("セルフチェックシート"),
        _("11項目のチェックで、カーボンニュートラルへの取り組み状況を確かめます。"),
        "know:self_check",
    ),
    Menu(
        "①",
        _("知る"),
        _("支援情報ヘッドライン"),
        _("都道府県で絞り込んで、地域のイベントや補助金の情報を探せます。"),
        "programmes:headline_list",
    ),
    Menu(
        "②",
        _("知る"),
        _("普及・啓発セミナー"),
        _("支援機関と共催のセミナーに申し込めます。"),
        "programmes:event_list",
    ),
    Menu(
        "③",
        _("知る"),
        _("オンデマンド講座・研修"),
        _("動画講座で、自分のペースで学べます。支援機関向けの有料研修もあります。"),
        "programmes:course_list",
    ),
    Menu(
        "④",
        _("知る"),
        _("ステージ診断"),
        _("4つのステップに答えると、自社のステージと事業に潜むリスク、次の一歩がわかります。"),
        "know:diagnosis",
    ),
    Menu(
        "",
        _("測る"),
        _("CO2の見える化"),
        _("電気・ガス・燃料の請求書から、公的な排出係数でCO2排出量を算定します。"),
        "measure:index",
    ),
    Menu(
        "",
        _("減らす"),
        _("削減計画"),
        _("目標を立て、自社のデータで効果と費用を見積もった削減計画とロードマップを作ります。"),
        "reduce:index",
    ),
    Menu(
        "⑤",
        _("人の支援"),
        _("カーボンニュートラル相談窓口"),
        _("専門家に無料で相談できます（オンラインは毎週火・木、1時間、事前予約制）。"),
        "consultations:index",
    ),
    Menu(
        "⑥",
        _("人の支援"),
        _("CO2排出量算定支援"),
        _("専門家が最大3回まで無料で訪問し、現状把握・課題発見・削減目標の検討を支援します。"),
        "consultations:calc_support",
    ),
    Menu(
        "⑦",
        _("人の支援"),
        _("ハンズオン支援（専門家派遣）"),
        _("専門家チームが中長期で削減計画の策定と実行を支援します（有料・審査あり）。"),
        "consultations:handson",
    ),
]


def available_menus() -> list[tuple[Menu, str]]:
    return [(menu, menu.url()) for menu in MENUS]


def user_roles(user) -> dict:
    """What the header links and the TOTP check need to know about a logged-in user, in one
    query, kept on the user object for the request: a company membership, a support-office
    role, an active expert profile."""
    cached = getattr(user, "_nav_roles", None)
    if cached is None:

        def exists(model, **extra):
            return Exists(model.objects.filter(user=OuterRef("pk"), **extra))

        cached = (
            user._meta.model.objects.filter(pk=user.pk)
            .values(
                has_company=exists(user.memberships.model),
                is_office_staff=exists(user.office_roles.model),
                is_expert=exists(user.expert_profiles.model, active=True),
            )
            .first()
            or {}
        )
        user._nav_roles = cached
    return cached
