"""Display labels for audit action codes: one mapping for every app, shown on /staff/audit/
with the raw code as secondary text. A code that is not listed falls back to itself."""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # orgs
    "company.create": _("企業の登録"),
    "company.read": _("企業データの閲覧"),
    "company.update": _("企業情報の変更"),
    "facility.create": _("事業所の追加"),
    "facility.update": _("事業所の変更"),
    "facility.delete": _("事業所の削除"),
    "invitation.create": _("招待の作成"),
    "invitation.accept": _("招待の受諾"),
    "invitation.revoke": _("招待の取り消し"),
    "membership.change_role": _("メンバーの権限変更"),
    "membership.remove": _("メンバーの削除"),
    "consent.grant": _("データ共有への同意"),
    "consent.revoke": _("データ共有の同意の取り消し"),
    "expert.assign": _("専門家の担当割り当て"),
    "expert.unassign": _("専門家の担当解除"),
    # api
    "api.token_create": _("APIトークンの発行"),
    "api.token_revoke": _("APIトークンの失効"),
    # know
    "know.self_check_create": _("セルフチェックの回答"),
    "know.diagnosis_create": _("簡易診断の実施"),
    "know.diagnosis_save": _("簡易診断の保存"),
    "know.version_copy": _("診断の版の複製"),
    "know.version_update": _("診断の版の編集"),
    "know.version_publish": _("診断の版の公開"),
    # measure
    "measure.contract_save": _("電力契約の保存"),
    "measure.contract_delete": _("電力契約の削除"),
    "measure.grid_row_add": _("月次入力の行の追加"),
    "measure.grid_row_unit": _("月次入力の単位の変更"),
    "measure.grid_rows_copy": _("月次入力の行のコピー"),
    "measure.import_upload": _("ファイルのアップロード"),
    "measure.import_commit": _("ファイルの取り込み"),
    "measure.import_discard": _("取り込みの取り消し"),
    "measure.record_create": _("使用量の登録"),
    "measure.record_save": _("使用量の保存"),
    "measure.record_update": _("使用量の変更"),
    "measure.record_delete": _("使用量の削除"),
    "measure.use_shares_save": _("用途の割合の保存"),
    "measure.volume_save": _("売上高・生産量の保存"),
    "measure.volume_delete": _("売上高・生産量の削除"),
    # reduce
    "reduce.plan_create": _("削減計画の作成"),
    "reduce.measures_add": _("削減対策の追加"),
    "reduce.measure_update": _("削減対策の変更"),
    "reduce.measure_remove": _("削減対策の削除"),
    "reduce.catalogue_create": _("対策カタログの追加"),
    "reduce.catalogue_update": _("対策カタログの変更"),
    # consultations
    "availability.add": _("相談可能な時間の追加"),
    "availability.delete": _("相談可能な時間の削除"),
    "closed_day.add": _("休業日の追加"),
    "slots.generate": _("相談枠の生成"),
    "booking.create": _("相談の予約"),
    "booking.cancel": _("予約のキャンセル"),
    "booking.reschedule": _("予約の日時変更"),
    "booking.record": _("相談記録の保存"),
    "booking.remind": _("予約のリマインド送信"),
    "calc_case.apply": _("算定支援の申込"),
    "calc_case.accept": _("算定支援の受付"),
    "calc_case.decline": _("算定支援のお断り"),
    "calc_visit.schedule": _("算定支援の訪問予定"),
    "calc_visit.record": _("算定支援の訪問記録"),
    "handson.apply": _("ハンズオン支援の申込"),
    "handson.review": _("ハンズオン支援の審査開始"),
    "handson.accept": _("ハンズオン支援の採択"),
    "handson.decline": _("ハンズオン支援のお断り"),
    "handson.start": _("ハンズオン支援の開始"),
    "handson.complete": _("ハンズオン支援の完了"),
    "handson.hearing": _("ヒアリングの記録"),
    "handson.plan": _("支援計画の保存"),
    "handson.pdca": _("PDCAの記録"),
    # programmes
    "event.create": _("イベントの作成"),
    "event.update": _("イベントの変更"),
    "application.create": _("イベントへの申込"),
    "application.cancel": _("申込のキャンセル"),
    "application.promote": _("キャンセル待ちからの繰り上げ"),
    "application.payment": _("支払いの記録"),
    "application.attendance": _("出欠の記録"),
    "application.remind": _("イベントのリマインド送信"),
    "course.create": _("講座の作成"),
    "course.update": _("講座の変更"),
    "course.chapter_create": _("章の追加"),
    "course.chapter_delete": _("章の削除"),
    "course.lesson_create": _("レッスンの追加"),
    "course.lesson_update": _("レッスンの変更"),
    "course.lesson_delete": _("レッスンの削除"),
    "course.lesson_done": _("レッスンの視聴済み"),
    "course.completed_by_edit": _("講座の修了（編集による）"),
    "course.enrol": _("講座の受講登録"),
    "headline.create": _("支援情報の作成"),
    "headline.update": _("支援情報の変更"),
    "headline.delete": _("支援情報の削除"),
}

ADMIN_VERBS = {
    "create": _("管理画面：{}の追加"),
    "update": _("管理画面：{}の変更"),
    "delete": _("管理画面：{}の削除"),
}


def _model_verbose_name(model_name: str):
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return model._meta.verbose_name
    return model_name


def action_label(code: str):
    """The label of an action code, in the active language; the code itself if unknown."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    parts = code.split(".")
    if len(parts) == 3 and parts[0] == "admin" and parts[2] in ADMIN_VERBS:
        return format_lazy(ADMIN_VERBS[parts[2]], _model_verbose_name(parts[1]))
    return code


def action_choices() -> list[tuple[str, str]]:
    """(code, label) for the action filter, sorted by code so that an app's actions stay
    together; "admin." covers every edit made in the admin."""
    choices = [(code, label) for code, label in ACTION_LABELS.items()]
    choices.append(("admin.", _("管理画面での変更（すべて）")))
    return sorted(choices, key=lambda c: c[0])
