"""Folding text for matching: width, quotes, punctuation and traditional characters.

Labels are matched on a *key*: the text folded character by character (full-width
forms to ASCII, curly quotes to straight ones, ``、`` to ``,``, dashes to ``-``,
traditional characters to simplified ones, Kangxi radicals and compatibility
ideographs to ordinary characters) with all whitespace deleted and Latin letters
case-folded. Folding maps one character to one character, so offsets into folded
text are offsets into the original, and it runs at C speed (the few distinct
characters of a text that change are found in one pass, then replaced).
Sentences (the prose rules) are matched on
:func:`sentence_key`, which keeps ``、``. This is the project's one normaliser:
readers, writers, the run splitter, the rules, the registers and the body keys
all use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from .cells import MAX_COUNT_DIGITS, amount_problem

__all__ = [
    "FOLD_TABLE",
    "UNITS",
    "WHITESPACE",
    "Number",
    "fold",
    "key",
    "parse_number",
    "sentence_key",
    "sentence_keys",
    "strip_enumerator",
]

# Traditional characters met in reports, paired with their simplified forms.
# Only characters whose traditional form is never a different simplified word
# are listed (not 著, 乾, 髮), so folding cannot corrupt simplified text.
_TRADITIONAL = (
    "萬万與与專专業业東东兩两嚴严個个為为舉举義义鄉乡書书產产親亲億亿僅仅從从"
    "眾众優优會会傳传體体餘余黨党關关興兴養养內内冊册寫写軍军農农決决況况凍冻"
    "淨净準准減减擊击創创則则剛刚刪删別别製制劑剂務务動动勞劳勢势區区醫医華华"
    "協协單单賣卖衛卫歷历曆历廳厅壓压縣县參参雙双發发變变敘叙臺台葉叶號号後后"
    "嚮向嚇吓聽听啟启員员問问響响團团園园圍围國国圖图圓圆聖圣場场壞坏塊块堅坚"
    "執执擴扩掃扫揚扬護护報报擔担擬拟擁拥擇择掛挂揮挥損损換换據据攬揽擺摆敵敌"
    "數数斷断無无舊旧時时顯显曉晓術术機机殺杀雜杂權权條条來来極极構构標标欄栏"
    "樹树樣样檔档橋桥檢检樓楼殘残畢毕氣气匯汇漢汉沒没澤泽潔洁淺浅測测濟济濃浓"
    "潤润濕湿滿满滅灭燈灯靈灵災灾點点煉炼熱热愛爱牽牵狀状猶犹獨独環环現现電电"
    "畫画暢畅療疗監监蓋盖盤盘礦矿碼码礎础確确礙碍禮礼離离種种積积稱称穩稳窮穷"
    "競竞筆笔築筑簽签簡简類类糧粮緊紧糾纠紅红約约級级紀纪純纯納纳縱纵紛纷紙纸"
    "線线練练組组細细織织終终經经結结繞绕給给絡络絕绝統统繼继績绩續续維维綜综"
    "綠绿緩缓編编繳缴網网罰罚罷罢職职聯联肅肃勝胜腦脑節节範范榮荣藥药獲获營营"
    "慮虑補补裝装規规視视覽览覺觉計计訂订認认討讨讓让訓训議议訊讯記记講讲許许"
    "論论設设訪访證证評评識识訴诉詞词譯译試试誠诚話话該该詳详詢询語语誤误說说"
    "請请讀读課课誰谁調调談谈謀谋謂谓謝谢謹谨負负貢贡財财責责敗败貨货質质購购"
    "貫贯費费資资賠赔趕赶車车轉转輪轮軟软輕轻載载較较輔辅輯辑輸输轄辖邊边達达"
    "過过運运還还這这進进遠远違违連连遲迟適适選选遞递邏逻遺遗郵邮鄰邻釋释裡里"
    "鑑鉴針针錢钱鐵铁銀银鏈链銷销鎖锁錯错鎮镇長长門门閉闭閒闲間间聞闻閱阅隊队"
    "階阶際际陸陆險险隨随隱隐難难項项須须顧顾順顺領领頻频題题額额風风驗验處处"
    "審审寧宁實实對对導导層层屬属廣广慶庆應应開开異异棄弃張张強强歸归當当錄录"
    "徹彻徑径態态總总惡恶懲惩願愿戶户撥拨攝摄斂敛鬥斗暫暂槍枪櫃柜夢梦歡欢毀毁"
    "湯汤溝沟灣湾濫滥潛潜煩烦燒烧豬猪瘋疯鹽盐稅税籌筹蘇苏薦荐藍蓝雖虽襲袭見见"
    "觀观譽誉貧贫貼贴貴贵貸贷貿贸賦赋賴赖贈赠贊赞躍跃踐践軌轨輝辉辭辞遷迁鐘钟"
    "鋼钢鑰钥銅铜銘铭鋒锋鍵键鏡镜閃闪閣阁闡阐陰阴陣阵陽阳隸隶頁页頂顶預预頒颁"
    "顆颗顏颜飛飞飲饮飾饰饋馈驅驱駐驻騙骗魚鱼鮮鲜鳥鸟麥麦黃黄齊齐龍龙於于係系"
    "採采週周復复複复覆复執执範范準准衆众綫线鑒鉴緻致託托遊游將将佈布廢废區区"
)
_FOLD: dict[int, str] = {
    ord(_TRADITIONAL[i]): _TRADITIONAL[i + 1] for i in range(0, len(_TRADITIONAL) - 1, 2)
}
# Full-width ASCII forms fold to ASCII (the part of NFKC that labels need).
_FOLD.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_FOLD.update({
    0x3000: " ", 0x00A0: " ",
    ord("“"): '"', ord("”"): '"', ord("„"): '"', ord("″"): '"', ord("〃"): '"',
    ord("‘"): "'", ord("’"): "'", ord("′"): "'",
    ord("、"): ",", ord("〔"): "[", ord("〕"): "]", ord("【"): "[", ord("】"): "]",
    ord("—"): "-", ord("–"): "-", ord("―"): "-", ord("‐"): "-", ord("‑"): "-",
    ord("−"): "-", ord("─"): "-", ord("－"): "-", ord("．"): ".", ord("。"): "。",
    ord("﹐"): ",", ord("﹑"): ",", ord("："): ":", ord("﹕"): ":",
})
# Kangxi radicals and CJK compatibility ideographs (which PDF text layers
# print for ordinary characters: ⾏ for 行) to the characters they stand for,
# folded in turn (兩 to 两).
_FOLD.update({
    c: _FOLD.get(ord(n), n)
    for c in (*range(0x2F00, 0x2FD6), *range(0xF900, 0xFADA))
    if len(n := unicodedata.normalize("NFKC", chr(c))) == 1
})
#: What :func:`fold` maps, by code point (characters not listed stay as they are).
FOLD_TABLE: Mapping[int, str] = _FOLD

#: Texts longer than this are not memoised by :func:`key`.
_LONG_TEXT = 200
#: What :func:`fold` changes, by character (identities left out). No character
#: is changed into one that is changed again.
_FOLD_CHARS: dict[str, str] = {chr(c): v for c, v in _FOLD.items() if v != chr(c)}


@cache
def _fold_changes() -> re.Pattern[str]:
    """One character class of every character :func:`fold` changes (compiled
    on first use: about 1 ms)."""
    return re.compile(_char_class(_FOLD_CHARS))


def fold(text: str) -> str:
    """``text`` with each character folded for matching; same length as ``text``."""
    # Text is mostly characters that stay as they are: the few distinct ones
    # that change are found in one pass and each replaced, all in C
    # (``str.translate`` looks every character up in the table, one Python
    # object a character: several times slower on Chinese text).
    for char in set(_fold_changes().findall(text)):
        text = text.replace(char, _FOLD_CHARS[char])
    return text


def key(text: str) -> str:
    """The matching key of a label or a name: folded, with every whitespace
    character deleted and Latin letters case-folded (``Ａ局`` and ``a局``)."""
    # Labels and cells repeat from report to report: short ones are memoised.
    return _key(text) if len(text) <= _LONG_TEXT else "".join(fold(text).split()).casefold()


@lru_cache(maxsize=2048)
def _key(text: str) -> str:
    return "".join(fold(text).split()).casefold()


#: Every character :meth:`str.isspace` (and so :meth:`str.split`) takes for
#: whitespace; ``tests/test_lexicon.py`` checks the list against every code point.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# What sentence_key changes: fold's table without ``、`` and its identities, and
# whitespace deleted. No character is changed into one that is changed again.
_SENTENCE: dict[str, str] = {
    **{chr(c): v for c, v in _FOLD.items() if v != chr(c) and chr(c) != "、"},
    **dict.fromkeys(WHITESPACE, ""),
}


def _char_class(chars: Iterable[str]) -> str:
    """A character class of ``chars``, runs of consecutive code points as ranges
    (a class of a thousand single characters takes 15 ms to compile)."""
    codes = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                         for a, b in runs) + "]"


_SENTENCE_CHANGES = re.compile(_char_class(_SENTENCE))


def sentence_key(text: str) -> str:
    """The key of a sentence: :func:`key` except that ``、`` stays ``、``.

    In a label ``、`` only ends an enumerator (``1、``), and :func:`key` makes it
    ``,`` like ``1,``. In a sentence it joins the words of one clause
    (``行政复议、行政诉讼``) where ``，`` (``,``) ends the clause, and the prose
    rules must tell the two apart. ``sentence_key(t).replace("、", ",") ==
    key(t)`` for every ``t``.
    """
    # Narrative is long and mostly characters that stay as they are: find the
    # few distinct ones that change and replace each, all in C (str.translate
    # costs a failed dict lookup for every character that stays).
    for char in set(_SENTENCE_CHANGES.findall(text)):
        text = text.replace(char, _SENTENCE[char])
    return text.casefold()


def sentence_keys(sentences: Sequence[str]) -> list[str]:
    """:func:`sentence_key` of each of ``sentences``, in one pass over them all."""
    joined = "\n".join(sentences)
    if joined.count("\n") != len(sentences) - 1:  # a sentence holds a line break
        return [sentence_key(s) for s in sentences]
    for char in set(_SENTENCE_CHANGES.findall(joined)) - {"\n"}:
        joined = joined.replace(char, _SENTENCE[char])
    return joined.casefold().split("\n")


# An enumerator before a label: 一、 (一) 1. 1、 (1) — folded forms.
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[,.:]|\([一二三四五六七八九十]+\)|\d{1,2}[.,:](?!\d)|\(\d{1,2}\))"
)


def strip_enumerator(label_key: str) -> str:
    """A label key without its leading enumerator (``(二)部分公开`` -> ``部分公开``)."""
    return _ENUMERATOR.sub("", label_key, count=1)


@attrs.frozen(slots=True)
class Number:
    """A number as a cell printed it: its value, whether it was written as an
    integer, and whether the text was more than the bare number (``减4``)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    value: Decimal
    integral: bool
    decorated: bool


#: Units printed after a number in a cell (``251000元``, ``2笔``, ``96.5万元``);
#: the longest first.
UNITS = ("万元", "元", "笔", "件", "项", "个", "条", "次", "人", "万")
# A cell's number as printed: 增/减 before it, a unit after it (folded, no spaces).
_PRINTED = re.compile(
    r"([增减]?)([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(" + "|".join(UNITS) + r")?"
)


def parse_number(text: str) -> Number | None:
    """The number printed in a cell, or ``None`` when the cell is not one.

    Accepts ``12``, ``-8``, ``+3``, ``1,234``, ``52.15``, a unit after the number
    (``251000元``) and 增/减 before it (``减4`` is -4).
    """
    if len(text) > 60:
        return None
    if len(text) <= MAX_COUNT_DIGITS and text.isdigit() and text.isascii():
        return _parse_number(text)  # plain digits, few enough: within every bound
    number = _parse_number(text)
    if number is not None and (abs(number.value) >= _COUNT_LIMIT
                               or amount_problem(number.value) is not None):
        return None  # over the model's bounds: kept as printed, never a number
    return number


_COUNT_LIMIT = 10**MAX_COUNT_DIGITS


#: Any decimal digit: a text without one prints no number (folding makes no
#: digit of a character that is not one), which most label cells show at once.
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=2048)
def _parse_number(text: str) -> Number | None:
    if text.isdigit() and text.isascii():
        return Number(Decimal(text), True, False)
    if _DIGIT.search(text) is None:
        return None
    t = "".join(fold(text).split())
    if not t or len(t) > 40:
        return None
    m = _PRINTED.fullmatch(t)  # 增/减, the number, a unit: one match
    if m is None:
        return None
    change, sign_mark, digits, fraction, unit = m.groups()
    decorated = t != text.strip() or bool(change or unit) or sign_mark == "+"
    if "," in digits:
        decorated = True
        digits = digits.replace(",", "")
    try:
        value = Decimal(sign_mark + digits + (fraction or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    sign = -1 if change == "减" else 1
    return Number(value * sign if sign < 0 else value, fraction is None, decorated)
