"""The rules' targeting test, one row per path: each kind of hit and each refuter.

Every clause here is written for this table (none comes from the corpus). A row names the
group labels the clause must get and the ``SCORES`` entry each is scored by; a refuter row
expects no group, and most have a control row just above it that differs only by the refuted
context, so the row shows that the refuter, not a missing term, removed the group.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from analyzer.classify.rules import SCORES, default

# (id, clause, keyword arguments to classify, {group label: SCORES key})
GROUP_ROWS = [
    # strong terms
    ("strong-with-cue", "平台须对涉恐人员开展实时布控，命中后推送至值班民警。", {},
     {"terrorism_related": "strong_with_cue"}),
    ("strong-with-capability-as-cue", "卡口摄像机对在逃人员进行人脸抓拍。", {}, {"fugitive": "strong_with_cue"}),
    ("strong-marked-star", "平台须对涉恐人员开展实时布控。", {"marker": "★"},
     {"terrorism_related": "strong_with_cue_marked"}),
    ("strong-marked-triangle", "平台须对涉恐人员开展实时布控。", {"marker": "▲"},
     {"terrorism_related": "strong_with_cue_marked"}),
    ("enumeration-without-cue", "名册分为涉恐人员、在逃人员、吸毒人员三类。", {},
     {"terrorism_related": "enumeration", "fugitive": "enumeration", "drug_user": "enumeration"}),
    ("heading-cue", "系统数据须覆盖辖区内的吸毒人员。", {"context": ["第四章 布控预警模块"]},
     {"drug_user": "heading_cue"}),
    ("strong-without-cue", "社区向吸毒人员发放宣传手册三百份。", {}, {}),
    ("english-strong", "The platform shall flag Uyghurs in the hotel check-in records.", {},
     {"uyghur": "strong_with_cue"}),
    # group vocabulary from the augmentation set's misses (taxonomy 2026.12.14)
    ("people-from-hong-kong", "Once people from Hong Kong, Macau or Taiwan enter, their lodging and calls are closely monitored.",
     {}, {"hong_kong_taiwan_macau": "strong_with_cue"}),
    ("post-release-supervision", "If a person under post-release supervision goes missing, alert the community officer.", {},
     {"ex_convict": "strong_with_cue"}),
    ("xin-character-plates", "对“新”字号牌车辆的行驶轨迹进行全程跟踪。", {}, {"uyghur": "strong_with_cue"}),
    ("relatives-of-detained-believers", "在押法轮功人员家属每季度走访一次，走访记录录入系统。", {},
     {"detainee_relatives": "strong_with_cue"}),
    # a group named as a value of the ethnicity attribute a system outputs (structures.py)
    ("recognised-value-sdk-struct", "FaceAttribute struct: age (int), gender (0 = male, 1 = female), race (0 = Han, "
     "1 = Uyghur, 2 = other), glasses (0/1).", {}, {"uyghur": "recognised_value"}),
    ("recognised-value-coded", "The face analysis output includes race (0 = Han, 1 = Tibetan, 2 = other).", {},
     {"tibetan": "recognised_value"}),
    ("recognised-value-zh-with-cue", "人脸结构化输出：性别、年龄、眼镜、民族（汉族/藏族/其他）。", {},
     {"tibetan": "strong_with_cue"}),
    ("recognised-value-attribute-name-only", "| 人脸属性 | 性别、年龄、表情、民族 | 准确率不低于95% |", {}, {}),
    ("recognised-value-register-control", "人口信息表民族字段按GB/T 3304编码：01 汉族，02 蒙古族，05 维吾尔族。", {}, {}),
    # weak terms
    ("weak-with-frame", "系统应支持按民族筛选人员并生成统计报表。", {}, {"ethnic_minority": "weak_with_frame"}),
    ("weak-frame-heading-cue", "登记表按民族分列人员。", {"context": ["三、人员比对功能"]},
     {"ethnic_minority": "weak_with_frame"}),
    ("weak-frame-without-cue", "登记表按民族分列人员。", {}, {}),
    ("weak-near-cue", "平台对记者到访实时预警。", {}, {"journalist": "weak_near_cue"}),
    ("english-weak-near-cue", "The system shall alert when students gather.", {},
     {"students_minors": "weak_near_cue"}),
    ("weak-listed", "对上访人员、记者开展布控。", {},
     {"petitioner": "strong_with_cue", "journalist": "weak_listed"}),
    ("weak-without-frame", "采购会议室设备一批，供记者使用。", {}, {}),
    ("weak-alone-near-cue", "对人员进京实时预警。", {}, {"petitioner": "weak_near_cue"}),
    ("weak-beside-stronger-group", "对涉恐人员进京实时预警。", {}, {"terrorism_related": "strong_with_cue"}),
    # proxies
    ("proxy-mosque", "在清真寺周边新建高清摄像机十二路。", {}, {"muslim_religious": "proxy_site"}),
    ("proxy-church", "在教堂出入口部署人脸识别抓拍设备。", {}, {"religious_other": "proxy_site"}),
    ("proxy-petition-office", "信访局大厅安装人脸识别摄像机。", {}, {"petitioner": "proxy_site"}),
    ("proxy-in-boilerplate", "在清真寺周边新建高清摄像机十二路。", {"zone": "boilerplate"}, {}),
    ("proxy-under-its-group", "对穆斯林群众在清真寺周边的活动进行视频监控。", {},
     {"muslim_religious": "strong_with_cue"}),
    # labels derived from others
    ("foreign-women", "对越南籍女性入住旅馆实时预警。", {},
     {"women": "strong_with_cue", "foreigner": "strong_with_cue"}),
    ("parent-inside-child", "对外籍记者的住宿登记进行比对。", {}, {"foreign_journalist": "strong_with_cue"}),
    # refuters, each after its control
    ("name-control", "监控点位对维吾尔人员实时布控。", {}, {"uyghur": "strong_with_cue"}),
    ("name", "监控点位设在维吾尔路与和平街交口。", {}, {}),
    ("slogan-control", "穆斯林群众欢度节日，现场视频监控保障安全。", {}, {"muslim_religious": "strong_with_cue"}),
    ("slogan", "各族穆斯林群众欢度节日，现场视频监控保障安全。", {}, {}),
    ("service-control", "车队为外籍人员到站后在窗口核对车票并检索。", {}, {"foreigner": "strong_with_cue"}),
    ("service-wording", "志愿服务队为外籍人员到站后在窗口核对车票并检索。", {}, {}),
    ("service-with-cue-beside-group", "服务大厅对外籍人员实时预警。", {}, {"foreigner": "strong_with_cue"}),
    ("service-weak-term", "便民服务窗口对记者实时预警。", {}, {}),
    ("epidemic-control", "对外籍人员进行实时预警。", {}, {"foreigner": "strong_with_cue"}),
    ("epidemic", "对新冠密接的外籍人员进行健康码预警。", {}, {}),
    ("epidemic-enumeration", "疫情期间对涉恐人员、在逃人员、吸毒人员保持布控。", {},
     {"terrorism_related": "strong_with_cue", "fugitive": "strong_with_cue", "drug_user": "strong_with_cue"}),
    ("boilerplate-control", "平台须对涉恐人员开展实时布控。", {}, {"terrorism_related": "strong_with_cue"}),
    ("boilerplate-zone", "平台须对涉恐人员开展实时布控。", {"zone": "boilerplate"}, {}),
    ("fire-alarm-control", "对吸毒人员居住楼宇进行预警。", {}, {"drug_user": "strong_with_cue"}),
    ("fire-alarm-is-no-cue", "对吸毒人员居住楼宇的烟感报警进行联网。", {}, {}),
    ("destination-control", "对记者到站实时预警。", {}, {"journalist": "weak_near_cue"}),
    ("destination", "购买赴新疆车票的旅客，系统预警。", {}, {}),
    # refuter families (taxonomy.yaml context.refuters), each after its control
    ("heritage-control", "寺庙出入口部署人像抓拍，对进出人员进行采集比对。", {},
     {"tibetan": "weak_near_cue", "religious_other": "weak_near_cue"}),
    ("heritage", "寺庙文物数字化采集：对壁画、唐卡进行高精度扫描建模。", {}, {}),  # murals scanned, not monks
    ("learning-analytics-control", "校园出入口人脸抓拍，对学生进出进行分析。", {}, {"students_minors": "weak_near_cue"}),
    ("learning-analytics", "智慧校园学情分析平台，生成学生学习画像。", {}, {}),  # a classroom system for students
    ("equal-treatment-control", "系统对少数民族人员的出行记录进行实时预警。", {}, {"ethnic_minority": "strong_with_cue"}),
    ("equal-treatment", "中标人不得因民族、宗教信仰对少数民族人员歧视，投诉电话须公示并核查。", {}, {}),
    ("equal-treatment-en", "The contractor shall not discriminate against ethnic minority staff and shall check "
     "complaints within 3 days.", {}, {}),
    ("integrity-pledge-control", "对进入娱乐场所的涉黄人员实时预警。", {}, {"sex_worker": "strong_with_cue"}),
    ("integrity-pledge", "投标人承诺不以洽谈业务为名邀请采购人员进入营业性娱乐场所，不行贿，违者记录在案。", {}, {}),
    ("staff-vetting-control", "平台对刑满释放人员实时比对并预警。", {}, {"ex_convict": "strong_with_cue"}),
    ("staff-vetting", "派驻保安须无犯罪记录，不得录用刑满释放人员，人员名单须报采购人核查。", {}, {}),
    ("newsroom-control", "平台须对记者的位置实时监控。", {}, {"journalist": "weak_near_cue"}),
    ("newsroom", "融媒体中心采编系统须支持记者稿件实时监控与汇聚分发。", {}, {}),
    ("newsroom-dispatch", "系统支持对记者外出采访车辆位置进行监控，便于新闻调度。", {}, {}),
    ("publicity", "本项目公告通过指定媒体发布，投标人须及时关注媒体上的澄清公告。", {}, {}),
    ("classroom-control", "系统对学生聚集实时预警。", {}, {"students_minors": "weak_near_cue"}),
    ("classroom", "录播教室须支持学生行为分析与课堂实时监控，考场须支持考生身份核验。", {}, {}),
    ("classroom-does-not-refute-other-groups", "考场视频监控须对涉恐人员实时布控。", {},
     {"terrorism_related": "strong_with_cue"}),
    ("group-service", "出入境大厅为外籍人员提供多语种签证办理服务并实时查询进度。", {}, {}),
    ("policy-boilerplate", "本项目落实政府采购政策，监狱企业视同小型企业，对少数民族地区企业价格扣除并核查。", {}, {}),
]


@pytest.fixture(scope="module")
def rules():
    return default()


@pytest.mark.parametrize("text,kwargs,expected", [r[1:] for r in GROUP_ROWS], ids=[r[0] for r in GROUP_ROWS])
def test_group_paths(rules, text: str, kwargs: dict, expected: dict[str, str]) -> None:
    groups = {f.label: f for f in rules.classify(text, **kwargs) if f.kind == "group"}
    assert set(groups) == set(expected), {k: f.reason for k, f in groups.items()}
    for label, rule in expected.items():
        f = groups[label]
        assert (f.score, f.tier) == (SCORES[rule].score, SCORES[rule].tier), (label, f.reason)
        assert f.method == "rules" and text[f.start:f.end] == f.evidence and f.evidence


# (id, clause, {capability or data-source label: SCORES key}); weak capability terms need people
CAPABILITY_ROWS = [
    ("strong-capability", "卡口摄像机对在逃人员进行人脸抓拍。", {"face_recognition": "capability",
                                                       "video_surveillance": "capability"}),
    ("weak-capability-about-people", "对进出人员进行抓拍。", {"face_recognition": "weak_capability"}),
    ("weak-capability-without-people", "在大门口进行抓拍。", {}),
    ("data-source", "对外籍记者的住宿登记进行比对。", {"travel_records": "capability",
                                               "hotel_registration": "capability"}),
    # the capability gate: a bare noun, or a clause that does not ask for the function, gives nothing
    ("gate-staff-lodging", "中标人负责服务人员的住宿与餐饮，费用包含在报价中。", {}),
    # real-document senses (bench/real_capabilities.py, calibration half), each beside its control
    ("control-rail-tickets", "系统应对重点人员的铁路购票信息进行比对，发现异常实时预警。",
     {"travel_records": "capability", "railway_tickets": "capability",
      "alerting_watchlist": "capability", "police_watchlists": "watchlist_source"}),
    ("refute-tenant-move-in", "物业服务内容包括某物流园二期入住人员的入驻及退租手续办理。", {}),
    ("control-hotel-check-in", "对重点人员的宾馆入住登记信息进行比对预警。",
     {"travel_records": "capability", "hotel_registration": "capability",
      "alerting_watchlist": "capability", "police_watchlists": "watchlist_source"}),
    ("refute-bid-by-post", "投标文件可采用寄递方式提交，以签收时间为准。", {}),
    ("refute-vpn-link", "平台通过城域网VPN链路连接各区县停车系统，迁移时需协调同步调整。", {}),
    ("control-vpn-use", "对涉稳人员使用VPN翻墙行为进行监测预警。",
     {"internet_monitoring": "capability", "alerting_watchlist": "weak_capability"}),
    ("refute-fire-plan", "发现火情时，现场人员应立即切断电源并拨打119报警，组织人员撤离。", {}),
    ("refute-place-signage", "请来访人员在指定位置停放车辆。", {}),
    ("refute-pollution-monitors", "巡检时发现污染源自动监控设施异常的，应及时通知运维人员处理。", {}),
    # (reporting half, stop 15) drainage early warnings and a CCTV survey of sewer pipes
    ("refute-drainage-warning", "开发排水调度中心预警模块，须实现泵站运行异常自动预警。", {}),
    ("control-person-warning", "开发指挥中心预警模块，须实现重点人员进入管控区域自动预警。",
     {"alerting_watchlist": "capability", "location_tracking": "capability"}),
    ("refute-pipe-cctv", "本项目须对主城区排水管道进行CCTV检测，检测长度约12公里。", {}),
    ("control-street-cctv", "本项目须在主城区路口新建CCTV摄像机120路，接入公安视频专网。",
     {"video_surveillance": "capability"}),
    ("gate-company-archive", "乙方工作人员须妥善保管项目档案，项目结束后移交。", {}),
    ("gate-bidder-list", "采购代理机构公布入围投标人名单。", {}),
    ("gate-experience-mention", "投标人曾承建某市人脸识别项目。", {}),
    ("gate-spec-row", "1 | 人脸识别 | 识别准确率≥99%", {"face_recognition": "capability"}),
    # 布控库 is the system's own watchlist (alerting), not a police database it taps (data source)
    ("gate-obligation", "系统应支持人脸识别，并与布控库比对。", {"face_recognition": "capability",
                                                 "alerting_watchlist": "capability"}),
    ("gate-weak-term-beside-function", "对重点人员建立档案并关联轨迹数据。", {"data_fusion_profiles": "weak_capability",
                                                             "location_tracking": "weak_capability"}),
    # structures (analyzer/classify/structures.py): the specification of a system that outputs ethnicity
    ("structure-attribute-list", "结构化输出字段：gender（性别）、age（年龄）、nation（民族）、glasses（眼镜）。",
     {"ethnicity_recognition": "capability_structure"}),
    ("structure-coded-field", "是否维族：0-否，1-是；该字段可作为布控条件。", {"ethnicity_recognition": "capability_structure",
                                                              "alerting_watchlist": "capability"}),
    ("structure-sdk-enum", "enum { NATION_UNKNOWN, NATION_HAN, NATION_OTHER } NationType;",
     {"ethnicity_recognition": "capability_structure"}),
    ("structure-c-struct", "typedef struct { int age; int sex; int glasses; int race; /* 1-汉族 2-少数民族 */ } ATTR;",
     {"ethnicity_recognition": "capability_structure"}),
    ("structure-json-skin-colour", '返回人体属性：{"gender":1,"age":35,"skin_color":2,"hat":0}',
     {"ethnicity_recognition": "capability_structure", "video_surveillance": "capability"}),  # body attributes: video analytics
    ("structure-record-schema", "身份证阅读器可读取姓名、性别、民族、出生日期、住址等字段。", {}),
    ("structure-rate-in-a-later-cell", "人脸属性 | 民族 | 识别准确率≥90%", {"ethnicity_recognition": "capability_structure",
                                                              "face_recognition": "capability"}),
    ("structure-abbreviated-values", "支持输出人脸属性：性别、年龄、维/汉、眼镜。",
     {"ethnicity_recognition": "capability_structure", "face_recognition": "capability"}),
    # plain English verbs of alerting, tracking, files, faces and trips (taxonomy 2026.12.14), with controls
    # third round: present-tense matching, travel monitored, faces of X enrolled, fingerprints taken,
    # and a report's framing of a requirement (the tender called for …, could be located)
    ("en-push-every-match", "Compare faces from video with the overseas-persons database and push every match automatically.",
     {"face_recognition": "capability", "exit_entry": "capability", "alerting_watchlist": "capability"}),
    ("en-travel-monitored", "Lawyers are listed as persons of concern and their travel and client meetings are monitored.",
     {"travel_records": "capability"}),
    ("en-faces-of-enrolled", "Faces of women with prostitution records are enrolled and alarm near hotels.",
     {"face_recognition": "capability", "alerting_watchlist": "weak_capability"}),
    ("en-fingerprints-taken", "Every resident shall be registered, with face photos and fingerprints taken.",
     {"face_recognition": "capability", "dna_biometrics": "capability"}),
    ("en-report-framing", "The tender called for a database of adherents' phone numbers, so that their handsets could be located.",
     {"data_fusion_profiles": "capability", "telecom": "capability", "location_tracking": "capability"}),
    ("en-checkpoints-word-is-no-verb", "Face capture cameras at checkpoints shall support 1:N comparison against a library of one "
     "million faces.", {"face_recognition": "capability", "video_surveillance": "capability", "checkpoint": "capability"}),
    ("model-of-a-mural", "寺庙文物数字化采集：对壁画、唐卡进行高精度扫描建模。", {}),
    ("portrait-of-learning", "智慧校园学情分析平台，生成学生学习画像。", {}),
    ("en-equipment-alarms", "Server room monitoring with SMS alarms for temperature limits and UPS faults.", {}),
    # fourth round (a blind English set's misses and false findings): refuters for weather, servers
    # and traffic-signal cameras; portraits acquired; a risk engine that estimates
    ("en-weather-alerts", "The meteorological early-warning platform shall push typhoon and rainstorm alerts to township "
     "officials by SMS.", {}),
    ("en-server-alerts", "The supplier shall provide server monitoring software that tracks CPU, memory and disk usage and "
     "texts alerts to administrators.", {}),
    ("en-traffic-signal-cameras", "Traffic signal cameras | vehicle count per lane | queue length detection | adaptive green time",
     {}),
    ("en-portrait-acquired", "At the resident information collection counter, fingerprints, iris images and a frontal portrait "
     "shall be acquired in a single session.", {"iris_gait_other_biometrics": "capability", "face_recognition": "capability"}),
    ("en-risk-engine-estimates", "The risk assessment engine estimates each individual's likelihood of violent extremism and "
     "refreshes the figure nightly.", {"predictive_policing": "capability"}),
    # from a blind Chinese set (stop 18): a function named as a label asks for it, a project's own
    # label does not; phone quick-extraction kits; refuters for reminders, parcels, in-frame tracking
    # and traffic-signal detectors
    ("zh-function-label", "警情预测：基于近三年警情数据预测未来一周各网格盗窃案件高发区域及时段。",
     {"predictive_policing": "capability"}),
    ("zh-project-name-label", "项目名称：某区公共区域视频监控系统提升项目", {}),
    ("zh-phone-quick-extraction", "9 | 手机信息快采一体机 | 连接后5分钟内完成通讯录、短信、通话记录及APP数据提取",
     {"phone_wifi_imsi": "capability", "telecom": "capability"}),
    ("zh-meeting-reminder", "会议室预约系统支持按时段预约会议室，并自动向参会人员发送会议提醒。", {}),
    ("zh-parcel-track", "快递物流系统支持包裹全程轨迹查询，揽收、中转、派送节点实时更新。", {}),
    ("zh-in-frame-tracking", "3.2.1 前端人脸抓拍机应支持对画面中行人进行人脸检测与跟踪，单帧可同时抓取不少于30张人脸。",
     {"face_recognition": "capability", "video_surveillance": "capability"}),
    ("zh-signal-detector", "交通信号控制系统配套视频车辆检测器，用于统计各进口道排队长度与车流量。", {}),
    ("en-fugitive-library", "Arriving passengers at the railway station are compared with the fugitive library.",
     {"alerting_watchlist": "capability", "police_watchlists": "capability"}),
    ("en-pushed-to-police", "Hits from the station gates are pushed to the nearest police post within three seconds.",
     {"alerting_watchlist": "capability", "checkpoint": "capability"}),
    ("en-pushed-to-a-library", "Palm-vein data shall be enrolled at release and pushed to the police biometric library.",
     {"iris_gait_other_biometrics": "capability"}),
    ("en-notify-when", "Notify the duty officer when a listed person checks into a hotel.",
     {"alerting_watchlist": "capability", "travel_records": "capability", "hotel_registration": "capability"}),
    ("en-fire-alarm-when", "Forest-fire cameras shall raise an alarm when smoke or open flame is detected.",
     {"video_surveillance": "capability"}),
    ("en-follow-movements", "The system shall follow the movements of released prisoners across the district.",
     {"location_tracking": "capability"}),
    ("en-geofenced-parking", "Shared e-bikes must be returned inside the geofenced parking zones shown in the app.", {}),
    ("en-files-on-people", "Monitor online speech by people linked to overseas groups and build files on them.",
     {"data_fusion_profiles": "capability", "internet_monitoring": "capability"}),
    ("en-phones-examined", "Anyone returning after six months abroad must have their phone examined at the port.",
     {"phone_wifi_imsi": "capability"}),
    ("en-posts-monitored", "Bloggers go on the watch list and their posts are monitored continuously.",
     {"alerting_watchlist": "capability", "internet_monitoring": "capability"}),
    ("en-scoring-model", "Build a points-based warning model for people who petition repeatedly.",
     {"predictive_policing": "capability", "alerting_watchlist": "weak_capability"}),
    ("en-identified-by-faces", "Detect crowds forming outside government offices and identify the organisers by their faces.",
     {"face_recognition": "capability"}),
    ("en-boards-a-coach", "The system shall log every passenger who boards a coach to the provincial capital.",
     {"travel_records": "capability"}),
    ("ethnicity-field-with-values", "Ethnicity: Han / Uyghur / other, confidence score 0-100.",
     {"ethnicity_recognition": "capability"}),
    ("ethnicity-counted-by", "People counting by ethnicity at the entrance, with hourly reports.",
     {"ethnicity_recognition": "capability", "video_surveillance": "capability"}),
    ("ethnicity-tell-apart-zh", "人像结构化算法支持区分维汉。", {"ethnicity_recognition": "capability"}),
    ("structure-attribute-detection", "Attribute detection returns ethnicity as a coded value: 1, 2 or 3.",
     {"ethnicity_recognition": "capability_structure"}),
    ("structure-reports-whether", "The camera reports whether a passer-by is Uyghur.",
     {"ethnicity_recognition": "capability_structure", "video_surveillance": "capability"}),
    # a per-person record built from many datasets (structures.py _source_list)
    ("structure-source-list", "以身份证号为主键，整合社保、医保、不动产、婚姻、出入境等数据，一键展示。",
     {"data_fusion_profiles": "capability_structure"}),
    ("structure-source-list-too-short", "平台汇聚视频、音频数据，一键展示。", {}),
    ("fusion-person-vehicle-house-net-code", "实现人、车、房、网、码的关联分析。", {"data_fusion_profiles": "capability"}),
    ("fusion-person-vehicle-only", "停车场实现人车分流。", {}),
    # the gate reads a system's behaviour described, not only demanded: 自动 / 一键, vendor-note verbs
    ("gate-described-behaviour", "虚拟身份落地：通过网络账号信息自动关联到现实人员身份。",
     {"internet_monitoring": "capability", "data_fusion_profiles": "capability"}),
    ("gate-vendor-note-plural", "Wi-Fi probes log the MAC addresses of every phone that passes.", {"phone_wifi_imsi": "capability"}),
    ("gate-vendor-note-passive", "Voiceprints are enrolled from recorded interviews.", {"voiceprint": "capability"}),
    ("gate-description-without-verb", "手机特征码：一种编码方式。", {}),
    # matching against a watchlist is alerting; matching a photo against the population register is not
    ("watchlist-match", "网吧上网人员与在逃人员库实时比对。", {"alerting_watchlist": "capability",
                                                 "travel_records": "capability", "internet_cafe": "capability",
                                                 "police_watchlists": "capability"}),
    ("register-match", "将现场照片与全国人口库照片进行比对，返回身份信息。", {"face_recognition": "capability",
                                                               "population_registry": "capability"}),
    # capability refuters (taxonomy.yaml context.capability_refuters), each after its control
    ("camera-control", "高清摄像头4台，接入公安视频专网。", {"video_surveillance": "capability"}),
    ("camera-conference", "会议室配置高清摄像头一台，用于视频会议。", {}),
    ("camera-maintenance", "The contractor shall maintain the existing CCTV cameras and repair faults within 48 hours.", {}),
    ("profile-control", "为辖区重点人员建立一人一档。", {"data_fusion_profiles": "capability"}),
    ("profile-health-file", "为辖区居民建立一人一档的健康档案。", {}),
    ("credit-points-not-prediction", "建立居民文明积分，积分低于60分的人员列入重点走访名单。",
     {"social_credit": "capability", "alerting_watchlist": "capability"}),
    ("structure-equal-treatment", "不得因民族、种族、性别、年龄、宗教信仰等歧视人员。", {}),
    # the procurement's own vetting and paperwork (bench/real_capabilities.py's false alarms)
    ("watchlist-control", "系统应支持将重点人员纳入黑名单并实时预警。", {"alerting_watchlist": "capability"}),
    ("watchlist-bidder-blacklist", "投标人不得被列入失信被执行人黑名单。", {}),
    ("watchlist-company-blacklist", "被取消交易资格或列入信用黑名单的售电公司不得参与投标。", {}),
    ("social-credit-control", "平台应建立社会信用评分，对失信人员进行预警。",
     {"social_credit": "weak_capability", "alerting_watchlist": "weak_capability"}),
    ("social-credit-bidder-score", "各成员单位诚信分以最高投标限价中各类工程的占比作为权重加权计算。", {}),
    ("social-media-qq-mail", "联系人：王工，电话：0574-12345678，邮箱：12345@qq.com。", {}),
    # taxonomy 2026.12.6: capability recall by function, each positive row before its control negative
    # a weak face term needs people, not only vehicles (context.capability_subjects)
    ("face-capture-of-people", "卡口前端对过往行人进行抓拍并上传。", {"face_recognition": "weak_capability"}),
    ("capture-of-vehicles-is-not-face", "卡口前端对过往车辆进行抓拍并上传。", {"vehicle_plate": "weak_capability"}),
    # a weak term listed with a strong term of another capability is an item of what one system collects
    ("weak-terms-listed-with-strong", "大屏须显示过往人员的人脸、车牌、IMSI。",
     {"face_recognition": "weak_capability", "vehicle_plate": "weak_capability", "phone_wifi_imsi": "capability"}),
    ("weak-terms-listed-alone", "大屏须显示过往人员的人脸、车牌。", {}),
    # court defaulters watched at travel points, low scores that send police, red/black lists of residents
    ("social-credit-defaulter-watched", "失信被执行人进入机场候机楼时，人像系统自动比对并提示驻场民警。",
     {"social_credit": "capability", "civil_aviation": "weak_capability", "face_recognition": "weak_capability",
      "alerting_watchlist": "weak_capability"}),
    ("social-credit-defaulter-boilerplate", "供应商须提供未被列入失信被执行人名单的查询截图。", {}),
    ("social-credit-low-score", "系统须将居民积分低于50分的人员推送至社区民警走访。",
     {"social_credit": "capability", "alerting_watchlist": "weak_capability"}),
    # a credit blacklist that nothing is matched against and no one is alerted by is social credit only (stop 19)
    ("social-credit-resident-red-black-list", "系统须对辖区村民实行红黑名单管理，黑名单村民不得享受集体分红。",
     {"social_credit": "capability"}),
    # a system described rather than demanded passes the gate; a project's own name does not (stop 19)
    ("described-system-built", "本项目新建视频监控系统，前端点位覆盖辖区主要道路及公共复杂场所。", {"video_surveillance": "capability"}),
    ("described-system-project-name-control", "2.1项目名称：横山水库视频监控网络及终端升级改造建设项目", {}),
    ("described-system-en-past", "Police in the county used the platform to log every guest's hotel check-in and flight booking.",
     {"travel_records": "capability", "hotel_registration": "capability", "civil_aviation": "capability"}),
    # a per-person view: three or more datasets about one person shown or returned together (stop 19)
    ("per-person-view-en", "Officers type a name and see the person's ID photo, household members, vehicles, hotel stays and phone numbers.",
     {"travel_records": "capability", "hotel_registration": "capability", "telecom": "capability",
      "data_fusion_profiles": "capability_structure"}),
    ("per-person-view-zh", "输入身份证号即可展示该人员户籍、车辆、住宿、通话记录。",
     {"population_registry": "weak_capability", "travel_records": "weak_capability", "hotel_registration": "weak_capability",
      "telecom": "capability", "data_fusion_profiles": "capability_structure"}),
    ("binary-ethnic-sort", "可按维族、非维族对抓拍人员进行分类。",
     {"ethnicity_recognition": "capability", "face_recognition": "weak_capability"}),
    ("voiceprint-1-to-n-not-face", "声纹比对服务器：声纹库容量≥100万，支持1:N辨认。", {"voiceprint": "capability"}),
    ("machine-voiceprint-control", "变电站声纹监测系统识别变压器放电、松动等异常声音。", {}),
    ("forest-fire-camera-control", "森林防火视频监控系统：烟火识别距离≥5km，发现火点自动报警。", {}),
    ("weather-warning-control", "气象预警发布系统按红、橙、黄、蓝四级自动发布暴雨预警。", {}),
    ("wall-electric-fence-control", "新砌北侧围墙及电子围栏。", {}),
    ("fence-beside-access-control", "厂区电子围栏、门禁系统的年度维保。", {}),
    ("fence-poles-control", "更换电子围栏中间杆40根。", {}),
    # traditional characters are matched through their simplified forms (stop 19)
    ("traditional-text", "系統應支援對維吾爾族人員進行人臉識別並即時預警。",
     {"ethnicity_recognition": "capability", "face_recognition": "capability", "alerting_watchlist": "weak_capability"}),
    # a watched group matched in a clause that alerts: the police's list of it is the data source (stop 19)
    ("watchlist-source-fugitives", "前端人像与在逃人员比对，比中即推送民警。",
     {"face_recognition": "weak_capability", "alerting_watchlist": "capability", "police_watchlists": "watchlist_source"}),
    ("watchlist-source-en", "The platform matches passengers against the list of drug users and alerts the station.",
     {"alerting_watchlist": "capability", "police_watchlists": "watchlist_source"}),
    ("watchlist-source-needs-a-match", "重点人员离开居住地即推送预警。",
     {"alerting_watchlist": "weak_capability", "location_tracking": "capability"}),
    ("social-credit-blacklist-pushed", "失信被执行人进入车站时，人脸系统识别后推送至法院。",
     {"social_credit": "capability", "alerting_watchlist": "capability", "face_recognition": "weak_capability"}),
    ("social-credit-enterprise-red-black-list", "系统须对辖区企业实行信用红黑名单管理，黑名单企业不得参与招投标。", {}),
    ("social-credit-defaulters-en", "Debt defaulters named by the court are stopped at the boarding gate and the "
     "bailiff is notified.", {"social_credit": "capability"}),
    # alert grading and sign-off; a traffic light and a fire panel are not alerts on people
    ("alert-grades-and-sign-off", "系统须按红、橙、黄三级向责任民警推送预警，民警完成预警签收后反馈。",
     {"alerting_watchlist": "capability"}),
    ("traffic-light-colours", "路口更换红、黄、绿三色信号灯12组。", {}),
    ("alert-reported-to-duty-room", "Hits against the watchlist are reported to the duty room within 10 seconds.",
     {"alerting_watchlist": "capability"}),
    ("fire-panel-reported-to-duty-room", "The fire alarm panel relays alarms to the duty room within 10 seconds.", {}),
    # tracking people, not a fleet; a drawn area entered or left
    ("location-of-people", "对关注人员实时定位并在地图上显示行驶轨迹。", {"location_tracking": "weak_capability"}),
    ("location-of-a-fleet", "渣土车实时定位并在地图上显示行驶轨迹。", {}),
    ("location-drawn-area", "关注人员进入划定区域或离开居住地时，系统自动告警。",
     {"location_tracking": "capability", "alerting_watchlist": "weak_capability"}),
    ("site-is-not-a-camera", "系统可按点位统计关注人员的出现次数。", {}),
    # cameras bought, not cameras named as where a record came from; a microscope's camera
    ("cameras-installed", "Install 40 cameras at the station entrances and connect them to the police video network.",
     {"video_surveillance": "capability"}),
    ("cameras-as-a-source", "Companion search lists everyone seen at the same cameras as the target within a minute.", {}),
    ("microscope-camera", "显微镜配置摄像头一个，500万像素。", {}),
    # travel records kept, not a travel ban; movement habits are not travel records
    ("travel-records-kept", "系统须记录重点人员乘坐飞机、火车的情况。",
     {"travel_records": "capability", "railway_tickets": "weak_capability"}),
    ("travel-ban", "系统须对失信人员限制乘坐飞机、火车。", {"social_credit": "weak_capability"}),
    ("night-movement-is-not-travel-records", "统计目标人员的夜间出行规律，生成分析报告。", {}),
    ("railway-station-as-a-place", "在火车站广场部署人脸卡口6路。", {"face_recognition": "capability"}),
    # checkpoints for people, not a database or project checkpoint
    ("police-checkpoints", "Police checkpoints on the ring road verify the ID card of every driver.",
     {"checkpoint": "capability"}),
    ("database-checkpoint", "The database engine writes a checkpoint every five minutes so that it can recover after "
     "a crash.", {}),
    ("court-security-lane", "法院诉讼服务大楼入口设置安检通道2条，配置金属探测门。", {"checkpoint": "capability"}),
    # phone sensing and forensics, not an IoT card platform
    ("imsi-collection", "侦码设备采集过往手机的IMSI并上传。", {"phone_wifi_imsi": "capability"}),
    ("iot-card-imsi", "物联网卡管理平台支持按IMSI查询卡片流量使用情况。", {}),
    ("phone-extraction", "手机数据快速提取终端支持安卓和iOS设备，提取时间不超过10分钟。", {"phone_wifi_imsi": "capability"}),
    # plate records in SDK field names and vendor notes
    ("plate-record-fields", "PassRecord { plateNo; plateColor; passTime; crossingId }", {"vehicle_plate": "capability"}),
    ("plate-reads", "The plate reads of the past week can be searched by any part of the number.",
     {"vehicle_plate": "capability"}),
    ("code-to-person", "系统支持以码搜人、以人搜码。", {"data_fusion_profiles": "capability"}),
    ("call-recordings", "系统应接入审讯室电话录音并进行声纹比对。", {"telecom": "capability", "voiceprint": "capability"}),
    # taxonomy 2026.12.7: English capability terms. Matching mechanics first: a listed term written joined
    # in SDK and JSON text (snake_case, camelCase, hyphenated), ending at a camelCase hump but never
    # starting inside an identifier; English exclusions read a hyphen as a space
    ("en-joined-snake-case", 'The gateway returns {"speaker_match": 0.93, "lib": "vp_watch"} for each call.',
     {"voiceprint": "capability"}),
    ("en-joined-snake-case-control", 'The gateway returns {"speaker_volume": 7, "lib": "ring_tones"} for each call.',
     {}),
    ("en-joined-camel-case", "GaitFeatures { trackId; stepRate; vector[128] } are compared across sites.",
     {"iris_gait_other_biometrics": "capability"}),
    ("en-joined-camel-case-control", "GaitTrainer { sessionId; stepRate; patientId } is used on the ward.", {}),
    ("en-joined-hyphen", "Gate units with plate-recognition log each car leaving the compound.",
     {"vehicle_plate": "capability"}),
    ("en-camel-end", "VisitRecord { hotelGuestName; roomNo; idNo } is uploaded nightly.",
     {"travel_records": "capability", "hotel_registration": "capability"}),
    ("en-no-start-inside-identifier", "DeviceStatus { uptime; deviceAlarm: bool; firmware }", {}),
    ("en-exclusion-hyphen", "The weather early-warning panel on the dam shows the river level.", {}),
    ("en-exclusion-hyphen-control", "Early-warning messages go to patrol officers when a listed person is seen.",
     {"alerting_watchlist": "weak_capability"}),
    # vocabulary by function, each positive before its control (face capture cameras are cameras, ANPR
    # cameras are not; bidder credit, staff travel, CRM profiles, race checkpoints, lens irises, blood banks)
    ("en-face-by-face", "Depot staff are verified by face before the turnstile opens.",
     {"face_recognition": "capability"}),
    ("en-face-by-badge", "Depot staff are verified by badge before the turnstile opens.", {}),
    ("en-face-capture-cameras", "Face capture cameras at the square shall send every face to the platform.",
     {"face_recognition": "capability", "video_surveillance": "capability"}),
    ("en-anpr-cameras", "ANPR cameras at the car park exit shall read each plate.", {"vehicle_plate": "capability"}),
    ("en-reid", "Pedestrian re-identification follows a subject between the plaza cameras.",
     {"video_surveillance": "capability"}),
    ("en-hit-forwarded", "Any hit is forwarded to the county public security bureau within a minute.",
     {"alerting_watchlist": "capability"}),
    ("en-invoice-forwarded", "Any invoice is forwarded to the county finance bureau within a minute.", {}),
    ("en-credit-grade-villagers", "Credit grade C villagers must report to the township police office monthly.",
     {"social_credit": "capability"}),
    ("en-credit-grade-suppliers", "Credit grade C suppliers are excluded from bidding.", {}),
    ("en-ticketing-watched", "The module shall cross-check airline and railway ticketing against the key-person list.",
     {"travel_records": "capability", "alerting_watchlist": "capability", "police_watchlists": "watchlist_source"}),  # matching a watchlist is alerting
    ("en-ticketing-staff", "Staff book airline and railway tickets through the agency and claim a per diem.", {}),
    ("en-associate-mac-face", "The platform shall associate each Wi-Fi MAC with the face captured at the same gate.",
     {"data_fusion_profiles": "capability", "face_recognition": "capability"}),
    ("en-crm-profile", "The CRM shall build a customer profile for each shopper.", {}),
    ("en-monitor-posts", "The system shall monitor posts about the dam project on Weibo and Douyin.",
     {"internet_monitoring": "capability", "social_media": "capability"}),
    ("en-update-account", "The press office shall publish notices about the dam project on its website.", {}),
    ("en-tower-dump", "Tower dumps from the carriers list every handset near the scene.",
     {"location_tracking": "capability", "phone_wifi_imsi": "capability"}),
    ("en-convoy", "Convoy analysis finds cars that repeatedly travel with a target vehicle.",
     {"location_tracking": "capability"}),
    ("en-bayonet-passing", "Cars passing any bayonet on the ring road are logged with their owner.",
     {"vehicle_plate": "capability"}),
    ("en-bayonet-mount", "The lens uses a bayonet mount and supports 4K output.", {}),
    ("en-metal-detector", "The court lobby shall have a walk-through metal detector.", {"checkpoint": "capability"}),
    ("en-race-checkpoints", "Race marshals staff the checkpoints and record each runner's split.", {}),
    ("en-irises", "The kiosk shall scan both irises of each detainee.", {"iris_gait_other_biometrics": "capability"}),
    ("en-auto-iris", "The lens shall have an auto-iris that adjusts to bright light.", {}),
    ("en-rapid-dna", "Rapid DNA units at the station shall return an STR profile in two hours.",
     {"dna_biometrics": "capability"}),
    ("en-blood-bank", "The blood bank system shall record each donor's blood type.", {}),
    ("en-speaker-id", "Speaker ID shall flag a known voice on any intercepted call.",
     {"voiceprint": "capability", "alerting_watchlist": "weak_capability", "telecom": "capability"}),
    ("en-speech-to-text", "Speech-to-text shall transcribe the meeting minutes.", {}),
    ("en-predict-risk", "The model shall predict burglary risk for each grid cell.",
     {"predictive_policing": "capability"}),
    ("en-predict-load", "The model shall predict power load for each substation.", {}),
    ("en-broken-down-by-ethnicity", "The dashboard shall show residents broken down by age, province and ethnicity.",
     {"ethnicity_recognition": "capability"}),
    ("en-ethnicity-field", "The ID reader shall read name, date of birth and ethnicity.", {}),
    # 2026.12.10: how police procurement generally names the function (real notices, probed off-repo), own wording
    ("zh-video-defence-points", "县局须新建治安视频防控点位，接入市级平台。", {"video_surveillance": "capability"}),
    ("zh-ptz-control", "客户端须支持云镜控制和预置位调用。", {"video_surveillance": "capability"}),
    ("zh-video-tour", "指挥大厅大屏须支持视频轮巡。", {"video_surveillance": "capability"}),
    ("zh-person-vehicle-structuring", "解析服务器应对接入码流进行人车物结构化。", {"video_surveillance": "capability"}),
    ("zh-cross-camera", "平台须支持对嫌疑目标跨镜头接力追踪。", {"location_tracking": "capability"}),
    ("zh-build-track", "系统应把抓拍结果串联，为人员生成完整轨迹。",
     {"location_tracking": "capability", "face_recognition": "weak_capability"}),
    ("zh-past-locations", "平台应能调取目标手机号的历史位置。", {"location_tracking": "capability"}),
    ("zh-hit-pushed", "比中结果须在十秒内推送至辖区民警。", {"alerting_watchlist": "capability"}),
    ("zh-fugitive-library", "平台应接入涉稳及在逃人员库。",
     {"alerting_watchlist": "capability", "police_watchlists": "capability"}),
    ("zh-associates", "平台须提供关系人分析功能。", {"data_fusion_profiles": "capability"}),
    ("zh-lead-collision", "系统应支持多类数据的线索碰撞。", {"data_fusion_profiles": "capability"}),
    ("zh-predict-warn-prevent", "平台应提升对治安风险的预测、预警和预防能力。", {"predictive_policing": "capability"}),
    ("zh-net-data", "平台须汇聚涉网数据并支持检索。", {"internet_monitoring": "capability"}),
    ("zh-first-entry-cars", "系统应能筛出初次入城车辆。", {"vehicle_plate": "capability"}),
    ("control-first-entry-people", "对首次入城人员进行登记。", {}),
    ("zh-terminal-features", "采集设备应上传周边终端特征信息。", {"phone_wifi_imsi": "capability"}),
    ("control-face-attendance", "单位采购人脸识别考勤机两台，用于职工打卡。", {}),
    ("control-exam-patrol", "各考点须接入省级网上巡查系统。", {}),
    ("control-smoke-alarm-push", "烟感报警信息应推送至物业值班手机。", {}),
    ("control-device-offline-push", "设备离线告警信息应推送至运维值班人员。", {}),
    # 2026.12.11: how English vendor manuals and tenders name the functions (read off-repo), own wording
    ("en-face-picture-library", "The camera shall keep a face picture library and raise an alarm when face similarity exceeds 80%.",
     {"alerting_watchlist": "weak_capability", "face_recognition": "capability", "video_surveillance": "capability"}),
    # an English alert word alone (alert, alarm, warning, flag) is weak: it alerts on a person, a vehicle or
    # a voice beside a function word, not on posts or news stories (stop 20)
    ("en-flag-posts-control", "The crawler shall collect posts that mention the county and flag those by overseas accounts.",
     {"internet_monitoring": "capability"}),
    ("en-alert-story-control", "Brand monitoring shall cover Weibo and news sites, with an alert for each negative story.",
     {"internet_monitoring": "capability", "social_media": "capability"}),
    # a pattern's space before a generic word needs a joiner: "warn (?:[\w-]+ ){0,3}when" is no "warnings when"
    ("en-warnings-job-control", "The scheduler shall send warnings when a batch job runs late.", {}),
    # from the odd half of a blind set of passages as investigations quote them (stop 20), each with a control
    ("en-plate-checkpoint-control", "The plate-reading checkpoints shall log every passage and keep a searchable route history for each car.", {}),
    ("en-checkpoint-roof-control", "The contractor shall repair the leaking roof of the highway checkpoint's staff dormitory.", {}),
    ("en-company-profile-control", "The bidder's profile shall show a track record of wiring campus networks.", {}),
    ("en-railway-ticketing-one-dataset", "Linking railway ticketing data to the population database shall let the platform warn local police.",
     {"travel_records": "capability", "population_registry": "capability"}),
    ("en-retrieval-per-person", "The system shall support one-click retrieval of a person's household registration, vehicles, hotel stays "
     "and phone numbers.", {"population_registry": "capability", "travel_records": "capability", "hotel_registration": "capability",
                            "telecom": "capability", "data_fusion_profiles": "capability_structure"}),
    ("en-query-ethnic-value", "The platform shall permit queries such as all Uyghur residents aged 15 to 55 not visited this month.",
     {"ethnicity_recognition": "capability_structure"}),
    ("en-whether-uyghur-field", "Output items per alarm: face image, capture time, device number, whether Uyghur (yes/no), similarity score.",
     {"alerting_watchlist": "weak_capability", "face_recognition": "capability", "ethnicity_recognition": "capability_structure"}),
    ("en-see-whether-han", "The cameras could see whether someone is Han or not.",
     {"video_surveillance": "capability", "ethnicity_recognition": "capability_structure"}),
    ("en-scores-each-individual", "The engine shall score each individual from 0 to 100 on behavioural indicators.",
     {"predictive_policing": "capability"}),
    ("en-within-metres", "Raise an alarm when more than five listed persons appear within 500 m of one another.",
     {"alerting_watchlist": "weak_capability", "location_tracking": "capability"}),
    ("en-same-train", "The system shall output persons who took the same train or flight as the target on two occasions.",
     {"travel_records": "capability"}),
    ("en-tying-numbers", "The system shall tie sender and recipient phone numbers to identity-card numbers.",
     {"data_fusion_profiles": "capability", "delivery_logistics": "capability", "telecom": "capability"}),
    ("en-collision", "Realize multi-dimensional data collision of phone codes and face captures.",
     {"data_fusion_profiles": "capability", "phone_wifi_imsi": "capability", "face_recognition": "capability"}),
    ("en-colour-grades", "The module shall classify persons into red, orange, yellow and blue grades.", {"alerting_watchlist": "capability"}),
    ("en-extract-from-handsets", "The kiosk shall extract deleted SMS and call logs from Android and iOS handsets.",
     {"phone_wifi_imsi": "capability", "telecom": "capability"}),
    ("en-parcels-police", "Parcels sent by key persons shall trigger an alarm to the investigation unit.", {"alerting_watchlist": "capability"}),
    ("en-parcels-control", "The courier app shall push an alert when the parcels are delayed in the sorting centre.", {}),
    ("en-screen-messages", "The keyword library shall screen messages on social platforms.", {"internet_monitoring": "capability"}),
    ("en-stock-watchlist-control", "Analysts at the brokerage shall put the camera maker on their watchlist.", {}),
    ("en-machine-room-control", "The precision air-conditioning system shall monitor temperature and humidity in the machine room and warn "
     "when values exceed thresholds.", {}),
    ("en-flag-contacts", "The kiosk shall image the seized handset and flag contacts that also appear in the case database.",
     {"phone_wifi_imsi": "capability", "alerting_watchlist": "weak_capability"}),
    ("en-face-gallery-probe", "Operators shall search the face gallery with a probe image and get facial templates ranked by score.",
     {"face_recognition": "capability"}),
    ("en-verb-faces", "The terminal shall capture and compare the faces of all visitors at the gate.",
     {"face_recognition": "capability"}),
    ("en-face-grading", "Face grading shall decide which snapshots are kept for face modelling.",
     {"face_recognition": "capability"}),
    ("en-people-counting", "The analytics shall provide people counting, line crossing and loitering detection.",
     {"video_surveillance": "capability"}),
    ("en-tripwire-perimeter", "Perimeter protection shall use tripwires and region intrusion rules.",
     {"video_surveillance": "capability"}),
    ("en-abandoned-object", "The camera shall raise an event on unattended baggage or object removal.",
     {"video_surveillance": "capability"}),
    ("en-appearance-search", "The video platform shall offer appearance search and attribute-based search of recorded footage.",
     {"video_surveillance": "capability"}),
    ("en-video-metadata", "The recorder shall extract video metadata and support smart motion detection with human detection.",
     {"video_surveillance": "capability"}),
    ("en-crowd-density", "The system shall estimate crowd density on the square.",
     {"video_surveillance": "capability"}),
    ("en-plate-reader", "Each patrol car shall carry a plate reader that stores plate images with GPS time stamps.",
     {"vehicle_plate": "capability"}),
    ("en-hotlist", "The hotlist of vehicles of interest shall be refreshed every hour.",
     {"vehicle_plate": "capability"}),
    ("en-blocklisted-plates", "The gate shall refuse blocklisted plates.",
     {"vehicle_plate": "capability"}),
    ("en-blocklist-alert", "A person on the blocklist shall trigger a message to the duty desk.",
     {"alerting_watchlist": "capability"}),
    ("en-gps-tracking", "Case officers shall review GPS tracking and the movement history of each monitored defendant.",
     {"location_tracking": "capability"}),
    ("en-exclusion-zone", "The ankle monitor shall enforce exclusion zones set by the court.",
     {"location_tracking": "capability"}),
    ("en-travel-path", "The map shall draw the travel path and location points of the subject.",
     {"location_tracking": "capability"}),
    ("en-geolocate", "The tool shall geolocate the author of each post.",
     {"location_tracking": "capability"}),
    ("en-border-post", "Each border control post shall have an under-vehicle scanning lane.",
     {"checkpoint": "capability"}),
    ("en-baggage-xray", "The station entrance shall have baggage X-ray and an inspection lane.",
     {"checkpoint": "capability"}),
    ("en-handset-identities", "The sensor shall log the identities of mobile phones near the gate.",
     {"phone_wifi_imsi": "capability"}),
    ("en-device-image", "The lab shall parse each mobile device image for chats and contacts.",
     {"phone_wifi_imsi": "capability"}),
    ("en-social-networking-sites", "The service shall watch social networking sites and tweets for threats to the mayor.",
     {"internet_monitoring": "capability"}),
    ("en-osint", "The unit shall buy an open-source intelligence tool that scrapes forums for posts.",
     {"internet_monitoring": "capability"}),
    ("en-influencers", "The dashboard shall rank online influencers by reach.",
     {"internet_monitoring": "capability"}),
    ("en-social-profiles", "Analysts shall archive social media content and online conversations of suspects.",
     {"internet_monitoring": "capability", "social_media": "capability"}),
    ("en-entity-resolution", "Entity resolution shall merge records that refer to the same person.",
     {"data_fusion_profiles": "capability"}),
    ("en-link-analysis", "The software shall provide link analysis and association charts of a suspect's known associates.",
     {"data_fusion_profiles": "capability"}),
    ("en-360-view", "Detectives shall get a 360-degree view of each suspect.",
     {"data_fusion_profiles": "capability"}),
    ("en-relationships", "The graph shall show relationships between persons in the case.",
     {"data_fusion_profiles": "capability"}),
    ("en-forecast-crime", "The tool shall forecast property crime by district and week.",
     {"predictive_policing": "capability"}),
    ("en-risk-map", "The platform shall draw risk heat maps and crime clusters for the next shift.",
     {"predictive_policing": "capability"}),
    ("en-hot-spot", "The vendor shall deliver hot spot analysis and patrol recommendations.",
     {"predictive_policing": "capability"}),
    ("en-geographic-profiling", "The analyst module shall support geographic profiling and rank suspects.",
     {"predictive_policing": "capability"}),
    ("en-speaker-gender", "The engine shall report speaker gender for each recording.",
     {"voiceprint": "capability"}),
    ("en-dna-profile", "The booking system shall upload DNA profiles to CODIS from cheek swabs.",
     {"dna_biometrics": "capability"}),
    ("en-afis-latent", "The AFIS shall search latent prints against ten-prints from live scan.",
     {"dna_biometrics": "capability"}),
    ("en-iris-matching", "The enrolment kit shall support multimodal biometrics with iris matching.",
     {"iris_gait_other_biometrics": "capability"}),
    ("en-walking-pattern", "The system shall identify people by walking patterns.",
     {"iris_gait_other_biometrics": "capability"}),
    ("en-trustworthiness", "Each villager shall receive a trustworthiness rating from the committee.",
     {"social_credit": "capability"}),
    ("refute-camera-warranty", "The supplier shall give a three-year warranty on the cameras.",
     {}),
    ("control-camera-install", "The supplier shall install thirty cameras on the ring road.",
     {"video_surveillance": "capability"}),
    ("refute-device-malfunction-alert", "The system shall send alerts on device malfunctions to the IT desk.",
     {}),
    ("control-watchlist-alert", "The system shall send alerts on watchlist hits to the duty officer.",
     {"alerting_watchlist": "capability"}),
    # Police checkpoint, phone-sensing, credit, video, online and data-source wording from buyer-published
    # procurement (taxonomy 2026.12.12); patrol-car positions, company credit and chat records pulled off
    # a handset are the controls.
    ("checkpoint-verification-terminal", "须为各检查岗配发核录终端若干台。",
     {"checkpoint": "capability"}),
    ("checkpoint-roadblock-checks", "支持在查控卡点对过往车辆逐一检查。",
     {"checkpoint": "capability"}),
    ("checkpoint-regex-stop-verification", "系统应支持卡点民警对驾乘人员的证件进行核查。",
     {"checkpoint": "capability"}),
    ("checkpoint-regex-traditional", "應支持檢查站民警對旅客進行盤查。",
     {"checkpoint": "capability"}),
    ("phone-handset-serial", "前端须采集周边手机串号并回传平台。",
     {"phone_wifi_imsi": "capability"}),
    ("phone-person-code-linking", "平台应具备人码关联分析能力。",
     {"data_fusion_profiles": "capability", "phone_wifi_imsi": "capability"}),
    ("phone-terminal-id-regex", "设备应能获取移动终端的识别码并上传。",
     {"phone_wifi_imsi": "capability"}),
    ("phone-wireless-mac-regex", "须支持无线MAC地址的自动采集。",
     {"phone_wifi_imsi": "capability"}),
    ("phone-terminal-imsi-noun", "设备支持捕获附近手机的IMSI并记录时间。",
     {"phone_wifi_imsi": "capability"}),
    ("phone-signal-detection", "应具备手机信号侦测能力，覆盖半径不小于百米。",
     {"phone_wifi_imsi": "capability"}),
    ("phone-wifi-hotspot", "须支持WiFi热点探测并记录终端连接情况。",
     {"phone_wifi_imsi": "capability"}),
    ("location-haunting-pattern", "平台须提供重点对象出没规律统计功能。",
     {"location_tracking": "capability"}),
    ("location-set-activity-zone", "支持为管控人员设定活动范围。",
     {"location_tracking": "capability"}),
    ("location-patrol-car-control", "系统应支持巡逻车定位，便于警力调度。",
     {}),
    ("credit-natural-person", "须建设自然人信用信息数据库。",
     {"social_credit": "capability"}),
    ("credit-personal-report", "平台应支持出具个人信用报告。",
     {"social_credit": "capability"}),
    ("credit-reward-punishment", "应实现信用奖惩结果的自动反馈。",
     {"social_credit": "capability"}),
    ("credit-person-record-regex", "支持查询居民的诚信记录。",
     {"social_credit": "capability"}),
    ("credit-defaulter-constraint", "支持对失信人员实施约束措施。",
     {"social_credit": "capability"}),
    ("credit-redlist-blacklist", "系统须支持红名单与黑名单的公示。",
     {"alerting_watchlist": "capability", "social_credit": "capability"}),
    ("credit-civility-points", "应支持对村民文明行为计分积分。",
     {"social_credit": "capability"}),
    ("credit-enterprise-control", "须对企业信用报告进行归档。",
     {}),
    ("video-playback", "平台须支持录像回放和下载。",
     {"video_surveillance": "capability"}),
    ("video-quality-diagnosis", "应支持视频质量诊断，自动发现黑屏、雪花等故障。",
     {"video_surveillance": "capability"}),
    ("video-condensed-playback", "平台须支持对录像进行视频浓缩。",
     {"video_surveillance": "capability"}),
    ("video-resource-aggregation", "支持视频资源的统一汇聚。",
     {"video_surveillance": "capability"}),
    ("video-traditional", "系統須支持錄像回放。",
     {"video_surveillance": "capability"}),
    ("internet-account-tracking", "平台应支持对目标账号的持续监测。",
     {"internet_monitoring": "capability"}),
    ("internet-account-real-user", "支持查明涉案帐号的真实身份。",
     {"internet_monitoring": "capability"}),
    ("internet-negative-posts", "支持发现网上负面信息并推送。",
     {"internet_monitoring": "capability"}),
    ("social-media-short-video", "须接入主流短视频平台公开数据。",
     {"social_media": "capability"}),
    ("watchlist-compare-wanted", "须支持比对在逃人员信息。",
     {"police_watchlists": "capability"}),
    ("population-basic-info", "须对接人口基础信息。",
     {"population_registry": "capability"}),
    ("telecom-communication-records", "支持调取通讯记录。",
     {"telecom": "capability"}),
    ("telecom-handset-real-name", "须接入手机实名登记数据。",
     {"telecom": "capability"}),
    ("aviation-railway-travel-data", "平台须接入民航、铁路旅客出行数据。",
     {"civil_aviation": "capability", "railway_tickets": "capability", "travel_records": "weak_capability"}),
    ("control-handset-chat-records", "手机取证终端须支持提取即时通讯记录。",
     {"phone_wifi_imsi": "capability"}),
]


@pytest.mark.parametrize("text,expected", [r[1:] for r in CAPABILITY_ROWS], ids=[r[0] for r in CAPABILITY_ROWS])
def test_capability_paths(rules, text: str, expected: dict[str, str]) -> None:
    found = {f.label: f for f in rules.classify(text) if f.kind != "group"}
    assert set(found) == set(expected)
    for label, rule in expected.items():
        assert (found[label].score, found[label].tier) == (SCORES[rule].score, SCORES[rule].tier), label


def test_marker_reason_uses_the_documents_legend(rules) -> None:
    text = "平台须对涉恐人员开展实时布控。"
    own = rules.classify(text, marker="▲", legend={"▲": "实质性要求：不满足即无效投标"})[0]
    assert own.reason.endswith("(marked ▲: 实质性要求：不满足即无效投标, per the document's legend)")
    assumed = rules.classify(text, marker="★")[0]
    assert assumed.reason.endswith("(marked ★: mandatory)")


def test_every_score_is_used_by_a_row() -> None:
    """The table and the paths stay in step: a SCORES entry no row reaches is dead or untested."""
    used = {rule for *_, expected in GROUP_ROWS for rule in expected.values()}
    used |= {rule for *_, expected in CAPABILITY_ROWS for rule in expected.values()}
    assert used == set(SCORES)
    assert all(s.tier in ("A", "B", "C") and 0 < s.score < 1 for s in SCORES.values())


# Each seed system of the founding reports (issue 13), found in differently worded passages of
# samples/labelled/capabilities-dev.jsonl: specification rows, SDK fields, requirements, English notes.
SEED_ROWS = [
    ("ethnicity_recognition", "capdev-0001"),
    ("ethnicity_recognition", "capdev-0002"),
    ("ethnicity_recognition", "capdev-0003"),
    ("ethnicity_recognition", "capdev-0004"),
    ("ethnicity_recognition", "capdev-0005"),
    ("face_recognition", "capdev-0002"),
    ("face_recognition", "capdev-0007"),
    ("face_recognition", "capdev-0008"),
    ("face_recognition", "capdev-0010"),
    ("face_recognition", "capdev-0013"),
    ("voiceprint", "capdev-0017"),
    ("voiceprint", "capdev-0018"),
    ("voiceprint", "capdev-0019"),
    ("dna_biometrics", "capdev-0021"),
    ("dna_biometrics", "capdev-0022"),
    ("dna_biometrics", "capdev-0023"),
    ("dna_biometrics", "capdev-0024"),
    ("iris_gait_other_biometrics", "capdev-0024"),
    ("iris_gait_other_biometrics", "capdev-0025"),
    ("iris_gait_other_biometrics", "capdev-0026"),
    ("iris_gait_other_biometrics", "capdev-0027"),
    ("phone_wifi_imsi", "capdev-0028"),
    ("phone_wifi_imsi", "capdev-0029"),
    ("phone_wifi_imsi", "capdev-0030"),
    ("phone_wifi_imsi", "capdev-0031"),
    ("phone_wifi_imsi", "capdev-0032"),
    ("data_fusion_profiles", "capdev-0034"),
    ("data_fusion_profiles", "capdev-0035"),
    ("data_fusion_profiles", "capdev-0036"),
    ("data_fusion_profiles", "capdev-0037"),
    ("predictive_policing", "capdev-0039"),
    ("predictive_policing", "capdev-0040"),
    ("predictive_policing", "capdev-0041"),
    ("travel_records", "capdev-0016"),
    ("travel_records", "capdev-0042"),
    ("travel_records", "capdev-0043"),
    ("travel_records", "capdev-0044"),
    ("travel_records", "capdev-0045"),
    ("checkpoint", "capdev-0029"),
    ("checkpoint", "capdev-0047"),
    ("checkpoint", "capdev-0048"),
    ("checkpoint", "capdev-0049"),
    ("checkpoint", "capdev-0050"),
    ("internet_monitoring", "capdev-0051"),
    ("internet_monitoring", "capdev-0052"),
    ("internet_monitoring", "capdev-0053"),
    ("social_credit", "capdev-0055"),
    ("social_credit", "capdev-0056"),
    ("social_credit", "capdev-0062"),
    # the passages written for issue 13, before the rules changed: a spec row, an SDK field list, a
    # requirement and an English note for each seed system where the wording exists
    ("ethnicity_recognition", "capdev-0063"),
    ("ethnicity_recognition", "capdev-0064"),
    ("ethnicity_recognition", "capdev-0065"),
    ("ethnicity_recognition", "capdev-0068"),
    ("face_recognition", "capdev-0074"),
    ("face_recognition", "capdev-0076"),
    ("face_recognition", "capdev-0078"),
    ("face_recognition", "capdev-0079"),
    ("voiceprint", "capdev-0083"),
    ("voiceprint", "capdev-0085"),
    ("voiceprint", "capdev-0086"),
    ("voiceprint", "capdev-0087"),
    ("dna_biometrics", "capdev-0090"),
    ("dna_biometrics", "capdev-0092"),
    ("dna_biometrics", "capdev-0104"),
    ("iris_gait_other_biometrics", "capdev-0094"),
    ("iris_gait_other_biometrics", "capdev-0095"),
    ("iris_gait_other_biometrics", "capdev-0097"),
    ("iris_gait_other_biometrics", "capdev-0101"),
    ("phone_wifi_imsi", "capdev-0112"),
    ("phone_wifi_imsi", "capdev-0113"),
    ("phone_wifi_imsi", "capdev-0114"),
    ("phone_wifi_imsi", "capdev-0116"),
    ("phone_wifi_imsi", "capdev-0118"),
    ("data_fusion_profiles", "capdev-0133"),
    ("data_fusion_profiles", "capdev-0135"),
    ("data_fusion_profiles", "capdev-0139"),
    ("data_fusion_profiles", "capdev-0142"),
    ("predictive_policing", "capdev-0155"),
    ("predictive_policing", "capdev-0156"),
    ("predictive_policing", "capdev-0159"),
    ("predictive_policing", "capdev-0161"),
    ("travel_records", "capdev-0170"),
    ("travel_records", "capdev-0171"),
    ("travel_records", "capdev-0174"),
    ("travel_records", "capdev-0254"),
    ("checkpoint", "capdev-0219"),
    ("checkpoint", "capdev-0220"),
    ("checkpoint", "capdev-0221"),
    ("checkpoint", "capdev-0228"),
    ("internet_monitoring", "capdev-0235"),
    ("internet_monitoring", "capdev-0236"),
    ("internet_monitoring", "capdev-0239"),
    ("internet_monitoring", "capdev-0240"),
    ("social_credit", "capdev-0248"),
    ("social_credit", "capdev-0249"),
    ("social_credit", "capdev-0250"),
    ("social_credit", "capdev-0253"),
    ("alerting_watchlist", "capdev-0263"),
    ("alerting_watchlist", "capdev-0264"),
    ("alerting_watchlist", "capdev-0266"),
    ("alerting_watchlist", "capdev-0269"),
    ("location_tracking", "capdev-0205"),
    ("location_tracking", "capdev-0206"),
    ("location_tracking", "capdev-0209"),
    ("location_tracking", "capdev-0122"),
    ("vehicle_plate", "capdev-0189"),
    ("vehicle_plate", "capdev-0191"),
    ("vehicle_plate", "capdev-0193"),
    ("vehicle_plate", "capdev-0198"),
]


# The hard negatives of capabilities-dev.jsonl (source_style "negative"): the same nouns without a
# requirement (railway cleaning, staff lodging, paper archives, bidder lists, cleaning routes, CCTV
# maintenance) give no capability.
@pytest.mark.parametrize("row", ["capdev-0058", "capdev-0073", "capdev-0108", "capdev-0147", "capdev-0151", "capdev-0183",
                                 "capdev-0184", "capdev-0185", "capdev-0215", "capdev-0128", "capdev-0278",
                                 "capdev-0285", "capdev-0291"])
def test_hard_negative_gives_no_capability(rules, capabilities_dev, row: str) -> None:
    assert not [f.label for f in rules.classify(capabilities_dev[row]) if f.kind == "capability"]


@pytest.fixture(scope="module")
def capabilities_dev() -> dict[str, str]:
    path = Path(__file__).resolve().parents[1] / "samples" / "labelled" / "capabilities-dev.jsonl"
    return {r["id"]: r["text"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.mark.parametrize("label,row", SEED_ROWS, ids=[f"{lab}-{row}" for lab, row in SEED_ROWS])
def test_seed_system_is_found(rules, capabilities_dev, label: str, row: str) -> None:
    assert label in {f.label for f in rules.classify(capabilities_dev[row]) if f.kind != "group"}


def test_every_seed_system_has_three_passages() -> None:
    assert all(n >= 3 for n in Counter(lab for lab, _ in SEED_ROWS).values())
    assert len({lab for lab, _ in SEED_ROWS}) == 15


def test_a_strong_hit_wins_over_a_weak_one_of_the_same_span(rules) -> None:
    """QQ is a weak Chinese term of social_media and a strong English one: where the English patterns
    run (the clause holds Latin words), the strong reading of the same span is the one kept."""
    from analyzer.normalize import normalize

    hits = [h for h in rules.hits(normalize("取证设备支持iOS与Android手机，可解析短信、QQ聊天内容。"))
            if h.label == "social_media" and h.term == "QQ"]
    assert [h.strong for h in hits] == [True]
