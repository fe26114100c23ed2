"""Every UI string, in Swedish (default) and English. Pages call `t("key")`.

Texts the core writes (segment names and descriptions, explanations of moves and mixes) are in
Swedish; problems with uploaded files come in both languages from the core.
"""

from __future__ import annotations

import streamlit as st

STRINGS: dict[str, tuple[str, str]] = {
    # app and sidebar
    "app_title": ("Kampanjplaneraren för e-tjänster", "E-service campaign planner"),
    "language": ("Språk", "Language"),
    "campaign": ("Kampanj", "Campaign"),
    "region_caption": ("Region: {region} · {n} kommuner", "Region: {region} · {n} municipalities"),
    "data_source_sample": ("Data: exempeldata (syntetiska invånare)", "Data: sample data (synthetic citizens)"),
    "data_source_upload": ("Data: {name} (bara i minnet)", "Data: {name} (in memory only)"),
    "nav_start": ("Start", "Start"),
    "nav_data": ("Data", "Data"),
    "nav_segments": ("Segment", "Segments"),
    "nav_channels": ("Kanaler", "Channels"),
    "nav_calendar": ("Kalender", "Calendar"),
    "nav_messages": ("Budskap", "Messages"),
    "nav_export": ("Export", "Export"),
    "error_generic": ("Något gick fel: {what}. Ditt arbete finns kvar; försök igen eller ladda om sidan.",
                      "Something went wrong: {what}. Your work is kept; try again or reload the page."),
    # start
    "start_title": ("Kampanjplaneraren för e-tjänster", "E-service campaign planner"),
    "start_intro": (
        "1. **Vilka är invånarna?** Verktyget delar in invånarna i segment med olika behov.\n"
        "2. **Hur når vi dem?** Varje segment får de kanaler det faktiskt använder, inom budget.\n"
        "3. **När och vad?** En gemensam kalender för regionen och färdiga budskap per segment.",
        "1. **Who are the citizens?** The tool splits citizens into segments with different needs.\n"
        "2. **How do we reach them?** Each segment gets the channels it actually uses, within budget.\n"
        "3. **When and what?** A shared regional calendar and ready message drafts per segment."),
    "start_loaded": ("Exempelregionen är inläst: {campaign}.", "The sample region is loaded: {campaign}."),
    "metric_municipalities": ("Kommuner", "Municipalities"),
    "metric_persons": ("Invånare i underlaget", "Citizens in the data"),
    "metric_segments": ("Segment", "Segments"),
    "metric_eservices": ("E-tjänster", "E-services"),
    "metric_activities": ("Aktiviteter", "Activities"),
    "next_step": ("Nästa steg", "Next step"),
    "go_data": ("Läs in egen data", "Load your own data"),
    "go_segments": ("Se segmenten", "See the segments"),
    "go_calendar": ("Öppna kalendern", "Open the calendar"),
    # data
    "data_title": ("Data om invånarna", "Citizen data"),
    "data_intro": ("Ladda upp en enkät, ett registerutdrag med vikter eller en Excel-export. Filen sparas "
                   "inte någonstans; den finns bara i den här sessionen.",
                   "Upload a survey, a register extract with weights or an Excel export. The file is not "
                   "stored anywhere; it only lives in this session."),
    "upload_label": ("Fil med invånardata (CSV, Excel eller Parquet)", "Citizen data file (CSV, Excel or Parquet)"),
    "upload_ok": ("Filen är inläst: {rows} rader, {persons} personer, {munis} kommuner ({fmt}).",
                  "File loaded: {rows} rows, {persons} persons, {munis} municipalities ({fmt})."),
    "upload_refused": ("Filen kunde inte användas. Det du hade innan finns kvar.",
                       "The file could not be used. What you had before is kept."),
    "personal_found": ("Filen innehåller personuppgifter som segmenteringen inte behöver.",
                       "The file holds personal data that segmentation does not need."),
    "drop_personal": ("Fortsätt utan dessa kolumner (de tas bort i minnet, filen ändras inte)",
                      "Continue without these columns (removed in memory; the file is unchanged)"),
    "mapping_title": ("Koppla kolumnerna", "Map the columns"),
    "mapping_intro": ("Rubrikerna i filen känns inte igen. Välj vilken kolumn som betyder vad; kommun och ålder "
                      "krävs.", "The file's headers are not recognised. Choose which column means what; "
                      "municipality and age are required."),
    "mapping_none": ("(ingen)", "(none)"),
    "mapping_apply": ("Använd kopplingen", "Apply the mapping"),
    "use_sample": ("Använd exempeldata i stället", "Use the sample data instead"),
    "current_data": ("Underlaget just nu", "Current data"),
    "per_municipality": ("Personer per kommun (grupper under 5 visas som <5)",
                         "Persons per municipality (groups under 5 shown as <5)"),
    "schema_help": ("Vilka kolumner förstår verktyget?", "Which columns does the tool understand?"),
    "notices": ("Att känna till", "Good to know"),
    # segments
    "segments_title": ("Medborgarsegment", "Citizen segments"),
    "k_label": ("Antal segment", "Number of segments"),
    "k_auto": ("Automatiskt", "Automatic"),
    "min_size": ("Minsta segmentstorlek (personer)", "Smallest segment (persons)"),
    "rules_title": ("Egna segment med regler", "Your own segments by rule"),
    "rules_intro": ("Ett regelsegment tas ut före den automatiska indelningen, t.ex. alla som är 80 år eller äldre.",
                    "A rule segment is carved out before the automatic split, e.g. everyone aged 80 or over."),
    "rule_name": ("Namn på segmentet", "Segment name"),
    "rule_field": ("Villkor", "Condition"),
    "rule_min_age": ("Lägsta ålder", "Minimum age"),
    "rule_max_age": ("Högsta ålder", "Maximum age"),
    "rule_value": ("Värde", "Value"),
    "rule_live": ("Regeln gäller just nu omkring {persons} personer ({share}).",
                  "The rule currently matches about {persons} persons ({share})."),
    "rule_add": ("Lägg till regeln", "Add the rule"),
    "rule_remove": ("Ta bort regler", "Remove rules"),
    "rules_active": ("Aktiva regler: {names}", "Active rules: {names}"),
    "persons": ("Personer", "Persons"),
    "share": ("Andel", "Share"),
    "daily_internet": ("Internet dagligen", "Internet daily"),
    "bankid": ("Har BankID", "Has BankID"),
    "facebook": ("Använder Facebook", "Uses Facebook"),
    "paper": ("Föredrar papper", "Prefers paper"),
    "eservice_uses": ("E-tjänster per år", "E-service uses a year"),
    "rename": ("Byt namn", "Rename"),
    "rename_label": ("Nytt namn för segment {id}", "New name for segment {id}"),
    "chart_sizes": ("Segmentens storlek", "Segment sizes"),
    "chart_habits": ("Vanor jämfört med alla invånare", "Habits compared with all citizens"),
    "chart_munis": ("Segment per kommun", "Segments per municipality"),
    "as_table": ("Visa som tabell", "Show as a table"),
    "all_citizens": ("Alla invånare", "All citizens"),
    "download_segments": ("Segmenten (.yaml) för att spara och återanvända", "The segments (.yaml) to save and reuse"),
    "working": ("Räknar …", "Working …"),
    # channels
    "channels_title": ("Kanaler per segment", "Channels per segment"),
    "affinity_chart": ("Hur väl kanalen passar segmentet (0–100 %)", "How well each channel fits (0–100%)"),
    "budget": ("Budget (kr)", "Budget (SEK)"),
    "mix_title": ("Kanalmix inom budget", "Channel mix within budget"),
    "chosen": ("Vald", "Chosen"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "reach": ("Når (personer)", "Reach (persons)"),
    "cost": ("Kostnad (kr)", "Cost (SEK)"),
    "cost_per_person": ("Kr per person", "SEK per person"),
    "reason": ("Varför", "Why"),
    "segment": ("Segment", "Segment"),
    "channel": ("Kanal", "Channel"),
    "fit": ("Passar", "Fit"),
    "mix_feeds_calendar": ("Mixen styr vilka kanaler som planeras i kalenderns vågor.",
                           "The mix decides which channels the calendar's waves use."),
    # calendar
    "calendar_title": ("Kampanjkalender", "Campaign calendar"),
    "filter_munis": ("Kommuner", "Municipalities"),
    "filter_eservices": ("E-tjänster", "E-services"),
    "filter_channels": ("Kanaler", "Channels"),
    "timeline": ("Tidslinje per kommun", "Timeline per municipality"),
    "month_view": ("Månadsvy", "Month view"),
    "month": ("Månad", "Month"),
    "moved_title": ("Flyttat och varför", "What moved and why"),
    "unplaced_title": ("Kunde inte planeras – behöver beslut", "Could not be placed – needs a decision"),
    "nothing_moved": ("Inget behövde flyttas.", "Nothing had to move."),
    "workload_title": ("Arbetsbelastning per vecka", "Workload per week"),
    "workload_over": ("Ingen kommun är bokad över sina timmar.", "No municipality is booked over its hours."),
    "edit_title": ("Ändra datum för en aktivitet", "Change an activity's date"),
    "edit_pick": ("Aktivitet", "Activity"),
    "edit_date": ("Nytt datum", "New date"),
    "edit_apply": ("Flytta", "Move"),
    "edit_done": ("Flyttad. Ändringen syns i kalendern och i exporterna.", "Moved. The change shows in the "
                  "calendar and the exports."),
    "edit_reset": ("Ångra alla handflyttningar", "Undo all manual moves"),
    "dl_ics_region": ("Kalender för Outlook/Google, hela regionen (.ics)", "Calendar for Outlook/Google, whole region (.ics)"),
    "dl_ics_muni": ("Kalender för Outlook/Google, {muni} (.ics)", "Calendar for Outlook/Google, {muni} (.ics)"),
    "dl_xlsx": ("Kalender för Excel, med flikar per kommun (.xlsx)", "Calendar for Excel, a sheet per municipality (.xlsx)"),
    "dl_csv": ("Kalender som CSV (.csv)", "Calendar as CSV (.csv)"),
    "dl_csv_excel": ("Kalender som CSV för svenskt Excel (.csv)", "Calendar as CSV for Swedish Excel (.csv)"),
    "date": ("Datum", "Date"),
    "phase": ("Fas", "Phase"),
    "activity": ("Aktivitet", "Activity"),
    "municipality": ("Kommun", "Municipality"),
    "coordination": ("Samordning", "Coordination"),
    "week": ("Vecka", "Week"),
    "hours": ("Bokade timmar", "Hours booked"),
    "capacity": ("Timmar per vecka", "Hours a week"),
    "all": ("Alla", "All"),
    "downloads": ("Ladda ner", "Download"),
    "no_activities": ("Inga aktiviteter med de valda filtren.", "No activities with these filters."),
    # messages
    "messages_title": ("Budskap per segment", "Messages per segment"),
    "pick_muni": ("Kommun", "Municipality"),
    "pick_eservice": ("E-tjänst", "E-service"),
    "pick_channel": ("Kanal", "Channel"),
    "lix": ("LIX", "LIX"),
    "lix_target": ("mål {target}", "target {target}"),
    "chars": ("Tecken", "Characters"),
    "no_warnings": ("Inga anmärkningar.", "No remarks."),
    "flyer_preview": ("Förhandsvisning av flygbladet", "Flyer preview"),
    "dl_flyer": ("Flygblad som PDF för tryck (A5)", "Flyer as PDF for print (A5)"),
    "dl_drafts_zip": ("Alla utkast för kampanjen (.zip)", "All drafts for the campaign (.zip)"),
    "briefing_title": ("Information till personalen (intern marknadsföring)", "Staff briefing (internal marketing)"),
    "pdf_unavailable": ("PDF kan inte skapas på den här datorn (WeasyPrint saknar systembibliotek).",
                        "PDFs cannot be made on this computer (WeasyPrint lacks system libraries)."),
    # evaluation
    "nav_evaluation": ("Utvärdering", "Evaluation"),
    "evaluation_title": ("Utvärdering", "Evaluation"),
    "evaluation_intro": ("Hur mycket användes e-tjänsterna före och efter kampanjen, och vilka kanaler gav nya "
                         "användare? Ladda upp kommunernas statistik eller använd exempelstatistiken.",
                         "How much were the e-services used before and after the campaign, and which channels "
                         "brought new users? Upload the municipalities' statistics or use the sample."),
    "usage_upload": ("Användningsstatistik (CSV eller Excel: månad, kommun, e-tjänst, antal, valfritt kanal och segment)",
                     "Usage statistics (CSV or Excel: month, municipality, e-service, uses, optional channel and segment)"),
    "usage_sample": ("Exempelstatistik med kända effekter (syntetisk)", "Sample statistics with known effects (synthetic)"),
    "usage_none": ("Det finns ingen statistik för den här kampanjen ännu. Ladda upp en fil.",
                   "There are no statistics for this campaign yet. Upload a file."),
    "effect": ("Extra användningar per 1 000 invånare och månad", "Extra uses per 1,000 inhabitants a month"),
    "band": ("95 % osäkerhetsintervall", "95 % interval"),
    "conclusion": ("Slutsats", "Conclusion"),
    "detectable": ("mätbar effekt", "detectable effect"),
    "not_detectable": ("ingen mätbar effekt", "no detectable effect"),
    "usage_chart": ("Användning per 1 000 invånare och månad", "Uses per 1,000 inhabitants a month"),
    "periods": ("Per period", "Per period"),
    "uptake": ("Nya användare via märkta länkar", "New users through tagged links"),
    "dl_report_html": ("Utvärderingsrapport för webbläsaren (.html)", "Evaluation report for the browser (.html)"),
    "dl_report_pdf": ("Utvärderingsrapport för utskrift (.pdf)", "Evaluation report for print (.pdf)"),
    "surveys": ("Enkäter", "Surveys"),
    "feedback": ("Synpunkter", "Feedback"),
    "feedback_text": ("Vad sades?", "What was said?"),
    "feedback_category": ("Typ", "Type"),
    "feedback_save": ("Spara synpunkten", "Save the feedback"),
    "feedback_saved": ("Sparad. Den finns kvar även om du stänger webbläsaren.", "Saved. It stays even if you "
                       "close the browser."),
    "feedback_none": ("Inga synpunkter ännu.", "No feedback yet."),
    "go_evaluation": ("Utvärderingen görs på sidan Utvärdering", "Evaluation happens on the Evaluation page"),
    # collaboration
    "nav_collaboration": ("Samarbete", "Collaboration"),
    "collab_title": ("Samarbete i regionen", "Working together in the region"),
    "local_user": ("Lokal användare", "Local user"),
    "local_mode": ("Lokalt läge: ingen inloggning är inställd, så allt sparas som en enda användare på den här "
                   "datorn.", "Local mode: no login is configured, so everything is saved as one user on this "
                   "computer."),
    "logged_in_as": ("Inloggad som {name} ({role}{muni})", "Logged in as {name} ({role}{muni})"),
    "role_coordinator": ("regional samordnare", "regional coordinator"),
    "role_officer": ("kommunal handläggare", "municipal officer"),
    "login_needed": ("Logga in för att arbeta med regionens planer.", "Log in to work on the region's plans."),
    "login": ("Logga in", "Log in"),
    "tab_save": ("Spara och dela", "Save and share"),
    "tab_signoff": ("Godkänn budskap", "Sign off messages"),
    "tab_kit": ("Kampanjkit", "Campaign kit"),
    "tab_costs": ("Kostnadsfördelning", "Cost sharing"),
    "save_intro": ("Dina ändringar (budget, handflyttade aktiviteter, segmentnamn) sparas i den gemensamma "
                   "databasen. Har någon annan sparat under tiden visas vad de ändrade, och du väljer att slå ihop "
                   "eller läsa in deras version.", "Your edits (budget, moved activities, segment names) are saved "
                   "in the shared database. If someone else saved meanwhile, you see what they changed and choose "
                   "to merge or load their version."),
    "save_plan": ("Spara mina ändringar", "Save my edits"),
    "load_plan": ("Läs in senaste versionen", "Load the latest version"),
    "saved_version": ("Sparad som version {v}.", "Saved as version {v}."),
    "stored_version": ("Senast sparad: version {v} av {who}, {when}.", "Last saved: version {v} by {who}, {when}."),
    "nothing_stored": ("Inget sparat ännu för den här kampanjen.", "Nothing saved yet for this campaign."),
    "conflict": ("{who} sparade version {v} efter att du läste in din. Inget har skrivits över.",
                 "{who} saved version {v} after you loaded yours. Nothing was overwritten."),
    "their_changes": ("Det här ändrade de:", "This is what they changed:"),
    "merge": ("Slå ihop deras och mina ändringar", "Merge their changes and mine"),
    "take_theirs": ("Läs in deras version", "Load their version"),
    "merge_conflicts": ("Båda ändrade samma fält, deras värde behölls: {fields}", "Both changed the same fields; "
                        "theirs were kept: {fields}"),
    "signoff_intro": ("Ett godkänt budskap arkiveras med datum och kommun; kommunal kommunikation är allmän handling.",
                      "A signed-off message is archived with date and municipality; municipal communication is a "
                      "public record."),
    "sign_off": ("Godkänn och arkivera", "Sign off and archive"),
    "signed_off": ("Godkänt och arkiverat.", "Signed off and archived."),
    "not_yours": ("Du kan bara godkänna budskap för {muni}.", "You can only sign off messages for {muni}."),
    "archive": ("Arkiv över godkända budskap", "Archive of signed-off messages"),
    "kit_intro": ("Ett kampanjkit innehåller planens skelett, ordval per segment, mallar och ordlista, men inga "
                  "lokala namn, datum eller länkar.", "A campaign kit holds the plan's skeleton, the wording per "
                  "segment, templates and glossary, but no local names, dates or links."),
    "dl_kit": ("Kampanjkit för andra kommuner (.yaml)", "Campaign kit for other municipalities (.yaml)"),
    "kit_upload": ("Läs in ett kit från en annan kommun eller region", "Load a kit from another municipality or region"),
    "kit_result": ("Kampanjen med era egna värden", "The campaign with your own values"),
    "kit_decisions": ("Det här behöver ni bestämma lokalt:", "What you still need to decide locally:"),
    "dl_kit_campaign": ("Kampanjfilen (.yaml)", "The campaign file (.yaml)"),
    "cost_method": ("Fördela kostnaderna", "Split the costs"),
    "dl_costs": ("Kostnadsfördelning för fakturering (.xlsx)", "Cost sharing for invoicing (.xlsx)"),
    "no_mix_costs": ("Sätt en budget på sidan Kanaler så att det finns kostnader att fördela.",
                     "Set a budget on the Channels page so that there are costs to share."),
    # assorted
    "no_habits": ("Underlaget har inga frågor om internet, BankID, Facebook eller papper, så vanorna kan inte "
                  "jämföras.", "The data has no questions on internet, BankID, Facebook or paper, so habits cannot "
                  "be compared."),
    "no_budget": ("Utan budget planeras alla kanaler som passar segmenten.",
                  "Without a budget every channel that fits a segment is planned."),
    "not_taking_part": ("{muni} deltar inte i {e}.", "{muni} does not take part in {e}."),
    "rows": ("Rader", "Rows"),
    "usage_chart_caption": ("Tunna linjer: varje kommun. Tjock linje: medel. Streckade linjer: kampanjens vågor.",
                            "Thin lines: each municipality. Thick line: the mean. Dashed: the waves."),
    "staff": ("Personal", "Staff"),
    "in_mix": ("I kanalmixen", "In the mix"),
    "not_in_mix": ("Inte i kanalmixen", "Not in the mix"),
    "signed_off_by": ("Godkänt av", "Signed off by"),
    # export
    "export_title": ("Export", "Export"),
    "export_intro": ("Allt på ett ställe. Filerna skapas när du klickar.", "Everything in one place. Files are "
                     "made when you click."),
    "export_calendar": ("Kalender", "Calendar"),
    "export_drafts": ("Budskap", "Messages"),
    "export_segments": ("Segment och kanaler", "Segments and channels"),
    "dl_mix_csv": ("Kanalmixen som CSV (.csv)", "The channel mix as CSV (.csv)"),
    "make_drafts": ("Skapa alla utkast", "Make all drafts"),
    "drafts_ready": ("{n} utkast är klara.", "{n} drafts are ready."),
}


def lang() -> str:
    return st.session_state.get("lang", "sv")


def t(key: str, **values: object) -> str:
    sv, en = STRINGS[key]
    text = sv if lang() == "sv" else en
    return text.format(**values) if values else text
