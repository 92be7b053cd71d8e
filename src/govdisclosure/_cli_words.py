"""Every word the command line prints, in Chinese (the default) and English.

The CLI's own words are looked up here by key (:func:`word`); help texts are
written in English in ``cli.py`` and translated by :data:`HELP_ZH` when the
language is Chinese (a test checks that every help text has its translation);
argparse's own messages are translated by the patterns of :data:`_ARGPARSE`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

__all__ = [
    "HELP_ZH",
    "CjkHelpFormatter",
    "display_width",
    "lang_of",
    "localise_parser",
    "translate_usage_error",
    "word",
]

#: key: (zh, en). Placeholders use str.format names.
WORDS: dict[str, tuple[str, str]] = {
    "error": ("govdisclosure：错误：{}", "govdisclosure: error: {}"),
    "try_help": ("（运行 `govdisclosure --help` 查看用法）", "(try `govdisclosure --help`)"),
    "interrupted": ("govdisclosure：已中断", "govdisclosure: interrupted"),
    "unexpected": ("意外错误 {kind}：{error}（加 --debug 运行可看到调用栈，请报告此问题）",
                   "unexpected {kind}: {error} (run with --debug for a traceback, "
                   "and please report it)"),
    "not_report": ("{file}：不是报告：{why}", "{file}: not a report: {why}"),
    # The findings table: a header row, then one row per finding.
    "col_line": ("行", "line"),
    "col_rule": ("规则", "rule"),
    "col_result": ("结果", "result"),
    "col_message": ("说明", "message"),
    # The one-word result of a finding: what failed, a note, or a blank.
    "res_error": ("错误", "error"),
    "res_warning": ("警告", "warning"),
    "res_info": ("提示", "note"),
    "res_na": ("无法核对", "not checked"),
    # A file's summary line.
    "summary": ("{file}：{edition} 版，{year} 年度，{who}：{counts}",
                "{file}: edition {edition}, year {year}, {who}: {counts}"),
    "no_agency": ("（机关不详）", "?"),
    "counts": ("错误 {errors} 条，警告 {warnings} 条，提示 {notes} 条；无法核对 {cells} 格（空白）",
               "errors: {errors}, warnings: {warnings}, notes: {notes}; "
               "not checked: {cells} cells (blank)"),
    "duplicate": ("（与 {} 为同一报告）", " (the same report as {})"),
    "then": ("；", "; "),
    "series": ("系列 {body}（{n} 份报告）：{count} 条",
               "series {body} ({n} reports): {count} findings"),
    "wrote": ("已写入 {}", "wrote {}"),
    "baseline_merged": ("govdisclosure：{file} 在本次运行期间被另一次运行写入：保留了其中另外 "
                        "{n} 个指纹", "govdisclosure: {file} was written by another run meanwhile: "
                        "its {n} other fingerprints are kept"),
    "binary_needs_o": ("格式 {!r} 写出二进制文件：请用 -o FILE 指定文件",
                       "format {!r} writes a binary file: give the file with -o FILE"),
    "site_needs_o": ("review 给出文件夹时生成网站：请用 -o SITE/ 指定文件夹",
                     "review DIR writes a site: give the folder with -o SITE/"),
    "counted": ("（表三计入 {applications} 件申请，表四计入 {appeals} 件案件）",
                " (table 三 counts {applications} applications, table 四 {appeals} cases)"),
    "applications": ("申请登记", "application register"),
    "appeals": ("复议诉讼登记", "appeal register"),
    "two_registers": ("给出了两份{kind}：每种登记只能给一份",
                      "two files are an {kind}: give one register of each kind"),
    "build_needs": ("新建报告需要 --year 和 --agency（或用 --report 指定已有报告）",
                    "a new report needs --year and --agency (or give one with --report)"),
    "not_register": ("既不是申请登记（{applications}），也不是复议诉讼登记（{appeals}）",
                     "neither an application register ({applications}) nor an appeal "
                     "register ({appeals})"),
    "can_read": ("读", "read"),
    "can_write": ("写", "write"),
    "status_failed": ("不成立", "failed"),
    "status_not_assessable": ("无法核对", "not assessable"),
    "sev_error": ("错误", "error"),
    "sev_warning": ("警告", "warning"),
    "sev_info": ("提示", "info"),
    "usage": ("用法：", "usage: "),
    "positionals": ("位置参数", "positional arguments"),
    "options": ("选项", "options"),
}


def word(key: str, lang: str, *args: object, **kwargs: object) -> str:
    """The CLI's word ``key`` in ``lang`` (``zh`` or ``en``), formatted."""
    zh, en = WORDS[key]
    text = en if lang == "en" else zh
    return text.format(*args, **kwargs) if args or kwargs else text


def lang_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line (``--lang en``), before parsing."""
    lang = "zh"
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return "en" if lang == "en" else "zh"


#: The Chinese of every help text and description the parser carries.
HELP_ZH: dict[str, str] = {
    "Read, check and convert 政府信息公开工作年度报告 (government information disclosure "
    "annual reports).": "读取、检查和转换政府信息公开工作年度报告。",
    "show this help message and exit": "显示此帮助后退出",
    "show tracebacks for unexpected errors": "意外错误时显示调用栈",
    "language of messages (default: zh)": "输出语言（默认 zh，中文；en 为英文）",
    "check reports against the form's rules": "按表格规则检查报告",
    "write a folder of reports as tables (CSV, SQLite, …)":
    "把一批报告写成数据表（CSV、SQLite 等）",
    "convert a report to another format": "把报告转换为另一种格式",
    "write a report's review page (HTML, findings marked)": "生成报告的审阅页面（HTML，标出问题）",
    "list installed formats": "列出已安装的格式",
    "list the rules": "列出检查规则",
    "write the form of one edition to fill in": "生成某一版本的待填写表格",
    "Check reports: every identity of the form (勾稽关系), cell domains, and what the reader "
    "met. A folder is walked for every file; files that are not reports are listed. Exit 0: "
    "no errors; 1: errors found; 2: an input could not be read.":
    "检查报告：表格的每一条勾稽关系、每格的取值范围，以及读取时发现的问题。给出文件夹时检查其中"
    "每个文件，并列出不是报告的文件。退出码 0：没有错误；1：发现错误；2：有输入无法读取。",
    "print findings as JSON": "以 JSON 输出检查结果",
    "stream one JSON object per file, one per line": "逐个文件输出 JSON，每行一个",
    "worker processes (default: all cores)": "并行进程数（默认：全部核心）",
    "worker processes (default: all cores for a folder or 64 files or more, else 1)":
    "并行进程数（默认：文件夹或 64 个以上文件时用全部核心，否则 1 个）",
    "hide findings recorded in FILE; record them there if FILE does not exist yet":
    "隐藏 FILE 中已记录的问题；FILE 不存在时把本次的问题记录进去",
    "rewrite the --baseline FILE with the current findings": "用本次的问题重写 --baseline 文件",
    "do not group reports of the same body into series": "不把同一机关的报告组成系列",
    "CSV of `name,body`: other names of bodies, for the series":
    "机关别名 CSV（`名称,机关`），用于组成系列",
    "fill the blanks the identities determine (marked as inferred) first":
    "先按勾稽关系推算填入能唯一确定的空白格（标为推算）",
    "input format (default: from the file extension)": "输入格式（默认：按文件扩展名）",
    "the form's edition, when the content does not tell": "表格版本（内容无法判断时使用）",
    "Read and check every file (as `check` does) and write the tables reports, cells and "
    "findings: a folder of CSV files, or by the ending of OUT an SQLite file (.sqlite, .db), "
    "Parquet datasets (.parquet) or a DuckDB file (.duckdb). An existing store is appended "
    "to; files already in it are skipped. Exit 0 when the store was written (findings and "
    "unreadable files are in it); 2 when it could not be.":
    "读取并检查每个文件（同 check），写出报告、单元格和问题三张表：CSV 文件夹，或按 OUT 的扩展名写"
    "成 SQLite（.sqlite、.db）、Parquet（.parquet）或 DuckDB（.duckdb）。已有的数据会被追加，已收录"
    "的文件跳过。写出成功退出码为 0（问题和无法读取的文件都在其中），无法写出为 2。",
    "the store: a folder (CSV), or a file ending in .sqlite, .db, .parquet or .duckdb":
    "输出位置：文件夹（CSV），或以 .sqlite、.db、.parquet、.duckdb 结尾的文件",
    "the kind of store, whatever OUT ends in": "输出类型（不论 OUT 的扩展名）",
    "Read a report and write it in another format.": "读取报告并以另一种格式写出。",
    "output format (see `govdisclosure formats`)": "输出格式（见 `govdisclosure formats`）",
    "output file (default: stdout)": "输出文件（默认：标准输出）",
    "Write a standalone HTML page of a report in the official layout, with every failed or "
    "not-assessable cell marked and the findings listed under each table. Exit 0: no errors; "
    "1: errors found; 2: the input could not be read. Given a folder, writes a site to -o "
    "SITE/: an index of every report, each review page, and an overview with charts (exit 0).":
    "按官方格式生成报告的独立 HTML 审阅页面，标出不成立和无法核对的格，并在每张表下列出问题。"
    "退出码 0：没有错误；1：发现错误；2：输入无法读取。给出文件夹时在 -o SITE/ 生成网站：全部报告"
    "的索引、各报告的审阅页面和带图表的概览（退出码 0）。",
    "a report, or a folder: then a site is written to -o SITE/":
    "一份报告，或一个文件夹（此时在 -o SITE/ 生成网站）",
    "output file (default: stdout); for a folder, the site's folder":
    "输出文件（默认：标准输出）；文件夹时为网站所在文件夹",
    "worker processes for a folder (default: all cores)": "文件夹的并行进程数（默认：全部核心）",
    "List every installed format and what it can do.": "列出每种已安装的格式及其用途。",
    "List the rule catalogue with stable ids.": "列出规则目录及其固定编号。",
    "Write the form of one edition to fill in, as `new` writes it: a placeholder in each of "
    "sections 一, 五 and 六 and tables 二, 三 and 四 with every cell blank; the title and "
    "introduction name the body and year given, or hold a placeholder for them. The format "
    "follows OUT's ending (or --to).":
    "生成某一版本的待填写表格，与 new 相同：第一、五、六部分各有占位文字，表二、表三、表四"
    "每格空白；标题和引言写入给出的机关和年度，未给出的留占位文字。"
    "格式按 OUT 的扩展名（或 --to）。",
    "year covered (default: a placeholder)": "报告年度（默认：占位文字）",
    "the body's name (default: a placeholder)": "机关名称（默认：占位文字）",
    "2019 or 2021": "2019 或 2021",
    "output format (default: json)": "输出格式（默认：json）",
    "year covered": "报告年度",
    "the body's name": "机关名称",
    "show the version and exit": "显示版本号后退出",
    "write a new report to fill in": "生成待填写的新报告",
    "Write a new report for one body and year: the title and introduction filled in, a "
    "placeholder in each of sections 一, 五 and 六 saying what goes there, and tables 二, 三 "
    "and 四 with every cell blank. The format follows OUT's ending (or --to).":
    "为某机关某年度生成新报告：标题和引言已填好，第一、五、六部分各有提示填写内容的占位文字，"
    "表二、表三、表四每格空白。格式按 OUT 的扩展名（或 --to）。",
    "the form's edition (default: 2021)": "表格版本（默认：2021）",
    "output format (default: from OUT's ending, else json)":
    "输出格式（默认：按 OUT 的扩展名，否则为 json）",
    "count tables 三 and 四 from case registers": "按登记台账统计表三和表四",
    "Count table 三 from an application register and table 四 from a review and litigation "
    "register (CSV, docs/registers.md; each file is told by its header) into a report: the "
    "report given with --report, or a new one (as `new` writes) for --year and --agency. "
    "Writes the report, then checks it. Exit 0: no errors; 1: errors found; 2: a register or "
    "the report could not be read.":
    "按申请登记台账统计表三、按行政复议和行政诉讼登记统计表四（CSV，见 docs/registers.md；按表头"
    "区分两种登记），写入报告：--report 指定的报告，或为 --year 和 --agency 新建的报告（同 "
    "new）。写出报告后进行检查。退出码 0：没有错误；1：发现错误；2：登记或报告无法读取。",
    "the application register and/or the appeal register": "申请登记和/或复议诉讼登记",
    "the report to count the tables into (default: a new one)": "要写入表格的报告（默认：新建）",
    "year covered (for a new report)": "报告年度（新建报告时）",
    "the body's name (for a new report)": "机关名称（新建报告时）",
    "print the JSON Schema of the report document": "输出报告 JSON 文档的 JSON Schema",
    "Print the JSON Schema (draft 2020-12) of the JSON report document, generated from the "
    "form: of one edition, or of either.":
    "输出报告 JSON 文档的 JSON Schema（draft 2020-12），由表格生成：某一版本的，或两个版本通用的。",
    "the schema of one edition's documents (default: either)":
    "某一版本文档的 schema（默认：两个版本通用）",
}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a CJK character."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


# A unit of wrapping: one CJK character (a line may break beside it), a run of
# other characters (a word), or spaces. Compiled when help is first wrapped (by
# re's cache), as are the patterns below: checking a file shows no help.
_UNIT = r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+"
# Punctuation no line begins with, and none it ends with: each stays with its
# neighbour (``（.duckdb）。`` moves to the next line whole).
_NO_LINE_START = frozenset("，。；：、）」』”’！？》")
_NO_LINE_END = frozenset("（「『“‘《")


def _atoms(text: str) -> list[str]:
    """The units of ``text`` (see ``_UNIT``), a mark that may not begin or end a
    line joined to its neighbour."""
    atoms: list[str] = []
    for unit in re.findall(_UNIT, " ".join(text.split())):
        if atoms and not unit.isspace() and not atoms[-1].isspace() and (
                unit[0] in _NO_LINE_START or atoms[-1][-1] in _NO_LINE_END):
            atoms[-1] += unit
        else:
            atoms.append(unit)
    return atoms


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words or
    beside any CJK character (``textwrap`` breaks only at spaces); a unit wider
    than a line has a line of its own."""
    lines: list[str] = []
    line, used = "", 0
    for atom in _atoms(text):
        if atom.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = display_width(atom)
        if line.strip() and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + atom, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class CjkHelpFormatter(argparse.HelpFormatter):
    """argparse's help, with Chinese wrapped by its width on screen."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


def localise_parser(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put ``parser`` (and every subcommand's parser) into ``lang``'s words."""
    if lang == "en":
        return
    seen: set[int] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        if id(p) in seen:
            return
        seen.add(id(p))
        if p.description:
            p.description = HELP_ZH.get(p.description, p.description)
        p.formatter_class = CjkHelpFormatter
        p._positionals.title = word("positionals", lang)
        p._optionals.title = word("options", lang)
        for action in p._actions:
            if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
                action.help = HELP_ZH.get(action.help, action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        choice.help = HELP_ZH.get(choice.help, choice.help)
                for child in action.choices.values():
                    walk(child)

    walk(parser)


# argparse's own error messages, as patterns, with their Chinese.
_ARGPARSE: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.*)$", r"缺少必需的参数：\1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
    (r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
     r"参数 \1 的值无效：\2（可选：\3）"),
    (r"^argument (\S+): invalid (\w+) value: (.*)$", r"参数 \1 的值无效：\3"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 需要一个值"),
    (r"^argument (\S+): expected at least one argument$", r"参数 \1 至少需要一个值"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"参数 \1 不能与 \2 同时使用"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"选项 \1 不明确，可能是：\2"),
)


def translate_usage_error(message: str, lang: str) -> str:
    """argparse's message about bad usage, in ``lang``."""
    if lang == "en":
        return message
    for pattern, zh in _ARGPARSE:
        if re.match(pattern, message):
            return re.sub(pattern, zh, message)
    return message
