"""Words too common to stand for a topic: never a key phrase or a related term on their own.

Shared by key phrases (:mod:`search.phrases`) and related terms (:mod:`search.vocabulary`),
so both leave out the same words.
"""

from __future__ import annotations

#: Words that carry grammar, not content: never a key phrase, never at the edge of an n-gram.
FUNCTION_WORDS = frozenset(
    """
的 地 得 了 着 过 和 与 及 或 并 而 且 在 于 为 以 对 把 被 将 向 从 由 到 至 给 让 使 按 等 之
其 此 该 各 每 是 有 也 都 就 还 又 再 更 最 很 不 没 要 会 能 可 应 已 所 中 上 下 内 外 里 后
前 来 去 个 种 项 次 批 家 年 月 日 这 那 我 你 他 她 它 们 着力 以及 以上 以下 之一 之间 并且
而且 或者 通过 围绕 按照 根据 关于 对于 其中 同时 进而 从而 因此 所以 以来 期间 方面 领域 我们
他们 大家 这些 那些 这个 一个 一些 一批 一是 二是 三是 四是 五是 六是 七是 八是 九是 十是 一年
一次 各类 各项 各级 各位 各种 全体 一切 所有 已经 正在 仍然 依然 还是 就是 不是 没有 进行 作为
成为 实现 达到 包括 有关 其他 左右 同比 分别 累计 预计 力争 全年 年度 今年 去年 明年 当年 上年
过去 今后 未来 目前 当前 近年来 首次 全部
""".split()
)

#: Generic government vocabulary: too common to be a key phrase on its own, and an n-gram may
#: not start or end with one of the verbs/adverbs (推进园区整合 → 园区整合).
GENERIC_WORDS = frozenset(
    """
发展 建设 推进 加快 全面 工作 推动 加强 实施 深入 坚持 持续 积极 进一步 完善 提升 提高 强化
促进 优化 落实 开展 完成 确保 大力 扎实 不断 切实 坚决 全力 努力 重点 有效 有力 显著 明显 稳步
深化 健全 构建 打造 培育 支持 服务 保障 管理 体系 机制 水平 能力 质量 工程 项目 行动 计划 任务
目标 问题 成效 成果 全市 全省 全区 全县 全国 我市 本市 市委 市政府 政府 省委 省政府 人民 群众
同志 代表 报告 新增 增长 亿元 万元 万人 百分点 基本 总体 取得 形成 加大 注重 突出 聚焦 紧扣
抓好 做好 用好 办好 统筹 协调 创新 改革 开放 经济 社会 城市 农村 产业 企业 建成
开工 新建 改造 提质 增效 升级 扩大 推广 探索 鼓励 引导 组织 部署 要求 决策 政策 措施 制度 规划
方案 意见 办法 全年 稳定 安全 健康 绿色 现代 实事 民生 责任 政治 思想 精神 党的 中央 国家 国务院
有序 高效 精准 规范 依法 及时 主动 广泛 深度 高度 重要 更加 更好 进入 实行 坚定 紧紧 牢牢 始终
全力以赴 高质量 高水平 新的 系列 各方 领导 干部 人员 单位 部门 地方 区域 基层 平台 环境 资源
主要 重大 相关 首个 首批 第一 用力 全市域 全方位 一批 新一轮
""".split()
)
