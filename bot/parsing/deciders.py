"""The people a visitor names as deciding instead of (or with) them, by language: "директор",
"sjefen", "bos saya", "老板", "مدیرعامل".

One table per language, read by both authority readers: the stock phrases of
`authority_words.py` ("решает директор") and the clause-by-clause reading of
`authority_clauses.py` ("я управляющая, но последнее слово за владельцем"). Each is a regex
alternation without an outer group (wrap it in `(?:...)`); Persian phrases go through `loose`.
"""
from __future__ import annotations

from bot.parsing.scripts import loose_any

__all__ = ["FA_OTHERS", "MS_OTHERS", "NB_OTHERS", "RU_OTHERS", "ZH_OTHERS"]

RU_OTHERS = (
    r"(?:генеральн\w+ |финансов\w+ |коммерческ\w+ |исполнительн\w+ )?директор\w*|гендир\w*|руководител\w*"
    r"|руководств\w*|начальств\w*|начальник\w*|босс\w*|шеф\w*|собственник\w*|владел\w*|учредител\w*"
    r"|совет\w* директоров|правлени\w*|бухгалтери\w*|финансист\w*|партн[её]р\w*|акционер\w*|головн\w+ офис\w*"
    r"|коллег\w*|лпр|жена|муж"
)
NB_OTHERS = (
    r"daglig leder|administrerende direktør|adm\.? dir\.?|sjefen|sjef|leder(?:en)?|ledelsen|styret|styreleder(?:en)?"
    r"|eier(?:en|ne)|innehaver(?:en)?|økonomisjef(?:en)?|økonomiavdelingen|partner(?:en|ne)|kolleg\w*|kona|mannen"
    r"|hovedkontoret|konsernet|innkjøp(?:savdelingen)?"
)
MS_OTHERS = (
    r"bos|boss|tauke|towkay|pengarah(?: urusan)?|ceo|lembaga(?: pengarah)?|pihak atasan|pihak pengurusan"
    r"|pengurusan|majikan|pemilik|tuan punya|rakan kongsi(?: kanan)?|partner|ibu pejabat|pihak kewangan"
    r"|jabatan kewangan|isteri|suami"
)
ZH_OTHERS = (
    r"大?老板|老总|领导|上级|上面|总经理|董事长|董事会|股东(?:们)?|合伙人|总监|经理|财务(?:部)?|采购(?:部)?|总部"
    r"|ceo|CEO|老婆|老公"
)
# Longest first, so "مدیر مالی" is read whole before "مدیر".
FA_OTHERS = loose_any(*sorted((
    "مدیرعامل", "مدیر عامل", "مدیرم", "مدیرمون", "مدیر", "رئیسم", "رئیسمون", "رئیس", "هیئت مدیره", "هیات مدیره",
    "مدیریت", "صاحب شرکت", "صاحب کار", "کارفرما", "مالک", "شریکم", "شریک", "شرکا", "سهامداران", "بالادستی‌ها",
    "مدیر مالی", "واحد مالی", "همسرم",
), key=len, reverse=True))
