"""``python -m scripts.bench.workbench``: the researcher's workbench on the bench corpus
(issue 15): a panel of 10 concepts × 30 terms over every report, collocates of common
phrases, keyness of two provinces — each timed, the panel checked cell by cell against a
brute-force count that shares no code with the engine's counting.

    python -m scripts.bench.workbench --index bench-data/work/index-full \
        --out docs/benchmarks-workbench.md
"""

from __future__ import annotations

import argparse
import platform
import re
import time
from pathlib import Path

from search.engine import Engine
from search.insight.collocates import collocates
from search.insight.concepts import gather
from search.insight.keyness import keyness
from search.insight.panel import build_panel

WORDS = """数字经济 数字化转型 数字产业 数字政府 大数据 云计算 人工智能 互联网 物联网 区块链 5G 工业互联网 智能制造 电子商务 数据中心 信息化 智慧城市 数字乡村 算力 数据要素 网络安全 软件 集成电路 新一代信息技术 平台经济 共享经济 在线 直播 跨境电商 数字化
乡村振兴 农业农村 脱贫攻坚 精准扶贫 新农村 美丽乡村 农民增收 现代农业 粮食安全 高标准农田 土地流转 农村改革 宅基地 集体经济 农业产业化 家庭农场 合作社 农产品 冷链 乡村旅游 人居环境 厕所革命 乡风文明 乡村治理 驻村 易地搬迁 返贫 帮扶 特色产业 种业
生态环境 污染防治 大气污染 水污染 土壤污染 节能减排 碳达峰 碳中和 绿色发展 循环经济 河长制 生态文明 环境保护 垃圾分类 新能源 清洁能源 光伏 风电 低碳 植树造林 湿地 蓝天 碧水 净土 排放 能耗 环保督察 生态修复 秸秆 污水处理
科技创新 研发投入 高新技术企业 创新驱动 孵化器 众创空间 人才 专利 产学研 科研院所 实验室 技术创新 成果转化 创新平台 双创 创业 高层次人才 院士 博士 研发中心 创新型 科技型 知识产权 新型研发机构 技术改造 首台套 独角兽 瞪羚 专精特新 人才引进
营商环境 放管服 简政放权 一网通办 最多跑一次 行政审批 减税降费 民营经济 中小企业 市场主体 招商引资 外资 开放型经济 自贸区 口岸 进出口 外贸 投资 项目建设 重大项目 基础设施 交通 高铁 机场 港口 物流 城镇化 新型城镇化 棚户区 老旧小区
教育 医疗 养老 社会保障 就业 住房 文化 体育 卫生 健康 托育 学前教育 义务教育 职业教育 高等教育 医保 医院 基层医疗 公共卫生 疫情防控 食品安全 社会救助 低保 残疾人 退役军人 妇女儿童 社区 志愿服务 文明城市 全民健身
安全生产 应急管理 防汛 消防 平安 扫黑除恶 信访 法治 依法治市 公共安全 维稳 禁毒 反腐 廉政 作风建设 八项规定 审计 监督 问责 政务公开 人大 政协 建议 提案 形式主义 官僚主义 节俭 三公经费 清廉 效能
金融 银行 贷款 上市 债券 融资 担保 风险防控 债务 地方政府债务 化债 金融风险 保险 资本市场 基金 股权投资 普惠金融 小微企业 信贷 存款 不良贷款 非法集资 金融服务 财政 税收 预算 收入 支出 专项债 转移支付
房地产 住房保障 保障性住房 公租房 租赁住房 房价 土地 供地 住宅 商品房 物业 城市更新 旧城改造 城中村 地下管网 海绵城市 园林 公园 道路 停车 公交 地铁 轨道交通 燃气 供水 供热 排水 城市管理 市容 违建
开发区 高新区 园区 产业园 工业园区 园区整合 经开区 综合保税区 产业集群 产业链 链长制 先进制造业 战略性新兴产业 主导产业 龙头企业 规上工业 工业增加值 制造业 服务业 现代服务业 文旅 旅游 会展 商贸 消费 夜经济 首店 品牌 总部经济 楼宇经济"""
NAMES = ["数字", "乡村", "生态", "创新", "营商", "民生", "治理", "金融", "城建", "产业"]
TARGETS = {"panel": 10.0, "collocates": 2.0, "keyness": 5.0}


def concepts():
    lines = WORDS.strip().split("\n")
    return gather(inline_defs=[f"{n}=" + ",".join(line.split()) for n, line in zip(NAMES, lines)])


def brute_term(text: str, term: str) -> int:
    """Non-overlapping occurrences; Latin/digit terms only at letter/digit boundaries."""
    if re.search(r"[A-Za-z0-9]", term):
        edge = r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])"
        return len(re.findall(edge, text, re.IGNORECASE | re.ASCII))
    return text.count(term)


def brute_concept(text: str, terms: list[str]) -> int:
    """Every start of every term, then left to right the longest at each free position."""
    best: dict[int, int] = {}
    for term in terms:
        at = text.find(term)
        while at >= 0:
            best[at] = max(best.get(at, 0), at + len(term))
            at = text.find(term, at + 1)
    total, free = 0, 0
    for start in sorted(best):
        if start >= free:
            total, free = total + 1, best[start]
    return total


def check_panel(engine, defs, panel) -> tuple[int, int]:
    """(cells checked, cells wrong) of the by-report panel against the brute force."""
    terms = {c.name: [t.text for t in c.terms] for c in defs}
    checked = wrong = 0
    texts = {}
    for row in panel.rows:
        text = texts.get(row["report_id"])
        if text is None:
            texts.clear()
            text = texts[row["report_id"]] = engine.report(row["report_id"]).text
        plain = all(not re.search(r"[A-Za-z0-9]", t) for t in terms[row["concept"]])
        if row["term"]:
            expected = brute_term(text, row["term"])
        elif plain:
            expected = brute_concept(text, terms[row["concept"]])
        else:
            continue  # a concept with a Latin term: its boundary rule is checked in the tests
        checked += 1
        wrong += expected != row["occurrences"]
    return checked, wrong


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.bench.workbench")
    ap.add_argument("--index", default="bench-data/work/index-full")
    ap.add_argument("--out", default="docs/benchmarks-workbench.md")
    ap.add_argument("--a", default="province:浙江", help="keyness group A")
    ap.add_argument("--b", default="province:湖北", help="keyness group B")
    args = ap.parse_args(argv)
    engine = Engine(Path(args.index))
    defs = concepts()
    panel, t_panel = timed(build_panel, engine, defs)
    _, t_city = timed(build_panel, engine, defs, "city-year")
    checked, wrong = check_panel(engine, defs, panel)
    rows = [
        (
            f"panel, 10 concepts × {sum(len(c.terms) for c in defs)} terms, every report "
            "(by report)",
            t_panel,
            TARGETS["panel"],
        )
    ]
    rows.append(("panel, same, by city-year", t_city, TARGETS["panel"]))
    for phrase in ("高质量发展", "生产总值", "发展"):
        data, t = timed(collocates, engine, phrase)
        rows.append((f"collocates of {phrase} ({data['hits']:,} hits)", t, TARGETS["collocates"]))
    data, t = timed(keyness, engine, args.a, args.b)
    rows.append(
        (
            f"keyness {args.a} ({data['a']['reports']} reports) vs {args.b} "
            f"({data['b']['reports']} reports)",
            t,
            TARGETS["keyness"],
        )
    )
    lines = [
        "# Workbench benchmarks (issue 15)",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {__import__('os').cpu_count()} cores; index "
        f"`{args.index}` ({engine.report_count()} reports, generation {engine.generation}); "
        f"{time.strftime('%Y-%m-%d %H:%M')}. Wall time, one run each, cold caches of the "
        "engine.",
        "",
        "| what | seconds | target | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, seconds, target in rows:
        lines.append(
            f"| {label} | {seconds:.2f} | ≤ {target:g} | {'yes' if seconds <= target else 'no'} |"
        )
    lines += [
        "",
        f"Panel exactness: {checked:,} cells (every term row, every concept row of "
        f"plain Chinese terms) checked against a brute-force count: {wrong} wrong.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), "utf-8")
    print("\n".join(lines))
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
