"""Report labels in Finnish (the default) and English: one dictionary, so notebooks carry no wording."""
from __future__ import annotations

import string

LANGUAGES = ("fi", "en")

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
    "word.small_n": {"fi": "pieni n", "en": "small n"},
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
                           "\"pieni n\".",
                     "en": "A small group's result (under {n} respondents) is indicative only; it is marked "
                           "\"small n\"."},
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
    "nb04.perspective": {"fi": "Näkökulmaerot ryhmien välillä", "en": "Differences between groups"},
    "nb04.goals": {"fi": "Tavoitteiden arviot", "en": "Goal verdicts"},
    "nb04.goal_evidence": {"fi": "Tavoitetta tukevat, kyseenalaistavat ja tarkentavat osallistujat",
                           "en": "Participants supporting, questioning and refining each goal"},
    "axis.participants": {"fi": "osallistujia", "en": "participants"},
    "col.question_asked": {"fi": "kysymys", "en": "question"},
    "goal.counts_caption": {"fi": "Luvut ovat osallistujia (anonyymi lappu tai kommentti on yksi osallistuja); "
                                  "suluissa niiden puheenvuorojen määrä. Sama luku on taulukossa, kuviossa ja "
                                  "perusteluissa.",
                            "en": "Counts are participants (an anonymous note or comment is one); segments in "
                                  "brackets. The table, the chart and the reasons count the same way."},
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
    "summary.title": {"fi": "Yhteiskehittämisen tulokset elinkeinolautakunnalle",
                      "en": "Co-design results for the business committee"},
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
    "index.deliverables": {"fi": "Asiakirjat (seurantapohja, viestintäsuunnitelma, lautakunnan yhteenveto)",
                           "en": "Deliverables (monitoring workbook, communication plan, committee summary)"},
    "status.ok": {"fi": "ajettu", "en": "ran"},
    "status.unchanged": {"fi": "ennallaan", "en": "unchanged"},
    "status.failed": {"fi": "VIRHE", "en": "FAILED"},
    "status.kept": {"fi": "edellisestä ajosta (--only)", "en": "from the previous build (--only)"},
    "status.missing": {"fi": "ei ajettu", "en": "not run"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"report language {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return language


def t(key: str, language: str = "fi") -> str:
    """The label ``key`` in ``language``; an unknown key is an error (a typo must not reach a report)."""
    return LABELS[key][check_language(language)]


def stage_label(stage: str, language: str = "fi") -> str:
    return LABELS.get(f"stage.{stage}", {}).get(check_language(language), stage)


def group_label(group, language: str = "fi") -> str:
    import pandas as pd

    if group is None or group == "" or group == "unknown" or pd.isna(group):
        return t("group.unknown", language)
    return LABELS.get(f"group.{group}", {}).get(check_language(language), str(group))


def code_label(codebook, code_id: str, language: str = "fi", with_id: bool = True) -> str:
    """A code's label from the codebook in ``language`` (``T1 Matkailu…``); the id itself when unknown."""
    if codebook is None or code_id not in codebook.codes:
        return code_id
    code = codebook[code_id]
    text = code.label_en if check_language(language) == "en" and code.label_en else code.label_fi
    return f"{code_id} {text}" if with_id else text


def verdict_label(verdict, language: str = "fi") -> str:
    """A verdict or stance of the analysis tables in ``language``; a value this version does not know is shown
    as written (the analytics may add verdicts), an empty one as ""."""
    import pandas as pd

    if verdict is None or (not isinstance(verdict, str) and pd.isna(verdict)) or verdict == "":
        return ""
    for prefix in ("verdict", "stance", "strength"):
        if f"{prefix}.{verdict}" in LABELS:
            return LABELS[f"{prefix}.{verdict}"][check_language(language)]
    return str(verdict).replace("_", " ")


# ---------------------------------------------------------------------------------------------------------
# Reasons and flags of the validation verdicts (theme_validation.csv, goal_validation.csv)
#
# The analysis emits each reason as plain data, ``{"key": "coverage", "n": 9, "of": 14, "share": 0.64}``
# (``reason``); its wording lives here only, in both languages, and ``render_reasons`` writes it — the English
# text columns of the tables as well as the Finnish reports. A field's format spec names how its value is
# written: ``pct`` a share as a percentage, ``dec3`` three decimals, ``list`` items joined, ``group`` a
# stakeholder group's label, ``small_n`` a note when true, ``topics`` emergent topics as ``id (label)``.

REASONS: dict[str, dict[str, str]] = {
    # theme verdicts
    "coverage": {"fi": "kattavuus {n}/{of} haastateltavaa ({share:pct})",
                 "en": "coverage {n}/{of} interviewees ({share:pct})"},
    "below_min_coverage": {"fi": "kattavuus alle raja-arvon min_coverage {threshold:pct}",
                           "en": "coverage below min_coverage {threshold:pct}"},
    "below_confirm_coverage": {"fi": "kattavuus alle raja-arvon confirm_coverage {threshold:pct}",
                               "en": "coverage below confirm_coverage {threshold:pct}"},
    "scope_challenged": {"fi": "teemasta puhuneista {of} osallistujasta {n} pitää sen rajausta kaatoluokkana tai "
                               "ehdottaa sen jakamista (≥ {needed}: scope_min_participants {min_participants}, "
                               "scope_min_share {min_share:pct})",
                         "en": "{n} of the {of} participants voicing it call the scope a catch-all or propose "
                               "splitting it (≥ {needed}: scope_min_participants {min_participants}, "
                               "scope_min_share {min_share:pct})"},
    "coverage_confirmed": {"fi": "kattavuus ≥ confirm_coverage {threshold:pct}, rajausta ei kyseenalaistettu",
                           "en": "coverage ≥ confirm_coverage {threshold:pct}, no scope challenge"},
    "silent_subcodes": {"fi": "alakoodit, joista puhui alle {min_participants} osallistujaa: {subcodes:list}",
                        "en": "subcodes voiced by fewer than {min_participants} participants: {subcodes:list}"},
    "near_emergent": {"fi": "teemaa lähellä olevat uudet aiheet: {topics:topics}",
                      "en": "emergent topics close to the theme: {topics:topics}"},
    # scope flags
    "flag_catch_all": {"fi": "kaatoluokka: {n}/{of} osallistujasta", "en": "catch_all: {n} of {of} participants"},
    "flag_silent_subcodes": {"fi": "hiljaiset alakoodit: {subcodes:list}", "en": "silent_subcodes: {subcodes:list}"},
    "flag_near_emergent": {"fi": "lähellä uusia aiheita: {topics:topics}", "en": "near_emergent: {topics:topics}"},
    # perspective flags
    "flag_perspective_tested": {
        "fi": "{group:group}: {n}/{of} haastateltavaa, muista haastateltavista {share_rest:pct} (p = {p:dec3})",
        "en": "{group:group}: {n}/{of} interviewees vs {share_rest:pct} of others (p={p:dec3})"},
    "flag_perspective_descriptive": {
        "fi": "{group:group}: {n}/{of} haastateltavaa, muista haastateltavista {share_rest:pct} (kuvaileva)",
        "en": "{group:group}: {n}/{of} interviewees vs {share_rest:pct} of others (descriptive)"},
    "flag_survey_rank_gap": {
        "fi": "kysely, {alternative}: sija {high_position} ryhmässä {high_group:group} (n = {high_n}"
              "{high_small:small_n}), sija {low_position} ryhmässä {low_group:group} "
              "(n = {low_n}{low_small:small_n})",
        "en": "survey {alternative}: position {high_position} for {high_group:group} (n={high_n}{high_small:small_n})"
              " vs {low_position} for {low_group:group} (n={low_n}{low_small:small_n})"},
    # perspective notes (perspective.csv)
    "perspective_tested": {"fi": "{n}/{of}, muista haastateltavista {n_rest}/{of_rest}",
                           "en": "{n}/{of} vs {n_rest}/{of_rest} of the other interviewees"},
    "perspective_descriptive": {"fi": "n = {of}: liian vähän haastateltavia testiin; {n}/{of} puhui teemasta",
                                "en": "n={of}: too few interviewees to test; {n}/{of} discuss it"},
    # goal verdicts
    "goal_voices": {"fi": "tavoitteesta puhui {n} osallistujaa: {support} tukee, {question} kyseenalaistaa, "
                          "{refine} ehdottaa toista tavoitetasoa tai mittaria",
                    "en": "{n} participants spoke to the goal: {support} support it, {question} question it, "
                          "{refine} propose another target or measure"},
    "goal_too_few_voices": {"fi": "alle raja-arvon goal_min_voices {threshold}",
                            "en": "fewer than goal_min_voices {threshold}"},
    "goal_unsupported": {"fi": "kyseenalaistavien osuus {question_share:pct} ≥ goal_unsupported_question_share "
                               "{question_threshold:pct} ja tukevien osuus {support_share:pct} ≤ "
                               "goal_max_support_share {support_threshold:pct}",
                         "en": "questioning share {question_share:pct} ≥ goal_unsupported_question_share "
                               "{question_threshold:pct} and supporting share {support_share:pct} ≤ "
                               "goal_max_support_share {support_threshold:pct}"},
    "goal_questioned": {"fi": "kyseenalaistavien osuus {question_share:pct} ≥ goal_refine_question_share "
                              "{threshold:pct} (tukevien osuus {support_share:pct})",
                        "en": "questioning share {question_share:pct} ≥ goal_refine_question_share "
                              "{threshold:pct} (supporting share {support_share:pct})"},
    "goal_refined": {"fi": "tarkentavien osuus {refine_share:pct} ≥ goal_refine_share {threshold:pct}",
                     "en": "refining share {refine_share:pct} ≥ goal_refine_share {threshold:pct}"},
    "goal_confirmed": {"fi": "tukevien osuus {support_share:pct}; kyseenalaistajia ja tarkentajia on liian vähän "
                             "tavoitteen epäilemiseen",
                       "en": "supporting share {support_share:pct}; questioned and refined by too few to doubt it"},
}


def _plain(value):
    """A JSON-ready value: numpy numbers become Python ones, shares and p values keep four decimals."""
    import numbers

    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return round(float(value), 4)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def reason(key: str, **values) -> dict:
    """One structured reason or flag: its key (of ``REASONS``) and the values its wording needs."""
    _wording(key)
    return {"key": key, **{name: _plain(v) for name, v in values.items()}}


def _wording(key) -> dict[str, str]:
    """The fi and en wording of a reason key; an unknown key is an error that says where to add it."""
    if key not in REASONS:
        raise ValueError(f"unknown reason key {key!r}: add its fi and en wording to codesign.core.i18n.REASONS")
    return REASONS[key]


def _percent(share: float, language: str) -> str:
    text = f"{share:.0%}"
    return text[:-1] + " %" if language == "fi" else text


def _decimal(value: float, digits: int, language: str) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "fi" else text


class _ReasonFormatter(string.Formatter):
    """``str.format`` with the format specs of ``REASONS`` (pct, dec3, list, group, small_n, topics)."""

    def __init__(self, language: str) -> None:
        self.language = check_language(language)

    def format_field(self, value, spec: str) -> str:
        language = self.language
        if spec == "pct":
            return _percent(value, language)
        if spec == "dec3":
            return _decimal(value, 3, language)
        if spec == "list":
            return ", ".join(str(v) for v in value)
        if spec == "group":
            return group_label(value, language)
        if spec == "small_n":
            return f", {t('word.small_n', language)}" if value else ""
        if spec == "topics":
            return ", ".join(f"{topic['id']} ({topic['label']})" for topic in value)
        return format(value, spec)

    def render(self, item: dict) -> str:
        key = item.get("key") if isinstance(item, dict) else None
        wording = _wording(key)[self.language]
        try:
            return self.format(wording, **item)
        except KeyError as missing:
            raise ValueError(f"reason {key!r} lacks the value {missing.args[0]!r} its wording needs") from None


def render_reasons(reasons: list[dict], language: str = "fi", sep: str = "; ") -> str:
    """A structured reason list (``reason`` dicts, as in the ``*_codes`` JSON columns) as text in ``language``;
    an unknown key is an error naming it."""
    formatter = _ReasonFormatter(language)
    return sep.join(formatter.render(item) for item in reasons)
