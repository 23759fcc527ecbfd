"""Is this text a real text layer, or glyphs mapped to the wrong characters?

Some PDFs carry fonts whose ToUnicode maps (or missing ones) send every glyph to the wrong
code point. The page then "has text" and reads as noise: Hangul jamo, Canadian syllabics,
Cyrillic, rare CJK extension characters, control codes. (cid:N) and U+FFFD, the obvious
failures, are caught by ``normalize.garbage_ratio``; these are not, and a targeting clause on
such a page would be missed with the document reported ok. Two signals tell them apart:

1. **Rare-block share.** The share of non-space characters outside the blocks a Chinese or
   English document uses (ASCII and Latin, Greek, punctuation and symbols, CJK symbols,
   unified ideographs, compatibility and full-width forms, and the Uyghur, Tibetan and
   Mongolian scripts of bilingual notices from minority regions, which this tool must read).
   Jamo, syllabics, Cyrillic, private use, CJK Extension A and beyond, control characters and
   every other script count as rare.
2. **Chinese coverage.** Where a page has enough ideographs: the share of them among the
   ~400 most frequent Chinese characters (general frequency, plus procurement staples), and
   the share of adjacent ideograph pairs that are common words (的/和 aside: 我们, 可以, 项目,
   投标, 采购 …). Real Chinese text scores well on both. A wrong map onto frequent characters
   passes the first and the character test, but its pairs are random, so the word test fails.

Each signal is divided by its limit, so ``Garbled.score`` >= 1 means garbled and the larger
value is reported (calibrated on the real corpus: ``bench/bench_garbled.py``). Pages under
``MIN_CHARS`` non-space characters, and the coverage tests under ``MIN_IDEOGRAPHS``, are
never judged: too little text to tell, and English pages have no ideographs to count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters outside the blocks a Chinese or English document uses (see the module docstring).
_RARE = re.compile(
    "[^\t\n\r\x20-\x7e\u00a0-\u024f"  # ASCII, Latin-1, Latin Extended A/B (pinyin tones)
    "\u02c7\u02c9-\u02cb\u02d9"  # ˇ ˉ ˊ ˋ ˙, the modifier letters of GB2312/GBK
    "\u0370-\u03ff"  # Greek (α, μ, Ω in specifications)
    "\u0600-\u06ff\u0f00-\u0fff\u1800-\u18af"  # Uyghur (Arabic script), Tibetan, Mongolian: bilingual notices
    "\ufb50-\ufdff\ufe70-\ufeff"  # Arabic presentation forms, as some PDFs extract Uyghur
    "\u2000-\u23ff"  # punctuation, super/subscripts, currency, letterlike, number forms, arrows, maths
    "\u2460-\u27bf"  # enclosed alphanumerics, box drawing, shapes, symbols, dingbats
    "\u2e80-\u2fdf"  # CJK radicals and Kangxi radicals (folded to ideographs by normalize)
    "\u3000-\u303f\u30fb"  # CJK symbols and punctuation, the katakana middle dot
    "\u3200-\u33ff"  # enclosed CJK (㈠) and CJK compatibility (㎡, ㎏)
    "\u4e00-\u9fff\uf900-\ufaff"  # unified and compatibility ideographs
    "\ufe30-\ufe6f\uff00-\uffef]"  # vertical, small and full-width forms
)
_SPACE = re.compile(r"\s+")
_IDEOGRAPHS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")  # runs of ideographs

# The most frequent characters of general written Chinese, in rough frequency order, and a few
# procurement staples. General knowledge, not read off any document.
COMMON_CHARS = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发"
    "后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开"
    "但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并"
    "物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先"
    "海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才"
    "结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书"
    "非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领"
    "共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转"
    "夫令准布始怎存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况请技际约示"
    "复病息究线似官火断精满支视消越器容照须九增研写称企八功包片史委乎查轻易早曾除农找装广显标谈图念"
    "六引历首医局专费号尽另周较注语仅考落青随选列武红响虽推势参古众构房半节土投某案维划致律足态护七"
    "兴派验责营够章音跟志底站严例防供效续施留讲型料终答紧黄绝察母段依批群项故按河米围江织害双境客纪"
    "采举父密低友诉止细愿千值仍男钱破网热助育属坐限职速刻乐否刚威状率甚独般普创假久错承印晚试股益若"
    "微继送急血惊伤素药适波省初喜卫源食险待述陆习置居劳财环排福纳雷警获模充负停木游龙树层冷洲略范竟"
    "句室异激汉村策演简罪判担州静退既宗积余检差富灵协角占配征修降阶审坚善超免压银买养执副抗犯追帮宣"
    "岁航优控税左右份艺背概块敢守岛户央烈索款靠评版宝座释景顾登货互付换闻危核介坏讨良序升监临露永野"
    "架域括误编测败封救贵缺县移智短均销录附予礼额含顺输补督油疗材逐笔择厂授签购租凭购盖章商诺"
)

# Common two-character words: general vocabulary, then the words every procurement text uses.
COMMON_WORDS = """
我们 你们 他们 自己 这个 那个 一个 这些 那些 什么 怎么 为什么 没有 不是 就是 还是 也是 都是 可以 可能 应该 能够 已经 正在 因为 所以 但是 如果 虽然 而且 并且 或者 以及 以后 以前 之后 之前 之间 以上
以下 以内 其中 其他 其它 所有 任何 全部 部分 每个 各种 各类 有关 相关 相应 一般 主要 重要 重大 特别 具体 基本 一定 同时 另外 此外 目前 现在 时候 时间 今年 明年 国家 中国 人民 社会 经济 发展 工作
问题 情况 方面 方法 方式 过程 结果 原因 影响 作用 进行 开始 出现 发生 造成 导致 成为 认为 表示 通过 根据 按照 关于 对于 由于 为了 除了 中心 地区 城市 全国 市场 行业 公司 有限 企业 单位 部门 机构
组织 人员 工程 建设 技术 系统 管理 服务 信息 数据 资料 网络 平台 软件 硬件 设备 产品 材料 质量 标准 规范 要求 需要 提供 实现 支持 使用 功能 性能 参数 配置 安装 调试 运行 维护 保障 安全 项目 采购
招标 投标 中标 成交 供应 应商 合同 文件 评标 评审 评分 得分 分值 报价 价格 单价 总价 金额 费用 预算 人民币 万元 支付 保证 保证金 承诺 签订 履行 违约 验收 交付 期限 工期 日期 截止 开标 递交 提交 响应
偏离 说明 附件 格式 盖章 签字 法定 代表 授权 委托 代理 负责 联系 电话 地址 名称 编号 公告 发布 公示 通知 书面 澄清 修改 变更 确定 有效 无效 合格 资格 条件 证明 证书 营业 执照 注册 税务 财务 报告
审计 业绩 经验 类似 专业 法律 法规 政府 公共 资源 交易 商务 实施 计划 方案 措施 培训 售后 范围 内容 数量 合计 含税 工作日 小时 不得 应当 必须 不少 不超 至少 超过 达到 满足 符合 具有 执行 处理 解决
检查 检测 监督 审查 审核 核实 确认 分析 研究 开发 设计 制作 生产 用户 客户 甲方 乙方 双方 本项 本次 上述 下列 如下 如有 是否 的话 第一 第二 第三 一次 二次 中华 共和 国务 提出 提高 加强 建立 完成
保持 得到 包括 包含 属于 存在 选择 决定 规定 规则 办法 条例 制度 政策 原则 目标 任务 责任 义务 权利 利益 风险 事项 事件 活动 会议 意见 建议 人数 工资 社保 保险 员工 职工 岗位 现场 地点 办公 一些
一直 一起 一样 一切 一方 一致 一律 一旦 一并 不同 不能 不会 不要 不必 不再 不断 不良 不足 不可 不应 不予 不在 上午 下午 中午 上面 下面 上级 下级 上年 上报 下达 中间 中央 地方 人们 大家 大量 大型
小型 中型 多种 多少 几个 两个 每天 每年 每月 每周 每次 每日 当天 当日 当地 当前 当时 当事 及时 随时 按时 准时 定期 长期 短期 近期 初期 后期 期间 以来 以便 以免 以外 从而 因此 然后 然而 而是 还有
只有 只要 只能 即可 即使 尽快 尽量 立即 马上 直接 间接 分别 有效期 发现 知道 看到 听到 觉得 希望 需求 要点 重点 难点 特点 优点 缺点 时点 观点 节点 终点 生活 生命 学习 学生 学校 老师 教师 教育 教学
医院 医生 医疗 医药 病人 健康 卫生 环境 环保 污染 清洁 清洗 干净 保洁 垃圾 消毒 食品 食物 餐饮 餐厅 厨房 饭菜 用餐 物业 绿化 保安 门卫 巡逻 值班 秩序 停车 车辆 交通 道路 运输 物流 仓库 仓储 货物
商品 物资 物品 用品 家具 空调 电梯 照明 电力 电气 电压 电流 电缆 电源 电池 电脑 电子 电视 开关 控制 操作 自动 手动 装置 设施 机房 机柜 线路 布线 接地 防雷 消防 报警 火灾 应急 救援 事故 故障 维修
保养 检修 更换 升级 改造 扩容 部署 集成 对接 接入 兼容 稳定 可靠 先进 成熟 实用 灵活 方便 快速 高效 准确 完整 统一 标准化 计算 存储 服务器 终端 客户端 浏览 界面 页面 登录 账号 密码 权限 用户名 加密
备份 恢复 日志 查询 统计 报表 导出 导入 上传 下载 传输 通信 通讯 协议 端口 带宽 速率 容量 内存 硬盘 处理器 芯片 摄像 图像 视频 监控 录像 画面 分辨 像素 镜头 识别 人脸 车牌 抓拍 轨迹 预警 告警 布控
比对 智能 算法 模型 大数据 云计算 人工 智慧 数字 信息化 网络化 公安 警务 民警 派出 刑侦 治安 交警 户籍 人口 流动 管控 维稳 情报 研判 侦查 案件 嫌疑 犯罪 违法 打击 防范 预防 排查 走访 核查 登记 采集
录入 比较 关联 群体 身份 证件 护照 民族 宗教 国籍 境外 外籍 出入 边境 口岸 工程师 项目经理 负责人 技术员 操作员 管理员 专家 顾问 团队 小组 班组 人力 劳务 派遣 外包 用工 招聘 录用 考核 绩效 奖励 处罚
扣除 罚款 赔偿 补偿 索赔 争议 仲裁 诉讼 法院 判决 裁定 解除 终止 中止 延期 延长 缩短 提前 推迟 逾期 付款 结算 发票 税率 增值税 开票 收据 凭证 账户 开户 银行 转账 汇款 现金 支票 保函 担保 押金 定金
预付 尾款 进度 比例 百分 分期 年度 季度 月度 时限 期满 到期 届时 截至 之日 日起 日内 个月 年限 寿命 质保 保修 售后服务 响应时间 到场 上门 远程 热线 咨询 投诉 反馈 回复 答复 解答 疑问 异议 质疑 复核
复议 申请 审批 批准 同意 许可 备案 报送 汇报 通报 公布 公开 透明 公平 公正 诚信 信用 失信 记录 档案 存档 归档 保存 保管 保密 泄露 隐私 安全性 可靠性 稳定性 兼容性 扩展性 开放 封闭 独立 分离 合并
联合体 分包 转包 总包 承包 承建 承接 承担 承办 主办 协办 举办 召开 参加 参与 出席 主持 讨论 决议 纪要 签到 投标人 招标人 采购人 供应商 中标人 成交人 代理机构 评标委员会 评审小组 磋商 谈判 询价 竞争性
单一 来源 框架 定点 集中 分散 批量 网上 电子化 在线 线上 线下 踏勘 答疑 补遗 更正 废标 流标 否决 拒绝 接受 退还 没收 扣留 缴纳 交纳 送达 邮寄 密封 封装 标记 正本 副本 电子版 光盘 份数 页码 目录 索引
封面 首页 装订 打印 复印 扫描 原件 复印件 加盖 公章 印章 骑缝 签名 年月 时分 北京 上海 广州 深圳 天津 重庆 南京 杭州 武汉 成都 西安 沈阳 大连 青岛 宁波 苏州 长沙 郑州 济南 合肥 福州 厦门 昆明 南宁
贵阳 兰州 银川 西宁 拉萨 新疆 西藏 广东 广西 江苏 浙江 山东 河南 河北 湖南 湖北 四川 云南 贵州 陕西 山西 辽宁 吉林 江西 安徽 福建 海南 甘肃 青海 宁夏 香港 澳门 台湾 全市 全省 全区 全县 本市 本省
本区 本县 市区 城区 郊区 乡镇 街道 社区 小区 园区 校区 区域 省级 市级 县级 国家级 总局 分局 支队 大队 科室 办公室 委员会 管理局 人民政府 财政 财政局 发展改革 建设局 交通局 教育局 卫生局 税务局 海关 海事
港口 机场 铁路 公路 桥梁 隧道 水利 水务 供水 排水 污水 供电 供热 燃气 能源 节能 土地 规划 测绘 勘察 设计院 监理 造价 控制价 工程量 清单 定额 计价 措施费 规费 税金 暂列 暂估 材料费 人工费 机械费 管理费
利润 成本 费率 分部 分项 施工 施工单位 进场 退场 竣工 完工 移交 试运行 投入 运营 经营 营业额 注册资本 注册资金 法人 法定代表人 授权代表 委托代理人 身份证 联系人 联系方式 邮编 传真 邮箱 网址 网站 第四 第五
第六 第七 第八 第九 第十 一条 一款 一项 一章 一节 首先 其次 最后 另行 本章 本节 本条 本款 本文件 本合同 本协议 本公告 本项目 附表 附录 附图 表格 图纸 图表 文字 大写 小写 数额 总额 额度 限额 上限 下限
最低 最高 最大 最小 最多 最少 最佳 最好 最终 最新 最近 较高 较低 较大 较小 较多 较少 较好 更多 很多 许多 大多 多数 少数 全体 整体 总体 个人 个体 集体 多个 若干 不少于 不低于 不高于 不大于 不小于
不超过 大于 小于 等于 高于 低于 少于 多于 约为 左右 上下 前后 内外 之内 之外 之上 之下 之中 其余 剩余 余额 差额 差价 价差 额定 型号 规格 型式 输出 输入 绝缘 互感 断路 负荷 功率 频率 温度 湿度 压力
重量 尺寸 长度 宽度 高度 厚度 面积 体积 直径 精度 误差 范围内 状态 指示 显示 位置 信号 模拟 数字化 感应 加热 冷却 散热 防护 防水 防尘 外壳 材质 钢材 不锈 塑料 金属 玻璃 木材 水泥 混凝土 钢筋 砂浆
门窗 墙面 地面 屋面 台面 桌面 墙壁 油漆 涂料 防腐 焊接 切割 组装
""".split()
# What the word test looks up: every adjacent pair inside those words (供应商: 供应, 应商).
COMMON_BIGRAMS = frozenset(w[i:i + 2] for w in COMMON_WORDS for i in range(len(w) - 1))

_DROP_COMMON = dict.fromkeys(map(ord, COMMON_CHARS))  # str.translate: delete the common characters
MIN_CHARS = 40  # fewer non-space characters: too little text to judge
MIN_IDEOGRAPHS = 30  # fewer ideographs: the character test does not apply (English pages)
MIN_PAIRS = 80  # fewer adjacent ideograph pairs: the word test does not apply (a short page of names)
RARE_LIMIT = 0.20  # share of rare-block characters at which a text is garbled
COMMON_LIMIT = 0.20  # share of ideographs among COMMON_CHARS below which it is garbled
WORD_LIMIT = 0.08  # share of adjacent ideograph pairs in COMMON_BIGRAMS below which it is garbled


@dataclass(frozen=True)
class Garbled:
    """The signals for one text: the share of rare-block characters, and the common-character and
    common-word coverage of its ideographs (None where there are too few to count)."""

    chars: int  # non-space characters
    rare: float
    ideographs: int
    common: float | None
    words: float | None

    @property
    def score(self) -> float:
        """The largest signal over its limit: 1 or more means garbled; 0 when too short to judge."""
        if self.chars < MIN_CHARS:
            return 0.0
        parts = [self.rare / RARE_LIMIT]
        if self.common is not None:
            parts.append(COMMON_LIMIT / max(self.common, 0.01))
        if self.words is not None:
            parts.append(WORD_LIMIT / max(self.words, 0.001))
        return round(max(parts), 3)

    @property
    def garbled(self) -> bool:
        """Whether the signals say the text is garbled (score of 1 or more)."""
        return self.score >= 1.0


def measure(text: str) -> Garbled:
    """The rare-block share and Chinese coverage of ``text``."""
    flat = _SPACE.sub("", text)
    n = len(flat)
    if n == 0:
        return Garbled(0, 0.0, 0, None, None)
    rare = len(_RARE.findall(flat)) / n
    runs = _IDEOGRAPHS.findall(flat)  # whitespace is gone: PDFs space out characters
    ideo = "".join(runs)
    common = words = None
    if len(ideo) >= MIN_IDEOGRAPHS:
        common = round((len(ideo) - len(ideo.translate(_DROP_COMMON))) / len(ideo), 4)
    pairs = [r[i:i + 2] for r in runs for i in range(len(r) - 1)]
    if len(pairs) >= MIN_PAIRS:
        words = round(len(list(filter(COMMON_BIGRAMS.__contains__, pairs))) / len(pairs), 4)
    return Garbled(n, round(rare, 4), len(ideo), common, words)


def is_garbled(text: str) -> bool:
    """Whether ``text`` reads as glyphs mapped to the wrong characters (see the module docstring)."""
    return measure(text).garbled


def passages(text: str, size: int = 400) -> list[tuple[int, int]]:
    """Garbled stretches of a long text, as (first line, last line), 1-based.

    For formats that cannot be OCRed (HTML, DOCX, plain text) a garbled part is flagged, not
    re-read; the text is judged in runs of whole lines of about ``size`` characters, so one
    garbled table in a long document is found without the clean rest diluting it.
    """
    out: list[tuple[int, int]] = []
    lines = text.split("\n")
    start, buf = 0, 0
    for i, line in enumerate(lines):
        buf += len(line)
        if buf >= size or i == len(lines) - 1:
            if is_garbled("\n".join(lines[start:i + 1])):
                if out and out[-1][1] == start:  # adjacent runs merge
                    out[-1] = (out[-1][0], i + 1)
                else:
                    out.append((start + 1, i + 1))
            start, buf = i + 1, 0
    return out
