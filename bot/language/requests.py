"""A visitor asking to switch languages: "can we continue in English?", "по-русски, пожалуйста",
"på norsk, takk", "boleh guna bahasa Melayu?", "请说中文", "لطفا فارسی صحبت کنید".

A message is such a request when it names exactly one of our languages and every other word in
it is request vocabulary (can, continue, speak, please, in, ... in any of our languages). So
"we need the bot in English and Russian" or "our clients speak Chinese" (a need, a fact) are not
requests: they have words of their own. A name said alone asks only in the language's own
words ("norsk", "中文") or as a question ("English?"): "Norwegian" alone answers "which currency?".
Table per language; adding a word is one line.
"""
from __future__ import annotations

import re

from bot.parsing.text import clean_text

# How each of our languages names each of them (stems where Russian inflects), as words...
_NAMES: dict[str, str] = {
    "en": r"english|englisch|inggeris|bahasa\s+inggeris|англ\w*|engelsk\w*|انگلیسی",
    "ru": r"russian|russisk\w*|rusia|bahasa\s+rusia|русск\w*|по-русски|روسی",
    "nb": r"norwegian|bokm[åa]l|norsk\w*|bahasa\s+norway|norway|норвежск\w*|по-норвежски|نروژی",
    "fa": r"persian|farsi|persisk\w*|parsi|bahasa\s+parsi|фарси|персидск\w*|по-персидски|فارسی|پارسی",
    "ms": r"malay|malayisk\w*|bahasa\s+melayu|melayu|bahasa\s+malaysia|bm|малайск\w*|по-малайски|مالایی",
    "zh": r"chinese|mandarin|kinesisk\w*|bahasa\s+cina|cina|китайск\w*|по-китайски|چینی",
}
# ...and in Chinese, where words are not spaced.
_HAN_NAMES = {"en": "英文|英语|英語", "ru": "俄语|俄文|俄語", "nb": "挪威语|挪威文|挪威語", "fa": "波斯语|波斯語",
              "ms": "马来语|马来文|馬來語", "zh": "中文|汉语|漢語|普通话|普通話|华语|華語|国语|國語"}
# Each language's own name for itself: said alone, it asks for it.
_OWN_NAMES = re.compile(r"(?<!\w)(?:english|русск\w*|по-русски|norsk|bokm[åa]l|فارسی|پارسی|bahasa\s+melayu|melayu"
                        r"|bahasa\s+malaysia)(?!\w)|中文|汉语|漢語|普通话|普通話|华语|華語", re.IGNORECASE)
_NAME_PATTERNS = {code: re.compile(rf"(?<!\w)(?:{pattern})(?!\w)|{_HAN_NAMES[code]}", re.IGNORECASE)
                  for code, pattern in _NAMES.items()}

# Words a request is made of, in our languages (lower case; Persian split at its half-spaces).
_REQUEST_WORDS = frozenset("""
can could would will we you i me us let lets let's please pls plz continue carry on speak speaking talk write writing
chat switch change go to in into on do does is it possible ok okay instead language the conversation sorry only just
maybe with hi hello hey answer reply respond use using prefer rather like want wanna i'd i'm im be better now from
here there a an of thanks thank no yes more comfortable understand don't dont not know anyone someone somebody who
and or so mostly still also pretty
можно давайте давай пожалуйста на по говорить говорите говоришь поговорим общаться пишите писать напишите
продолжим продолжить продолжаем перейдем перейдём перейти переключиться переключитесь ли вы ты мы я мне нам
язык языке лучше а ну хорошо могу можете можем не понимаю отвечайте отвечать ответьте со мной есть кто нибудь
кто-нибудь здравствуйте привет если будет удобнее извините спасибо только разговаривать умеете знаете
kan vi du dere jeg meg oss snakke snakker skrive skriver fortsette fortsetter bytte til på takk gjerne ja nei helst
heller vær så snill svare svar språk det er mulig la forstår ikke hei hallo foretrekker bare litt
boleh tak kita saya awak anda cakap bercakap berbual guna gunakan pakai dalam bahasa sila tolong teruskan
sambung tukar ke dengan tulis balas jawab ya hai faham tidak lebih selesa terima kasih je sahaja boleh ke
لطفا لطفاً میشه می شه شود میشود به با صحبت کنید کنیم کنی کن حرف بزنید بزنیم بزن ادامه بدهیم بدیم دهیم بنویسید
زبان من ما شما بلدید بلد هستید سلام ممکنه ممکن است رو را تو میتونید می تونید میتونیم می تونیم بلدین ممنون
""".split())
# Chinese has no spaces: what is left once these and the language's name are taken out.
_CHINESE_REQUEST = re.compile(
    r"能不能|可不可以|可以|能否|能|请|請|麻烦|麻煩|我们|我們|咱们|继续|繼續|改成|改用|换成|換成|切换|切換|改|换|換|用|说|說|讲|講|"
    r"讲话|講話|聊|回复|回覆|回答|写|寫|会|會|不会|不會|吗|嗎|吧|呢|好吗|好嗎|一下|跟|和|交流|沟通|溝通|谢谢|謝謝|"
    r"语言|語言|你|您|我|就|行|好|的|了|是|否|懂|不")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def requested_language(text: str) -> str | None:
    """Our code for the language the visitor asks the bot to speak, or None when the message is
    not such a request."""
    text = clean_text(text or "").replace("\u200c", " ").replace("ي", "ی").replace("ك", "ک")
    named = [(code, match) for code, pattern in _NAME_PATTERNS.items() for match in pattern.finditer(text)]
    if not named or len({code for code, _ in named}) != 1:
        return None
    rest = text
    for _, match in sorted(named, key=lambda found: found[1].start(), reverse=True):
        rest = rest[:match.start()] + " " + rest[match.end():]
    alone = not _WORD.search(rest)
    if any(word.lower() not in _REQUEST_WORDS for word in _WORD.findall(_CHINESE_REQUEST.sub(" ", rest))):
        return None
    if alone and not any(mark in text for mark in "?？؟") and not _OWN_NAMES.search(text):
        return None  # "Norwegian", "Chinese" alone: more likely an answer (a currency, a market)
    return named[0][0]
