"""Every word the bot says, in English, German and Spanish.

Texts are HTML templates: placeholders are filled with already escaped values by
`messages`, never here, so a translation cannot forget to escape.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "de", "es")

_EN: Final[dict[str, str]] = {
    "start": (
        "Hello! This bot shows video requests from your Home Assistant.\n"
        "To link this chat, create a pairing code in Home Assistant "
        "(Neighborhood Requests → link Telegram) and send it here: "
        "<code>/link 123456</code>"
    ),
    "start_linked": "This chat is linked as {name}. /help lists what I can do.",
    "help": (
        "/pending - open requests\n/history - last decisions\n"
        "/report - transparency report\n/pause, /resume - stop or restart "
        "prompts\n/language - en, de or es\n/link CODE - link this chat"
    ),
    "cmd_pending": "Open requests",
    "cmd_history": "Last decisions",
    "cmd_report": "Transparency report",
    "cmd_pause": "Pause new requests",
    "cmd_resume": "Resume new requests",
    "cmd_language": "Language: en, de, es",
    "cmd_help": "What this bot does",
    "cmd_link": "Link this chat with a pairing code",
    "not_linked": "This chat is not linked to a Home Assistant user. Send /start.",
    "group_refused": (
        "In a group I only take /link with a group code from Home Assistant; "
        "everything else works in a private chat with me."
    ),
    "group_start": (
        "To get requests in this group, create a group pairing code in Home "
        "Assistant and send it here: <code>/link 123456</code>. Only residents "
        "linked to Home Assistant can answer them."
    ),
    "group_linked": (
        "This group is linked as {name}. Only members linked to Home Assistant can "
        "answer requests here; previews go to their private chat."
    ),
    "group_link_ok": (
        "Group linked as {name}. New requests will appear here; only linked "
        "residents can answer them."
    ),
    "link_group_code_in_private": (
        "That is a group code: send it in the group that should get requests."
    ),
    "link_personal_code_in_group": (
        "That is a personal code, and everyone in a group can read it, so Home "
        "Assistant voided it. Create a new one and send it to me in a private chat."
    ),
    "group_member_not_linked": (
        "Only residents linked to Home Assistant can answer here. Link yourself in "
        "a private chat with the bot first."
    ),
    "preview_private": "The preview comes to your private chat with the bot.",
    "link_usage": "Send the 6-digit code from Home Assistant: "
    "<code>/link 123456</code>",
    "link_ok": "Linked as {name}. New requests will appear here.",
    "link_failed": "That code is invalid or expired. Create a new one in Home "
    "Assistant.",
    "link_already_linked": (
        "This Telegram account is already linked to someone else in Home "
        "Assistant. Only a code made by an administrator can move the link."
    ),
    "link_throttled": "Too many wrong codes. Wait 15 minutes, then try again.",
    "view_only": (
        "👁 For your information: only the people allowed to decide can preview "
        "or answer this request."
    ),
    "no_longer_shown": "Home Assistant no longer shows you this request.",
    "not_allowed_preview": "Only the people allowed to decide can preview footage.",
    "not_allowed_decide": (
        "Only the people allowed to decide can share or decline this request."
    ),
    "ha_error": "Home Assistant answered: {error}",
    "ha_down": "Home Assistant is not reachable right now; try again shortly.",
    "verified": "✅ verified publisher",
    "unverified": "⚠️ UNVERIFIED: this request is not signed by a pinned key",
    "kind_law_enforcement": "law enforcement",
    "kind_community": "community",
    "kind_other": "other",
    "incident": "Incident",
    "case": "Case number",
    "legal": "Legal basis",
    "window": "Time window",
    "minutes": "{minutes} min",
    "distance": "Distance from home",
    "cameras": "Cameras",
    "footage_yes": "footage",
    "footage_no": "no footage in this window",
    "footage_unknown": "not checked",
    "no_cameras": "none",
    "expires": "Answer by",
    "audio_requested": "Audio requested",
    "btn_preview": "Preview",
    "btn_share": "Share",
    "btn_decline": "Decline",
    "btn_confirm": "Confirm share",
    "btn_cancel": "Cancel",
    "btn_audio_off": "Audio: off (tap to include)",
    "btn_audio_on": "Audio: ON (tap to remove)",
    "confirm": (
        "Share this video with {publisher}?\nCameras: {cameras}\n"
        "Window: {minutes} min ({window})\nAudio: {audio}"
    ),
    "audio_off": "off",
    "audio_on": "included",
    "confirm_gaps": "No footage (the clip skips it): {gaps}",
    "gap_camera_offline": "camera offline",
    "gap_no_footage": "no footage",
    "confirm_cancelled": "Not shared.",
    "outcome_shared": "✅ Shared by {name} ({when}).",
    "outcome_declined": "❌ Declined by {name} ({when}).",
    "outcome_share_failed": (
        "⚠️ Share consented by {name}, but Home Assistant reported: {error}"
    ),
    "outcome_expired": "⌛ Expired without a decision.",
    "outcome_cancelled": "🚫 Withdrawn by the publisher.",
    "outcome_closed": "This request is no longer open in Home Assistant.",
    "someone_in_ha": "someone in Home Assistant",
    "already_decided": "Already decided by {name}.",
    "not_open": "This request is no longer open.",
    "stale_button": "This button is no longer valid.",
    "not_your_button": "This button belongs to someone else.",
    "working": "Asking Home Assistant…",
    "preview_sent": "Preview of {camera} ({size}).",
    "preview_too_big": (
        "The preview of {camera} is {size}, over Telegram's 50 MB upload limit."
    ),
    "preview_excerpt": (
        "The preview of {camera} is {size}, over Telegram's 50 MB upload limit: "
        "here are its first {seconds} s in low resolution ({excerpt_size})."
    ),
    "preview_failed": "No preview: {error}",
    "pending_none": "No open requests.",
    "pending_head": "Open requests:",
    "history_none": "No decisions yet.",
    "history_head": "Last decisions:",
    "report_head": "Transparency report",
    "report_line": (
        "{publisher}: received {received}, shared {shared}, declined {declined}, "
        "expired {expired}, rejected {rejected}"
    ),
    "report_none": "No feeds are set up in Home Assistant.",
    "paused": "Paused: new requests are recorded but nobody is prompted.",
    "resumed": "Resumed: new requests will be sent again.",
    "no_switch": "No pause switch found in Home Assistant.",
    "language_usage": "Current language: {current}. Choose: /language en|de|es",
    "venue_address": "Request area, radius about {radius} m",
    "queued": "Handed to the upload queue: {cameras}",
    "delivery_queued": "{camera}: waiting to upload",
    "delivery_uploading": "{camera}: uploading…",
    "delivery_delivered": "{camera}: uploaded, {size}, SHA-256 {sha}…",
    "delivery_failed": "{camera}: not delivered: {reason}",
    "delivery_expired": "{camera}: not delivered, the request expired first",
    "delivery_withdrawn": "{camera}: not sent, the request was withdrawn first",
    "delivery_held": "{camera}: on hold, the feed no longer lists the request",
    "language_set": "Language set to English.",
}

_DE: Final[dict[str, str]] = {
    "start": (
        "Hallo! Dieser Bot zeigt Videoanfragen aus deinem Home Assistant.\n"
        "Um diesen Chat zu verknüpfen, erstelle in Home Assistant einen "
        "Kopplungscode (Neighborhood Requests → Telegram verknüpfen) und sende "
        "ihn hier: <code>/link 123456</code>"
    ),
    "start_linked": "Dieser Chat ist als {name} verknüpft. /help zeigt, was ich kann.",
    "help": (
        "/pending - offene Anfragen\n/history - letzte Entscheidungen\n"
        "/report - Transparenzbericht\n/pause, /resume - Anfragen anhalten oder "
        "fortsetzen\n/language - en, de oder es\n/link CODE - Chat verknüpfen"
    ),
    "cmd_pending": "Offene Anfragen",
    "cmd_history": "Letzte Entscheidungen",
    "cmd_report": "Transparenzbericht",
    "cmd_pause": "Neue Anfragen anhalten",
    "cmd_resume": "Neue Anfragen fortsetzen",
    "cmd_language": "Sprache: en, de, es",
    "cmd_help": "Was dieser Bot kann",
    "cmd_link": "Chat mit einem Kopplungscode verknüpfen",
    "not_linked": "Dieser Chat ist mit keinem Home-Assistant-Nutzer verknüpft. "
    "Sende /start.",
    "group_refused": (
        "In einer Gruppe nehme ich nur /link mit einem Gruppencode aus Home "
        "Assistant an; alles andere geht im privaten Chat mit mir."
    ),
    "group_start": (
        "Damit diese Gruppe Anfragen bekommt, erstelle in Home Assistant einen "
        "Gruppen-Kopplungscode und sende ihn hier: <code>/link 123456</code>. Nur "
        "mit Home Assistant verknüpfte Bewohner können antworten."
    ),
    "group_linked": (
        "Diese Gruppe ist als {name} verknüpft. Nur mit Home Assistant verknüpfte "
        "Mitglieder können hier antworten; Vorschauen kommen in ihren privaten "
        "Chat."
    ),
    "group_link_ok": (
        "Gruppe als {name} verknüpft. Neue Anfragen erscheinen hier; nur verknüpfte"
        " Bewohner können antworten."
    ),
    "link_group_code_in_private": (
        "Das ist ein Gruppencode: sende ihn in der Gruppe, die Anfragen bekommen soll."
    ),
    "link_personal_code_in_group": (
        "Das ist ein persönlicher Code, und in einer Gruppe können ihn alle lesen, "
        "deshalb hat Home Assistant ihn ungültig gemacht. Erstelle einen neuen und "
        "sende ihn mir im privaten Chat."
    ),
    "group_member_not_linked": (
        "Nur mit Home Assistant verknüpfte Bewohner können hier antworten. "
        "Verknüpfe dich zuerst im privaten Chat mit dem Bot."
    ),
    "preview_private": "Die Vorschau kommt in deinen privaten Chat mit dem Bot.",
    "link_usage": "Sende den 6-stelligen Code aus Home Assistant: "
    "<code>/link 123456</code>",
    "link_ok": "Verknüpft als {name}. Neue Anfragen erscheinen hier.",
    "link_failed": "Der Code ist ungültig oder abgelaufen. Erstelle in Home "
    "Assistant einen neuen.",
    "link_already_linked": (
        "Dieses Telegram-Konto ist in Home Assistant bereits mit jemand anderem "
        "verknüpft. Nur ein Code von einem Administrator kann das ändern."
    ),
    "link_throttled": (
        "Zu viele falsche Codes. Warte 15 Minuten und versuche es dann erneut."
    ),
    "view_only": (
        "👁 Zur Information: Nur die Personen, die entscheiden dürfen, können "
        "diese Anfrage vorab ansehen oder beantworten."
    ),
    "no_longer_shown": "Home Assistant zeigt dir diese Anfrage nicht mehr.",
    "not_allowed_preview": (
        "Nur die Personen, die entscheiden dürfen, können sich Aufnahmen vorab ansehen."
    ),
    "not_allowed_decide": (
        "Nur die Personen, die entscheiden dürfen, können diese Anfrage teilen "
        "oder ablehnen."
    ),
    "ha_error": "Home Assistant meldet: {error}",
    "ha_down": "Home Assistant ist gerade nicht erreichbar; versuche es gleich "
    "noch einmal.",
    "verified": "✅ verifizierter Absender",
    "unverified": "⚠️ NICHT VERIFIZIERT: diese Anfrage trägt keine Signatur eines "
    "hinterlegten Schlüssels",
    "kind_law_enforcement": "Polizei/Behörde",
    "kind_community": "Nachbarschaft",
    "kind_other": "sonstige",
    "incident": "Vorfall",
    "case": "Aktenzeichen",
    "legal": "Rechtsgrundlage",
    "window": "Zeitfenster",
    "minutes": "{minutes} Min.",
    "distance": "Entfernung vom Zuhause",
    "cameras": "Kameras",
    "footage_yes": "Aufnahmen",
    "footage_no": "keine Aufnahmen in diesem Zeitfenster",
    "footage_unknown": "nicht geprüft",
    "no_cameras": "keine",
    "expires": "Antwort bis",
    "audio_requested": "Ton erbeten",
    "btn_preview": "Vorschau",
    "btn_share": "Teilen",
    "btn_decline": "Ablehnen",
    "btn_confirm": "Teilen bestätigen",
    "btn_cancel": "Abbrechen",
    "btn_audio_off": "Ton: aus (tippen zum Einschließen)",
    "btn_audio_on": "Ton: AN (tippen zum Entfernen)",
    "confirm": (
        "Dieses Video mit {publisher} teilen?\nKameras: {cameras}\n"
        "Zeitfenster: {minutes} Min. ({window})\nTon: {audio}"
    ),
    "audio_off": "aus",
    "audio_on": "eingeschlossen",
    "confirm_gaps": "Keine Aufnahmen (der Clip überspringt sie): {gaps}",
    "gap_camera_offline": "Kamera offline",
    "gap_no_footage": "keine Aufnahmen",
    "confirm_cancelled": "Nicht geteilt.",
    "outcome_shared": "✅ Geteilt von {name} ({when}).",
    "outcome_declined": "❌ Abgelehnt von {name} ({when}).",
    "outcome_share_failed": (
        "⚠️ {name} hat dem Teilen zugestimmt, aber Home Assistant meldet: {error}"
    ),
    "outcome_expired": "⌛ Ohne Entscheidung abgelaufen.",
    "outcome_cancelled": "🚫 Vom Absender zurückgezogen.",
    "outcome_closed": "Diese Anfrage ist in Home Assistant nicht mehr offen.",
    "someone_in_ha": "jemand in Home Assistant",
    "already_decided": "Bereits entschieden von {name}.",
    "not_open": "Diese Anfrage ist nicht mehr offen.",
    "stale_button": "Diese Schaltfläche ist nicht mehr gültig.",
    "not_your_button": "Diese Schaltfläche gehört jemand anderem.",
    "working": "Frage Home Assistant…",
    "preview_sent": "Vorschau von {camera} ({size}).",
    "preview_too_big": (
        "Die Vorschau von {camera} ist {size} groß, über Telegrams Grenze von 50 MB."
    ),
    "preview_excerpt": (
        "Die Vorschau von {camera} ist {size} groß, über Telegrams Grenze von "
        "50 MB: hier ihre ersten {seconds} s in niedriger Auflösung ({excerpt_size})."
    ),
    "preview_failed": "Keine Vorschau: {error}",
    "pending_none": "Keine offenen Anfragen.",
    "pending_head": "Offene Anfragen:",
    "history_none": "Noch keine Entscheidungen.",
    "history_head": "Letzte Entscheidungen:",
    "report_head": "Transparenzbericht",
    "report_line": (
        "{publisher}: erhalten {received}, geteilt {shared}, abgelehnt {declined}, "
        "abgelaufen {expired}, verworfen {rejected}"
    ),
    "report_none": "In Home Assistant ist kein Feed eingerichtet.",
    "paused": "Angehalten: neue Anfragen werden erfasst, aber niemand wird gefragt.",
    "resumed": "Fortgesetzt: neue Anfragen werden wieder gesendet.",
    "no_switch": "Kein Pause-Schalter in Home Assistant gefunden.",
    "language_usage": "Aktuelle Sprache: {current}. Wähle: /language en|de|es",
    "venue_address": "Anfragegebiet, Radius etwa {radius} m",
    "queued": "An die Upload-Warteschlange übergeben: {cameras}",
    "delivery_queued": "{camera}: wartet auf den Upload",
    "delivery_uploading": "{camera}: wird hochgeladen…",
    "delivery_delivered": "{camera}: hochgeladen, {size}, SHA-256 {sha}…",
    "delivery_failed": "{camera}: nicht zugestellt: {reason}",
    "delivery_expired": "{camera}: nicht zugestellt, die Anfrage ist vorher abgelaufen",
    "delivery_withdrawn": "{camera}: nicht gesendet, die Anfrage ist zurückgezogen",
    "delivery_held": "{camera}: angehalten, der Feed führt die Anfrage nicht mehr",
    "language_set": "Sprache auf Deutsch gestellt.",
}

_ES: Final[dict[str, str]] = {
    "start": (
        "¡Hola! Este bot muestra solicitudes de vídeo de tu Home Assistant.\n"
        "Para vincular este chat, crea un código de emparejamiento en Home "
        "Assistant (Neighborhood Requests → vincular Telegram) y envíalo aquí: "
        "<code>/link 123456</code>"
    ),
    "start_linked": "Este chat está vinculado como {name}. /help muestra lo que "
    "puedo hacer.",
    "help": (
        "/pending - solicitudes abiertas\n/history - últimas decisiones\n"
        "/report - informe de transparencia\n/pause, /resume - detener o reanudar "
        "avisos\n/language - en, de o es\n/link CÓDIGO - vincular este chat"
    ),
    "cmd_pending": "Solicitudes abiertas",
    "cmd_history": "Últimas decisiones",
    "cmd_report": "Informe de transparencia",
    "cmd_pause": "Pausar solicitudes nuevas",
    "cmd_resume": "Reanudar solicitudes nuevas",
    "cmd_language": "Idioma: en, de, es",
    "cmd_help": "Qué hace este bot",
    "cmd_link": "Vincular este chat con un código",
    "not_linked": "Este chat no está vinculado a un usuario de Home Assistant. "
    "Envía /start.",
    "group_refused": (
        "En un grupo solo acepto /link con un código de grupo de Home Assistant; "
        "todo lo demás funciona en un chat privado conmigo."
    ),
    "group_start": (
        "Para recibir solicitudes en este grupo, crea un código de emparejamiento "
        "de grupo en Home Assistant y envíalo aquí: <code>/link 123456</code>. Solo"
        " los residentes vinculados a Home Assistant pueden responder."
    ),
    "group_linked": (
        "Este grupo está vinculado como {name}. Solo los miembros vinculados a Home"
        " Assistant pueden responder aquí; las vistas previas van a su chat "
        "privado."
    ),
    "group_link_ok": (
        "Grupo vinculado como {name}. Las solicitudes nuevas aparecerán aquí; solo "
        "los residentes vinculados pueden responder."
    ),
    "link_group_code_in_private": (
        "Ese es un código de grupo: envíalo en el grupo que debe recibir las "
        "solicitudes."
    ),
    "link_personal_code_in_group": (
        "Ese es un código personal y en un grupo todos pueden leerlo, así que Home "
        "Assistant lo anuló. Crea uno nuevo y envíamelo en un chat privado."
    ),
    "group_member_not_linked": (
        "Solo los residentes vinculados a Home Assistant pueden responder aquí. "
        "Vincúlate primero en un chat privado con el bot."
    ),
    "preview_private": "La vista previa llega a tu chat privado con el bot.",
    "link_usage": "Envía el código de 6 cifras de Home Assistant: "
    "<code>/link 123456</code>",
    "link_ok": "Vinculado como {name}. Las solicitudes nuevas aparecerán aquí.",
    "link_failed": "El código no es válido o ha caducado. Crea uno nuevo en Home "
    "Assistant.",
    "link_already_linked": (
        "Esta cuenta de Telegram ya está vinculada a otra persona en Home "
        "Assistant. Solo un código creado por un administrador puede cambiarlo."
    ),
    "link_throttled": (
        "Demasiados códigos erróneos. Espera 15 minutos y vuelve a intentarlo."
    ),
    "view_only": (
        "👁 Solo para tu información: únicamente las personas autorizadas a "
        "decidir pueden ver las grabaciones o responder a esta solicitud."
    ),
    "no_longer_shown": "Home Assistant ya no te muestra esta solicitud.",
    "not_allowed_preview": (
        "Solo las personas autorizadas a decidir pueden ver las grabaciones de "
        "antemano."
    ),
    "not_allowed_decide": (
        "Solo las personas autorizadas a decidir pueden compartir o rechazar esta "
        "solicitud."
    ),
    "ha_error": "Home Assistant respondió: {error}",
    "ha_down": "Home Assistant no está disponible ahora; inténtalo en un momento.",
    "verified": "✅ remitente verificado",
    "unverified": "⚠️ NO VERIFICADA: esta solicitud no está firmada con una clave "
    "de confianza",
    "kind_law_enforcement": "policía/autoridad",
    "kind_community": "comunidad",
    "kind_other": "otro",
    "incident": "Incidente",
    "case": "Número de caso",
    "legal": "Base legal",
    "window": "Intervalo",
    "minutes": "{minutes} min",
    "distance": "Distancia a casa",
    "cameras": "Cámaras",
    "footage_yes": "con grabación",
    "footage_no": "sin grabación en este intervalo",
    "footage_unknown": "sin comprobar",
    "no_cameras": "ninguna",
    "expires": "Responder antes de",
    "audio_requested": "Audio solicitado",
    "btn_preview": "Vista previa",
    "btn_share": "Compartir",
    "btn_decline": "Rechazar",
    "btn_confirm": "Confirmar",
    "btn_cancel": "Cancelar",
    "btn_audio_off": "Audio: no (toca para incluir)",
    "btn_audio_on": "Audio: SÍ (toca para quitar)",
    "confirm": (
        "¿Compartir este vídeo con {publisher}?\nCámaras: {cameras}\n"
        "Intervalo: {minutes} min ({window})\nAudio: {audio}"
    ),
    "audio_off": "no",
    "audio_on": "incluido",
    "confirm_gaps": "Sin grabación (el clip la salta): {gaps}",
    "gap_camera_offline": "cámara sin conexión",
    "gap_no_footage": "sin grabación",
    "confirm_cancelled": "No compartido.",
    "outcome_shared": "✅ Compartido por {name} ({when}).",
    "outcome_declined": "❌ Rechazado por {name} ({when}).",
    "outcome_share_failed": (
        "⚠️ {name} aceptó compartir, pero Home Assistant informó: {error}"
    ),
    "outcome_expired": "⌛ Caducó sin decisión.",
    "outcome_cancelled": "🚫 Retirada por el remitente.",
    "outcome_closed": "Esta solicitud ya no está abierta en Home Assistant.",
    "someone_in_ha": "alguien en Home Assistant",
    "already_decided": "Ya decidido por {name}.",
    "not_open": "Esta solicitud ya no está abierta.",
    "stale_button": "Este botón ya no es válido.",
    "not_your_button": "Este botón es de otra persona.",
    "working": "Consultando a Home Assistant…",
    "preview_sent": "Vista previa de {camera} ({size}).",
    "preview_too_big": (
        "La vista previa de {camera} ocupa {size}, más que el límite de 50 MB "
        "de Telegram."
    ),
    "preview_excerpt": (
        "La vista previa de {camera} ocupa {size}, más que el límite de 50 MB de "
        "Telegram: aquí están sus primeros {seconds} s en baja resolución "
        "({excerpt_size})."
    ),
    "preview_failed": "Sin vista previa: {error}",
    "pending_none": "No hay solicitudes abiertas.",
    "pending_head": "Solicitudes abiertas:",
    "history_none": "Aún no hay decisiones.",
    "history_head": "Últimas decisiones:",
    "report_head": "Informe de transparencia",
    "report_line": (
        "{publisher}: recibidas {received}, compartidas {shared}, rechazadas "
        "{declined}, caducadas {expired}, descartadas {rejected}"
    ),
    "report_none": "No hay feeds configurados en Home Assistant.",
    "paused": "En pausa: las solicitudes nuevas se registran, pero no se avisa a "
    "nadie.",
    "resumed": "Reanudado: se volverán a enviar solicitudes nuevas.",
    "no_switch": "No se encontró el interruptor de pausa en Home Assistant.",
    "language_usage": "Idioma actual: {current}. Elige: /language en|de|es",
    "venue_address": "Zona de la solicitud, radio de unos {radius} m",
    "queued": "Entregado a la cola de subida: {cameras}",
    "delivery_queued": "{camera}: esperando para subir",
    "delivery_uploading": "{camera}: subiendo…",
    "delivery_delivered": "{camera}: subido, {size}, SHA-256 {sha}…",
    "delivery_failed": "{camera}: no entregado: {reason}",
    "delivery_expired": "{camera}: no entregado, la solicitud caducó antes",
    "delivery_withdrawn": "{camera}: no enviado, la solicitud se retiró antes",
    "delivery_held": "{camera}: en espera, el feed ya no incluye la solicitud",
    "language_set": "Idioma cambiado a español.",
}

TEXTS: Final[dict[str, dict[str, str]]] = {"en": _EN, "de": _DE, "es": _ES}

# Legal bases and incident types come from the feed spec's fixed vocabulary.
LEGAL_BASES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "voluntary": "voluntary request",
        "warrant": "warrant",
        "subpoena": "subpoena",
        "court_order": "court order",
    },
    "de": {
        "voluntary": "freiwillige Bitte",
        "warrant": "Durchsuchungsbeschluss",
        "subpoena": "Vorladung",
        "court_order": "Gerichtsbeschluss",
    },
    "es": {
        "voluntary": "solicitud voluntaria",
        "warrant": "orden de registro",
        "subpoena": "citación",
        "court_order": "orden judicial",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """The template in `language` (English if unknown), filled with `values`."""
    template = TEXTS.get(language, _EN)[key]
    return template.format(**values) if values else template
