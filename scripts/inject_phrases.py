"""Phrasings injected by scripts/inject_eval.py (data only, standard library).

Every phrase here was written for the harness, in wording of its own; none
was taken from the project's rules/ folder. Keep it that way in both
directions: do not copy phrases from rules/ into this file, and do not copy
phrases from this file into rules/. The harness measures how rules written
without these lines generalise to wording they never saw; a rule tuned on
these phrases makes its numbers meaningless.

Templates use str.format slots filled by the harness:

    {dur}      a duration such as 2:58 or 14:03
    {mins}     a number of minutes, 1 to 45
    {year}     a year, 2009 to 2025
    {name}     a person's name
    {org}      a publisher or company name
    {agency}   a picture agency
    {topic}    a short title (TOPICS below)
    {caption}  a caption sentence without final punctuation (CAPTIONS below)
    {count}    a number of readers, formatted with thousands separators
    {bullet}   a bullet or arrow prefix (BULLETS below), with its space
"""

# One dict per language; each maps a kind of boilerplate line to templates.
BOILERPLATE = {
    "en": {
        "media": [
            "WATCH: {topic} ({dur})",
            "VIDEO | {topic} | {dur}",
            "LISTEN ({dur})",
            "Video {dur} min",
            "Play clip · {dur}",
            "Audio: {topic} – {dur}",
            "The player is loading…",
            "Loading the video...",
            "▶ Watch now {dur}",
            "Now streaming: {topic} ({mins} minutes)",
            "Episode audio, {dur}",
            "Watch the full interview ({dur})",
            "Duration {dur} | Play",
        ],
        "ui": [
            "Copy link",
            "Print",
            "Print this story",
            "Save for later",
            "Email this page",
            "Copy the URL",
            "Send to a friend",
            "Change text size",
            "Hear this article read aloud",
            "Add to my reading list",
            "Download as PDF",
            "Enlarge image",
            "Hide caption",
            "Toggle caption",
            "Flag an error in this story",
            "Gift this article",
        ],
        "ad": [
            "Ad",
            "Advertisement",
            "ADVERTISEMENT",
            "[ Ad ]",
            "— Ad —",
            "Paid promotion",
            "Promotional feature",
            "Ad · scroll to keep reading",
            "Why am I seeing this ad?",
            "Report this ad",
        ],
        "bullet": [
            "{bullet}All episodes on demand",
            "{bullet}Back to the front page",
            "{bullet}More from our sports desk",
            "{bullet}Follow the live coverage here",
            "{bullet}Try it free for 30 days",
            "{bullet}See every photo in the gallery",
            "{bullet}Get the app",
            "{bullet}Browse all topics",
            "{bullet}Open the interactive map",
        ],
        "copyright": [
            "© {year} {org}",
            "{org} © {year}",
            "Copyright {org} {year}",
            "(c) {org}, {year}",
            "{year} © {org}. Content may not be reused.",
            "Text and pictures (c) {year} {org}",
            "Content © {org} {year}",
            "{org} {year} ©",
            "Copyright © {org}",
        ],
        "caption": [
            "{caption}. Photograph: {name}",
            "{caption}. Photograph: {name}/{agency}",
            "{caption}. Image: Getty Images",
            "{caption} (Picture: {agency})",
            "{caption}. Credit: {name}/{agency}",
            "{caption}. Illustration: {name}",
            "{caption}. Photo by {name} on Unsplash",
            "{caption}. Picture courtesy of {org}",
            "{caption} | Image: {agency}",
        ],
        "script": [
            "Turn on JavaScript to see this graphic.",
            "Please allow cookies to watch this clip.",
            "Your browser is blocking scripts; switch them on to continue.",
            "Enable scripts in your browser to load the map.",
            "This feature needs cookies. Allow them in your settings.",
            "Switch on JavaScript to view the chart.",
            "Allow third-party cookies to read the comments.",
            "Activate cookies to use this player.",
            "Scripts are turned off in your browser, so this poll cannot load.",
        ],
        "newsletter": [
            "Get our best stories in your inbox every Friday.",
            "Join {count} readers: sign up for the morning briefing.",
            "Never miss a story again: have the daily digest emailed to you.",
            "Want more like this? Subscribe to our weekly roundup.",
            "Sign up free to receive the evening update.",
            "Our briefing, delivered to your inbox each morning.",
            "Enter your email address to get the weekend edition.",
            "Like what you read? Get it by email, twice a week.",
        ],
    },
    "de": {
        "media": [
            "VIDEO: {topic} ({dur})",
            "Hören ({dur} Min.)",
            "Video {dur} min",
            "Audio abspielen, {dur}",
            "Der Player wird geladen …",
            "Video wird geladen...",
            "Jetzt ansehen: {topic} ({dur})",
            "Beitrag anhören | {mins} Minuten",
            "Sendung nachhören: {topic}",
            "▶ Abspielen {dur}",
            "Video: {topic} | Dauer {dur}",
            "Zum Anhören: {topic} ({dur})",
            "Audio | {dur} | Download",
        ],
        "ui": [
            "Link kopieren",
            "Drucken",
            "Seite drucken",
            "Artikel merken",
            "Per Mail versenden",
            "Schriftgröße ändern",
            "Text vorlesen lassen",
            "Zur Leseliste hinzufügen",
            "Als PDF speichern",
            "Bild vergrößern",
            "Bildunterschrift einblenden",
            "Fehler im Text melden",
            "Diesen Artikel verschenken",
            "In die Zwischenablage kopieren",
        ],
        "ad": [
            "Anzeige",
            "Werbung",
            "ANZEIGE",
            "[ Anzeige ]",
            "— Werbung —",
            "Werbeanzeige",
            "Bezahlte Kooperation",
            "Reklame",
            "Anzeige · unten geht es weiter",
            "Werbung melden",
        ],
        "bullet": [
            "{bullet}Alle Folgen in der Mediathek",
            "{bullet}Zurück zur Startseite",
            "{bullet}Mehr aus dem Ressort Sport",
            "{bullet}Hier geht es zum Liveticker",
            "{bullet}Jetzt 30 Tage gratis testen",
            "{bullet}Alle Bilder in der Galerie",
            "{bullet}Unsere App herunterladen",
            "{bullet}Alle Themen im Überblick",
            "{bullet}Zur interaktiven Karte",
        ],
        "copyright": [
            "© {org} {year}",
            "{org}, © {year}",
            "Copyright {year} {org}",
            "(c) {year} {org} – Nachdruck nur mit Genehmigung",
            "Alle Inhalte (c) {org} {year}",
            "{year} (c) {org}",
            "Text: © {org} {year}",
            "{org} {year} ©",
            "Copyright © {org}",
        ],
        "caption": [
            "{caption}. Foto: {name}",
            "{caption}. Bild: {name}/dpa",
            "{caption}. Foto: {agency}",
            "{caption} (Foto: {name})",
            "{caption}. Bild: Getty Images",
            "{caption}. Aufnahme: {name}",
            "{caption}. Fotografie: {name}/{agency}",
            "{caption} | Foto: {agency}",
            "{caption}. Illustration: {name}",
        ],
        "script": [
            "Bitte Skripte zulassen, um die Karte zu sehen.",
            "Für diese Grafik muss JavaScript eingeschaltet sein.",
            "Cookies aktivieren, um das Video abzuspielen.",
            "Ihr Browser blockiert Skripte. Bitte einschalten.",
            "Zum Anzeigen der Umfrage JavaScript einschalten.",
            "Bitte lassen Sie Cookies zu, um diesen Inhalt zu sehen.",
            "Aktivieren Sie Skripte im Browser, damit die Karte lädt.",
            "Ohne Cookies funktioniert dieser Player leider nicht. Bitte zulassen.",
            "Schalten Sie JavaScript ein, um die Kommentare zu lesen.",
        ],
        "newsletter": [
            "Die wichtigsten Nachrichten jeden Morgen per Mail, jetzt eintragen.",
            "Keine Geschichte mehr verpassen: Melden Sie sich für unseren Morgenbrief an.",
            "Jeden Freitag die besten Texte im Postfach, kostenlos.",
            "Hier für den wöchentlichen Überblick registrieren.",
            "Unser Abendbriefing direkt in Ihr Postfach.",
            "Schon {count} Leser bekommen unsere Wochenpost. Sie auch?",
            "Tragen Sie Ihre Adresse ein und erhalten Sie die Wochenendausgabe per Mail.",
            "Gefällt Ihnen dieser Text? Mehr davon zweimal pro Woche per E-Mail.",
        ],
    },
}

# Prefixes for the "bullet" kind (and sometimes headlines of related blocks).
# No guillemet (» ): quote rules read it as an opening mark.
BULLETS = ["▶ ", "• ", "> ", "– ", "- ", "→ ", "► ", "* "]

TOPICS = {
    "en": [
        "Inside the flooded town",
        "What the new budget means for you",
        "Meet the team behind the rescue",
        "The week in ninety seconds",
        "Why prices keep rising",
        "A walk through the old harbour",
    ],
    "de": [
        "So sieht es im Hochwassergebiet aus",
        "Was der neue Haushalt bedeutet",
        "Ein Tag mit der Bergwacht",
        "Die Woche in neunzig Sekunden",
        "Warum die Mieten weiter steigen",
        "Rundgang durch den alten Hafen",
    ],
}

CAPTIONS = {
    "en": [
        "Demonstrators gather outside the town hall in the rain",
        "The new bridge seen from the north bank",
        "Volunteers sort donations at a community centre",
        "A farmer inspects his dried-out fields",
        "Fans celebrate after the final whistle",
        "The museum's main hall after the renovation",
        "Firefighters at the scene on Tuesday night",
    ],
    "de": [
        "Demonstranten vor dem Rathaus im Regen",
        "Die neue Brücke vom Nordufer aus gesehen",
        "Freiwillige sortieren Spenden in einem Gemeindezentrum",
        "Ein Landwirt begutachtet seine vertrockneten Felder",
        "Jubel nach dem Schlusspfiff",
        "Die große Halle des Museums nach der Sanierung",
        "Einsatzkräfte der Feuerwehr am Dienstagabend",
    ],
}

NAMES = [
    "Anna Lindqvist", "Marco Pellegrini", "Jutta Behrendt", "Samuel Okafor",
    "Lena Hofstetter", "Tomasz Nowicki", "Claire Dubois", "Henrik Aalto",
    "Miriam Karaca", "David Holloway",
]

ORGS = [
    "Nordlicht Medien GmbH", "Harbour Street Press", "Rheintal Verlag",
    "Bluefield Media Ltd", "Zeitungshaus Oberland", "Greyhaven Publishing",
    "Stadtanzeiger Online", "Meridian News Group",
]

AGENCIES = ["dpa", "AFP", "Reuters", "AP", "picture alliance", "Getty Images",
            "iStock", "Shutterstock", "imago", "EPA"]

# Headers of a related-articles block, in wording of their own.
RELATED_HEADERS = {
    "en": [
        "Further reading on this subject",
        "Keep reading",
        "Elsewhere on the site",
        "Stories you may have skipped",
        "Others also read",
        "Picked for you by our editors",
        "From our archive",
        "Continue exploring",
        "Around the site",
        "If you enjoyed this",
    ],
    "de": [
        "Dazu passend",
        "Auch spannend",
        "Noch mehr Lesestoff",
        "Andere lasen auch",
        "Aus unserem Archiv",
        "Unsere Leseempfehlungen",
        "Mehr Geschichten aus der Region",
        "Nicht verpassen",
        "Auch einen Blick wert",
        "Wenn Ihnen dieser Text gefallen hat",
    ],
}
