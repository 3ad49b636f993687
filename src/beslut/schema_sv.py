"""Swedish descriptions and examples for the JSON Schemas editors read (yaml-language-server).

Field docstrings document the models for developers; what a case officer sees on hover in the
editor is the Swedish text here, with an example value. Keys are ``"Definition.fält"`` (the
definition's name in ``$defs``, ``Profile`` for the top of the profile schema); ``"*.fält"``
covers a field every record kind shares. ``apply`` fills them in; a test requires an entry for
every property of both schemas, so a new field without Swedish text fails the suite.
"""
from __future__ import annotations

from typing import Any

#: (beskrivning, exempel) per field.
Entry = tuple[str, Any]

_ANY = "*"

RECORD: dict[str, Entry] = {
    # fält som alla poster har
    "*.typ": ("Vilket slags post det är: tjänsteskrivelse, uppdrag, utlåtande eller sammanträde.",
              "tjänsteskrivelse"),
    "*.status": ("utkast, färdig eller beslutad. Platshållare (XXXX, 2022-…-…) får bara stå i ett utkast.",
                 "utkast"),
    "*.nämnd": ("Nyckeln för nämnden som äger ärendet, ett organ i profilen (beslut.yaml).", "SON"),
    "*.rubrik": ("Dokumentets rubrik.", "Fältverksamhet, polarverksamhet – förlängning av verksamhetsuppdrag"),
    "*.sekretess": ("true om dokumentet innehåller uppgifter som omfattas av sekretess; det tas då inte med "
                    "i offentliga utskick.", False),
    "*.personnummer_tillåtna": ("Personnummer som får stå i posten (kända och godtagna förekomster); "
                                "andra personnummer ger fel.", ["19121212-1212"]),
    # tjänsteskrivelse
    "Tjansteskrivelse.förvaltning": ("Förvaltningen som skriver tjänsteskrivelsen; ska finnas i profilen.",
                                     "Social- och omsorgsförvaltningen"),
    "Tjansteskrivelse.datum": ("Tjänsteskrivelsens datum, ÅÅÅÅ-MM-DD.", "2021-12-17"),
    "Tjansteskrivelse.dnr": ("Diarienummer; ska följa profilens dnr_mönster.", "SON 2020-377"),
    "Tjansteskrivelse.er_beteckning": ("Mottagarens eller avsändarens egen beteckning (Er beteckning), när "
                                       "ärendet började någon annanstans.", "KS 2020-55"),
    "Tjansteskrivelse.handläggare": ("Handläggaren som ansvarar för skrivelsen.",
                                     {"namn": "Anna Andersson", "titel": "Verksamhetsutvecklare"}),
    "Tjansteskrivelse.förslag_till_beslut": ("Förslag till beslut, en post per beslutande nivå (nämnden, "
                                             "KS, KF).", [{"punkter": ["Nämnden godkänner förlängningen."]}]),
    "Tjansteskrivelse.ärende": ("Sammanfattning av ärendet (Markdown).",
                                "Uppdraget löper ut den 31 december och föreslås förlängas ett år."),
    "Tjansteskrivelse.beslutsunderlag": ("Dokument som beslutet grundar sig på: titel och datum.",
                                         [{"titel": "Tjänsteskrivelse", "datum": "2021-12-17"}]),
    "Tjansteskrivelse.avsnitt": ("Bakgrund, egna avsnitt och standardavsnitt, i den ordning de skrivs ut.",
                                 [{"rubrik": "Bakgrund", "text": "Uppdraget började 2018."}]),
    "Tjansteskrivelse.mbl": ("Information eller förhandling enligt medbestämmandelagen (MBL).",
                             {"typ": "information", "datum": "2021-12-01"}),
    "Tjansteskrivelse.underskrifter": ("Vem som skriver under, en per förvaltning.",
                                       [{"namn": "Eva Berg", "titel": "Socialdirektör"}]),
    "Tjansteskrivelse.skickas_till": ("Beslutet skickas till: mottagarna i ordning.",
                                      ["Leanlink, Råd och stöd", "Akten"]),
    # uppdrag
    "Uppdrag.uppdragstyp": ("Slags uppdrag: verksamhetsuppdrag eller utvecklingsuppdrag.",
                            "verksamhetsuppdrag"),
    "Uppdrag.utförare": ("Utföraren som tar emot uppdraget.", "Leanlink, Råd och stöd"),
    "Uppdrag.dnr": ("Diarienummer; ska följa profilens dnr_mönster.", "SON 2020-377"),
    "Uppdrag.reviderad": ("Datum för den senaste revideringen, ÅÅÅÅ-MM-DD.", "2021-03-01"),
    "Uppdrag.nämndbeslut": ("Nämndens beslut om uppdraget, med paragraf.", "SON § 123"),
    "Uppdrag.avsnitt": ("Uppdragets avsnitt, i ordning.",
                        [{"rubrik": "Uppdragets innehåll", "text": "Utföraren ska bedriva fältverksamhet."}]),
    "Uppdrag.uppdragstid": ("När uppdraget löper och hur det sägs upp.",
                            {"start": "2021-01-01", "slut": "2021-12-31", "uppsägningstid_månader": 6}),
    "Uppdrag.ersättning": ("Ersättningen för uppdraget.",
                           {"belopp_tkr_per_år": 4200, "prisnivå": 2021, "moms": "exklusive"}),
    "Uppdrag.ort_och_datum": ("Ort och datum för underskrifterna.", {"ort": "Linköping", "datum": "2021-01-15"}),
    "Uppdrag.parter": ("Parterna som skriver under, nämnden först.",
                       [{"organ": "SON", "undertecknare": "Eva Berg"},
                        {"namn": "Leanlink", "undertecknare": "Karl Ek"}]),
    # utlåtande
    "Utlatande.nummer": ("Nummer i årets serie.", "2024:12"),
    "Utlatande.serie": ("Serien eller roteln; skrivs efter numret.", "RVII"),
    "Utlatande.datum": ("Datum för styrelsens beslut att föreslå, ÅÅÅÅ-MM-DD.", "2024-05-22"),
    "Utlatande.dnr": ("Diarienummer; ska följa profilens dnr_mönster.", "KS 2024-118"),
    "Utlatande.er_beteckning": ("Den andra partens beteckning (Er beteckning), när ärendet började någon "
                                "annanstans.", "SON 2023-40"),
    "Utlatande.till": ("Nyckeln för fullmäktige som förslaget går till, ett organ i profilen.", "KF"),
    "Utlatande.förslag": ("Det fullmäktige ombeds besluta, punkt för punkt.",
                          ["Kommunfullmäktige godkänner riktlinjerna."]),
    "Utlatande.numrerade": ("false för en enda punkt som står utan nummer.", True),
    "Utlatande.föredragande": ("Vem som föredrar ärendet (Föredragande borgarrådet … anför följande).",
                               {"namn": "Anna Svensson", "titel": "kommunalrådet"}),
    "Utlatande.anförande": ("Vad föredraganden anför (Markdown).", "Jag föreslår att förslaget bifalls."),
    "Utlatande.avsnitt": ("Avsnitt i anförandet under egna rubriker (Ärendets beredning, Mina synpunkter …).",
                          [{"rubrik": "Mina synpunkter", "text": "Områdesteamen har gett goda resultat."}]),
    "Utlatande.beredning": ("Beredningen: remisstext och remissinstanser.",
                            {"text": "Ärendet har remitterats till …", "remissinstanser": ["Socialnämnden"]}),
    "Utlatande.beslutsunderlag": ("Dokument som förslaget grundar sig på: titel, datum och eventuell bilaga.",
                                  [{"titel": "Remissvar", "datum": "2024-03-01"}]),
    # sammanträde
    "Sammantrade.rubrik": ("Egen rubrik; utan den skrivs Kallelse med nämndens namn.",
                           "Kallelse till socialnämndens sammanträde"),
    "Sammantrade.datum": ("Sammanträdets datum, ÅÅÅÅ-MM-DD.", "2022-01-26"),
    "Sammantrade.tid": ("Starttid och (valfritt) sluttid.", {"start": "13:00", "slut": "16:00"}),
    "Sammantrade.plats": ("Var sammanträdet hålls.", "Stadshuset, sal 3"),
    "Sammantrade.ordförande": ("Ordföranden.", "Leila Haddad"),
    "Sammantrade.sekreterare": ("Sekreteraren.", "Karin Lund"),
    "Sammantrade.ledamöter": ("Ledamöterna, med parti.", [{"namn": "Leila Haddad", "parti": "(S)"}]),
    "Sammantrade.ersättare": ("Ersättarna, med parti.", [{"namn": "Per Holm", "parti": "(M)"}]),
    "Sammantrade.justerare": ("Vem som justerar protokollet tillsammans med ordföranden.", ["Jonas Berg"]),
    "Sammantrade.justering": ("När och var protokollet justeras.",
                              {"datum": "2022-01-28", "plats": "Socialkontoret"}),
    "Sammantrade.ärenden": ("Ärendena i den ordning de behandlas.",
                            [{"post": "son-2020-faltverksamhet", "utfall": "bifall"}]),
    "Sammantrade.första_paragraf": ("Protokollets första paragrafnummer; annars fortsätter numreringen från "
                                    "nämndens förra sammanträde.", 1),
    "Sammantrade.närvaro": ("Vem som är frånvarande, vem som tjänstgör i deras ställe och övriga närvarande.",
                            {"frånvarande": ["Jonas Berg"]}),
    "Sammantrade.anslag": ("Anslaget om det justerade protokollet: datum och förvaringsplats.",
                           {"datum": "2022-01-31"}),
    # delar
    "Handlaggare.namn": ("Fullständigt namn.", "Anna Andersson"),
    "Handlaggare.titel": ("Titel.", "Verksamhetsutvecklare"),
    "Handlaggare.telefon": ("Telefonnummer.", "013-20 60 00"),
    "Handlaggare.e-post": ("E-postadress.", "anna.andersson@linkoping.se"),
    "Forslag.instans": ("Nyckeln för organet som beslutar på den här nivån (SON, KS, KF …); utan den "
                        "postens nämnd.", "KS"),
    "Forslag.punkter": ("Förslagets punkter, i ordning (Markdown).", ["Nämnden godkänner förlängningen."]),
    "Forslag.numrerade": ("false för en enda punkt som står utan nummer.", True),
    "Underlag.titel": ("Dokumentets titel.", "Tjänsteskrivelse"),
    "Underlag.datum": ("Dokumentets datum, ÅÅÅÅ-MM-DD.", "2021-12-17"),
    "Underlag.bilaga": ("Sökväg till en bifogad fil, relativt posten; filen måste finnas.",
                        "bilagor/remissvar.pdf"),
    "Omrade.namn": ("Områdets eller teamets namn.", "Områdesteam 1 Skäggetorp"),
    "Omrade.delar": ("Platserna som området omfattar.", ["Skäggetorp", "Johannelund"]),
    "Avsnitt.rubrik": ("Rubrik för ett eget avsnitt (ange antingen rubrik eller standard).", "Bakgrund"),
    "Avsnitt.standard": ("Nyckeln för ett standardavsnitt i profilen (ekonomiska_konsekvenser, jämställdhet …).",
                         "ekonomiska_konsekvenser"),
    "Avsnitt.text": ("Avsnittets text (Markdown).", "Förlängningen ryms i nämndens budget."),
    "Avsnitt.områden": ("Listor över områden som skrivs ut efter texten.",
                        [{"namn": "Områdesteam 1 Skäggetorp", "delar": ["Skäggetorp"]}]),
    "Avsnitt.avsnitt": ("Underavsnitt, under egna mindre rubriker.", [{"rubrik": "Kostnader", "text": "…"}]),
    "MBL.typ": ("information (§ 19), förhandling (§ 11) eller ej_påkallad.", "information"),
    "MBL.datum": ("När informationen eller förhandlingen ägde rum, ÅÅÅÅ-MM-DD.", "2021-12-01"),
    "MBL.text": ("Egen formulering; utan den skrivs en standardmening.",
                 "Information enligt MBL § 19 har lämnats i samverkansgruppen."),
    "Underskrift.namn": ("Namnet på den som skriver under.", "Eva Berg"),
    "Underskrift.titel": ("Titel.", "Socialdirektör"),
    "Underskrift.förvaltning": ("Förvaltningen som skriver under; ska finnas i profilen.",
                                "Social- och omsorgsförvaltningen"),
    "Foredragande.namn": ("Fullständigt namn.", "Anna Svensson"),
    "Foredragande.titel": ("Som det skrivs före namnet: borgarrådet, kommunalrådet, regionrådet.",
                           "kommunalrådet"),
    "Beredning.text": ("Hur ärendet har beretts (Markdown).", "Ärendet har remitterats till socialnämnden."),
    "Beredning.remissinstanser": ("Organ och organisationer som fått ärendet på remiss, i ordning.",
                                  ["Socialnämnden", "Pensionärsrådet"]),
    "Ersattning.omfattning": ("Vad ersättningen omfattar.",
                              "Samtliga kostnader inklusive lokalkostnader ingår i ersättningen"),
    "Ersattning.belopp_tkr_per_år": ("Årligt belopp i tkr.", 4200),
    "Ersattning.tillägg": ("Tillägg till den årliga ersättningen från ett visst datum.",
                           [{"belopp_tkr_per_år": 300, "från": "2021-07-01"}]),
    "Ersattning.villkor": ("Ytterligare villkor; skrivs före prisnivån.",
                           "Ersättningen betalas ut månadsvis i efterskott."),
    "Ersattning.prisnivå": ("Årtalet för prisnivån.", 2021),
    "Ersattning.moms": ("Om beloppen är inklusive eller exklusive moms.", "exklusive"),
    "Ersattning.uppräkning": ("Hur ersättningen räknas upp varje år.",
                              {"från": "2022-01-01", "modell": "Linköpings kommuns uppräkningsmodell"}),
    "Ersattning.text": ("Egen text för avsnittet Uppdragstid och ersättning, i stället för meningarna som "
                        "byggs av fälten.", "Ersättningen framgår av bilaga 1."),
    "Tillagg.belopp_tkr_per_år": ("Tilläggets årliga belopp i tkr.", 300),
    "Tillagg.från": ("Första dagen tillägget betalas, ÅÅÅÅ-MM-DD.", "2021-07-01"),
    "Tillagg.belopp_första_året_tkr": ("Belopp för det första (brutna) året i tkr; kontrolleras mot den "
                                       "proportionella summan.", 150),
    "Uppr_kning.från": ("Från när ersättningen räknas upp årligen, ÅÅÅÅ-MM-DD.", "2022-01-01"),
    "Uppr_kning.modell": ("Vilken modell som används.", "Linköpings kommuns uppräkningsmodell"),
    "Uppdragstid.start": ("Uppdragets första dag, ÅÅÅÅ-MM-DD.", "2021-01-01"),
    "Uppdragstid.slut": ("Uppdragets sista dag; utelämna för tills vidare.", "2021-12-31"),
    "Uppdragstid.uppsägningstid_månader": ("Uppsägningstid i månader.", 6),
    "OrtDatum.ort": ("Ort; utan den profilens ort.", "Linköping"),
    "OrtDatum.datum": ("Datum för underskrifterna, eller en platshållare i ett utkast.", "2021-01-15"),
    "Part.organ": ("Nyckeln för ett organ i profilen (för nämnden).", "SON"),
    "Part.namn": ("Namnet på en part som inte är ett organ i profilen.", "Leanlink"),
    "Part.undertecknare": ("Vem som skriver under för parten.", "Eva Berg"),
    "Part.titel": ("Undertecknarens titel.", "Ordförande"),
    "Anslag.datum": ("Dagen anslaget sätts upp; senast andra dagen efter justeringen.", "2022-01-31"),
    "Anslag.förvaringsplats": ("Var protokollet förvaras.", "Social- och omsorgsförvaltningen, Linköping"),
    "Arende.post": ("Id för posten (filnamnet utan .yaml) som ärendet behandlar.", "son-2020-faltverksamhet"),
    "Arende.typ": ("ärende (en post), information, delegationsbeslut, delgivningar eller övrigt.", "ärende"),
    "Arende.rubrik": ("Rubrik för ett ärende utan post (ett ärende med post får postens rubrik).",
                      "Information om verksamheten"),
    "Arende.text": ("Text för ett ärende utan post (Markdown).", "Förvaltningschefen informerar."),
    "Arende.föredragande": ("Vem som föredrar ärendet.", "Anna Andersson"),
    "Arende.sekretess": ("OSL-hänvisning när ärendet omfattas av sekretess.", "OSL 26 kap. 1 §"),
    "Arende.offentlig_rubrik": ("Vad den offentliga utgåvan visar i stället för rubriken på ett ärende med "
                                "sekretess.", "Individärende"),
    "Arende.bilagor": ("Fler bifogade filer (PDF eller DOCX): en sökväg relativt sammanträdesfilen, eller "
                       "{fil, titel}.", ["bilagor/rapport.pdf"]),
    "Arende.utfall": ("Vad nämnden gjorde: bifall, ändrat, avslag, återremiss, bordlagt eller information.",
                      "bifall"),
    "Arende.beslutstext": ("Den antagna texten när utfallet är ändrat (eller ett eget beslut för ett ärende "
                           "utan post), punkt för punkt.", ["Nämnden godkänner riktlinjerna med ändringen …"]),
    "Arende.motivering": ("Skälet till en återremiss eller bordläggning.", "Ärendet behöver kompletteras."),
    "Arende.yrkanden": ("Yrkanden på sammanträdet, i ordning.",
                        [{"av": "Leila Haddad", "yrkande": "bifall till förvaltningens förslag"}]),
    "Arende.propositionsordning": ("Hur ordföranden ställde yrkandena mot varandra.",
                                   "Ordföranden ställer proposition på yrkandena och finner att nämnden "
                                   "bifaller förvaltningens förslag."),
    "Arende.votering": ("En votering: ja, nej och avstår med namn.",
                        {"ja_för": "bifall", "nej_för": "avslag", "ja": ["Leila Haddad"], "nej": ["Jonas Berg"]}),
    "Arende.reservationer": ("Vem som reserverar sig mot beslutet: ett namn, eller {namn, skriftlig}.",
                             ["Jonas Berg"]),
    "Arende.jäv": ("Ledamöter som är jäviga och lämnar sammanträdet under paragrafen.", ["Per Holm"]),
    "Arende.protokollsanteckning": ("Anteckningar i protokollet på en ledamots begäran.",
                                    ["Jonas Berg (M) lämnar en protokollsanteckning."]),
    "Arende.omedelbar_justering": ("Paragrafen justeras omedelbart, på sammanträdet.", False),
    "Arende.närvaro": ("Ändrad närvaro för bara den här paragrafen.", {"frånvarande": ["Per Holm"]}),
    "Arende.skickas_till": ("Beslutet skickas till; utan den postens skickas_till.", ["Akten"]),
    "ItemBilaga.fil": ("Sökväg till PDF- eller DOCX-filen, relativt sammanträdesfilen.", "bilagor/rapport.pdf"),
    "ItemBilaga.titel": ("Titel; utan den filnamnet.", "Verksamhetsrapport 2021"),
    "Justering.datum": ("Datum för justeringen, ÅÅÅÅ-MM-DD.", "2022-01-28"),
    "Justering.plats": ("Plats för justeringen.", "Socialkontoret"),
    "Ledamot.namn": ("Namn.", "Leila Haddad"),
    "Ledamot.parti": ("Partiets förkortning.", "(S)"),
    "Ledamot.roll": ("Roll, till exempel ordförande eller vice ordförande (valfritt).", "ordförande"),
    "Narvaro.frånvarande": ("Ledamöter som inte är närvarande (hela sammanträdet eller paragrafen).",
                            ["Jonas Berg"]),
    "Narvaro.tjänstgörande_ersättare": ("Ersättare som tjänstgör i en ledamots ställe.",
                                        [{"namn": "Per Holm", "för": "Jonas Berg"}]),
    "Narvaro.övriga": ("Övriga närvarande (tjänstepersoner, föredragande); bara för hela sammanträdet.",
                       ["Linda Ljungqvist, enhetschef"]),
    "Reservation.namn": ("Vem som reserverar sig.", "Jonas Berg"),
    "Reservation.skriftlig": ("Om en skriftlig reservation bifogas protokollet.", True),
    "Tidpunkt.start": ("Starttid, TT:MM.", "13:00"),
    "Tidpunkt.slut": ("Sluttid, TT:MM.", "16:00"),
    "Tjanstgorande.namn": ("Ersättarens namn (en av sammanträdets ersättare).", "Per Holm"),
    "Tjanstgorande.för": ("Ledamoten vars plats ersättaren tar.", "Jonas Berg"),
    "Votering.ja_för": ("Vad en ja-röst står för.", "bifall till Leila Haddads yrkande"),
    "Votering.nej_för": ("Vad en nej-röst står för.", "bifall till Jonas Bergs yrkande"),
    "Votering.ja": ("Vilka som röstade ja.", ["Leila Haddad"]),
    "Votering.nej": ("Vilka som röstade nej.", ["Jonas Berg"]),
    "Votering.avstår": ("Vilka som avstod.", ["Per Holm"]),
    "Yrkande.av": ("Vem som yrkade (en ledamot eller tjänstgörande ersättare).", "Leila Haddad"),
    "Yrkande.yrkande": ("Vad som yrkades.", "bifall till förvaltningens förslag"),
}

PROFILE: dict[str, Entry] = {
    "Profile.kommun": ("Kommunens namn.", "Linköpings kommun"),
    "Profile.ort": ("Orten i raden med ort och datum i avtal.", "Linköping"),
    "Profile.sidfot": ("Adressrader i sidfoten på varje sida.",
                       ["Linköpings kommun", "581 81 Linköping", "linkoping.se"]),
    "Profile.logotyp": ("Sökväg (relativt profilen) till en logotyp i PNG eller JPEG för brevhuvudet; valfri.",
                        "logotyp.png"),
    "Profile.dnr_mönster": ("Reguljärt uttryck som ett diarienummer ska matcha.",
                            "^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$"),
    "Profile.organ": ("Beslutande organ efter kort nyckel (SON, KS, KF …).",
                      {"SON": {"namn": "Social- och omsorgsnämnden", "genitiv": "social- och omsorgsnämndens"}}),
    "Profile.förvaltningar": ("Namnen på förvaltningarna som skriver och skriver under.",
                              ["Social- och omsorgsförvaltningen"]),
    "Profile.standardavsnitt": ("Standardavsnitt efter nyckel, i den ordning en ny post listar dem.",
                                {"ekonomiska_konsekvenser": {"rubrik": "Ekonomiska konsekvenser",
                                                             "obligatorisk": True}}),
    "Profile.dnr_exempel": ("Ett giltigt diarienummer som visas när en posts Dnr inte matchar.", "SON 2024-123"),
    "Profile.brevhuvud": ("Brevhuvudet: fält, etiketter, sidnummer och löpande sidhuvud.",
                          {"fält": ["datum", "dnr"], "sidnummer": "sidfot"}),
    "Profile.formuleringar": ("Rubriker och etiketter som kommunen skriver dem.",
                              {"ärende": "Sammanfattning"}),
    "Profile.vägledning": ("Skrivråd som beslut check kontrollerar, och deras fraser.",
                           {"förslag_att": True}),
    "Profile.signering": ("Signering av avtal: tidsstämpelserver och betrodda rotcertifikat.",
                          {"tidsstämpelserver": "https://freetsa.org/tsr"}),
    "Brevhuvud.fält": ("Fälten i brevhuvudet i utskriftsordning: datum, dnr, er_beteckning, mall_id.",
                       ["datum", "dnr", "er_beteckning"]),
    "Brevhuvud.etiketter": ("Etiketten före varje fälts värde.",
                            {"dnr": "Vår beteckning", "er_beteckning": "Er beteckning"}),
    "Brevhuvud.dokumenttyp": ("Skriv dokumenttypen (TJÄNSTESKRIVELSE, UTLÅTANDE …) i brevhuvudet.", True),
    "Brevhuvud.handläggare": ("Handläggaren på en rad (namn, titel, telefon, e-post) eller en rad var.",
                              "en_rad"),
    "Brevhuvud.sidnummer": ("Var sidnumret 1 (3) står: sidfot eller sidhuvud.", "sidfot"),
    "Brevhuvud.löpande_sidhuvud": ("Sidorna efter den första får ett kort sidhuvud: datum och beteckning.", True),
    "Brevhuvud.mall_id": ("Kommunens mall-id, som skrivs där fält nämner mall_id.", "LKPG 1001 v2"),
    "Formuleringar.förslag_till_beslut": ("Rubriken för förslaget när postens egen nämnd beslutar.",
                                          "Förslag till beslut"),
    "Formuleringar.förslag_till_organ": ("Rubriken för ett förslag till ett annat organ; {genitiv} är "
                                         "organets genitiv.", "Förslag till {genitiv} beslut"),
    "Formuleringar.ärende": ("Rubriken för sammanfattningen.", "Sammanfattning"),
    "Formuleringar.beslutsunderlag": ("Etikett eller rubrik för listan över beslutsunderlag.", "Beslutsunderlag"),
    "Formuleringar.beslutsunderlag_som_rubrik": ("Skriv Beslutsunderlag som rubrik i stället för fet etikett.",
                                                 False),
    "Formuleringar.daterad": ("Ordet mellan ett dokuments titel och datum: Tjänsteskrivelse, daterad 2018-08-28.",
                              "daterad"),
    "Formuleringar.skickas_till": ("Etiketten före listan över mottagare.", "Beslut sänds till"),
    "Formuleringar.bilaga": ("Ordet före en bilagas nummer: Bilaga 1.", "Bilaga"),
    "Organ.namn": ("Namnet som det skrivs i början av en mening.", "Social- och omsorgsnämnden"),
    "Organ.genitiv": ("Genitivform som i Förslag till … beslut.", "social- och omsorgsnämndens"),
    "Organ.första_paragraf": ("Paragrafnumret som organets protokollserie börjar på i förrådet (annars 1), när "
                              "ingen tidigare sammanträdesfil finns.", 1),
    "Signering.tidsstämpelserver": ("Adress till en tidsstämpeltjänst enligt RFC 3161; med den gör beslut sign "
                                    "PAdES B-T-signaturer (annars B-B).", "https://freetsa.org/tsr"),
    "Signering.betrodda_rotcertifikat": ("Rotcertifikat (PEM- eller DER-filer, relativt profilen) som beslut "
                                         "verify litar på.", ["certifikat/kommunens-rot.pem"]),
    "Standardavsnitt.rubrik": ("Rubriken som skrivs i dokumentet.", "Ekonomiska konsekvenser"),
    "Standardavsnitt.obligatorisk": ("Om varje tjänsteskrivelse måste ha avsnittet.", True),
    "Vagledning.förslag_hänvisar": ("En förslagspunkt ska stå på egna ben i protokollet: inte i enlighet med "
                                    "förvaltningens förslag.", True),
    "Vagledning.förslag_att": ("En förslagspunkt börjar inte med att (den gamla stilen).", True),
    "Vagledning.underlag_datum": ("Varje beslutsunderlag har ett datum.", True),
    "Vagledning.egen_tjänsteskrivelse_först": ("Postens egen tjänsteskrivelse står först bland "
                                               "beslutsunderlagen, med postens datum.", True),
    "Vagledning.standardavsnitt_i_ordning": ("Standardavsnitten står i profilens ordning (för kommuner med fast "
                                             "ordning).", False),
    "Vagledning.hänvisningar": ("Fraser som gör att en förslagspunkt lutar sig mot ett annat dokument.",
                                ["i enlighet med förvaltningens förslag"]),
}

#: Swedish description of each definition (the model docstrings are English).
DEFINITIONS: dict[str, str] = {
    "Tjansteskrivelse": "En tjänsteskrivelse: förvaltningens skrivelse till en nämnd.",
    "Uppdrag": "Ett verksamhetsuppdrag eller utvecklingsuppdrag mellan en nämnd och en utförare.",
    "Utlatande": "Ett utlåtande: styrelsens förslag till fullmäktige, med föredragandens anförande.",
    "Sammantrade": "Ett sammanträde med en nämnd: tid, plats, deltagare och ärendena i ordning.",
    "Handlaggare": "Handläggaren som ansvarar för dokumentet.",
    "Forslag": "Förslag till beslut på en nivå (nämndens eget, kommunstyrelsens, kommunfullmäktiges).",
    "Underlag": "Ett dokument som beslutet grundar sig på (beslutsunderlag).",
    "Omrade": "Ett namngivet område med de delar det omfattar.",
    "Avsnitt": "Ett avsnitt: en egen rubrik, eller ett standardavsnitt som anges med sin nyckel i profilen.",
    "MBL": "Information eller förhandling enligt medbestämmandelagen (MBL).",
    "Underskrift": "En underskrift: vem som skriver under och för vilken förvaltning.",
    "Foredragande": "Borgarrådet, kommunalrådet eller regionrådet som föredrar ärendet.",
    "Beredning": "Hur ärendet har beretts: remissen och vilka som svarat.",
    "Ersattning": "Ersättningen för uppdraget.",
    "Tillagg": "Ett tillägg till den årliga ersättningen från ett visst datum.",
    "Uppr_kning": "Hur ersättningen räknas upp.",
    "Uppdragstid": "När uppdraget löper och hur det sägs upp.",
    "OrtDatum": "Raden med ort och datum ovanför underskrifterna.",
    "Part": "En part som skriver under avtalet.",
    "Anslag": "Anslaget om att protokollet är justerat (anslagstavlan).",
    "Arende": "Ett ärende på föredragningslistan: en post med sitt id, eller ett eget ärende.",
    "ItemBilaga": "En fil som bifogas ett ärende, med titeln som föredragningslistan visar.",
    "Justering": "När och var protokollet justeras.",
    "Ledamot": "En ledamot eller ersättare, med parti.",
    "Narvaro": "Vem som är frånvarande och vem som tjänstgör i deras ställe: för hela sammanträdet eller en paragraf.",
    "Reservation": "En ledamot som reserverar sig mot beslutet.",
    "Tidpunkt": "När sammanträdet börjar och (valfritt) slutar.",
    "Tjanstgorande": "En ersättare som tjänstgör i en ledamots ställe.",
    "Votering": "En votering: vilka som röstade ja, nej eller avstod, och vad ja och nej står för.",
    "Yrkande": "Ett yrkande på sammanträdet: vem som yrkade vad.",
    "Profile": "Organisationen som ett förråd med beslut tillhör (beslut.yaml).",
    "Brevhuvud": "Hur kommunen ordnar brevhuvudet på första sidan (och sidorna efter).",
    "Formuleringar": "Fasta formuleringar i dokumenten: rubriker och etiketter som kommunen skriver dem.",
    "Organ": "En nämnd, styrelse eller fullmäktige som beslutar.",
    "Signering": "Signerade avtal (PAdES): tidsstämpelservern som beslut sign använder och rotcertifikaten "
                 "som beslut verify litar på.",
    "Standardavsnitt": "Ett standardavsnitt som en post tar med genom sin nyckel, med rubriken från profilen.",
    "Vagledning": "Skrivråd som beslut check kontrollerar (varningar; fel med --strict). false stänger av ett råd.",
}


def entry(table: dict[str, Entry], definition: str, field: str) -> Entry | None:
    """The Swedish text and example for one property, or None if there is none."""
    return table.get(f"{definition}.{field}") or table.get(f"{_ANY}.{field}")


def apply(schema: dict[str, Any], table: dict[str, Entry], top: str | None = None) -> dict[str, Any]:
    """Put the Swedish description and an example on every property ``table`` knows, and the
    Swedish description on every definition (in place).

    ``top`` names the schema's own properties (the profile's) in ``table``.
    """
    definitions = dict(schema.get("$defs", {}))
    if top is not None and "properties" in schema:
        definitions[top] = schema
    for name, definition in definitions.items():
        if name in DEFINITIONS:
            definition["description"] = DEFINITIONS[name]
        for field, prop in definition.get("properties", {}).items():
            found = entry(table, name, field)
            if found is None:
                continue
            text, example = found
            if "const" in prop:  # a kind's typ: its own name is the only example that fits
                example = prop["const"]
            prop["description"] = text
            prop["examples"] = [example]
    return schema
