"""The starting catalogue of reduction measures, shipped with every installation (a data
migration calls ``load``; ``cnnavi load_reference`` runs it again). ``load`` only adds measures
that are missing, so office staff's edits are kept.

Every saving figure names its source. Where no public figure was found, the figure is a rule of
thumb marked ``saving_is_assumption`` and the screen asks the user to check it. Investment,
running cost and lifetime are always assumptions for one typical SME site.
"""

from decimal import Decimal as D

METI_SETSUDEN = (
    "経済産業省「節電メニュー（事業者の皆様）」製造業、ユーティリティ設備の節電メニュー"
    "（沖縄電力「製造業のお客さま向け省エネ・節電方法」に転載）"
)
METI_SETSUDEN_EN = (
    "METI, 'Power-saving menu for businesses', manufacturing, utility equipment "
    "(reproduced by Okinawa Electric Power's page for manufacturers)"
)
METI_SETSUDEN_URL = "http://www.okiden.co.jp/business/e-waja/energy-saving/factory.html"
MOE_OFFICE = (
    "環境省「オフィスでできる節電アクション」：オフィスの電力消費はおおむね空調28%・照明40%・"
    "コンセント32%（用途別の割合）"
)
MOE_OFFICE_EN = (
    "Ministry of the Environment, 'Power-saving actions in the office': office electricity is "
    "roughly 28% air-conditioning, 40% lighting, 32% plugs (use shares)"
)
MOE_OFFICE_URL = "http://www.env.go.jp/jishin/setsuden_7points/office/"
SAITAMA = "埼玉県「省エネからはじめる経営力アップハンドブック」（平成25年度 中小規模事業者の省エネ経営推進モデル事業）"
SAITAMA_EN = (
    "Saitama Prefecture, 'Handbook: better management starting with energy saving' (FY2013)"
)
SAITAMA_URL = "https://vdocuments.mx/amp/i-01-54-keiei-book-cover-eeceoe.html"
ANRE_PORTAL = "資源エネルギー庁 省エネポータルサイト（Impress Watch の記事で引用）"
ANRE_PORTAL_URL = "https://www.watch.impress.co.jp/docs/topic/1422195.html"
COST_NOTE = (
    "投資額・維持費・耐用年数は中小企業の1事業所を想定した仮定です。見積りで置き換えてください。"
)
COST_NOTE_EN = (
    "Investment, running cost and lifetime are assumptions for one typical SME site. "
    "Replace them with a quote."
)

# Fuels burnt for heat (vehicle fuels are left to the EV measure).
HEATING_FUELS = ["kerosene", "heavy_oil_a", "heavy_oil_bc", "lpg", "city_gas", "lng", "natural_gas"]

MEASURES = [
    dict(
        code="led-lighting",
        name="照明のLED化",
        name_en="LED lighting",
        lever="kaeru",
        kind="saving",
        energies=["electricity"],
        use="照明",
        use_share=D("0.40"),
        facility_kinds=["factory", "office", "shop", "warehouse"],
        share=D("0.50"),
        investment_yen=3_000_000,
        lifetime_years=15,
        source="削減率50%は目安（仮定）。参考：蛍光灯をHf蛍光灯またはLEDに替えると照明電力の約40%削減、"
        "LEDシーリングライトは蛍光灯に比べ消費電力量50%減とする解説がある。用途割合40%は"
        + MOE_OFFICE,
        source_en="The 50% saving is a rule of thumb (assumption): guides quote about 40% (Hf "
        "fluorescent or LED) to 50% (LED ceiling lights) less lighting electricity. The 40% use "
        "share is from " + MOE_OFFICE_EN,
        source_url=MOE_OFFICE_URL,
        saving_is_assumption=True,
        topics=["energy_saving", "equipment"],
    ),
    dict(
        code="ac-setpoint",
        name="空調の設定温度の見直し",
        name_en="Air-conditioner set points",
        lever="sageru",
        kind="saving",
        energies=["electricity"],
        use="空調",
        use_share=D("0.28"),
        facility_kinds=["office", "shop", "factory"],
        share=D("0.10"),
        investment_yen=0,
        lifetime_years=1,
        source="空調電力の10%は目安（仮定）。参考："
        + ANRE_PORTAL
        + "は、冷房の室温を26℃から2℃上げると"
        "節電効果5.4%（家庭全体の電力に対する割合）としている。用途割合28%は" + MOE_OFFICE,
        source_en="10% of air-conditioning electricity is a rule of thumb (assumption). For "
        "reference, ANRE's energy-saving portal gives 5.4% of a household's electricity for "
        "raising the cooling set point from 26 to 28 °C. The 28% use share is from "
        + MOE_OFFICE_EN,
        source_url=ANRE_PORTAL_URL,
        saving_is_assumption=True,
        topics=["energy_saving"],
    ),
    dict(
        code="ac-renewal",
        name="空調機の高効率機への更新",
        name_en="Air-conditioner renewal (high efficiency)",
        lever="kaeru",
        kind="saving",
        energies=["electricity"],
        use="空調",
        use_share=D("0.28"),
        facility_kinds=["office", "shop", "factory"],
        share=D("0.30"),
        investment_yen=6_000_000,
        lifetime_years=15,
        source="空調電力の30%削減は10年以上前の機器からの更新を想定した目安（仮定）。機器の通年エネルギー消費効率"
        "（APF）の新旧比で確認してください。用途割合28%は" + MOE_OFFICE,
        source_en="30% of air-conditioning electricity assumes replacing units over ten years "
        "old (assumption); check with the old and new units' APF. The 28% use share is from "
        + MOE_OFFICE_EN,
        source_url=MOE_OFFICE_URL,
        saving_is_assumption=True,
        topics=["energy_saving", "equipment"],
    ),
    dict(
        code="compressor-leaks",
        name="コンプレッサーのエア漏れ対策",
        name_en="Compressed-air leak repair",
        lever="naosu",
        kind="saving",
        energies=["electricity"],
        use="コンプレッサー",
        use_share=D("0.20"),
        facility_kinds=["factory"],
        share=D("0.10"),
        investment_yen=200_000,
        lifetime_years=5,
        source="コンプレッサー電力の10%は目安（仮定）。参考："
        + SAITAMA
        + "は、0.5MPaの配管の半径0.5mmの"
        "エア漏れ1か所の修復で年間1.1万円削減としている。用途割合20%は仮定。",
        source_en="10% of compressor electricity is a rule of thumb (assumption). For reference, "
        + SAITAMA_EN
        + " gives 11,000 yen a year for one 0.5 mm-radius leak at 0.5 MPa. The 20% use share "
        "is an assumption.",
        source_url=SAITAMA_URL,
        saving_is_assumption=True,
        topics=["energy_saving"],
    ),
    dict(
        code="compressor-pressure",
        name="コンプレッサーの吐出圧力の低減（0.1MPa）",
        name_en="Lower compressor pressure (by 0.1 MPa)",
        lever="sageru",
        kind="saving",
        energies=["electricity"],
        use="コンプレッサー",
        use_share=D("0.20"),
        facility_kinds=["factory"],
        share=D("0.08"),
        investment_yen=0,
        lifetime_years=1,
        source=METI_SETSUDEN
        + "：使用側の圧力を見直しコンプレッサの供給圧力を0.1MPa低減（単機）で節電効果8%。"
        "用途割合20%は仮定。",
        source_en=METI_SETSUDEN_EN + ": lowering the supply pressure by 0.1 MPa (one unit) "
        "saves 8%. The 20% use share is an assumption.",
        source_url=METI_SETSUDEN_URL,
        saving_is_assumption=False,
        topics=["energy_saving"],
    ),
    dict(
        code="boiler-heat-pump",
        name="ボイラーからヒートポンプへの転換",
        name_en="Boiler to heat pump",
        lever="electrify",
        kind="electrify",
        energies=HEATING_FUELS,
        use="ボイラー",
        use_share=D("0.50"),
        facility_kinds=["factory", "shop"],
        share=D("1"),
        kwh_per_gj=D("78.7"),
        investment_yen=8_000_000,
        lifetime_years=15,
        source="燃料1GJあたり78.7kWhは、ボイラー効率0.85、ヒートポンプの成績係数（COP）3.0、1kWh=3.6MJとした"
        "仮定の計算（0.85÷3.0÷0.0036）。用途割合50%も仮定。機器の仕様で確認してください。",
        source_en="78.7 kWh per GJ of fuel assumes a boiler efficiency of 0.85, a heat-pump COP of "
        "3.0 and 1 kWh = 3.6 MJ (0.85 / 3.0 / 0.0036). The 50% use share is also an assumption. "
        "Check with the equipment's data.",
        saving_is_assumption=True,
        topics=["electrification", "equipment"],
    ),
    dict(
        code="insulation",
        name="炉・配管・バルブの断熱強化",
        name_en="Insulation of furnaces, pipes and valves",
        lever="naosu",
        kind="saving",
        energies=HEATING_FUELS,
        use="",
        use_share=None,
        facility_kinds=["factory"],
        share=D("0.05"),
        investment_yen=1_500_000,
        lifetime_years=10,
        source="燃料使用量の5%は目安（仮定）。参考："
        + METI_SETSUDEN
        + "は、電気炉・電気加熱装置の断熱強化"
        "（保温施工）で節電効果7%としている。",
        source_en="5% of fuel use is a rule of thumb (assumption). For reference, "
        + METI_SETSUDEN_EN
        + " gives 7% for insulating electric furnaces and heaters.",
        source_url=METI_SETSUDEN_URL,
        saving_is_assumption=True,
        topics=["energy_saving", "equipment"],
    ),
    dict(
        code="inverter-drives",
        name="ポンプ・ファンのインバーター化",
        name_en="Inverter drives for pumps and fans",
        lever="kaeru",
        kind="saving",
        energies=["electricity"],
        use="ポンプ・ファン",
        use_share=D("0.15"),
        facility_kinds=["factory"],
        share=D("0.20"),
        investment_yen=2_000_000,
        lifetime_years=15,
        source="ポンプ・ファン電力の20%、用途割合15%は目安（仮定）。流量を下げられる運転かどうかで大きく変わります。",
        source_en="20% of pump and fan electricity and a 15% use share are rules of thumb "
        "(assumptions); the saving depends on how far the flow can be turned down.",
        saving_is_assumption=True,
        topics=["energy_saving", "equipment"],
    ),
    dict(
        code="demand-control",
        name="デマンド監視・制御",
        name_en="Demand monitoring and control",
        lever="tomeru",
        kind="saving",
        energies=["electricity"],
        use="",
        facility_kinds=["factory", "office", "shop"],
        share=D("0.02"),
        investment_yen=800_000,
        annual_cost_yen=60_000,
        lifetime_years=10,
        source="電力量の2%は目安（仮定）。デマンド制御の主な効果は契約電力（基本料金）の低減で、"
        + SAITAMA
        + "は契約電力1kWの削減で基本料金が年間1.7万円下がるとしている（この効果は円の計算に含めていません）。",
        source_en="2% of electricity is a rule of thumb (assumption). Demand control mainly lowers "
        "the contracted kW (the basic charge): " + SAITAMA_EN + " gives 17,000 yen a year per kW "
        "(not counted in the yen here).",
        source_url=SAITAMA_URL,
        saving_is_assumption=True,
        topics=["energy_saving"],
    ),
    dict(
        code="ev",
        name="社用車のEV化",
        name_en="Company cars to EVs",
        lever="electrify",
        kind="electrify",
        energies=["gasoline", "diesel_oil"],
        use="",
        facility_kinds=[],
        share=D("0.50"),
        kwh_per_gj=D("60"),
        investment_yen=4_000_000,
        lifetime_years=10,
        source="燃料1GJあたり60kWhは、ガソリン車12km/L、EV 6km/kWh、ガソリン33.4GJ/kLとした仮定の計算"
        "（1kLで2,000kWh）。対象率50%も仮定。",
        source_en="60 kWh per GJ assumes 12 km/L petrol cars, 6 km/kWh EVs and 33.4 GJ/kL petrol "
        "(2,000 kWh per kL). The 50% share is also an assumption.",
        saving_is_assumption=True,
        topics=["electrification"],
    ),
    dict(
        code="rooftop-solar",
        name="屋根置き太陽光発電（自家消費）",
        name_en="Rooftop solar (self-consumed)",
        lever="factor",
        kind="saving",
        energies=["electricity"],
        use="",
        facility_kinds=["factory", "warehouse", "shop"],
        amount_kwh=D("50000"),
        investment_yen=12_500_000,
        lifetime_years=20,
        source="50kW×年1,000kWh/kWを全量自家消費とした仮定。地域と屋根の向きで発電量は変わります。",
        source_en="Assumes 50 kW producing 1,000 kWh/kW a year, all used on site; output depends "
        "on the region and the roof.",
        saving_is_assumption=True,
        topics=["renewables", "equipment"],
    ),
    dict(
        code="onsite-ppa",
        name="オンサイトPPA（初期投資なしの太陽光）",
        name_en="On-site PPA (solar without investment)",
        lever="factor",
        kind="saving",
        energies=["electricity"],
        use="",
        facility_kinds=["factory", "warehouse", "shop"],
        amount_kwh=D("50000"),
        unit_cost_yen=D("15"),
        investment_yen=0,
        lifetime_years=20,
        source="年50,000kWh、PPA単価15円/kWhは仮定。契約の見積りで置き換えてください。",
        source_en="50,000 kWh a year at a PPA price of 15 yen/kWh are assumptions; use the offer.",
        saving_is_assumption=True,
        topics=["renewables"],
    ),
    dict(
        code="renewable-menu",
        name="再エネ電力メニューへの切り替え",
        name_en="Renewable electricity menu",
        lever="factor",
        kind="factor",
        energies=["electricity"],
        use="",
        facility_kinds=[],
        share=D("1"),
        unit_cost_yen=D("1.5"),
        lifetime_years=1,
        source="マーケット基準の係数が下がる（基礎排出係数・全国平均係数は変わらない）。割増単価1.5円/kWhは仮定。"
        "切り替え後のメニューの調整後排出係数で確認してください。",
        source_en="Lowers the market-based factor (the basic and national-average factors do not "
        "change). The premium of 1.5 yen/kWh is an assumption; check the new menu's adjusted "
        "factor.",
        saving_is_assumption=True,
        topics=["renewables"],
    ),
    dict(
        code="certificates",
        name="非化石証書・グリーン電力証書の購入",
        name_en="Non-fossil or green power certificates",
        lever="factor",
        kind="factor",
        energies=["electricity"],
        use="",
        facility_kinds=[],
        share=D("1"),
        unit_cost_yen=D("0.4"),
        lifetime_years=1,
        source="証書の量だけマーケット基準（調整後）の排出が下がる。単価0.4円/kWhは仮定。",
        source_en="Lowers market-based (adjusted) emissions by the certified kWh. The price of "
        "0.4 yen/kWh is an assumption.",
        saving_is_assumption=True,
        topics=["certificates", "renewables"],
    ),
    dict(
        code="j-credits",
        name="J-クレジットによるオフセット",
        name_en="Offsetting with J-credits",
        lever="offset",
        kind="offset",
        energies=[],
        use="",
        facility_kinds=[],
        offset_t=D("10"),
        unit_cost_yen=D("3000"),
        lifetime_years=1,
        source="排出量そのものは減らない（SBTの削減には数えない）。年10t、3,000円/tは仮定。",
        source_en="Does not reduce emissions (not counted for a science-based target). 10 t a "
        "year at 3,000 yen/t are assumptions.",
        saving_is_assumption=True,
        topics=["certificates"],
    ),
]


def load(model=None) -> int:
    """Add the catalogue measures that are missing; returns how many were added."""
    if model is None:
        from cnnavi.reduce.models import CatalogueMeasure as model
    added = 0
    for position, fields in enumerate(MEASURES, start=1):
        data = dict(fields)
        data.setdefault("cost_note", COST_NOTE)
        data.setdefault("cost_note_en", COST_NOTE_EN)
        data["position"] = position * 10
        code = data.pop("code")
        _, created = model.objects.get_or_create(code=code, defaults=data)
        added += created
    return added
