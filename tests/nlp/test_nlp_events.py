"""Events: triggers, roles, status, hedging, attribution, amounts and dates."""

from __future__ import annotations

from conftest import MakeDoc, assert_offsets, event_roles
from dossier.model import Analysis, Event, Segment
from dossier.nlp import analyze


def roles(analysis: Analysis, event: Event) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in analysis.entities}
    return {(p.role, names[p.entity]) for p in event.participants}


def only_event(analysis: Analysis, etype: str) -> Event:
    found = [v for v in analysis.events if v.type == etype]
    assert len(found) == 1, [(v.type, v.evidence.text) for v in analysis.events]
    return found[0]


def test_acquisition_with_buyer_target_seller_agreed(make_doc: MakeDoc) -> None:
    text = "Nvidia has agreed to acquire Arm from SoftBank Group for $40 billion in cash and stock."
    analysis = analyze(make_doc(text, published="2020-09-14"))
    assert_offsets(analysis)
    event = only_event(analysis, "ACQUISITION")
    assert roles(analysis, event) == {("buyer", "Nvidia"), ("target", "Arm"), ("seller", "SoftBank Group")}
    assert event.status == "agreed"
    assert event.hedged is False
    assert event.evidence.text == text
    assert [(a.value, a.unit, a.usd) for a in event.amounts] == [(40e9, "USD", 40e9)]
    assert event.attribution.kind == "outlet"


def test_passive_acquisition(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("VMware was acquired by Broadcom in a deal that closed in November 2023."))
    event = only_event(analysis, "ACQUISITION")
    assert roles(analysis, event) == {("buyer", "Broadcom"), ("target", "VMware")}
    assert event.date is not None and event.date.start == "2023-11"


def test_possessive_acquisition_pattern(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Regulators cleared Broadcom's $69 billion acquisition of VMware on Monday."))
    event = only_event(analysis, "ACQUISITION")
    assert roles(analysis, event) == {("buyer", "Broadcom"), ("target", "VMware")}


def test_cancelled_deal(make_doc: MakeDoc) -> None:
    text = "Nvidia has abandoned its $40bn takeover of Arm after opposition from regulators."
    analysis = analyze(make_doc(text))
    event = only_event(analysis, "ACQUISITION")
    assert roles(analysis, event) == {("buyer", "Nvidia"), ("target", "Arm")}
    assert event.status == "cancelled"
    assert event.amounts[0].value == 40e9


def test_denied_talks(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Qualcomm denied that it had been in talks with Intel."))
    event = only_event(analysis, "NEGOTIATION")
    assert event.status == "denied"
    assert roles(analysis, event) == {("party", "Qualcomm"), ("party", "Intel")}


def test_sanction_imposer_and_targets(make_doc: MakeDoc) -> None:
    text = "The US Commerce Department added Huawei and ZTE to its entity list in May 2019."
    analysis = analyze(make_doc(text, published="2019-05-20"))
    assert_offsets(analysis)
    event = only_event(analysis, "SANCTION")
    assert roles(analysis, event) == {
        ("imposer", "US Commerce Department"),
        ("target", "Huawei"),
        ("target", "ZTE"),
    }
    assert event.status == "done"
    assert event.date is not None and (event.date.start, event.date.end) == ("2019-05", "2019-05")


def test_passive_sanction(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Huawei was added to the entity list by the Commerce Department."))
    event = only_event(analysis, "SANCTION")
    assert roles(analysis, event) == {("imposer", "US Commerce Department"), ("target", "Huawei")}


def test_money_with_conversion_and_anonymous_attribution(make_doc: MakeDoc) -> None:
    text = (
        "ASML will supply extreme ultraviolet machines to TSMC under a €150 million (about $165 million) "
        "contract, according to people familiar with the matter."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    event = only_event(analysis, "SUPPLY")
    assert roles(analysis, event) == {
        ("supplier", "ASML"),
        ("customer", "TSMC"),
        ("product", "EUV lithography"),
    }
    assert event.status == "planned"
    assert event.hedged is True
    (amount,) = event.amounts
    assert amount.text == "€150 million (about $165 million)"
    assert (amount.value, amount.unit, amount.usd) == (150e6, "EUR", 165e6)
    assert event.attribution.kind == "anonymous"
    assert event.attribution.cue == "according to people familiar with the matter"


def test_relative_date_resolved_against_published(make_doc: MakeDoc) -> None:
    text = "Huawei launched the Mate 60 Pro last month. Gina Raimondo met Wang Wentao in Beijing on Tuesday."
    analysis = analyze(make_doc(text, published="2023-09-04"))
    launch = only_event(analysis, "PRODUCT_LAUNCH")
    assert roles(analysis, launch) == {("company", "Huawei"), ("product", "Mate 60 Pro")}
    assert launch.date is not None
    assert (launch.date.text, launch.date.start, launch.date.end) == ("last month", "2023-08", "2023-08")
    meeting = only_event(analysis, "MEETING")
    assert roles(analysis, meeting) == {
        ("party", "Gina Raimondo"),
        ("party", "Wang Wentao"),
        ("location", "Beijing"),
    }
    assert meeting.date is not None and meeting.date.start == "2023-08-29"  # the Tuesday before Monday 4th


def test_unresolvable_relative_date_keeps_its_text(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Huawei launched the Mate 60 Pro last month."))
    event = only_event(analysis, "PRODUCT_LAUNCH")
    assert event.date is not None
    assert (event.date.text, event.date.start, event.date.end) == ("last month", None, None)


def test_market_share_with_rival_and_measurer(make_doc: MakeDoc) -> None:
    text = (
        "Samsung's share of the global smartphone market fell to 19% in the second quarter, "
        "behind Apple, according to Canalys."
    )
    analysis = analyze(make_doc(text, published="2023-08-01"))
    event = only_event(analysis, "MARKET_SHARE")
    assert roles(analysis, event) == {
        ("company", "Samsung Electronics"),
        ("rival", "Apple"),
        ("measurer", "Canalys"),
    }
    assert [(a.value, a.unit) for a in event.amounts] == [(19.0, "%")]
    assert event.date is not None and (event.date.start, event.date.end) == ("2023-04", "2023-06")
    assert event.attribution.kind == "named"


def test_other_outlet_attribution(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("SMIC plans to invest $7.5 billion in a new plant in Tianjin, Reuters reported."))
    event = only_event(analysis, "INVESTMENT")
    assert event.status == "planned"
    assert event.attribution.kind == "other_outlet"
    reuters = next(e.id for e in analysis.entities if e.name == "Reuters")
    assert event.attribution.speaker == reuters
    assert ("investor", "SMIC") in roles(analysis, event)


def test_protest_and_partnership(make_doc: MakeDoc) -> None:
    text = (
        "Workers at Samsung Electronics went on strike on Monday. "
        "Ericsson and Nokia formed a joint venture with Deutsche Telekom."
    )
    analysis = analyze(make_doc(text))
    assert roles(analysis, only_event(analysis, "PROTEST")) == {("target", "Samsung Electronics")}
    assert roles(analysis, only_event(analysis, "PARTNERSHIP")) == {
        ("party", "Ericsson"),
        ("party", "Nokia"),
        ("party", "Deutsche Telekom"),
    }


def test_no_event_without_participants(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("The company said it would hire more engineers and invest heavily."))
    assert analysis.events == []


def test_one_event_per_type_and_participants(make_doc: MakeDoc) -> None:
    text = (
        "Broadcom agreed to buy VMware for $61 billion in May. "
        "Broadcom completed its acquisition of VMware on November 22."
    )
    analysis = analyze(make_doc(text, published="2023-11-23"))
    event = only_event(analysis, "ACQUISITION")
    assert roles(analysis, event) == {("buyer", "Broadcom"), ("target", "VMware")}
    assert event.id == "v1"


def test_nothing_from_a_comment_segment(make_doc: MakeDoc) -> None:
    body = "Markets were calm on Friday."
    comment = 'Nvidia has agreed to acquire Arm from SoftBank. "This deal will never close," said Jensen Huang.'
    text = body + "\n" + comment
    segments = [
        Segment("body", 0, len(body)),
        Segment("comment", len(body) + 1, len(text), author="reader42"),
    ]
    analysis = analyze(make_doc(text, segments=segments))
    assert analysis.events == []
    assert analysis.quotes == []
    assert analysis.entities == []


def test_title_gives_entities_but_no_events(make_doc: MakeDoc) -> None:
    title = "Nvidia agrees to buy Arm"
    body = "The deal was announced on Sunday."
    text = title + "\n\n" + body
    segments = [Segment("title", 0, len(title)), Segment("body", len(title) + 2, len(text))]
    analysis = analyze(make_doc(text, segments=segments))
    assert {e.name for e in analysis.entities} == {"Nvidia", "Arm"}
    assert analysis.events == []


def test_event_ids_follow_the_text(make_doc: MakeDoc, briefs: str) -> None:
    analysis = analyze(make_doc(briefs, published="2023-09-04"))
    assert_offsets(analysis)
    assert [v.id for v in analysis.events] == [f"v{i}" for i in range(1, len(analysis.events) + 1)]
    starts = [v.evidence.start for v in analysis.events]
    assert starts == sorted(starts)
    types = {v.type for v in analysis.events}
    assert {
        "ACQUISITION",
        "SANCTION",
        "SUPPLY",
        "MARKET_SHARE",
        "PRODUCT_LAUNCH",
        "MEETING",
        "HIRING",
    } <= types


def test_same_parties_at_different_times_are_two_events(make_doc: MakeDoc) -> None:
    text = (
        "Microsoft invested $1 billion in OpenAI in 2019. "
        "Microsoft said on Monday it would invest $10 billion in OpenAI over the next three years."
    )
    events = [e for e in analyze(make_doc(text, published="2023-01-23")).events if e.type == "INVESTMENT"]
    assert [(e.status, e.date.start if e.date else None) for e in events] == [
        ("done", "2019"),
        ("planned", "2023-01-23"),
    ]


def test_sanction_list_with_a_possessive_and_no_company_imposer(make_doc: MakeDoc) -> None:
    text = (
        "Huawei has been on the US Commerce Department's Entity List since May 2019. "
        "The Micron ban followed US export controls that blocked China's access to advanced chips."
    )
    analysis = analyze(make_doc(text, published="2023-05-28"))
    sanctions = event_roles(analysis, "SANCTION")
    assert {("imposer", "US Commerce Department"), ("target", "Huawei")} in sanctions
    assert {("imposer", "United States"), ("target", "China")} in sanctions
    assert not any(("imposer", "Micron") in r for r in sanctions)


def test_the_receiver_of_money_is_the_target(make_doc: MakeDoc) -> None:
    text = (
        "Rapidus was founded with ¥7.3bn from Toyota, Sony, NTT and NEC in August. "
        "Intel received $8.5 billion in grants from the Commerce Department."
    )
    analysis = analyze(make_doc(text, published="2022-12-13"))
    found = event_roles(analysis, "INVESTMENT")
    assert {("investor", n) for n in ("Toyota", "Sony", "NTT", "NEC")} | {("target", "Rapidus")} in found
    assert {("investor", "US Commerce Department"), ("target", "Intel")} in found


def test_a_reduced_relative_is_passive(make_doc: MakeDoc) -> None:
    text = (
        "The Mate 60 Pro runs on a processor manufactured by SMIC for Huawei. "
        "Arm, acquired by SoftBank in 2016, makes designs."
    )
    analysis = analyze(make_doc(text, published="2023-09-05"))
    supply = next(e for e in analysis.events if e.type == "SUPPLY")
    assert {("supplier", "SMIC"), ("customer", "Huawei")} <= roles(analysis, supply)
    acquisition = next(e for e in analysis.events if e.type == "ACQUISITION")
    assert roles(analysis, acquisition) == {("buyer", "SoftBank Group"), ("target", "Arm")}


def _dated(text: str, published: str, make_doc: MakeDoc) -> list[tuple[str, str | None, str | None]]:
    analysis = analyze(make_doc(text, published=published))
    return [(v.type, v.date.start, v.date.end) for v in analysis.events if v.date is not None]


def test_a_date_right_after_a_past_speech_verb_is_past_even_for_a_plan(make_doc: MakeDoc) -> None:
    # the plan is in the future, but "in January" is when it was said
    assert _dated("Microsoft said in January it would cut 10,000 jobs.", "2023-06-01", make_doc) == [
        ("HIRING", "2023-01", "2023-01")
    ]


def test_a_scheduled_date_is_read_forward(make_doc: MakeDoc) -> None:
    # no future tense: "take effect" alone says the date is ahead
    text = "The Netherlands said its new export controls on China take effect on September 1."
    assert _dated(text, "2023-06-30", make_doc) == [("SANCTION", "2023-09-01", "2023-09-01")]


def test_a_date_in_the_triggers_own_clause_wins(make_doc: MakeDoc) -> None:
    text = (
        "The Dutch rules took effect on September 1, and Japan began restricting exports of chipmaking "
        "tools to China in July."
    )
    assert _dated(text, "2023-09-10", make_doc) == [("SANCTION", "2023-07", "2023-07")]


def test_an_n_day_event_lasts_n_days(make_doc: MakeDoc) -> None:
    text = "The National Samsung Electronics Union began a three-day strike against Samsung Electronics on Monday."
    assert _dated(text, "2024-07-10", make_doc) == [("PROTEST", "2024-07-08", "2024-07-10")]


def test_the_furthest_stage_told_is_the_status(make_doc: MakeDoc) -> None:
    text = (
        "Broadcom agreed to buy VMware in May 2022 for $61 billion. "
        "Broadcom completed its acquisition of VMware on Wednesday."
    )
    analysis = analyze(make_doc(text, published="2023-11-23"))
    (event,) = [v for v in analysis.events if v.type == "ACQUISITION"]
    assert event.status == "done"


def test_blocking_access_is_a_sanction(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("The US has blocked China's access to advanced chips since October."))
    event = only_event(analysis, "SANCTION")
    assert roles(analysis, event) == {("imposer", "United States"), ("target", "China")}
    assert event.status == "done"  # "blocked" is the sanction itself, not a cancellation


def test_a_later_sentence_about_the_deal_ends_it(make_doc: MakeDoc) -> None:
    text = (
        "Nvidia agreed to buy Arm from SoftBank Group in September 2020. "
        "Regulators in three jurisdictions objected. The deal collapsed in February."
    )
    event = only_event(analyze(make_doc(text, published="2022-02-08")), "ACQUISITION")
    assert event.status == "cancelled"
    text = "Nvidia agreed to buy Arm from SoftBank Group in 2020. None of the regulators has blocked the deal yet."
    event = only_event(analyze(make_doc(text, published="2021-02-08")), "ACQUISITION")
    assert event.status == "agreed"


def test_when_people_meet_they_are_the_parties(make_doc: MakeDoc) -> None:
    text = (
        "The United States and China have agreed to work toward a meeting between Joe Biden and Xi Jinping "
        "in San Francisco next month."
    )
    analysis = analyze(make_doc(text, published="2023-10-06"))
    event = only_event(analysis, "MEETING")
    assert {(r, n) for r, n in roles(analysis, event) if r == "party"} == {
        ("party", "Joe Biden"),
        ("party", "Xi Jinping"),
    }
    text = "Xi Jinping arrived in Moscow on Monday. A statement was issued straight after the Putin–Xi talks."
    analysis = analyze(make_doc(text, published="2023-03-22"))
    assert "MEETING" in [v.type for v in analysis.events]
    assert "NEGOTIATION" not in [v.type for v in analysis.events]


def test_a_share_of_the_world_is_market_share_not_supply(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("SK Hynix supplies about 30% of the world's DRAM chips.", published="2023-05-01"))
    assert [e.type for e in analysis.events] == ["MARKET_SHARE"]
    assert ("company", "SK Hynix") in roles(analysis, analysis.events[0])


def test_a_supply_needs_someone_supplied(make_doc: MakeDoc) -> None:
    text = "ASML will ship its newest scanners next year. Rosatom delivered nuclear fuel to Egypt in May."
    analysis = analyze(make_doc(text, published="2023-06-01"))
    supplies = event_roles(analysis, "SUPPLY")
    assert supplies == [{("supplier", "Rosatom"), ("customer", "Egypt")}]


def test_a_protest_by_unnamed_people_is_a_protest(make_doc: MakeDoc) -> None:
    text = "Hundreds of farmers protested against the new mine on Sunday. The new chip demonstrated good yields."
    analysis = analyze(make_doc(text, published="2023-06-01"))
    protests = [e for e in analysis.events if e.type == "PROTEST"]
    assert len(protests) == 1 and protests[0].evidence.text.startswith("Hundreds of farmers")


def test_licence_requirements_and_imposed_on_are_sanctions_on_states_not_products(make_doc: MakeDoc) -> None:
    text = (
        "Japan will require export licences for shipments of 23 types of equipment to China. "
        "The curbs the European Union imposed on Russia's banks remain. "
        "The rules restrict sales of the H100 and rely on certain US software."
    )
    analysis = analyze(make_doc(text, published="2023-06-01"))
    found = event_roles(analysis, "SANCTION")
    assert {("imposer", "Japan"), ("target", "China")} in found
    assert {("imposer", "European Union"), ("target", "Russia")} in found
    assert not any(("target", "H100") in f or ("target", "United States") in f for f in found)


def test_calling_for_something_is_a_proposal(make_doc: MakeDoc) -> None:
    text = "Senator Maria Cantwell called for new limits on data brokers."
    analysis = analyze(make_doc(text, published="2023-06-01"))
    assert event_roles(analysis, "PROPOSAL") == [{("proposer", "Maria Cantwell")}]


def test_spending_money_is_investment_spending_time_is_not(make_doc: MakeDoc) -> None:
    text = (
        "Intel will spend $20bn on two plants in Ohio. Samsung spent years developing its own modem. "
        "Nebius, which is backed by Accel, raised $700m in a round led by Nvidia."
    )
    analysis = analyze(make_doc(text, published="2023-06-01"))
    found = event_roles(analysis, "INVESTMENT")
    assert {("investor", "Intel")} <= found[0] and len(found) == 2
    assert {("investor", "Accel"), ("investor", "Nvidia"), ("target", "Nebius Group")} == found[1]


def test_several_targets_are_several_investments(make_doc: MakeDoc) -> None:
    text = "Start-ups Cerebras and Groq have raised funding from Abu Dhabi's G42."
    analysis = analyze(make_doc(text, published="2023-06-01"))
    found = sorted(sorted(r) for r in event_roles(analysis, "INVESTMENT"))
    assert found == [
        [("investor", "G42"), ("target", "Cerebras Systems")],
        [("investor", "G42"), ("target", "Groq")],
    ]


def test_a_cue_of_another_clause_is_not_the_events_status(make_doc: MakeDoc) -> None:
    text = (
        "In May Amazon put $4bn into Anthropic, and the Competition and Markets Authority said it would "
        "review the deal."
    )
    analysis = analyze(make_doc(text, published="2023-09-01"))
    investment = only_event(analysis, "INVESTMENT")
    assert investment.status == "done"
    assert roles(analysis, investment) == {("investor", "Amazon"), ("target", "Anthropic")}


def test_a_trigger_whose_own_words_give_the_stage(make_doc: MakeDoc) -> None:
    text = (
        "Vodafone Idea signed an agreement with Ericsson on network automation in Mumbai. "
        "Foxconn is considering a battery plant in Tamil Nadu."
    )
    analysis = analyze(make_doc(text))
    assert [(e.type, e.status) for e in analysis.events] == [("PARTNERSHIP", "agreed"), ("INVESTMENT", "proposed")]


def test_the_holder_of_a_licence_to_someones_technology_is_the_licensee(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Kestrel Robotics keeps a 20-year licence to Arm's technology, the company said."))
    event = only_event(analysis, "LICENSING")
    assert roles(analysis, event) == {("licensee", "Kestrel Robotics"), ("licensor", "Arm")}


def test_a_measure_named_before_its_imposer(make_doc: MakeDoc) -> None:
    text = (
        "The new rules go further than the controls the United States imposed on China's chip industry in "
        "October. Under export rules introduced by the Commerce Department in February, Nvidia cannot ship "
        "the parts."
    )
    analysis = analyze(make_doc(text, published="2023-06-01"))
    sanctions = [v for v in analysis.events if v.type == "SANCTION"]
    assert ("imposer", "United States") in roles(analysis, sanctions[0])
    assert ("target", "China") in roles(analysis, sanctions[0])
    introduced = sanctions[-1]
    assert ("imposer", "US Commerce Department") in roles(analysis, introduced)
    # "introduced by the Commerce Department in February": no deadline, so last February, done
    assert introduced.date is not None and introduced.date.start == "2023-02"
    assert introduced.status == "done"


def test_a_pronoun_after_a_weekday_is_no_prepositional_object(make_doc: MakeDoc) -> None:
    text = "The US Commerce Department said on Tuesday it had added 13 Chinese companies to the Entity List."
    analysis = analyze(make_doc(text, published="2023-06-01"))
    for event in analysis.events:  # "on Tuesday it": "it" is no target of "on"
        assert ("target", "US Commerce Department") not in roles(analysis, event)


def test_making_chips_for_a_customer_is_supply(make_doc: MakeDoc) -> None:
    text = (
        "TSMC was barred from making chips for Huawei in 2020. Microsoft's Azure will remain OpenAI's "
        "exclusive cloud provider. Rapidus would aim to make chips for customers in Japan."
    )
    analysis = analyze(make_doc(text, published="2023-06-01"))
    supply = [v for v in analysis.events if v.type == "SUPPLY"]
    assert [(sorted(roles(analysis, v)), v.status) for v in supply] == [
        ([("customer", "Huawei"), ("supplier", "TSMC")], "cancelled"),
        ([("customer", "OpenAI"), ("supplier", "Microsoft")], "done"),  # "will remain": so it is now
    ]


def test_the_two_sides_are_not_where_they_met(make_doc: MakeDoc) -> None:
    text = (
        "Joe Biden met Xi Jinping on Wednesday. They last met in Bali, Indonesia, a year ago. The two sides "
        "agreed to hold talks on AI."
    )
    analysis = analyze(make_doc(text, published="2023-11-16"))
    for event in analysis.events:
        assert not {"Bali", "Indonesia"} & {name for _, name in roles(analysis, event)}, event.evidence.text


def test_two_measures_of_two_imposers_in_one_sentence(make_doc: MakeDoc) -> None:
    text = (
        "The Netherlands will require export licences for some ASML machines, the trade minister said on "
        "Wednesday, a step that brings The Hague closer to the controls the United States imposed on China "
        "last October."
    )
    analysis = analyze(make_doc(text, published="2023-03-09"))
    sanctions = [v for v in analysis.events if v.type == "SANCTION"]
    us = next(v for v in sanctions if ("imposer", "United States") in roles(analysis, v))
    assert roles(analysis, us) == {("imposer", "United States"), ("target", "China")}
    assert us.date is not None and us.date.start == "2022-10" and us.status == "done"
    assert any(("imposer", "Netherlands") in roles(analysis, v) for v in sanctions), event_roles(analysis, "SANCTION")


def test_a_pronoun_inside_a_relative_clause_is_its_subject(make_doc: MakeDoc) -> None:
    text = (
        "The Netherlands published new chip export rules on Friday. Officials in The Hague said the rules "
        "came after pressure from Washington, which imposed its own sweeping controls on chip technology in "
        "October last year."
    )
    analysis = analyze(make_doc(text, published="2023-07-01"))
    us = [r for r in event_roles(analysis, "SANCTION") if ("imposer", "United States") in r]
    assert us and all(("target", "Netherlands") not in r for r in us), us


def test_the_subject_of_another_clause_is_no_target(make_doc: MakeDoc) -> None:
    text = "Washington has spent four years restricting which chips China can buy."
    analysis = analyze(make_doc(text, published="2023-11-08"))
    assert event_roles(analysis, "SANCTION") == [{("imposer", "United States")}]


def test_a_date_on_the_trigger_noun_is_the_events(make_doc: MakeDoc) -> None:
    text = "BIS published its update to last year's Oct 7 chip rules yesterday, three interim final rules in all."
    analysis = analyze(make_doc(text, published="2023-10-18"))
    event = only_event(analysis, "SANCTION")
    assert event.date is not None and event.date.start == "2022-10-07"


def test_names_describing_a_common_noun_are_not_targets(make_doc: MakeDoc) -> None:
    text = "Japan is expected to announce its own restrictions on Tokyo Electron and Nikon equipment within weeks."
    analysis = analyze(make_doc(text, published="2023-03-09"))
    assert event_roles(analysis, "SANCTION") == [{("imposer", "Japan")}]
    launch = analyze(make_doc("Huawei will unveil its Mate 70 smartphone next month.", published="2024-10-01"))
    assert any(role == "product" and "Mate 70" in name for role, name in event_roles(launch, "PRODUCT_LAUNCH")[0])


def test_a_name_and_its_verb_after_a_comma_open_a_new_clause(make_doc: MakeDoc) -> None:
    text = (
        "The parties never settled who would control the algorithm, Beijing added recommendation technology "
        "to its export-control list, and the sale stalled."
    )
    analysis = analyze(make_doc(text, published="2023-03-23"))
    event = only_event(analysis, "SANCTION")
    assert ("imposer", "China") in roles(analysis, event)
    assert event.status == "done"  # the "would" of the clause before is not this event's
