"""The shared reply vocabulary in Russian, Norwegian Bokmål, Malay, Chinese and Persian: skip,
not sure, why, yes, no, "I meant", and what opens a question.

`bot/parsing/replies.py` holds the English forms and the rules; these tables sit beside them so
every parser that reads "not sure" (timeline, authority, budget) and every rule that reads a
question (the pending-question rule) knows the same words in every language. Each entry is a
regex fragment matched case-insensitively; Persian phrases go through `loose` (a space, a ZWNJ
or nothing between its parts), Chinese ones need no word boundaries.
"""
from __future__ import annotations

from bot.parsing.scripts import loose_any as _fa

__all__ = ["CORRECTION_OPENERS", "CORRECTIONS", "NO", "QUESTION_STARTS", "QUESTION_ENDS", "SKIP", "UNSURE", "WHY",
           "WHY_ALONE", "YES", "alternation"]


def alternation(*parts: str) -> str:
    return "|".join(parts)


# "not sure", "don't know", "depends": an unknown answer to any question.
UNSURE = alternation(
    r"не знаю", r"пока не знаю", r"не уверен\w*", r"сложно сказать", r"трудно сказать", r"затрудняюсь ответить",
    r"зависит(?: от\b)?", r"(?:пока )?не решили", r"не определились", r"без понятия", r"понятия не имею", r"хз",
    r"vet ikke", r"veit ikke", r"usikker", r"ikke sikker", r"kommer an på", r"det avhenger", r"ikke bestemt",
    r"har ikke bestemt\w*", r"aner ikke", r"ingen anelse", r"vanskelig å si",
    r"tak pasti", r"tidak pasti", r"kurang pasti", r"tak tahu", r"tidak tahu", r"tak tau", r"belum pasti",
    r"bergantung", r"belum tentu", r"belum (?:di)?putuskan", r"entah(?:lah)?", r"tak tahu la", r"tak sure", r"tidak sure",
    r"(?:我们?|还|暂时|目前|现在)?(?:不确定|不知道|不清楚)", r"还不知道", r"说不好", r"不好说", r"看情况", r"还没定", r"待定", r"没想好", r"不清楚", r"不太清楚",
    r"很难说", r"不一定",
    _fa("نمی‌دونم", "نمی‌دانم", "نمیدونم", "مطمئن نیستم", "بستگی داره", "بستگی دارد", "هنوز مشخص نیست",
        "معلوم نیست", "هنوز تصمیم نگرفتیم", "ایده‌ای ندارم", "نظری ندارم", "سخته بگم"),
)

# "skip", "I'd rather not say", "next question".
SKIP = alternation(
    r"пропуст\w*", r"давай(?:те)? дальше", r"следующий вопрос", r"не хочу (?:говорить|отвечать|сообщать)", r"не скажу",
    r"предпочитаю не (?:говорить|отвечать)", r"без комментариев", r"это секрет", r"это конфиденциально",
    r"(?:пока )?не готов\w* (?:это )?(?:обсуждать|говорить|называть|раскрывать|озвучивать)", r"не буду (?:говорить|называть)",
    r"(?:не могу|не хочу) (?:назвать|раскрывать|озвучивать|обсуждать)",
    r"(?:обсуждать|говорить|называть|раскрывать|озвучивать)(?: [^\W\d_]+)? (?:пока |сейчас )?не (?:готов\w*|хочу|буду)",
    r"hopp over", r"hopp over det", r"neste spørsmål", r"vil ikke si", r"vil helst ikke (?:si|svare)", r"ingen kommentar",
    r"det vil jeg ikke svare på", r"gå videre", r"vil (?:helst )?ikke si noe om", r"kan ikke si noe om",
    r"(?:det )?vil jeg (?:helst )?ikke (?:si|svare|dele)(?: noe)?(?: om)?",
    r"(?:det er )?konfidensielt",
    r"langkau", r"skip je", r"soalan seterusnya", r"tak nak (?:cakap|jawab|beritahu)", r"tidak mahu (?:jawab|beritahu)",
    r"rahsia", r"tiada komen", r"sulit", r"tak boleh (?:kongsi|beritahu|bagitahu|cakap)", r"tidak boleh (?:kongsi|dedahkan)",
    r"跳过", r"下一个问题", r"下一题", r"不想说", r"不方便(?:说|透露)", r"保密", r"无可奉告", r"不回答", r"略过",
    _fa("رد کن", "بگذر", "بگذریم", "سوال بعدی", "نمی‌خوام بگم", "ترجیح میدم نگم", "ترجیح می‌دهم نگویم",
        "محرمانه است", "محرمانه‌ست", "بی‌خیال", "پاس", "نمی‌گم", "فعلاً نمی‌گم", "نمی‌تونم بگم", "بعداً می‌گم"),
)

# "why do you ask?", "what is that for?": WHY anywhere in a short reply, WHY_ALONE as the whole of it.
WHY = alternation(
    r"зачем (?:вам|это|спрашиваете|вы спрашиваете|нужно|вам это|вам это знать)", r"почему вы спрашиваете",
    r"для чего (?:это|вам)", r"к чему (?:этот )?вопрос", r"а зачем (?:это|вам)",
    r"hvorfor (?:spør du|spør dere|trenger dere det|lurer du på det|vil du vite det)", r"hva skal dere med det",
    r"kenapa (?:tanya|nak tahu|perlu tahu|perlu)", r"mengapa (?:tanya|perlu)", r"untuk apa (?:soalan ini|ni)",
    r"为什么(?:要)?问(?:这个)?", r"问这个(?:干嘛|做什么|干什么|有什么用)", r"干嘛问(?:这个)?", r"这个有什么用",
    _fa("چرا می‌پرسی", "چرا می‌پرسید", "برای چی می‌پرسی", "برای چی می‌خواید", "چرا لازمه", "به چه دردتون می‌خوره",
        "برای چی لازمه"),
)
WHY_ALONE = alternation(r"зачем", r"почему", r"для чего", r"а зачем", r"hvorfor", r"kenapa", r"mengapa", r"untuk apa",
                        r"buat apa", r"为什么", r"干嘛", _fa("چرا", "برای چی", "برای چه"))

# Yes and no, alone or opening a reply.
YES = alternation(
    r"да", r"ага", r"угу", r"конечно", r"верно", r"так точно", r"именно", r"да-да",
    r"ja", r"jo", r"jepp", r"japp", r"absolutt", r"selvfølgelig", r"stemmer", r"riktig",
    r"ya", r"ye", r"yup", r"betul", r"boleh", r"baik", r"okey", r"sudah tentu", r"memang",
    r"是的?", r"对的?", r"好的?", r"嗯", r"可以", r"当然", r"没错", r"行",
    _fa("بله", "آره", "بلی", "حتما", "حتماً", "درسته", "البته", "چشم", "باشه"),
)
NO = alternation(
    r"нет", r"не-а", r"неа", r"не совсем", r"нет, не я", r"не я",
    r"nei", r"nope", r"ikke jeg", r"ikke meg", r"nei, ikke meg",
    r"tidak", r"tak", r"bukan", r"bukan saya", r"tak juga",
    r"不是", r"不", r"没有", r"不对", r"不是我",
    _fa("نه", "خیر", "نخیر", "من نه", "نه من"),
)

# Words saying that what follows replaces what was said ("я имел в виду", "maksud saya", "我是说").
CORRECTIONS = alternation(
    r"я имел[аи]? в виду", r"имел[аи]? в виду", r"я хотел[аи]? сказать", r"точнее", r"вернее", r"поправка",
    r"исправ(?:ьте|лю|ь) на", r"поменяйте на",
    r"jeg mente", r"mente", r"rettelse", r"endre (?:det )?til", r"eller rettere sagt", r"rettere sagt",
    r"maksud saya", r"saya maksudkan", r"pembetulan", r"tukar (?:kepada|ke)", r"silap,?",
    r"我是说", r"我的意思是", r"更正(?:一下)?", r"应该是", r"改成", r"说错了", r"不对,?",
    _fa("منظورم", "منظورم این بود", "منظورم اینه", "اصلاح می‌کنم", "ببخشید اشتباه شد", "اشتباه گفتم",
        "درستش"),
)
CORRECTION_OPENERS = alternation(
    r"ой", r"упс", r"извините", r"простите", r"стоп", r"на самом деле",
    r"oisann", r"unnskyld", r"beklager", r"faktisk",
    r"alamak", r"maaf", r"sebenarnya",
    r"哎呀", r"抱歉", r"不好意思", r"其实",
    _fa("ببخشید", "اوه", "در واقع", "راستش"),
)

# A question by its grammar: these open one ("сколько стоит?", "hvor mye koster det", "berapa harga",
# "多少钱", "چقدر"), or these end one (Chinese particles, the Arabic question mark).
QUESTION_STARTS = alternation(
    r"сколько", r"почему", r"зачем", r"можно ли", r"есть ли", r"а у вас", r"у вас есть", r"вы (?:можете|умеете|делаете)",
    r"какая (?:цена|стоимость)", r"какие", r"что (?:такое|умеет|входит|вы|это)", r"где",
    r"как (?:(?:это )?работает|подключить|долго|быстро|вы|мне|у вас|узнать)", r"кто (?:вы|ты)",
    r"hva (?:koster|er|gjør|skjer|med|slags)", r"hvordan", r"hvorfor", r"hvor (?:mye|mange|lang|lenge)", r"kan (?:dere|du)",
    r"har (?:dere|du)", r"tilbyr dere", r"er det mulig", r"hvem er",
    r"berapa", r"bagaimana", r"macam mana", r"kenapa", r"mengapa", r"adakah", r"ada tak", r"boleh tak",
    r"apa (?:itu|harga|yang|khidmat)", r"siapa", r"di mana",
    r"多少", r"怎么", r"为什么", r"能不能", r"可不可以", r"有没有", r"是不是", r"请问", r"什么是", r"你们(?:能|可以|有|会)",
    _fa("چقدر", "چطور", "چگونه", "چرا", "آیا", "میشه", "می‌شه", "کجا", "چی", "چه قیمتی", "چه خدماتی", "چه کاری"),
)
# Particles that make a sentence a question where they end it (the question mark is read apart).
QUESTION_ENDS = r"吗\W*$|\sли\b|(?:kah|\ske)\W*$"
# Questions put to the bot itself, "you …?" ("Ты бот или живой человек?", "Er du en robot?",
# "Awak ni bot ke?", "你是机器人还是真人？", "شما ربات هستید یا آدم؟"): an opener like that asks, it
# states no need.
QUESTION_TO_THE_BOT = (
    r"^\W*(?:(?:а|и|скажите|подскажите)\W+)?(?:ты|вы)\s[^?]{0,80}\?\W*$"
    r"|^\W*(?:er|kan|har|snakker) (?:du|dere)\s[^?]{0,80}\??\W*$"
    r"|^\W*(?:awak|anda|kau|korang|u)\s[^?]{0,80}\?\W*$"
    r"|^\W*你[^。！!？?]{0,30}(?:还是|吗)[^。！!？?]{0,30}[？?]\W*$"
    r"|^\W*(?:ببخشید\W+)?(?:شما|تو)\s[^؟?]{0,80}[؟?]\W*$"
)
