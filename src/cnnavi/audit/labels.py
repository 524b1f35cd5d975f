"""Display labels for audit action codes: one mapping for every app, shown on /staff/audit/
with the raw code as secondary text. A code that is not listed falls back to itself."""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

# The labels have a context of their own ("audit"): the same words elsewhere (a page title,
# a button) may translate differently from the name of an action in the log.
ACTION_LABELS = {
    # orgs
    "company.create": pgettext_lazy("audit", "企業の登録"),
    "company.read": pgettext_lazy("audit", "企業データの閲覧"),
    "company.open_for_edit": pgettext_lazy("audit", "企業データを編集のために開く"),
    "company.update": pgettext_lazy("audit", "企業情報の変更"),
    "facility.create": pgettext_lazy("audit", "事業所の追加"),
    "facility.update": pgettext_lazy("audit", "事業所の変更"),
    "facility.delete": pgettext_lazy("audit", "事業所の削除"),
    "invitation.create": pgettext_lazy("audit", "招待の作成"),
    "invitation.accept": pgettext_lazy("audit", "招待の受諾"),
    "invitation.revoke": pgettext_lazy("audit", "招待の取り消し"),
    "membership.change_role": pgettext_lazy("audit", "メンバーの権限変更"),
    "membership.remove": pgettext_lazy("audit", "メンバーの削除"),
    "consent.grant": pgettext_lazy("audit", "データ共有への同意"),
    "consent.revoke": pgettext_lazy("audit", "データ共有の同意の取り消し"),
    "expert.assign": pgettext_lazy("audit", "専門家の担当割り当て"),
    "expert.unassign": pgettext_lazy("audit", "専門家の担当解除"),
    # api
    "api.token_create": pgettext_lazy("audit", "APIトークンの発行"),
    "api.token_revoke": pgettext_lazy("audit", "APIトークンの失効"),
    # know
    "know.self_check_create": pgettext_lazy("audit", "セルフチェックの回答"),
    "know.diagnosis_create": pgettext_lazy("audit", "簡易診断の実施"),
    "know.diagnosis_save": pgettext_lazy("audit", "簡易診断の保存"),
    "know.version_copy": pgettext_lazy("audit", "診断の版の複製"),
    "know.version_update": pgettext_lazy("audit", "診断の版の編集"),
    "know.version_publish": pgettext_lazy("audit", "診断の版の公開"),
    # measure
    "measure.contract_save": pgettext_lazy("audit", "電力契約の保存"),
    "measure.contract_delete": pgettext_lazy("audit", "電力契約の削除"),
    "measure.grid_row_add": pgettext_lazy("audit", "月次入力の行の追加"),
    "measure.grid_row_unit": pgettext_lazy("audit", "月次入力の単位の変更"),
    "measure.grid_rows_copy": pgettext_lazy("audit", "月次入力の行のコピー"),
    "measure.import_upload": pgettext_lazy("audit", "ファイルのアップロード"),
    "measure.import_commit": pgettext_lazy("audit", "ファイルの取り込み"),
    "measure.import_discard": pgettext_lazy("audit", "取り込みの取り消し"),
    "measure.record_create": pgettext_lazy("audit", "使用量の登録"),
    "measure.record_save": pgettext_lazy("audit", "使用量の保存"),
    "measure.record_update": pgettext_lazy("audit", "使用量の変更"),
    "measure.record_delete": pgettext_lazy("audit", "使用量の削除"),
    "measure.use_shares_save": pgettext_lazy("audit", "用途の割合の保存"),
    "measure.volume_save": pgettext_lazy("audit", "売上高・生産量の保存"),
    "measure.volume_delete": pgettext_lazy("audit", "売上高・生産量の削除"),
    "statements.issue": pgettext_lazy("audit", "排出量の報告書の発行"),
    "statements.link_create": pgettext_lazy("audit", "報告書の共有リンクの作成"),
    "statements.link_revoke": pgettext_lazy("audit", "報告書の共有リンクの取り消し"),
    "statements.link_open": pgettext_lazy("audit", "報告書の共有リンクの閲覧"),
    "statements.link_refused": pgettext_lazy("audit", "使えない共有リンクへのアクセス"),
    "statements.evidence_upload": pgettext_lazy("audit", "請求書の添付"),
    "statements.evidence_delete": pgettext_lazy("audit", "請求書の添付の削除"),
    "measure.records_confirm": pgettext_lazy("audit", "確認が必要な値の確認"),
    "measure.notice_save": pgettext_lazy("audit", "事業者公表値（利用者入力）の保存"),
    "measure.notice_delete": pgettext_lazy("audit", "事業者公表値（利用者入力）の削除"),
    "measure.calc_settings_save": pgettext_lazy("audit", "算定の設定の保存"),
    "measure.factor_table_upload": pgettext_lazy("audit", "公表一覧のアップロード"),
    "measure.factor_table_confirm": pgettext_lazy("audit", "公表一覧の取り込み"),
    "measure.factor_table_discard": pgettext_lazy("audit", "公表一覧の取り込みの取り消し"),
    # reduce
    "reduce.plan_create": pgettext_lazy("audit", "削減計画の作成"),
    "reduce.plan_update": pgettext_lazy("audit", "削減計画の変更"),
    "reduce.measures_add": pgettext_lazy("audit", "削減対策の追加"),
    "reduce.measure_update": pgettext_lazy("audit", "削減対策の変更"),
    "reduce.measure_remove": pgettext_lazy("audit", "削減対策の削除"),
    "reduce.catalogue_create": pgettext_lazy("audit", "対策カタログの追加"),
    "reduce.catalogue_update": pgettext_lazy("audit", "対策カタログの変更"),
    # consultations
    "availability.add": pgettext_lazy("audit", "相談可能な時間の追加"),
    "availability.delete": pgettext_lazy("audit", "相談可能な時間の削除"),
    "closed_day.add": pgettext_lazy("audit", "休業日の追加"),
    "slots.generate": pgettext_lazy("audit", "相談枠の生成"),
    "account.name": pgettext_lazy("audit", "氏名の変更"),
    "account.mail_language": pgettext_lazy("audit", "メールの言語の変更"),
    "event.message": pgettext_lazy("audit", "参加者へのメール送信"),
    "legal.save": pgettext_lazy("audit", "規約・ポリシーの保存"),
    "course.certificate": pgettext_lazy("audit", "修了証の発行"),
    "course.quiz": pgettext_lazy("audit", "講座の小テストの回答"),
    "survey.invite": pgettext_lazy("audit", "満足度アンケートの送信"),
    "survey.answer": pgettext_lazy("audit", "満足度アンケートの回答"),
    "survey.revoke": pgettext_lazy("audit", "アンケートのリンクの取り消し"),
    "survey.question_add": pgettext_lazy("audit", "アンケートの質問の追加"),
    "survey.question_toggle": pgettext_lazy("audit", "アンケートの質問の使用・停止"),
    "survey.wording": pgettext_lazy("audit", "アンケートの文言の保存"),
    "invoice.settings": pgettext_lazy("audit", "請求書の設定の保存"),
    "invoice.issue": pgettext_lazy("audit", "請求書の発行"),
    "invoice.cancel": pgettext_lazy("audit", "請求書の取消（返還インボイス）"),
    "invoice.payment": pgettext_lazy("audit", "入金の記録"),
    "invoice.resend": pgettext_lazy("audit", "請求書の再送"),
    "booking.create": pgettext_lazy("audit", "相談の予約"),
    "booking.cancel": pgettext_lazy("audit", "予約のキャンセル"),
    "booking.reschedule": pgettext_lazy("audit", "予約の日時変更"),
    "booking.record": pgettext_lazy("audit", "相談記録の保存"),
    "booking.meeting_url": pgettext_lazy("audit", "Web会議URLの送付"),
    "booking.remind": pgettext_lazy("audit", "予約のリマインド送信"),
    "calc_case.apply": pgettext_lazy("audit", "算定支援の申込"),
    "calc_case.accept": pgettext_lazy("audit", "算定支援の受付"),
    "calc_case.decline": pgettext_lazy("audit", "算定支援のお断り"),
    "calc_visit.schedule": pgettext_lazy("audit", "算定支援の訪問予定"),
    "calc_visit.record": pgettext_lazy("audit", "算定支援の訪問記録"),
    "calc_visit.reschedule": pgettext_lazy("audit", "算定支援の訪問日時の変更"),
    "calc_visit.cancel": pgettext_lazy("audit", "算定支援の訪問の中止"),
    "handson.apply": pgettext_lazy("audit", "ハンズオン支援の申込"),
    "handson.review": pgettext_lazy("audit", "ハンズオン支援の審査開始"),
    "handson.accept": pgettext_lazy("audit", "ハンズオン支援の採択"),
    "handson.decline": pgettext_lazy("audit", "ハンズオン支援のお断り"),
    "handson.start": pgettext_lazy("audit", "ハンズオン支援の開始"),
    "handson.complete": pgettext_lazy("audit", "ハンズオン支援の完了"),
    "handson.hearing": pgettext_lazy("audit", "ヒアリングの記録"),
    "handson.plan": pgettext_lazy("audit", "支援計画の保存"),
    "handson.pdca": pgettext_lazy("audit", "PDCAの記録"),
    "handson.screening": pgettext_lazy("audit", "ハンズオン支援の審査の採点"),
    "handson.plan_accept": pgettext_lazy("audit", "支援計画への企業の同意"),
    "handson.plan_decline": pgettext_lazy("audit", "支援計画の企業による辞退"),
    "handson.settings": pgettext_lazy("audit", "ハンズオン支援の設定"),
    "handson.criterion": pgettext_lazy("audit", "審査基準の保存"),
    # programmes
    "event.create": pgettext_lazy("audit", "イベントの作成"),
    "event.update": pgettext_lazy("audit", "イベントの変更"),
    "application.create": pgettext_lazy("audit", "イベントへの申込"),
    "application.cancel": pgettext_lazy("audit", "申込のキャンセル"),
    "application.promote": pgettext_lazy("audit", "キャンセル待ちからの繰り上げ"),
    "application.payment": pgettext_lazy("audit", "支払いの記録"),
    "application.attendance": pgettext_lazy("audit", "出欠の記録"),
    "application.remind": pgettext_lazy("audit", "イベントのリマインド送信"),
    "course.create": pgettext_lazy("audit", "講座の作成"),
    "course.update": pgettext_lazy("audit", "講座の変更"),
    "course.chapter_create": pgettext_lazy("audit", "章の追加"),
    "course.chapter_update": pgettext_lazy("audit", "章の変更"),
    "course.chapter_delete": pgettext_lazy("audit", "章の削除"),
    "course.lesson_create": pgettext_lazy("audit", "レッスンの追加"),
    "course.lesson_update": pgettext_lazy("audit", "レッスンの変更"),
    "course.lesson_delete": pgettext_lazy("audit", "レッスンの削除"),
    "course.lesson_done": pgettext_lazy("audit", "レッスンの視聴済み"),
    "course.lesson_undone": pgettext_lazy("audit", "レッスンの視聴済みの取り消し"),
    "course.completed_by_edit": pgettext_lazy("audit", "講座の修了（編集による）"),
    "course.enrol": pgettext_lazy("audit", "講座の受講登録"),
    "headline.create": pgettext_lazy("audit", "支援情報の作成"),
    "headline.update": pgettext_lazy("audit", "支援情報の変更"),
    "headline.delete": pgettext_lazy("audit", "支援情報の削除"),
    # outcomes (feeds)
    "feed.create": pgettext_lazy("audit", "購読フィードの追加"),
    "feed.update": pgettext_lazy("audit", "購読フィードの変更"),
    "feed.fetch": pgettext_lazy("audit", "フィードの取得"),
    "feed_item.publish": pgettext_lazy("audit", "フィード記事の掲載"),
    "feed_item.dismiss": pgettext_lazy("audit", "フィード記事の見送り"),
}

ADMIN_VERBS = {
    "create": pgettext_lazy("audit", "管理画面：{}の追加"),
    "update": pgettext_lazy("audit", "管理画面：{}の変更"),
    "delete": pgettext_lazy("audit", "管理画面：{}の削除"),
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
    choices.append(("admin.", pgettext_lazy("audit", "管理画面での変更（すべて）")))
    return sorted(choices, key=lambda c: c[0])
