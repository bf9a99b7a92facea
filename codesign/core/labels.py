"""The wording of codesign's outputs in Finnish and English: data only (the functions are in i18n)."""
from __future__ import annotations

#: key → {language: text}. Keys are stable identifiers used by notebooks, plots and the build index.
LABELS: dict[str, dict[str, str]] = {
    # stages and groups (ids as in project.yml / segments.parquet)
    "stage.workshop1": {"fi": "Työpaja 1", "en": "Workshop 1"},
    "stage.survey": {"fi": "Kysely", "en": "Survey"},
    "stage.workshop2": {"fi": "Työpaja 2", "en": "Workshop 2"},
    "stage.interview": {"fi": "Haastattelut", "en": "Interviews"},
    "stage.comment": {"fi": "Luonnoskommentit", "en": "Draft comments"},
    "group.yrittäjä": {"fi": "yrittäjä", "en": "entrepreneur"},
    "group.yrityksen edustaja": {"fi": "yrityksen edustaja", "en": "company representative"},
    "group.viranhaltija": {"fi": "viranhaltija", "en": "official"},
    "group.luottamushenkilö": {"fi": "luottamushenkilö", "en": "elected official"},
    "group.muu": {"fi": "muu", "en": "other"},
    "group.unknown": {"fi": "tuntematon", "en": "unknown"},
    # axes and common words
    "axis.stage": {"fi": "vaihe", "en": "stage"},
    "axis.group": {"fi": "sidosryhmä", "en": "stakeholder group"},
    "axis.theme": {"fi": "teema", "en": "theme"},
    "axis.frame": {"fi": "kehys", "en": "frame"},
    "axis.section": {"fi": "osio", "en": "section"},
    "axis.statement": {"fi": "lausumatyyppi", "en": "statement type"},
    "axis.notes": {"fi": "muistilappuja", "en": "sticky notes"},
    "axis.segments": {"fi": "segmenttejä", "en": "segments"},
    "axis.canvas_theme": {"fi": "työpajan teema", "en": "workshop theme"},
    "axis.coded_theme": {"fi": "koodattu teema", "en": "coded theme"},
    "word.none": {"fi": "ei teemaa", "en": "no theme"},
    "word.quote_by": {"fi": "sanoi", "en": "said"},
    # notebook 00
    "nb00.title": {"fi": "Aineiston selailu", "en": "Exploring the material"},
    "nb00.intro": {"fi": "Selaa pseudonymisoituja segmenttejä teeman, sidosryhmän ja vaiheen mukaan, etsi "
                         "ilmausta koko aineistosta perusmuodoittain ja katso, miksi segmentti sai koodinsa.",
                   "en": "Browse the pseudonymised segments by theme, stakeholder group and stage, find a phrase "
                         "across the corpus by its base forms, and see why a segment got its codes."},
    "nb00.overview": {"fi": "Aineisto vaiheittain ja sidosryhmittäin",
                      "en": "The material by stage and stakeholder group"},
    "nb00.browse": {"fi": "Segmentit valinnan mukaan", "en": "Segments of the selection"},
    "nb00.find": {"fi": "Ilmauksen haku", "en": "Finding a phrase"},
    "nb00.why": {"fi": "Miksi koodi annettiin", "en": "Why a code was given"},
    "nb00.themes_by_stage": {"fi": "Teemojen segmentit vaiheittain", "en": "Theme segments by stage"},
    # notebook 01
    "nb01.title": {"fi": "Työpaja 1: nykytila ja painopistevaihtoehdot",
                   "en": "Workshop 1: current state and candidate focus areas"},
    "nb01.intro": {"fi": "Työpajan 1 muistilaput kehyksittäin ja sidosryhmittäin sekä teemakoodit kehyksittäin.",
                   "en": "The sticky notes of workshop 1 by frame and stakeholder group, and theme codes by frame."},
    "nb01.by_frame": {"fi": "Muistilaput kehyksittäin ja sidosryhmittäin",
                      "en": "Sticky notes by frame and stakeholder group"},
    "nb01.themes_by_frame": {"fi": "Teemakoodit kehyksittäin", "en": "Theme codes by frame"},
    "nb01.statements_by_frame": {"fi": "Vahvuudet, haasteet ja ehdotukset kehyksittäin",
                                 "en": "Strengths, challenges and suggestions by frame"},
    "nb01.focus": {"fi": "Painopistevaihtoehdot eri näkökulmista",
                   "en": "Candidate focus areas from each perspective"},
    "nb01.quotes": {"fi": "Poimintoja teemoittain", "en": "Quotes by theme"},
    # notebook 03
    "nb03.title": {"fi": "Työpaja 2: teemojen tarkennus ja ensimmäiset toimenpiteet",
                   "en": "Workshop 2: themes refined and first actions"},
    "nb03.intro": {"fi": "Työpajan 2 muistilaput teemoittain ja osioittain sekä ehdotetut ensimmäiset "
                         "toimenpiteet.",
                   "en": "The sticky notes of workshop 2 by theme and section, and the first actions proposed."},
    "nb03.by_theme": {"fi": "Muistilaput teemoittain ja osioittain", "en": "Sticky notes by theme and section"},
    "nb03.coded_vs_canvas": {"fi": "Työpajan teema ja koodattu teema",
                             "en": "Workshop theme and coded theme"},
    "nb03.actions": {"fi": "Ensimmäiset toimenpiteet", "en": "First actions"},
    "nb03.refined": {"fi": "Teemojen sisältö osallistujien sanoin", "en": "Theme content in participants' words"},
    # verdicts and stances of the analysis tables (an unknown value is shown as written: verdict_label)
    "verdict.confirmed": {"fi": "vahvistettu", "en": "confirmed"},
    "verdict.needs_refinement": {"fi": "tarkennettava", "en": "needs refinement"},
    "verdict.not_supported": {"fi": "ei tuettu", "en": "not supported"},
    "verdict.insufficient_evidence": {"fi": "liian vähän näyttöä", "en": "insufficient evidence"},
    "verdict.supported": {"fi": "tuettu", "en": "supported"},
    "stance.support": {"fi": "tukee", "en": "supports"},
    "stance.question": {"fi": "kyseenalaistaa", "en": "questions"},
    "stance.refine": {"fi": "tarkentaa", "en": "refines"},
    "stance.scope": {"fi": "rajaus", "en": "scope"},
    "stance.perspective": {"fi": "näkökulma", "en": "perspective"},
    "stance.emergent": {"fi": "uusi aihe", "en": "emergent"},
    "strength.strong": {"fi": "vahva", "en": "strong"},
    "strength.single_method": {"fi": "yksi menetelmä", "en": "single method"},
    "strength.single_group": {"fi": "yksi ryhmä", "en": "single group"},
    "strength.weak": {"fi": "heikko", "en": "weak"},
    "likert.dont_know": {"fi": "En osaa sanoa", "en": "Don't know"},
    "likert.missing": {"fi": "ei vastausta", "en": "no answer"},
    "word.all": {"fi": "kaikki vastaajat", "en": "all respondents"},
    "word.small_n": {"fi": "pieni ryhmä", "en": "small group"},
    "word.yes": {"fi": "kyllä", "en": "yes"},
    "word.no": {"fi": "ei", "en": "no"},
    "word.descriptive": {"fi": "kuvaileva", "en": "descriptive"},
    "col.theme": {"fi": "teema", "en": "theme"},
    "col.alternative": {"fi": "vaihtoehto", "en": "alternative"},
    "col.position": {"fi": "sija", "en": "position"},
    "col.n": {"fi": "n", "en": "n"},
    "col.mean_rank": {"fi": "keskisija (95 %)", "en": "mean rank (95 %)"},
    "col.top3": {"fi": "kolmen kärjessä (95 %)", "en": "in top three (95 %)"},
    "col.borda": {"fi": "Borda-pisteet", "en": "Borda points"},
    "col.chosen": {"fi": "valittu teemaksi", "en": "chosen as theme"},
    "col.supported": {"fi": "kysely tukee", "en": "survey supports"},
    "col.reason": {"fi": "perustelu", "en": "reason"},
    "col.verdict": {"fi": "arvio", "en": "verdict"},
    "col.coverage": {"fi": "kattavuus", "en": "coverage"},
    "col.reasons": {"fi": "perustelut", "en": "reasons"},
    "col.voiced": {"fi": "esillä olleet alakoodit", "en": "subcodes voiced"},
    "col.silent": {"fi": "hiljaiset alakoodit", "en": "silent subcodes"},
    "col.scope": {"fi": "rajausliput", "en": "scope flags"},
    "col.perspective": {"fi": "näkökulmaerot", "en": "perspective differences"},
    "col.group": {"fi": "ryhmä", "en": "group"},
    "col.statistic": {"fi": "tunnusluku", "en": "statistic"},
    "col.value": {"fi": "arvo", "en": "value"},
    "col.p_value": {"fi": "p-arvo", "en": "p value"},
    "col.test": {"fi": "testi", "en": "test"},
    "col.share": {"fi": "osuus", "en": "share"},
    "col.note": {"fi": "huomio", "en": "note"},
    "col.goal": {"fi": "tavoite", "en": "goal"},
    "col.support": {"fi": "tukee", "en": "support"},
    "col.question": {"fi": "kyseenalaistaa", "en": "question"},
    "col.refine": {"fi": "tarkentaa", "en": "refine"},
    "col.participants": {"fi": "osallistujia", "en": "participants"},
    "col.segments": {"fi": "segmenttejä", "en": "segments"},
    "col.parameter": {"fi": "parametri", "en": "parameter"},
    "col.used": {"fi": "käytetty arvo", "en": "value used"},
    "col.requested": {"fi": "pyydetty arvo", "en": "value requested"},
    "col.label": {"fi": "aihe", "en": "topic"},
    "col.terms": {"fi": "avainsanat", "en": "top terms"},
    "col.nearest": {"fi": "lähin teema", "en": "nearest theme"},
    "col.sentences": {"fi": "lauseita", "en": "sentences"},
    "col.persistence": {"fi": "pysyvyys", "en": "persistence"},
    "topic.typical": {"fi": "Tyypillisin lause", "en": "Most typical sentence"},
    "topic.chars": {"fi": "merkit", "en": "characters"},
    "col.stages": {"fi": "vaiheita", "en": "stages"},
    "col.groups": {"fi": "ryhmiä", "en": "groups"},
    "col.strength": {"fi": "tuen vahvuus", "en": "strength of support"},
    "col.stance": {"fi": "kanta", "en": "stance"},
    "col.stage": {"fi": "vaihe", "en": "stage"},
    "col.quote": {"fi": "lainaus", "en": "quote"},
    "col.subject": {"fi": "kohde", "en": "subject"},
    "col.indicator": {"fi": "mittari", "en": "indicator"},
    "col.baseline": {"fi": "lähtötaso", "en": "baseline"},
    "col.target": {"fi": "tavoitetaso", "en": "target"},
    "col.owner": {"fi": "vastuutaho", "en": "owner"},
    "col.action": {"fi": "toimenpide", "en": "action"},
    "col.schedule": {"fi": "aikataulu", "en": "schedule"},
    "col.year": {"fi": "vuosi", "en": "year"},
    "col.status": {"fi": "tila", "en": "status"},
    "col.latest": {"fi": "viimeisin arvo", "en": "latest value"},
    "col.progress": {"fi": "edistyminen", "en": "progress"},
    "col.rank": {"fi": "ryhmän järjestys", "en": "rank in group"},
    "col.examples": {"fi": "esimerkkisegmentit", "en": "example segments"},
    # notebook 02
    "nb02.title": {"fi": "Kysely: painopisteiden tärkeysjärjestys", "en": "Survey: priorities"},
    "nb02.intro": {"fi": "Kyselyn vastaajat asettivat työpajan 1 painopistevaihtoehdot tärkeysjärjestykseen ja "
                         "arvioivat niiden tärkeyden asteikolla 1–5. Välit ovat 95 %:n bootstrap-luottamusvälejä.",
                   "en": "Survey respondents ranked the candidate focus areas of workshop 1 and rated their "
                         "importance on a scale of 1–5. Intervals are 95 % bootstrap confidence intervals."},
    "nb02.ranked": {"fi": "Vaihtoehdot tärkeysjärjestyksessä (kaikki vastaajat)",
                    "en": "Alternatives ranked (all respondents)"},
    "nb02.top3_axis": {"fi": "osuus vastaajista, jotka sijoittivat kolmen kärkeen",
                       "en": "share of respondents ranking it in their top three"},
    "nb02.by_group": {"fi": "Tärkeysjärjestys sidosryhmittäin", "en": "Priorities by stakeholder group"},
    "nb02.small_n": {"fi": "Pienen ryhmän (alle {n} vastaajaa) tulos on suuntaa antava; se on merkitty "
                           "”pieni ryhmä”. Oranssi kehys: vaihtoehto, jonka ryhmät asettivat kauimmas toisistaan.",
                     "en": "A small group's result (under {n} respondents) is indicative only; it is marked "
                           "”small group”. Orange frame: the alternative the groups rank furthest apart."},
    "nb02.likert": {"fi": "Tärkeysarviot 1–5", "en": "Importance ratings 1–5"},
    "nb02.likert_axis": {"fi": "osuus vastaajista", "en": "share of respondents"},
    "nb02.likert_caption": {"fi": "1 = ei lainkaan tärkeä, 5 = erittäin tärkeä. \"En osaa sanoa\" ja puuttuvat "
                                  "vastaukset näytetään omina osinaan harmaalla.",
                            "en": "1 = not important at all, 5 = very important. \"Don't know\" and missing "
                                  "answers are shown as their own grey parts."},
    "nb02.agreement": {"fi": "Yksimielisyys ryhmien sisällä ja välillä",
                       "en": "Agreement within and between groups"},
    "nb02.agreement_caption": {"fi": "Kendallin W (0–1) mittaa ryhmän vastaajien yksimielisyyttä; Spearmanin "
                                     "korrelaatio (−1–1) kahden ryhmän keskisijojen samankaltaisuutta.",
                               "en": "Kendall's W (0–1) measures how much a group's respondents agree; "
                                     "Spearman's correlation (−1–1) how alike two groups' mean ranks are."},
    "nb02.choice": {"fi": "Mistä vaihtoehdoista tuli teemoja – tukeeko kysely valintaa?",
                    "en": "Which alternatives became themes – does the survey support the choice?"},
    "nb02.open": {"fi": "Avovastauksia teemoittain", "en": "Open answers by theme"},
    # notebook 04
    "nb04.title": {"fi": "Haastattelut: teemojen rajauksen ja tavoitteiden arviointi",
                   "en": "Interviews: validation of the themes' scope and goals"},
    "nb04.intro": {"fi": "Tukevatko haastattelut ohjelman teemoja ja tavoitteita? Jokaisen arvion perusteet ja "
                         "aineisto, johon se nojaa, näytetään.",
                   "en": "Do the interviews support the programme's themes and goals? Each verdict is shown "
                         "with its reasons and the material it rests on."},
    "nb04.verdicts": {"fi": "Teemojen arviot", "en": "Theme verdicts"},
    "nb04.coverage": {"fi": "Teemasta puhuneiden haastateltavien osuus ryhmittäin",
                      "en": "Share of interviewees who discussed the theme, by group"},
    "nb04.coverage_caption": {"fi": "Ryhmässä alle {n} haastateltavaa: osuus on kuvaileva, ei testattu.",
                              "en": "Groups with fewer than {n} interviewees: the share is descriptive, "
                                    "not tested."},
    "nb04.subcodes": {"fi": "Alakoodit: mistä puhuttiin, mistä vaiettiin", "en": "Subcodes: voiced and silent"},
    "nb04.scope": {"fi": "Rajausliput", "en": "Scope flags"},
    "nb04.no_scope": {"fi": "Yhtään teemaa ei kyseenalaistettu liian laajaksi tai sekalaiseksi.",
                      "en": "No theme was challenged as too broad or a catch-all."},
    "nb04.emergent": {"fi": "Haastatteluissa sivulauseessa nousseet aiheet, joita mikään teema ei kata",
                      "en": "Topics raised in passing in the interviews that no theme covers"},
    "nb04.emergent_caption": {"fi": "Uusi aihe kootaan lauseista, joissa ei ole yhtään teemaa: lainaus on lause, "
                                    "ei koko puheenvuoro; suluissa segmentin tunniste ja lauseen merkit lähdetekstissä "
                                    "(build/sources). Pysyvyys: osuus sovituksista (eri siemenluvuilla), joissa aihe "
                                    "löytyi.",
                              "en": "An emergent topic is made of sentences that carry no theme: the quote is the "
                                    "sentence, not the whole turn; in brackets the segment id and the sentence's "
                                    "characters in the source text (build/sources). Persistence: the share of fits "
                                    "(with different seeds) in which the topic was found."},
    "nb04.perspective": {"fi": "Näkökulmaerot ryhmien välillä", "en": "Differences between groups"},
    "nb04.goals": {"fi": "Tavoitteiden arviot", "en": "Goal verdicts"},
    "nb04.goal_evidence": {"fi": "Tavoitetta tukevat, kyseenalaistavat ja tarkentavat osallistujat",
                           "en": "Participants supporting, questioning and refining each goal"},
    "axis.participants": {"fi": "osallistujia", "en": "participants"},
    "col.question_asked": {"fi": "kysymys", "en": "question"},
    "goal.counts_caption": {"fi": "Tavoitteiden luvut ovat osallistujia (anonyymi lappu tai kommentti on yksi "
                                  "osallistuja); taulukko, kuvio ja perustelut laskevat samoin.",
                            "en": "Goal counts are participants (an anonymous note or comment is one); the table, "
                                  "the chart and the reasons count the same way."},
    "goal.reliability_model": {"fi": "Tavoitteisiin liittyvät puheenvuorot ja niiden kanta on tunnistettu "
                                     "mitatulla mallilla (tarkkuus {precision}, kattavuus {recall}, kannan "
                                     "F1 {stance_f1} käsin koodattuun vertailuaineistoon). {review} linkkiä on "
                                     "merkitty ihmisen tarkistettaviksi (build/goal_links.csv, review).",
                               "en": "Which segments speak to a goal, and their stance, were found by a measured "
                                     "model (precision {precision}, recall {recall}, stance F1 "
                                     "{stance_f1} against a hand coding). {review} links are marked for a "
                                     "person to check (build/goal_links.csv, review)."},
    "goal.reliability_project": {"fi": "Tavoitelinkit ja kannat ovat projektin oman koodauksen mukaiset "
                                       "({coded} koodattua puheenvuoroa); muut malli päätti siitä oppien. {review} "
                                       "linkkiä on merkitty tarkistettaviksi (build/goal_links.csv, review).",
                                 "en": "Goal links and stances follow the project's own coding ({coded} coded "
                                       "segments); the model learned from it decided the rest. {review} links are "
                                       "marked for a person to check (build/goal_links.csv, review)."},
    "goal.reliability_rules": {"fi": "Tavoitelinkit ja kannat on päätelty sanasäännöillä, joiden luotettavuutta ei "
                                     "ole mitattu.",
                               "en": "Goal links and stances come from word rules whose reliability is not "
                                     "measured."},
    "nb04.ledger": {"fi": "Näyttö arvioittain", "en": "Evidence by verdict"},
    "nb04.parameters": {"fi": "Arviointisääntöjen raja-arvot", "en": "Thresholds of the validation rules"},
    "nb04.parameters_caption": {"fi": "Arviot on laskettu näillä arvoilla (analysis_report.json). Pyydetty "
                                      "arvo, joka poikkeaa käytetystä, tarkoittaa, että analyysi on ajettava "
                                      "uudelleen (codesign build -p NIMI ARVO).",
                                "en": "The verdicts were computed with these values (analysis_report.json). "
                                      "A requested value that differs from the one used means the analysis "
                                      "must be re-run (codesign build -p NAME VALUE)."},
    # notebook 05
    "nb05.title": {"fi": "Ohjelman synteesi: triangulaatio ja näyttö", "en": "Programme synthesis: triangulation "
                                                                          "and evidence"},
    "nb05.intro": {"fi": "Miten teemat näkyvät eri vaiheissa ja ryhmissä, mitä uusia aiheita aineistosta nousee "
                         "ja mihin aineistoon kukin arvio nojaa.",
                   "en": "How the themes show across stages and groups, which new topics the material raises, "
                         "and what material each verdict rests on."},
    "nb05.by_stage": {"fi": "Teemasta puhuneiden osuus vaiheittain", "en": "Share voicing each theme, by stage"},
    "nb05.by_group": {"fi": "Teemasta puhuneiden osuus sidosryhmittäin",
                      "en": "Share voicing each theme, by stakeholder group"},
    "nb05.share_caption": {"fi": "Osuus vaiheen tai ryhmän osallistujista, joiden segmenteissä teema on.",
                           "en": "Share of the stage's or group's participants with the theme in their segments."},
    "nb05.cooccurrence": {"fi": "Teemat samoissa segmenteissä", "en": "Themes in the same segments"},
    "nb05.support": {"fi": "Teemojen tuen vahvuus", "en": "Strength of each theme's support"},
    "nb05.emergent": {"fi": "Uudet aiheet: mahdolliset aukot ohjelmassa",
                      "en": "Emergent topics: candidate gaps in the programme"},
    "nb05.no_emergent": {"fi": "Aiheanalyysi ei löytänyt teemojen ulkopuolisia aiheita.",
                         "en": "The topic analysis found no topics outside the themes."},
    "nb05.ledger": {"fi": "Näyttöaineisto", "en": "Evidence ledger"},
    "nb05.ledger_caption": {"fi": "Kaikki arvioiden taustalla olevat segmentit (enintään {n} riviä näytetään; "
                                  "koko taulukko on tiedostossa build/evidence_ledger.csv).",
                            "en": "Every segment behind the verdicts (at most {n} rows shown; the whole table "
                                  "is build/evidence_ledger.csv)."},
    # notebook 06
    "nb06.title": {"fi": "Seuranta ja viestintä", "en": "Monitoring and communication"},
    "nb06.intro": {"fi": "Ohjelman tavoitteet mittareineen ja ensimmäiset toimenpiteet, seurantatiedot "
                         "täytetystä seurantapohjasta sekä viestintäsuunnitelman lähtötiedot.",
                   "en": "The programme's goals with their indicators and the first actions, follow-up from the "
                         "filled-in monitoring workbook, and the basis of the communication plan."},
    "nb06.goals": {"fi": "Tavoitteet ja mittarit", "en": "Goals and indicators"},
    "nb06.actions": {"fi": "Ensimmäiset toimenpiteet", "en": "First actions"},
    "nb06.followup": {"fi": "Seuranta", "en": "Follow-up"},
    "nb06.no_followup": {"fi": "Seurantatietoja ei ole vielä. Kun tavoitteiden vastuutahot ovat täyttäneet "
                               "seurantapohjan (build/templates/seurantapohja.xlsx), tallenna se kansioon "
                               "{folder}/ ja aja raportit uudelleen.",
                         "en": "No follow-up data yet. When the goal owners have filled in the monitoring "
                               "workbook (build/templates/seurantapohja.xlsx), save it in {folder}/ and build "
                               "the reports again."},
    "nb06.followup_source": {"fi": "Seurantatiedot: {file} ({n} täytettyä solua).",
                             "en": "Follow-up data: {file} ({n} filled-in cells)."},
    "nb06.progress": {"fi": "Mittarien eteneminen lähtötasosta tavoitteeseen",
                      "en": "Indicators' progress from baseline to target"},
    "nb06.progress_axis": {"fi": "matka lähtötasosta tavoitteeseen", "en": "way from baseline to target"},
    "nb06.progress_caption": {"fi": "0 % = lähtötaso, 100 % = tavoitetaso (katkoviiva).",
                              "en": "0 % = baseline, 100 % = target (dashed line)."},
    "nb06.action_status": {"fi": "Toimenpiteiden tila vuosittain", "en": "Status of the actions by year"},
    "nb06.qualitative": {"fi": "Laadulliset tavoitteet", "en": "Qualitative goals"},
    "nb06.communication": {"fi": "Viestintä: mistä kukin ryhmä puhui", "en": "Communication: what each group spoke of"},
    "nb06.communication_caption": {"fi": "Viestintäsuunnitelman pohja (codesign templates) järjestää teemat "
                                         "ryhmittäin tämän mukaan; esimerkkisegmenteistä voi lukea ryhmän omat "
                                         "sanat.",
                                   "en": "The communication plan template (codesign templates) orders the themes "
                                         "for each group by this; the example segments give the group's own "
                                         "words."},
    # the key-findings box of each report (codesign.outputs.findings)
    "kf.notes": {"fi": "{n} muistilappua {frames} kehyksessä tai osiossa.", "en": "{n} notes in {frames} frames or "
                                                                                  "sections."},
    "kf.top_frame": {"fi": "Eniten lappuja: ”{frame}” ({n}).", "en": "Most notes: ”{frame}” ({n})."},
    "kf.top_theme": {"fi": "Useimmin esillä oli teema {theme}: {n} lappua ({share}).",
                     "en": "The theme most often raised: {theme}, {n} notes ({share})."},
    "kf.anonymous": {"fi": "{n} lappua ({share}) on nimettömiä, joten kirjoittajan ryhmä ei ole tiedossa.",
                     "en": "{n} notes ({share}) are anonymous, so the writer's group is unknown."},
    "kf.survey_top": {"fi": "{n} vastaajaa. Useimmin kolmen tärkeimmän joukossa: {top}.",
                      "en": "{n} respondents. Most often among the top three: {top}."},
    "kf.survey_least_alike": {"fi": "Vähiten samanlaiset painotukset: {a} ja {b} (järjestysten korrelaatio {value}).",
                              "en": "Least alike: {a} and {b} (rank correlation {value})."},
    "kf.stages": {"fi": "Kustakin teemasta puhuttiin {low}–{high} vaiheessa {of}:stä.",
                  "en": "Each theme was voiced in {low}–{high} of the {of} stages."},
    "kf.anonymous_stage": {"fi": "Vaiheen ”{stage}” muistilaput ovat nimettömiä: osallistujaosuuksia ei voi laskea, "
                                 "joten ne jätetään tyhjiksi.",
                           "en": "The notes of ”{stage}” are anonymous: there are no participant shares to compute, "
                                 "so they are left blank."},
    "kf.goal_followup": {"fi": "Seurantatiedot vuosilta {years}: {n} mittaria raportoitu, {ahead} niistä edennyt "
                               "vähintään aikataulun mukaan.",
                         "en": "Follow-up for {years}: {n} indicators reported, {ahead} of them at least on track."},
    "kf.no_followup": {"fi": "Seurantatietoja ei ole vielä.", "en": "No follow-up data yet."},
    "kf.communication": {"fi": "Kunkin ryhmän eniten puhuttu teema: {top}.",
                         "en": "Each group's most discussed theme: {top}."},
    "kf.corpus": {"fi": "{n} pseudonymisoitua puheenvuoroa, muistilappua tai vastausta {stages} vaiheesta.",
                  "en": "{n} pseudonymised turns, notes or answers from {stages} stages."},
    "kf.phrase": {"fi": "Haku ”{phrase}” löytää {n} kohtaa perusmuodon mukaan (esim. {forms}).",
                  "en": "The search ”{phrase}” finds {n} segments by base form (e.g. {forms})."},
    # report views (codesign.outputs.views)
    "nb02.ranked_alt": {"fi": "Kolmen tärkeimmän joukkoon nostettiin useimmin: {top}.",
                        "en": "Most often ranked among the top three: {top}."},
    "nb02.rank_heatmap": {"fi": "Vaihtoehtojen sijat sidosryhmittäin (1 = tärkein)",
                          "en": "Each group's ranking of the alternatives (1 = most important)"},
    "nb02.slope": {"fi": "Eniten eri mieltä olevien ryhmien järjestys", "en": "The rankings of the two groups that "
                                                                              "disagree most"},
    "nb02.likert_alt": {"fi": "Erittäin tärkeäksi (5) arvioitiin useimmin {label}: {share} vastaajista.",
                        "en": "Most often rated very important (5): {label}, by {share} of the respondents."},
    "nb02.choice_reason_chosen": {"fi": "valittiin teemaksi {theme}; sija {position}/{of} kaikkien vastaajien "
                                        "järjestyksessä",
                                  "en": "chosen as theme {theme}; position {position} of {of} among all "
                                        "respondents"},
    "nb02.choice_reason_not": {"fi": "ei valittu teemaksi; sija {position}/{of} kaikkien vastaajien järjestyksessä",
                               "en": "not chosen as a theme; position {position} of {of} among all respondents"},
    "col.n_a": {"fi": "vastaajia A", "en": "respondents A"},
    "col.n_b": {"fi": "vastaajia B", "en": "respondents B"},
    "statistic.kendall_w": {"fi": "yksimielisyys ryhmän sisällä (Kendallin W)",
                            "en": "agreement within the group (Kendall's W)"},
    "statistic.spearman": {"fi": "ryhmien järjestysten samankaltaisuus (Spearman)",
                           "en": "how alike the groups' rankings are (Spearman)"},
    "nb04.stale": {"fi": "Osa pyydetyistä raja-arvoista poikkeaa analyysissa käytetyistä: arviot on laskettu "
                         "Menetelmä-osion arvoilla. Aja analyysi uudelleen (codesign build), niin pyydetyt arvot "
                         "tulevat käyttöön.",
                   "en": "Some requested thresholds differ from those the analysis used: the verdicts were computed "
                         "with the values of the Method section. Build again (codesign build) to apply them."},
    "nb04.coverage_alt": {"fi": "Pienin osuus: ryhmästä {group} teemasta {theme} puhui {share}.",
                          "en": "Lowest share: {share} of {group} discussed {theme}."},
    "nb04.goal_alt": {"fi": "Eniten kyseenalaistettu tavoite: {goal}, {n} kyseenalaistavaa ääntä ({verdict}).",
                      "en": "The most questioned goal: {goal}, {n} questioning voices ({verdict})."},
    "col.part": {"fi": "osa-alue", "en": "part"},
    "col.voices": {"fi": "osallistujia (ääniä)", "en": "participants (voices)"},
    "word.silent": {"fi": "hiljainen", "en": "silent"},
    "word.fisher": {"fi": "Fisherin testi", "en": "Fisher's test"},
    "nb05.group_alt": {"fi": "Pienin osuus: ryhmästä {group} teemasta {theme} puhui {share}.",
                       "en": "Lowest share: {share} of {group} voiced {theme}."},
    "nb05.topic_facts": {"fi": "Avainsanat: {terms}. {n} osallistujaa, {segments} puheenvuoroa; lähin teema "
                               "{nearest}.",
                         "en": "Key words: {terms}. {n} participants, {segments} segments; nearest theme {nearest}."},
    "nb05.sentence_facts": {"fi": "Tyypillisin lause: ”{typical}” — {n} osallistujaa, {sentences} lausetta; "
                                  "pysyvyys {persistence}; lähin teema {nearest}.",
                            "en": "Most typical sentence: “{typical}” — {n} participants, {sentences} sentences; "
                                  "persistence {persistence}; nearest theme {nearest}."},
    "nb06.changed": {"fi": "(muutettu luonnoksesta: {changes}; arvio koskee luonnoksen tavoitetta)",
                     "en": "(changed from the draft: {changes}; the verdict concerns the draft's goal)"},
    "col.expected": {"fi": "aikataulun mukainen", "en": "on schedule would be"},
    "col.on_track": {"fi": "aikataulussa", "en": "on track"},
    "word.human": {"fi": "ihminen", "en": "a person"},
    "word.machine": {"fi": "koneen ehdotus", "en": "the coder"},
    "col.code": {"fi": "koodi", "en": "code"},
    "col.coder": {"fi": "koodaaja", "en": "coded by"},
    "col.decides": {"fi": "ratkaiseva", "en": "decides"},
    "col.confidence": {"fi": "varmuus", "en": "confidence"},
    "col.words": {"fi": "koodiin viittaavat sanat", "en": "words that signal it"},
    "col.nearest_segments": {"fi": "lähimmät ihmisen koodaamat", "en": "nearest human-coded"},
    # the explorer (codesign.outputs.explorer) and the hit tables
    "col.segment": {"fi": "tunniste", "en": "id"},
    "col.text": {"fi": "teksti", "en": "text"},
    "explore.search": {"fi": "Haku", "en": "Search"},
    "explore.sort": {"fi": "Järjestä", "en": "Sort by"},
    "explore.sort.segment_id": {"fi": "tunniste", "en": "id"},
    "explore.sort.stage": {"fi": "vaihe", "en": "stage"},
    "explore.sort.group": {"fi": "sidosryhmä", "en": "group"},
    "explore.sort.themes": {"fi": "teema", "en": "theme"},
    "explore.answer": {"fi": "Koko vastaus", "en": "Full answer"},
    "explore.question": {"fi": "Kysymys tai kehys:", "en": "Question or frame:"},
    "explore.export": {"fi": "Vie CSV:ksi", "en": "Export CSV"},
    "explore.exported": {"fi": "Valinta tallennettu: {path}", "en": "Selection saved: {path}"},
    "explore.found": {"fi": "{n} osumaa", "en": "{n} hits"},
    "explore.shown": {"fi": "Näytetään {n}/{of}.", "en": "Showing {n} of {of}."},
    "explore.how": {"fi": "JupyterLabissa haku ja suodattimet ovat vuorovaikutteisia; tässä raportissa näkyy "
                          "oletushaku.",
                    "en": "In JupyterLab the search and the filters are interactive; this report shows the "
                          "default search."},
    # captions
    "caption.counts": {"fi": "Luku on segmenttien määrä.", "en": "Numbers are counts of segments."},
    "caption.quotes": {"fi": "Lainaukset ovat pseudonymisoituja; suluissa segmentin tunniste.",
                       "en": "Quotes are pseudonymised; the segment id is in brackets."},
    "caption.machine": {"fi": "Koodit ovat lopullisia koodeja: ihmisen koodaus, muualla koneen.",
                        "en": "Codes are final codes: the human coding where there is one, the machine's "
                              "elsewhere."},
    "caption.empty": {"fi": "Valinnassa ei ole segmenttejä.", "en": "The selection has no segments."},
    "nb00.review": {"fi": "Seuraavaksi koodattavat", "en": "What to code next"},
    "nb00.review_caption": {"fi": "Näiden segmenttien koodaus auttaisi konetta eniten: niistä se on epävarmin tai "
                                  "koodikirjan sanasto ja kone ovat eri mieltä. Tarkistustyökirja tehdään ja luetaan "
                                  "takaisin codesignin review-toiminnolla; seuraava ajo oppii tarkistetuista "
                                  "koodeista.",
                            "en": "Coding these segments would help the machine most: it is least sure of them, or "
                                  "the codebook's lexicon and the machine disagree. codesign review writes them as "
                                  "a workbook and reads it back; the next run learns from the reviewed codes."},
    # what rests on machine codes (codesign.outputs.explore.machine_code_note)
    "machine.title": {"fi": "Koneen koodit", "en": "Machine codes"},
    "machine.share": {"fi": "{share} lopullisista koodeista on koneen antamia; ihminen on koodannut {human} "
                            "segmenttiä {total}:stä.",
                      "en": "{share} of the final codes are machine codes; a person coded {human} of {total} "
                            "segments."},
    "machine.none": {"fi": "Kaikki koodit ovat koneen antamia: ihminen ei ole koodannut yhtään segmenttiä, vaan "
                           "kone on oppinut koodaamaan pelkästä koodikirjasta.",
                     "en": "Every code is a machine code: no segment was coded by a person; the machine learned "
                           "to code from the codebook alone."},
    "machine.all": {"fi": "Kaikki teema- ja lausumakoodit ovat ihmisen koodaamia.",
                    "en": "Every theme and statement code was given by a person."},
    "machine.agreement": {"fi": "Koneen koodit vastaavat ihmisen koodeja {n} ihmisen koodaamassa segmentissä "
                                "(ristiinsovitettuna, kone ei nähnyt niiden koodeja) teemoissa keskimäärin "
                                "κ {kappa} ({per_theme}).",
                          "en": "On the {n} human-coded segments (cross-fitted: the machine did not see their "
                                "codes) the machine codes agree with the human codes at mean κ {kappa} over the "
                                "themes ({per_theme})."},
    "machine.measured": {"fi": "Riippumattomalla aineistolla mitattuna pelkän koodikirjan varassa koodaava kone "
                               "vastasi huolellista ihmisen koodausta teemoissa keskimäärin κ {kappa} "
                               "(1 = täysi yhtäpitävyys, 0 = sattuman tasoa).",
                         "en": "Measured on independent material, the machine coding from the codebook alone "
                               "agreed with a careful human coding at mean κ {kappa} over the themes "
                               "(1 = full agreement, 0 = chance)."},
    "machine.stable": {"fi": "Pelkistä ihmisen koodeista laskettuna teemojen arvio on sama {themes_same}/"
                             "{themes} teemassa ja tavoitteiden {goals_same}/{goals} tavoitteessa.",
                       "en": "From the human codes alone the verdict is the same for {themes_same} of {themes} "
                             "themes and {goals_same} of {goals} goals."},
    "machine.differ": {"fi": "Koneen koodeista riippuvat: {subjects}.",
                       "en": "Resting on the machine codes: {subjects}."},
    # committee summary (codesign.outputs.summary)
    "summary.title": {"fi": "Yhteiskehittämisen tulokset ja esitykset toimikunnalle",
                      "en": "Co-design results and proposals for the committee"},
    "summary.intro": {"fi": "Tämä yhteenveto kertoo, mitä yhteiskehittämisen aineisto (työpajat, kysely, "
                            "haastattelut ja luonnoksen kommentit) sanoo ohjelman teemoista ja tavoitteista. "
                            "Jokaiselle teemalle ja tavoitteelle on annettu arvio: vahvistettu, tarkennettava "
                            "tai ei tuettu, perusteluineen; tavoite, josta liian harva osallistuja puhui, on "
                            "arvioitu: liian vähän näyttöä.",
                      "en": "This summary tells what the co-design material (workshops, survey, interviews "
                            "and comments on the draft) says about the programme's themes and goals. Each "
                            "theme and goal has a verdict: confirmed, needs refinement or not supported, with "
                            "its reasons; a goal too few participants spoke to is marked: insufficient "
                            "evidence."},
    "summary.generated": {"fi": "Laadittu {date} codesign-työkalulla analyysitaulukoista.",
                          "en": "Generated on {date} by codesign from the analysis tables."},
    "summary.key_figures": {"fi": "Keskeiset luvut", "en": "Key figures"},
    "summary.themes_count": {"fi": "Teemat: {confirmed} vahvistettu, {needs_refinement} tarkennettava, "
                                   "{not_supported} ei tuettu ({total} teemaa).",
                             "en": "Themes: {confirmed} confirmed, {needs_refinement} need refinement, "
                                   "{not_supported} not supported ({total} themes)."},
    "summary.goals_count": {"fi": "Tavoitteet: {confirmed} vahvistettu, {needs_refinement} tarkennettava, "
                                  "{not_supported} ei tuettu, {insufficient_evidence} liian vähän näyttöä "
                                  "({total} arvioitua tavoitetta).",
                            "en": "Goals: {confirmed} confirmed, {needs_refinement} need refinement, "
                                  "{not_supported} not supported, {insufficient_evidence} with insufficient "
                                  "evidence ({total} goals assessed)."},
    "summary.survey_n": {"fi": "Kyselyyn vastasi {n} henkilöä. Useimmin kolmen tärkeimmän joukkoon "
                               "nostettiin: {top}.",
                         "en": "{n} people answered the survey. Most often ranked among the top three: {top}."},
    "summary.coverage": {"fi": "Haastatelluista teemasta puhui {low}–{high} % (teemakohtainen kattavuus alla).",
                         "en": "{low}–{high} % of the interviewees spoke about each theme (coverage per theme "
                               "below)."},
    "summary.themes_heading": {"fi": "Teemat ja arviot", "en": "Themes and verdicts"},
    "summary.theme_table.theme": {"fi": "Teema", "en": "Theme"},
    "summary.theme_table.name": {"fi": "Nimi", "en": "Name"},
    "summary.theme_table.verdict": {"fi": "Arvio", "en": "Verdict"},
    "summary.theme_table.coverage": {"fi": "Kattavuus", "en": "Coverage"},
    "summary.theme_table.reasons": {"fi": "Perustelut", "en": "Reasons"},
    "summary.goal_table.goal": {"fi": "Tavoite", "en": "Goal"},
    "summary.goal_table.content": {"fi": "Sisältö", "en": "Content"},
    "summary.goal_table.verdict": {"fi": "Arvio", "en": "Verdict"},
    "summary.goal_table.stances": {"fi": "Tukee / kyseenalaistaa / tarkentaa: osallistujia (puheenvuoroja)",
                                   "en": "Support / question / refine: participants (segments)"},
    "summary.goal_table.reasons": {"fi": "Perustelut", "en": "Reasons"},
    "summary.fig_survey": {"fi": "Kuva 1. Kyselyn painopisteet: osuus vastaajista, jotka nostivat vaihtoehdon "
                                 "kolmen tärkeimmän joukkoon (95 %:n luottamusväli).",
                           "en": "Figure 1. Survey priorities: share of respondents who ranked the "
                                 "alternative among their top three (95 % confidence interval)."},
    "summary.fig_survey_title": {"fi": "Kyselyn painopisteet (kaikki vastaajat)",
                                 "en": "Survey priorities (all respondents)"},
    "summary.fig_survey_x": {"fi": "kolmen tärkeimmän joukossa", "en": "ranked in the top three"},
    "summary.fig_coverage": {"fi": "Kuva 2. Kuinka suuri osa kunkin vaiheen osallistujista puhui kustakin "
                                   "teemasta.",
                             "en": "Figure 2. Share of each stage's participants who spoke about each theme."},
    "summary.fig_coverage_title": {"fi": "Teemojen kattavuus vaiheittain", "en": "Theme coverage by stage"},
    "summary.theme_heading": {"fi": "{theme} {label} – {verdict}", "en": "{theme} {label} – {verdict}"},
    "summary.flags": {"fi": "Huomiot", "en": "Notes"},
    "summary.scope": {"fi": "rajaus", "en": "scope"},
    "summary.perspective": {"fi": "näkökulma", "en": "perspective"},
    "summary.quotes": {"fi": "Osallistujien sanoin", "en": "In the participants' words"},
    "summary.no_goals": {"fi": "Teeman tavoitteita ei ole arvioitu.", "en": "No goal of this theme was assessed."},
    "summary.quote_source": {"fi": "{segment} ({group}, {stage})", "en": "{segment} ({group}, {stage})"},
    "summary.method_heading": {"fi": "Menetelmä ja tietosuoja", "en": "Method and privacy"},
    "summary.method": {"fi": "Arviot perustuvat osallistujien puheenvuorojen teemakoodaukseen ja niiden "
                             "vertailuun vaiheittain ja sidosryhmittäin. Lainaukset ovat pseudonymisoituja: "
                             "nimet, yritykset ja yhteystiedot on korvattu tunnisteilla, ja lainauksen "
                             "perässä oleva segmentin tunniste (esim. H03-012) viittaa aineistoon. Asiakirja "
                             "on tarkistettu henkilötietojen varalta.",
                       "en": "The verdicts rest on the theme coding of what participants said and on "
                             "comparing it across stages and stakeholder groups. Quotes are pseudonymised: "
                             "names, firms and contact details are replaced by placeholders, and the segment "
                             "id after each quote (e.g. H03-012) points into the material. The document has "
                             "passed the personal-data leak check."},
    "summary.unknown_group": {"fi": "ryhmä ei tiedossa", "en": "group unknown"},
    "summary.decide": {"fi": "Mitä aineisto esittää muutettavaksi ohjelmassa. Kunkin esityksen perässä on sen "
                             "peruste ja se, tekikö toimikunta muutoksen hyväksyttyyn ohjelmaan.",
                       "en": "What the material suggests changing in the programme, each with its basis and whether "
                             "the committee changed the approved programme accordingly."},
    "summary.no_proposals": {"fi": "Aineisto ei esitä muutoksia: teemat ja tavoitteet saivat tukea.",
                             "en": "The material suggests no change: the themes and goals found support."},
    "summary.evidence_ids": {"fi": "Näyttö: {ids}.", "en": "Evidence: {ids}."},
    "summary.acted": {"fi": "Hyväksytty ohjelma: muutettu ({changes}).", "en": "Approved programme: changed "
                                                                            "({changes})."},
    "summary.theme_acted": {"fi": "Hyväksytty ohjelma: samaan teemaan tehty muutos ({changes}).",
                            "en": "Approved programme: a change in the same theme ({changes})."},
    "summary.not_acted": {"fi": "Hyväksytty ohjelma: ei muutettu.", "en": "Approved programme: not changed."},
    "summary.changes_heading": {"fi": "Toimikunnan muutokset luonnokseen", "en": "The committee's changes to "
                                                                                "the draft"},
    "summary.changes_intro": {"fi": "Haastattelut ja kommentit käsittelivät luonnosta; toimikunta teki siihen "
                                    "{n} muutosta. Taulukko kertoo, mitä aineisto sanoi kunkin muutoksen kohteesta.",
                              "en": "The interviews and comments reacted to the draft; the committee made {n} "
                                    "changes to it. The table says what the material said about each change's "
                                    "target."},
    "summary.unaddressed": {"fi": "Aineisto esitti, mutta hyväksytty ohjelma ei muuttanut: {items}.",
                            "en": "The material suggested, but the approved programme did not change: {items}."},
    "summary.change_table.id": {"fi": "Muutos", "en": "Change"},
    "summary.change_table.target": {"fi": "Kohde", "en": "Target"},
    "summary.change_table.change": {"fi": "Mitä muutettiin", "en": "What changed"},
    "summary.change_table.verdict": {"fi": "Aineiston arvio kohteesta", "en": "The material's verdict"},
    "summary.change_table.match": {"fi": "Suhde näyttöön", "en": "Relation to the evidence"},
    "summary.findings_heading": {"fi": "Keskeiset havainnot", "en": "Key findings"},
    "summary.fig_split": {"fi": "Kuva 2. Kyselyn vaihtoehtojen sijat sidosryhmittäin (1 = tärkein). Oranssi kehys: "
                                "vaihtoehto, jonka ryhmät asettivat kauimmas toisistaan.",
                          "en": "Figure 2. Each stakeholder group's ranking of the survey's alternatives (1 = most "
                                "important). Orange frame: the alternative the groups rank furthest apart."},
    "summary.themes_section": {"fi": "Teemat yksitellen", "en": "Theme by theme"},
    "summary.goals_line": {"fi": "{goal} – {verdict}: {reasons}", "en": "{goal} – {verdict}: {reasons}"},
    "summary.appendix": {"fi": "Liite: taulukot", "en": "Appendix: tables"},
    "summary.appendix_themes": {"fi": "Taulukko 1. Teemat ja arviot", "en": "Table 1. Themes and verdicts"},
    "summary.appendix_goals": {"fi": "Taulukko 2. Tavoitteet ja arviot", "en": "Table 2. Goals and verdicts"},
    "summary.rules": {"fi": "Arviointisäännöt", "en": "The rules of the verdicts"},
    # build index
    "index.title": {"fi": "Raportit", "en": "Reports"},
    "index.notebook": {"fi": "Raportti", "en": "Report"},
    "index.status": {"fi": "Tila", "en": "Status"},
    "index.duration": {"fi": "Kesto", "en": "Duration"},
    "index.files": {"fi": "Tiedostot", "en": "Files"},
    "index.run": {"fi": "Ajon tiedot", "en": "Run metadata"},
    "index.steps": {"fi": "Esivaiheet", "en": "Pipeline steps"},
    "index.parameters": {"fi": "Parametrit", "en": "Parameters"},
    "index.versions": {"fi": "Versiot", "en": "Versions"},
    "index.errors": {"fi": "Virheet", "en": "Errors"},
    "index.deliverables": {"fi": "Asiakirjat (seurantapohja, viestintäsuunnitelma, toimikunnan yhteenveto)",
                           "en": "Deliverables (monitoring workbook, communication plan, committee summary)"},
    # headline findings, proposals and the draft → approved comparison (codesign.outputs.findings)
    "finding.goal_voices": {"fi": "{n} siitä puhunutta: {question} kyseenalaistaa, {support} tukee, {refine} "
                                  "ehdottaa toista tasoa tai mittaria",
                            "en": "{n} spoke to it: {question} question it, {support} support it, {refine} propose "
                                  "another target or measure"},
    "finding.goal_not_supported": {"fi": "Aineisto ei tue tavoitetta {goal}: {voices}.",
                                   "en": "The material does not support goal {goal}: {voices}."},
    "finding.theme_catch_all": {"fi": "Teema {theme} on {verdict}: {n}/{of} siitä puhuneesta pitää sitä "
                                      "kaatoluokkana tai jakaisi sen.",
                                "en": "Theme {theme} {verdict}: {n} of the {of} who voiced it call it a catch-all "
                                      "or would split it."},
    "finding.theme_verdict": {"fi": "Teema {theme} on {verdict}: siitä puhui {coverage} haastateltavista.",
                              "en": "Theme {theme}: {verdict}; {coverage} of the interviewees discussed it."},
    "finding.goals_refine": {"fi": "{n} tavoitetta on tarkennettava: {goals}.",
                             "en": "{n} goals need refinement: {goals}."},
    "finding.goal_refine": {"fi": "Tavoite on tarkennettava: {goals}.", "en": "A goal needs refinement: {goals}."},
    "finding.emergent": {"fi": "Ohjelman teemojen ulkopuolelta nousi uusi aihe ”{label}”: {n} osallistujaa, "
                               "{segments} puheenvuoroa.",
                         "en": "A topic outside the programme's themes emerged, ”{label}”: {n} participants, "
                               "{segments} segments."},
    "finding.survey_split": {"fi": "Kyselyssä ryhmät painottivat eri asioita: ”{label}” oli ryhmällä {high_group} "
                                   "sijalla {high_position}/{of} ({high_n} vastaajaa{high_small}) mutta ryhmällä "
                                   "{low_group} sijalla {low_position}/{of} ({low_n} vastaajaa{low_small}).",
                             "en": "The survey's groups set different priorities: ”{label}” ranked {high_position} of "
                                   "{of} for {high_group} ({high_n} respondents{high_small}) but {low_position} of "
                                   "{of} for {low_group} ({low_n} respondents{low_small})."},
    "finding.evidence_gap": {"fi": "{n}/{of} tavoitteesta on liian vähän näyttöä arvioon: niistä puhui alle {min} "
                                   "osallistujaa.",
                             "en": "{n} of {of} goals have too little evidence for a verdict: fewer than {min} "
                                   "participants spoke to them."},
    "finding.themes_confirmed": {"fi": "{n}/{of} teemaa vahvistettiin: kustakin puhui {low}–{high} "
                                       "haastateltavista.",
                                 "en": "{n} of {of} themes were confirmed: {low}–{high} of the interviewees "
                                       "discussed each."},
    "proposal.reframe_goal": {"fi": "Muotoile tavoite {goal} uudelleen", "en": "Reframe goal {goal}"},
    "proposal.refine_goal": {"fi": "Tarkenna tavoitetta {goal}", "en": "Refine goal {goal}"},
    "proposal.add_measure": {"fi": "Tarkenna tavoitteen {goal} tavoitetasoa tai lisää mittari",
                             "en": "Revise the target of goal {goal} or add a measure"},
    "proposal.split_theme": {"fi": "Harkitse teeman {theme} jakamista", "en": "Consider splitting theme {theme}"},
    "proposal.split_theme_why": {"fi": "{n}/{of} teemasta puhuneesta pitää sitä kaatoluokkana tai jakaisi sen",
                                 "en": "{n} of the {of} who voiced it call it a catch-all or would split it"},
    "proposal.sharpen_theme": {"fi": "Tarkenna teeman {theme} rajausta", "en": "Sharpen the scope of theme {theme}"},
    "proposal.cover_topic": {"fi": "Lisää ohjelmaan tavoite tai toimenpide aiheesta ”{label}”",
                             "en": "Add a goal or action on ”{label}”"},
    "proposal.cover_topic_why": {"fi": "uusi aihe, josta puhui {n} osallistujaa ({segments} puheenvuoroa); lähin "
                                       "teema {nearest}",
                                 "en": "an emergent topic voiced by {n} participants ({segments} segments); nearest "
                                       "theme {nearest}"},
    "proposal.fill_evidence": {"fi": "Kerää näyttöä {n} tavoitteesta ennen väliarviointia",
                               "en": "Gather evidence on {n} goals before the mid-term review"},
    "proposal.fill_evidence_why": {"fi": "alle {min} osallistujaa puhui tavoitteista {goals}",
                                   "en": "fewer than {min} participants spoke to goals {goals}"},
    "match.follows_evidence": {"fi": "vastaa näyttöä", "en": "follows the evidence"},
    "match.not_assessed": {"fi": "aineisto ei arvioinut kohdetta", "en": "not assessed by the material"},
    "match.target_confirmed": {"fi": "aineisto vahvisti kohteen; muutos täydentää sitä",
                               "en": "the material confirmed the target; the change adds to it"},
    "section.vision": {"fi": "visio", "en": "vision"},
    "section.starting_points": {"fi": "lähtökohdat", "en": "starting points"},
    "section.measurement": {"fi": "seuranta", "en": "monitoring"},
    "section.communication": {"fi": "viestintä", "en": "communication"},
    "section.themes": {"fi": "teemat", "en": "themes"},
    # what changed since the previous build
    "change.new_source": {"fi": "Uusi lähde {source}: {n} puheenvuoroa tai vastausta.",
                          "en": "New source {source}: {n} segments."},
    "change.grown_source": {"fi": "Lähteeseen {source} tuli {n} uutta puheenvuoroa tai vastausta.",
                            "en": "Source {source} grew by {n} segments."},
    "change.verdict": {"fi": "{subject}: {old} → {new}: {reasons}", "en": "{subject}: {old} → {new}"},
    "change.new_topic": {"fi": "Uusi aihe ”{label}” ({n} osallistujaa).",
                         "en": "New emergent topic ”{label}” ({n} participants)."},
    "change.grown_topic": {"fi": "Aihe ”{label}” kasvoi: {old} → {new} osallistujaa.",
                           "en": "Topic ”{label}” grew: {old} → {new} participants."},
    "change.survey": {"fi": "Kysely, {group}: ”{label}” kolmen kärjessä {old} → {new}, sija {old_position} → "
                            "{new_position}.",
                      "en": "Survey, {group}: ”{label}” in the top three {old} → {new}, position {old_position} → "
                            "{new_position}."},
    "index.kicker": {"fi": "Yhteiskehittämisen tulokset", "en": "Co-design results"},
    "index.incomplete": {"fi": "ajo jäi kesken, katso virheet", "en": "build incomplete, see the errors"},
    "index.evidence": {"fi": "näyttö", "en": "evidence"},
    "index.matrix": {"fi": "Teemat ja tavoitteet: mitä aineisto tukee", "en": "Themes and goals: what the "
                                                                              "material supports"},
    "index.goals": {"fi": "tavoitteet", "en": "goals"},
    "index.coverage": {"fi": "haastateltavista puhui {coverage}", "en": "{coverage} of the interviewees spoke of it"},
    "index.legend": {"fi": "väri, merkki ja sana kertovat saman asian", "en": "colour, sign and word say the same"},
    "index.acted": {"fi": "Hyväksytyssä ohjelmassa muutettu ({changes}).", "en": "Changed in the approved "
                                                                                    "programme ({changes})."},
    "index.theme_acted": {"fi": "Samaan teemaan tehty muutos ({changes}).",
                          "en": "A change in the same theme ({changes})."},
    "index.not_acted": {"fi": "Hyväksytty ohjelma ei muuttanut tätä.", "en": "The approved programme did not "
                                                                             "change this."},
    "index.summary_link_before": {"fi": "Perustelut, toimikunnan muutokset ja lainaukset: toimikunnan yhteenveto",
                                  "en": "Reasons, the committee's changes and quotes: the committee summary"},
    "index.changes": {"fi": "Mikä muuttui edellisestä ajosta", "en": "What changed since the previous build"},
    "index.no_changes": {"fi": "Uusi aineisto ei muuttanut arvioita, uusia aiheita eikä kyselyn lukuja.",
                         "en": "No new material changed the verdicts, the emergent topics or the survey figures."},
    "index.previous": {"fi": "Edellinen ajo:", "en": "Previous build:"},
    "index.reports": {"fi": "Raportit", "en": "Reports"},
    "index.purpose": {"fi": "Mihin raporttia käytetään", "en": "What it is for"},
    "deliverable.monitoring": {"fi": "seurantapohja: tavoitteiden mittarit ja toimenpiteet vuosittain täytettäviksi",
                               "en": "monitoring workbook: indicators and actions to fill in each year"},
    "deliverable.communication": {"fi": "viestintäsuunnitelma: kohderyhmät, avainviestit ja osallistujien sanat",
                                  "en": "communication plan: audiences, key messages and the participants' words"},
    "deliverable.summary": {"fi": "toimikunnan yhteenveto: esitykset, havainnot ja liitetaulukot",
                            "en": "committee summary: proposals, findings and appendix tables"},
    "report.key_findings": {"fi": "Tärkeimmät havainnot", "en": "Key findings"},
    "report.contents": {"fi": "Sisältö", "en": "Contents"},
    "report.home": {"fi": "Etusivu", "en": "Home"},
    "report.same_for_all": {"fi": "Sama kaikilla riveillä:", "en": "The same on every row:"},
    "report.method": {"fi": "Menetelmä", "en": "Method"},
    "report.strongest": {"fi": "Suurin: {cell} ({value}).", "en": "Largest: {cell} ({value})."},
    "nb00.purpose": {"fi": "Aineiston selailu ja haku: mitä osallistujat sanoivat jostakin asiasta.",
                     "en": "Browse and search the material: what participants said about something."},
    "nb01.purpose": {"fi": "Työpajan 1 muistilaput: nykytila ja ehdotetut painopisteet.",
                     "en": "Workshop 1's notes: the current state and the candidate focus areas."},
    "nb02.purpose": {"fi": "Kysely: mitkä painopisteet vastaajat nostivat ja missä ryhmät olivat eri mieltä.",
                     "en": "The survey: which focus areas respondents ranked first and where groups disagreed."},
    "nb03.purpose": {"fi": "Työpajan 2 muistilaput: teemojen sisältö ja ensimmäiset toimenpiteet.",
                     "en": "Workshop 2's notes: the themes' content and the first actions."},
    "nb04.purpose": {"fi": "Pääraportti: tukevatko haastattelut teemoja ja tavoitteita, perusteluineen.",
                     "en": "The headline: do the interviews support the themes and goals, with the reasons."},
    "nb05.purpose": {"fi": "Synteesi: teemat vaiheittain ja ryhmittäin, uudet aiheet ja koko näyttöaineisto.",
                     "en": "Synthesis: themes by stage and group, emergent topics and the whole evidence."},
    "nb06.purpose": {"fi": "Seuranta ja viestintä: mittarien eteneminen ja mistä kukin ryhmä puhui.",
                     "en": "Monitoring and communication: progress of the indicators and what each group "
                           "spoke of."},
    "summary.proposals_heading": {"fi": "Esitykset toimikunnalle", "en": "Proposals for the committee"},
    # the method appendix (codesign.outputs.report.method_lines): the rules with the thresholds used
    "method.themes": {"fi": "Teema on vahvistettu, kun vähintään {confirm_coverage} haastateltavista puhui siitä "
                            "eikä sen rajausta kyseenalaistettu; tarkennettava, kun siitä puhui alle "
                            "{confirm_coverage} tai vähintään {scope_min_participants} osallistujaa (ja vähintään "
                            "{scope_min_share} siitä puhuneista) piti sitä kaatoluokkana tai jakaisi sen; ei tuettu, "
                            "kun siitä puhui alle {min_coverage}.",
                      "en": "A theme is confirmed when at least {confirm_coverage} of the interviewees discussed it "
                            "and no one challenged its scope; it needs refinement when fewer than "
                            "{confirm_coverage} discussed it, or at least {scope_min_participants} participants "
                            "(and at least {scope_min_share} of those voicing it) called it a catch-all or would "
                            "split it; it is not supported when fewer than {min_coverage} discussed it."},
    "method.subcodes": {"fi": "Teeman osa-alue on hiljainen, kun siitä puhui alle {subcode_min_participants} "
                              "osallistujaa.",
                        "en": "A part of a theme is silent when fewer than {subcode_min_participants} participants "
                              "voiced it."},
    "method.perspective": {"fi": "Ryhmän ja muiden haastateltavien eroa testataan Fisherin tarkalla testillä, kun "
                                 "ryhmässä on vähintään {perspective_min_n} haastateltavaa (merkitsevyystaso "
                                 "{alpha}); pienempien ryhmien osuudet ovat kuvailevia. Ero nostetaan esiin, kun "
                                 "osuudet eroavat vähintään {perspective_gap} tai kyselyn sijat vähintään "
                                 "{perspective_rank_gap} sijaa.",
                           "en": "A group is compared with the other interviewees by Fisher's exact test when it "
                                 "has at least {perspective_min_n} interviewees (significance level {alpha}); "
                                 "smaller groups are described. A difference is flagged when the shares differ "
                                 "by {perspective_gap} or more, or the survey positions by "
                                 "{perspective_rank_gap} or more."},
    "method.goals": {"fi": "Tavoitteesta on liian vähän näyttöä, kun siitä puhui alle {goal_min_voices} "
                           "osallistujaa. Se on ei tuettu, kun vähintään {goal_unsupported_question_share} siitä "
                           "puhuneista kyseenalaistaa sen ja enintään {goal_max_support_share} tukee; tarkennettava, "
                           "kun vähintään {goal_refine_question_share} kyseenalaistaa tai vähintään "
                           "{goal_refine_share} ehdottaa toista tavoitetasoa tai mittaria; muuten vahvistettu.",
                     "en": "A goal has insufficient evidence when fewer than {goal_min_voices} participants spoke "
                           "to it. It is not supported when at least {goal_unsupported_question_share} of them "
                           "question it and at most {goal_max_support_share} support it; it needs refinement when "
                           "at least {goal_refine_question_share} question it or {goal_refine_share} propose "
                           "another target or measure; otherwise it is confirmed."},
    "method.survey": {"fi": "Kyselyn välit ovat {ci_level}:n luottamusvälejä ({bootstrap} bootstrap-otosta); alle "
                            "{small_n} vastaajan ryhmän tulos on suuntaa antava; kärkeen lasketaan {top_k} "
                            "tärkeintä.",
                      "en": "The survey's intervals are {ci_level} confidence intervals ({bootstrap} bootstrap "
                            "samples); a group of fewer than {small_n} respondents is indicative only; the top "
                            "counts the {top_k} most important."},
    "method.emergent": {"fi": "Uusi aihe kootaan lauseista: aiheanalyysin ryhmä, josta puhui vähintään "
                              "{emergent_min_participants} osallistujaa, jonka lauseista vähintään "
                              "{emergent_min_uncovered} ei kuulu mihinkään teemaan ja joka löytyy vähintään "
                              "{emergent_min_persistence} sovituksista eri siemenluvuilla; näytetään enintään "
                              "{emergent_max_topics} uutuusjärjestyksessä.",
                        "en": "An emergent topic is made of sentences: a topic of the topic analysis voiced by at "
                              "least {emergent_min_participants} participants, at least {emergent_min_uncovered} of "
                              "whose sentences belong to no theme, found in at least {emergent_min_persistence} of "
                              "the fits with different seeds; at most {emergent_max_topics} are shown, most novel "
                              "first."},
    "status.ok": {"fi": "ajettu", "en": "ran"},
    "status.unchanged": {"fi": "ennallaan", "en": "unchanged"},
    "status.failed": {"fi": "VIRHE", "en": "FAILED"},
    "status.kept": {"fi": "edellisestä ajosta (--only)", "en": "from the previous build (--only)"},
    "status.missing": {"fi": "ei ajettu", "en": "not run"},
}


# Reasons and flags of the validation verdicts (theme_validation.csv, goal_validation.csv)
#
# The analysis emits each reason as plain data, ``{"key": "coverage", "n": 9, "of": 14, "share": 0.64}``
# (``reason``); its wording lives here only, in both languages, and ``render_reasons`` writes it — the English
# text columns of the tables as well as the Finnish reports. A field's format spec names how its value is
# written: ``pct`` a share as a percentage, ``dec3`` three decimals, ``list`` items joined, ``group`` a
# stakeholder group's label, ``small_n`` a note when true, ``topics`` emergent topics as ``id (label)``.

REASONS: dict[str, dict[str, str]] = {
    # theme verdicts: sentences a reader understands without the configuration (the thresholds' names and
    # the rules are in the reports' method appendix, ``method_lines``)
    "coverage": {"fi": "{n}/{of} haastateltavaa puhui teemasta ({share:pct})",
                 "en": "{n} of {of} interviewees discussed the theme ({share:pct})"},
    "below_min_coverage": {"fi": "alle tuen rajan {threshold:pct}",
                           "en": "below the {threshold:pct} needed for support"},
    "below_confirm_coverage": {"fi": "alle vahvistamisen rajan {threshold:pct}",
                               "en": "below the {threshold:pct} needed to confirm it"},
    "scope_challenged": {"fi": "{n}/{of} teemasta puhuneesta pitää sitä kaatoluokkana tai ehdottaa sen jakamista "
                               "(raja {needed})",
                         "en": "{n} of the {of} participants who voiced it call it a catch-all or propose "
                               "splitting it (at least {needed} needed)"},
    "coverage_confirmed": {"fi": "vahvistamisen raja {threshold:pct} ylittyi, eikä teeman rajausta "
                                 "kyseenalaistettu",
                           "en": "above the {threshold:pct} needed to confirm it, and no one challenged its scope"},
    "silent_subcodes": {"fi": "osa-alueet, joista puhui alle {min_participants} osallistujaa: {subcodes:codes}",
                        "en": "parts voiced by fewer than {min_participants} participants: {subcodes:codes}"},
    "near_emergent": {"fi": "lähellä uusia aiheita: {topics:topics}",
                      "en": "close to emergent topics: {topics:topics}"},
    # scope flags
    "flag_catch_all": {"fi": "{n}/{of} osallistujaa pitää teemaa kaatoluokkana",
                       "en": "{n} of {of} participants call it a catch-all"},
    "flag_silent_subcodes": {"fi": "hiljaiset osa-alueet: {subcodes:codes}",
                             "en": "silent parts: {subcodes:codes}"},
    "flag_near_emergent": {"fi": "lähellä uusia aiheita: {topics:topics}",
                           "en": "close to emergent topics: {topics:topics}"},
    # perspective flags
    "flag_perspective_tested": {
        "fi": "{group:group}: {n}/{of} haastateltavaa, muista haastateltavista {share_rest:pct} (p = {p:dec3})",
        "en": "{group:group}: {n} of {of} interviewees, {share_rest:pct} of the others (p = {p:dec3})"},
    "flag_perspective_descriptive": {
        "fi": "{group:group}: {n}/{of} haastateltavaa, muista haastateltavista {share_rest:pct} (liian pieni "
              "ryhmä testattavaksi)",
        "en": "{group:group}: {n} of {of} interviewees, {share_rest:pct} of the others (too few to test)"},
    "flag_survey_rank_gap": {
        "fi": "kyselyssä {alternative:name} on sijalla {high_position} ryhmällä {high_group:group} "
              "({high_n} vastaajaa{high_small:small_n}) mutta sijalla {low_position} ryhmällä {low_group:group} "
              "({low_n} vastaajaa{low_small:small_n})",
        "en": "in the survey {alternative:name} is ranked {high_position} by {high_group:group} "
              "({high_n} respondents{high_small:small_n}) but {low_position} by {low_group:group} "
              "({low_n} respondents{low_small:small_n})"},
    # perspective notes (perspective.csv)
    "perspective_tested": {"fi": "{n}/{of}, muista haastateltavista {n_rest}/{of_rest}",
                           "en": "{n} of {of}, {n_rest} of {of_rest} of the other interviewees"},
    "perspective_descriptive": {"fi": "{n}/{of} puhui teemasta; liian pieni ryhmä testattavaksi",
                                "en": "{n} of {of} discussed it; too few to test"},
    # goal verdicts
    "goal_voices": {"fi": "{n} osallistujaa puhui tavoitteesta: {support} tukee, {question} kyseenalaistaa, "
                          "{refine} ehdottaa toista tavoitetasoa tai mittaria",
                    "en": "{n} participants spoke to the goal: {support} support it, {question} question it, "
                          "{refine} propose another target or measure"},
    "goal_too_few_voices": {"fi": "arvioon tarvitaan vähintään {threshold} osallistujaa",
                            "en": "a verdict needs at least {threshold} participants"},
    "goal_unsupported": {"fi": "{question_share:pct} kyseenalaistaa (raja {question_threshold:pct}) ja vain "
                               "{support_share:pct} tukee (enintään {support_threshold:pct})",
                         "en": "{question_share:pct} question it (limit {question_threshold:pct}) and only "
                               "{support_share:pct} support it (at most {support_threshold:pct})"},
    "goal_questioned": {"fi": "{question_share:pct} kyseenalaistaa (raja {threshold:pct}), {support_share:pct} "
                              "tukee",
                        "en": "{question_share:pct} question it (limit {threshold:pct}), {support_share:pct} "
                              "support it"},
    "goal_refined": {"fi": "{refine_share:pct} ehdottaa toista tavoitetasoa tai mittaria (raja {threshold:pct})",
                     "en": "{refine_share:pct} propose another target or measure (limit {threshold:pct})"},
    "goal_confirmed": {"fi": "{support_share:pct} tukee; kyseenalaistajia ja tarkentajia on liian vähän "
                             "tavoitteen epäilemiseen",
                       "en": "{support_share:pct} support it; too few question or refine it to doubt it"},
}
