"""Entities: gazetteer matches, alias merging, metonymy, unknown names, surnames and acronyms."""

from __future__ import annotations

from conftest import MakeDoc, assert_offsets
from dossier.model import Analysis, Entity
from dossier.nlp import analyze


def entity(analysis: Analysis, name: str) -> Entity:
    found = [e for e in analysis.entities if e.name == name]
    assert len(found) == 1, [(e.name, e.type) for e in analysis.entities]
    return found[0]


def names(analysis: Analysis) -> set[str]:
    return {e.name for e in analysis.entities}


def test_gazetteer_aliases_merge_into_one_entity(make_doc: MakeDoc) -> None:
    text = (
        "ASML Holding reported record orders. ASML said demand for EUV machines stayed strong, "
        "and @ASMLcompany repeated it online. The Hague restricted exports in June 🇳🇱, and the Dutch "
        "government said the Netherlands acted alone."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    asml = entity(analysis, "ASML")
    assert asml.type == "ORG"
    assert asml.kb == {"wikidata": "Q297879"}
    assert {"ASML Holding", "@ASMLcompany"} <= set(asml.aliases)
    assert len(asml.mentions) == 3
    netherlands = entity(analysis, "Netherlands")
    assert netherlands.type == "GPE"
    # capital-for-government metonymy, the flag and "the Dutch government" are all the state
    assert {"The Hague", "🇳🇱", "Dutch government"} <= set(netherlands.aliases)
    assert entity(analysis, "EUV lithography").type == "PRODUCT"
    assert [e.id for e in analysis.entities] == [f"e{i}" for i in range(1, len(analysis.entities) + 1)]


def test_a_capital_is_a_city_where_the_text_makes_it_a_place(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Beijing protested. Officials met in Beijing on Monday."))
    assert_offsets(analysis)
    china = entity(analysis, "China")
    city = entity(analysis, "Beijing")
    assert [m.start for m in china.mentions] == [0]
    assert city.type == "GPE" and len(city.mentions) == 1


def test_a_hashtag_naming_an_actor_is_a_mention_of_it(make_doc: MakeDoc) -> None:
    text = (
        "Big week #Huawei #exportcontrols C#. Shares of Arktel rose after the chipmaker Arktel said it "
        "would sign. #Arktel"
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    huawei = entity(analysis, "Huawei")
    assert huawei.aliases == ["#Huawei"] and len(huawei.mentions) == 1
    assert names(analysis) == {"Huawei", "Arktel"}  # a topic tag is no entity
    assert entity(analysis, "Arktel").aliases == ["#Arktel"]


def test_a_handle_made_of_a_name_in_the_text_is_that_name(make_doc: MakeDoc) -> None:
    text = (
        "Lena Petrova runs Arktel, a Kazan start-up. @LenaPetrova_ says Arktel will sign with a bank soon, "
        "and @arktel_official confirmed it. @chipwatcher_eu disagreed."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    assert "@LenaPetrova_" in entity(analysis, "Lena Petrova").aliases
    assert "@arktel_official" in entity(analysis, "Arktel").aliases
    assert not any("chipwatcher" in alias for e in analysis.entities for alias in [e.name, *e.aliases])


def test_a_misspelt_name_or_initials_join_the_person_first_named(make_doc: MakeDoc) -> None:
    text = (
        "Jensen Huang told reporters that Nvidia would comply. Hunag added that China mattered, and "
        "Jensen Haung repeated it later. Mohammed bin Salman met him in Riyadh; MBS said the kingdom would "
        "buy more chips. Wang Yi and Tang Wei also spoke."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    huang = entity(analysis, "Jensen Huang")
    assert {"Hunag", "Jensen Haung"} <= set(huang.aliases) and len(huang.mentions) == 3
    assert "MBS" in entity(analysis, "Mohammed bin Salman").aliases
    assert {"Wang Yi", "Tang Wei"} <= names(analysis)  # another first letter: another person


def test_a_ministry_is_one_body_whichever_way_it_is_named(make_doc: MakeDoc) -> None:
    text = (
        "China's Commerce Ministry said on Sunday it opposed the rules. The Ministry of Commerce added "
        "that talks would go on, and the Commerce Ministry later said it would respond."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    ministries = [e for e in analysis.entities if "Commerce" in e.name]
    assert len(ministries) == 1 and len(ministries[0].mentions) == 3, [e.name for e in ministries]


def test_a_one_word_company_is_not_a_person_and_a_role_is_not_a_name(make_doc: MakeDoc) -> None:
    text = (
        "Broadcom agreed to buy Symantec's corporate security arm in 2019. Dutch Foreign Trade Minister "
        "Liesje Schreinemacher said the rules were ready."
    )
    analysis = analyze(make_doc(text))
    assert entity(analysis, "Symantec").type == "ORG"
    assert not any("Minister" in e.name for e in analysis.entities)


def test_surname_joins_the_full_name(make_doc: MakeDoc) -> None:
    text = (
        "Raf Verbeke, a partner at the consultancy Lowlands Semiconductor Advisory, expects more curbs. "
        "Verbeke said the rules would not stop Chinese progress. "
        "Mr. Verbeke has followed the industry for years."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    person = entity(analysis, "Raf Verbeke")
    assert person.type == "PERSON"
    assert [m.text for m in person.mentions] == ["Raf Verbeke", "Verbeke", "Verbeke"]
    assert person.aliases == ["Verbeke"]
    assert person.descriptions == ["partner at the consultancy Lowlands Semiconductor Advisory"]
    assert entity(analysis, "Lowlands Semiconductor Advisory").type == "ORG"


def test_descriptions_from_appositions_and_titles(make_doc: MakeDoc) -> None:
    text = (
        "Peter Wennink, chief executive of ASML, said demand was strong. "
        "Trade minister Liesje Schreinemacher told parliament the rules were ready."
    )
    analysis = analyze(make_doc(text))
    assert entity(analysis, "Peter Wennink").descriptions == ["chief executive of ASML"]
    assert "Trade minister" in entity(analysis, "Liesje Schreinemacher").descriptions


def test_full_name_then_acronym_makes_an_alias(make_doc: MakeDoc) -> None:
    text = (
        "The Fraunhofer Institute for Photonic Microsystems (IPMS) opened a clean room in Dresden. "
        "IPMS said the room would serve start-ups."
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    institute = entity(analysis, "Fraunhofer Institute for Photonic Microsystems")
    assert institute.type == "ORG"
    assert institute.aliases == ["IPMS"]
    assert len(institute.mentions) == 3


def test_unknown_capitalised_words_without_evidence_are_dropped(make_doc: MakeDoc) -> None:
    text = "Analysts said New Dutch export rules matter. For Chinese Chipmakers the Change is Large."
    analysis = analyze(make_doc(text))
    assert names(analysis) == set()


def test_an_organisation_name_keeps_the_place_it_holds(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Huawei will open a laboratory with Moscow State University next year."))
    assert "Moscow State University" in names(analysis)
    assert "Moscow" not in names(analysis) and "Russia" not in names(analysis)


def test_briefs_fixture_offsets_and_ids(make_doc: MakeDoc, briefs: str) -> None:
    analysis = analyze(make_doc(briefs, published="2023-09-04"))
    assert_offsets(analysis)
    assert len(analysis.entities) > 30
    # the gazetteer knows the people, companies and products of the briefs
    assert {"Jensen Huang", "Nvidia", "Arm", "SoftBank Group", "Mate 60 Pro", "Kirin 9000S"} <= names(analysis)


def test_coordinated_company_names_are_two_entities(make_doc) -> None:
    from dossier.nlp import analyze

    text = "Broadcom bought CA Technologies and Symantec before it turned to cloud software."
    names = {e.name for e in analyze(make_doc(text)).entities}
    assert "CA Technologies and Symantec" not in names
    assert "CA Technologies" in names


def test_own_outlet_is_an_organisation(make_doc) -> None:
    from dossier.model import Document, Segment, document_id
    from dossier.nlp import analyze

    text = "Lumora Systems told Quill Harbour Gazette it would hire 200 engineers in Tartu."
    doc = Document(id=document_id(text), text=text, source="Quill Harbour Gazette — Business",
                   segments=[Segment("body", 0, len(text))])  # fmt: skip
    outlet = [e for e in analyze(doc).entities if e.name == "Quill Harbour Gazette"]
    assert len(outlet) == 1 and outlet[0].type == "ORG"


def test_a_country_name_that_opens_a_person_name_is_the_person(make_doc) -> None:
    from dossier.nlp import analyze

    text = "Chad Bown, a trade economist, said the rules were tough. Chad and Jordan signed a deal."
    found = {(e.name, e.type) for e in analyze(make_doc(text)).entities}
    assert ("Chad Bown", "PERSON") in found
    assert {("Chad", "GPE"), ("Jordan", "GPE")} <= found


def test_an_administration_is_a_government_not_its_president(make_doc) -> None:
    from dossier.nlp import analyze

    text = "The Biden administration pressed the Netherlands. Joe Biden later met Xi Jinping."
    found = {(e.name, e.type) for e in analyze(make_doc(text)).entities}
    assert ("Biden administration", "ORG") in found and ("Joe Biden", "PERSON") in found


def test_product_codes_standing_alone_are_products(make_doc: MakeDoc) -> None:
    text = (
        "Samsung unveiled its Galaxy Z Fold6 and Z Flip6 phones. ASML ships the TWINSCAN NXT:2000i to TSMC. "
        "Nvidia made the H20, L20 and L2 for China in Q3, before the G7 meeting and FY2024 results."
    )
    for pipeline in ("fast", "model"):
        analysis = analyze(make_doc(text), pipeline=pipeline)
        products = {e.name for e in analysis.entities if e.type == "PRODUCT"}
        assert {"Galaxy Z Fold6", "Z Flip6", "NXT:2000i", "H20", "L20", "L2"} <= products, pipeline
        assert not {"Q3", "G7", "FY2024"} & products, pipeline  # G7 is the group of countries
        assert not {"Q3", "FY2024"} & {e.name for e in analysis.entities}, pipeline


def test_a_description_settles_a_names_type(make_doc: MakeDoc) -> None:
    text = (
        "The deal was criticised by Kelvara, a Berlin-based consultancy, on Monday. Kelvara said the price "
        "was too high. Halvard Quist, an analyst at Meiji Capital, called it a bargain."
    )
    # the model alone takes Kelvara for a person; the description corrects it
    types = {e.name: e.type for e in analyze(make_doc(text), pipeline="model").entities}
    assert types.get("Kelvara") == "ORG", types
    assert types.get("Halvard Quist") == "PERSON", types


def test_a_name_coordinated_with_a_known_company_is_a_company(make_doc: MakeDoc) -> None:
    text = (
        "Chip start-ups Sparrows and Groq have raised funding. Handset makers such as Oppo and Itel shipped "
        "more phones in March and April. Suppliers including Bosch and Harvest Fields cut prices."
    )
    analysis = analyze(make_doc(text))
    for name in ("Sparrows", "Itel", "Harvest Fields"):
        assert entity(analysis, name).type == "ORG"
    assert not {"March", "April", "Chip", "Handset"} & names(analysis)


def test_where_people_work_is_an_organisation(make_doc: MakeDoc) -> None:
    text = "Analysts at Bernstein said the price was high, and an economist with Nomura agreed."
    analysis = analyze(make_doc(text))
    types = {e.name: e.type for e in analysis.entities}
    assert types.get("Bernstein") == "ORG"


def test_a_place_name_opening_with_a_common_word_stays_in_the_organisation(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Arm listed its shares on the New York Stock Exchange in September."))
    assert_offsets(analysis)
    assert "New York Stock Exchange" in names(analysis)
    assert "New York" not in names(analysis)
