"""Page furniture: lines that belong to the web page, not to the story.

Each kind has a small per-language table of phrases. All languages are applied to every
article (a French site can carry an English "Share" button, and detection runs after this
step), which is safe because every pattern must match a WHOLE line, possibly with a
count, a colon, brackets or a trailing link text.

Kinds (the `Removed.kind` values): ``ad``, ``comments``, ``share``, ``read_more``,
``newsletter``, ``copyright``, ``follow``, ``tags``, ``editor``, ``source_line``.
A ``source_line`` (``المصدر: https://...``, ``Source: ...``) also yields the article's
source URL, or, when it names an outlet instead of a URL (``Nguồn: VnExpress``), that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Furniture", "match_furniture"]

# How long a furniture line may be. Longer lines are story text even if they start like one.
_MAX_LEN = 220

_LEAD_SEP = r"\s*(?:[:：\-–—»›>|]+\s*|$)"  # what follows a lead-in phrase ("Lire aussi :", "Read more »")
_COUNT = r"(?:\s*[\(\[（]\s*\d+\s*[\)\]）]|\s*[:：]?\s*\d+)?"

# --- ad slots: the whole line is the marker, optionally bracketed and numbered. ---------------
_AD_WORDS = {
    "en": ["advertisement", "advertising", "ad", "sponsored", "sponsored content"],
    "fr": ["publicité", "pub", "contenu sponsorisé"],
    "es": ["publicidad", "anuncio", "contenido patrocinado"],
    "pt": ["publicidade"],
    "de": ["anzeige", "werbung"],
    "vi": ["quảng cáo"],
    "ru": ["реклама"],
    "zh": ["广告", "廣告"],
    "ar": ["إعلان", "اعلان", "إعلانات", "محتوى ممول"],
    "fa": ["تبلیغات", "آگهی"],
    "ur": ["اشتہار"],
}
_AD_NUMBER = r"(?:\s*(?:رقم|شماره|نمبر|no\.?|n[°º]|nº|#|số|№)?\s*\d+)?"

# --- comment counters / prompts. -----------------------------------------------------------
_COMMENT_WORDS = {
    "en": ["comments?", "leave a comment", "add a comment", "post a comment", "view comments"],
    "fr": ["commentaires?", "réagir", "laisser un commentaire"],
    "es": ["comentarios?", "deja un comentario"],
    "pt": ["comentários?"],
    "de": ["kommentare?"],
    "vi": ["bình luận", "ý kiến"],
    "ru": ["комментари[йяи]", "комментировать"],
    "zh": ["评论", "評論", "留言"],
    "ar": ["تعليق", "تعليقات", "التعليقات", "أضف تعليقا", "أضف تعليقاً"],
    "fa": ["نظرات", "نظر", "دیدگاه", "دیدگاه‌ها"],
    "ur": ["تبصرے", "تبصرہ", "تبصرہ کریں"],
}

# --- share prompts. ------------------------------------------------------------------------
_SHARE_WORDS = {
    "en": [
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on \\w+",
        "share via \\w+",
    ],
    "fr": ["partager", "partager cet article", "partagez", "partager sur \\w+"],
    "es": ["compartir", "comparte", "compartir este artículo", "compartir en \\w+"],
    "pt": ["compartilhar", "partilhar"],
    "de": ["teilen", "artikel teilen"],
    "vi": ["chia sẻ", "chia sẻ bài viết"],
    "ru": ["поделиться", "поделиться статьей", "поделиться статьёй"],
    "zh": ["分享", "分享到\\w*", "分享此文"],
    "ar": ["شارك", "شارك المقال", "شارك هذا المقال", "مشاركة", "مشاركة المقال"],
    "fa": ["اشتراک‌گذاری", "اشتراک گذاری", "همرسانی", "هم‌رسانی"],
    "ur": ["شیئر کریں", "شیئر"],
}

# --- "read more" teasers: a lead-in phrase, then usually another headline. -------------------
_READ_MORE_LEADS = {
    "en": ["read more", "read also", "also read", "see also", "related", "related articles?", "more on this"],
    "fr": ["lire aussi", "lire la suite", "à lire aussi", "voir aussi", "à lire également", "lire également"],
    "es": ["lea también", "lee también", "leer más", "te puede interesar", "ver también", "relacionado"],
    "pt": ["leia também", "leia mais", "veja também"],
    "de": ["lesen sie auch", "mehr zum thema", "auch interessant"],
    "it": ["leggi anche"],
    "vi": ["xem thêm", "đọc thêm", "tin liên quan"],
    "ru": ["читайте также", "читайте еще", "читайте ещё", "по теме", "смотрите также"],
    "zh": [
        "延伸阅读",
        "延伸閱讀",
        "相关阅读",
        "相關閱讀",
        "相关新闻",
        "相關新聞",
        "另见",
        "阅读更多",
        "閱讀更多",
    ],
    "ar": ["اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد", "مواضيع ذات صلة"],
    "fa": ["بیشتر بخوانید", "بخوانید", "مطالب مرتبط", "همچنین بخوانید"],
    "ur": ["یہ بھی پڑھیں", "مزید پڑھیں", "متعلقہ خبریں"],
}

# --- newsletter prompts: a subscribe verb and a newsletter noun on one short line. ------------
_NEWSLETTER = {
    "en": [
        r"(?:sign up|subscribe|register)\b.*\bnewsletters?\b",
        r"\bnewsletters?\b.*\b(?:sign up|subscribe)",
    ],
    "fr": [
        r"(?:inscrivez-vous|abonnez-vous|s'inscrire|s’inscrire|recevez)\b"
        r".*\b(?:newsletter|lettre d'information)"
    ],
    "es": [r"(?:suscríbe(?:te|se)|suscribirse|regístrate|recibe)\b.*\b(?:boletín|newsletter)"],
    "pt": [r"(?:assine|inscreva-se|receba)\b.*\b(?:newsletter|boletim)"],
    "de": [r"(?:abonnieren|melden sie sich)\b.*\bnewsletter|newsletter\b.*\babonnieren"],
    "vi": [r"đăng ký\b.*\bbản tin"],
    "ru": [r"подпиш\w+\b.*\b(?:рассылк\w*|новост\w*)"],
    "zh": [r"订阅.*(?:新闻通讯|电子报|newsletter)", r"訂閱.*(?:新聞通訊|電子報|newsletter)"],
    "ar": [r"(?:اشترك|سجل|اشتركوا)\b.*\b(?:النشرة|نشرتنا|القائمة البريدية)"],
    "fa": [r"(?:عضو|مشترک)\b.*\bخبرنامه|خبرنامه\b.*\b(?:عضو|مشترک)"],
    "ur": [r"نیوز\s?لیٹر\b.*\b(?:سبسکرائب|سائن اپ)|(?:سبسکرائب|سائن اپ)\b.*\bنیوز\s?لیٹر"],
}

# --- social "follow us" prompts. -----------------------------------------------------------
_FOLLOW = {
    "en": [r"follow us\b"],
    "fr": [r"suivez-nous\b"],
    "es": [r"síg(?:uenos|anos)\b"],
    "pt": [r"siga-nos\b"],
    "de": [r"folgen sie uns\b"],
    "vi": [r"theo dõi chúng tôi\b"],
    "ru": [r"подписывайтесь на нас\b", r"следите за нами\b"],
    "zh": [r"关注我们", r"關注我們"],
    "ar": [r"تابعونا\b", r"تابعنا\b"],
    "fa": [r"ما را .*دنبال کنید"],
    "ur": [r"ہمیں .*فالو کریں"],
}

# --- copyright / rights lines. -------------------------------------------------------------
_RIGHTS = {
    "en": ["all rights reserved"],
    "fr": ["tous droits réservés"],
    "es": ["todos los derechos reservados"],
    "pt": ["todos os direitos reservados"],
    "de": ["alle rechte vorbehalten"],
    "it": ["tutti i diritti riservati"],
    "vi": ["bảo lưu mọi quyền", "giữ bản quyền"],
    "ru": ["все права защищены"],
    "zh": ["版权所有", "版權所有"],
    "ar": ["جميع الحقوق محفوظة", "الحقوق محفوظة"],
    "fa": ["(?:کلیه|تمامی) حقوق.*محفوظ"],
    "ur": ["جملہ حقوق محفوظ"],
}
_COPYRIGHT_LEAD = r"(?:©|\(c\)|copyright\b|ⓒ)"

# --- tag lists. ----------------------------------------------------------------------------
_TAG_LEADS = {
    "en": ["tags", "topics", "keywords"],
    "fr": ["mots-clés", "mots clés", "thèmes"],
    "es": ["etiquetas", "temas", "palabras clave"],
    "pt": ["tags", "palavras-chave"],
    "de": ["schlagwörter", "themen"],
    "vi": ["từ khóa", "từ khoá", "thẻ"],
    "ru": ["теги", "метки", "ключевые слова"],
    "zh": ["标签", "標籤", "关键词", "關鍵詞"],
    "ar": ["الكلمات المفتاحية", "الوسوم", "كلمات مفتاحية"],
    "fa": ["برچسب‌ها", "برچسب ها", "کلیدواژه‌ها"],
    "ur": ["ٹیگز"],
}

# --- editor credits ("责任编辑：张三"): not authors of the story. ---------------------------
_EDITOR_LEADS = {
    "en": [r"edit(?:ed|ing) by\s+", r"editor\s*[:：]\s*"],
    "fr": [r"édité par\s+", r"édition\s*[:：]\s*"],
    "es": [r"editado por\s+", r"edición\s*[:：]\s*"],
    "vi": [r"biên tập\s*[:：]\s*"],
    "ru": [r"редактор\s*[:：]\s*"],
    "zh": [r"(?:责任编辑|責任編輯|编辑|編輯)\s*[:：/]\s*"],
    "ar": [r"تحرير\s*[:：]\s*"],
}

# --- source lines: lead-in then a URL (or an outlet name). ----------------------------------
_SOURCE_LEADS = {
    "en": ["source", "original article", "via"],
    "fr": ["source"],
    "es": ["fuente"],
    "pt": ["fonte"],
    "de": ["quelle"],
    "vi": ["nguồn"],
    "ru": ["источник"],
    "zh": ["来源", "來源", "原文链接", "原文連結"],
    "ar": ["المصدر", "مصدر"],
    "fa": ["منبع"],
    "ur": ["ماخذ", "ذریعہ"],
}
_URL = r"(?P<url>(?:https?://|www\.)\S+)"


_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|e-?mail|messenger|zalo|vk|weibo|wechat|"
    r"line|reddit|pinterest|threads|bluesky|微信|微博|копировать ссылку|copy link|print)"
)


def _alternation(table: dict[str, list[str]]) -> str:
    """One regex alternation of every language's phrases (phrases are small regex fragments)."""
    phrases = [phrase for phrases in table.values() for phrase in phrases]
    # Longest first so that "share this article" wins over "share".
    phrases.sort(key=len, reverse=True)
    return "(?:" + "|".join(phrases) + ")"


def first_chars(phrases: list[str]) -> str:
    """A character class of the characters the regex fragments `phrases` can start with.

    Put in a lookahead before an unanchored alternation, it lets the regex engine reject a
    position with one test instead of trying every phrase there (same matches). Handles a
    fragment that starts with a literal character or with a group of literal-led alternatives
    ``(?:a|b)``; anything else is a programming error.
    """
    chars: set[str] = set()
    for phrase in phrases:
        if phrase.startswith("(?:"):
            group = phrase[3 : phrase.index(")")]
            heads = [alternative[0] for alternative in group.split("|")]
        else:
            heads = [phrase[0]]
        for head in heads:
            if head in "\\()[]{}|.^$*+?":
                raise ValueError(f"not a literal first character: {phrase!r}")
            chars.add(head)
    return "[" + "".join(sorted(chars)) + "]"


_FLAGS = re.IGNORECASE
_SOURCE_LEAD = rf"^{_alternation(_SOURCE_LEADS)}\s*[:：]\s*"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("source_line", re.compile(rf"{_SOURCE_LEAD}(?:.{{0,80}}?[\s,،]\s*)?{_URL}$", _FLAGS)),
    ("source_line", re.compile(rf"{_SOURCE_LEAD}(?P<name>[^.!?。:：/]{{1,60}})$", _FLAGS)),
    (
        "ad",
        re.compile(rf"^[\[\(【\-–—]*\s*{_alternation(_AD_WORDS)}{_AD_NUMBER}\s*[\]\)】\-–—]*$", _FLAGS),
    ),
    ("comments", re.compile(rf"^(?:\d+\s*)?{_alternation(_COMMENT_WORDS)}{_COUNT}\s*[:：.…]?$", _FLAGS)),
    (
        "share",
        re.compile(rf"^{_alternation(_SHARE_WORDS)}\s*[:：]?(?:\s*[|/·,]?\s*{_SOCIAL})*\s*$", _FLAGS),
    ),
    ("read_more", re.compile(rf"^[\[\(【]?\s*{_alternation(_READ_MORE_LEADS)}{_LEAD_SEP}", _FLAGS)),
    ("newsletter", re.compile(rf"^{_alternation(_NEWSLETTER)}", _FLAGS)),
    ("follow", re.compile(rf"^{_alternation(_FOLLOW)}", _FLAGS)),
    (
        "copyright",
        re.compile(
            rf"^{_COPYRIGHT_LEAD}|(?={first_chars([p for ps in _RIGHTS.values() for p in ps])}){_alternation(_RIGHTS)}",
            _FLAGS,
        ),
    ),
    ("tags", re.compile(rf"^{_alternation(_TAG_LEADS)}\s*[:：]\s*\S", _FLAGS)),
    ("editor", re.compile(rf"^[\(（]?\s*{_alternation(_EDITOR_LEADS)}[^.!?。:：]{{1,60}}[\)）]?$", _FLAGS)),
)


@dataclass(frozen=True)
class Furniture:
    """A furniture line: its kind, and for a source line the URL or the outlet name."""

    kind: str
    url: str | None = None
    source_name: str | None = None


def match_furniture(line: str) -> Furniture | None:
    """The furniture kind of a whole (cleaned) line, or None if it may be story text."""
    if len(line) > _MAX_LEN:
        return None
    for kind, pattern in _PATTERNS:
        match = pattern.search(line)
        if match:
            groups = match.groupdict()
            url, name = groups.get("url"), groups.get("name")
            return Furniture(
                kind=kind,
                url=url.rstrip(".,;)»\"'") if url else None,
                source_name=name.strip() if name else None,
            )
    return None
