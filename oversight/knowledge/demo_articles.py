# ruff: noqa: E501 - the demo texts are data
"""The demo hospital's knowledge articles (市第一人民医院): what its requesters and its vendors' agents look up.

Each row: service code, author (a demo username), readers, title, English title, text, English text. The loader
(`knowledge.demo`) writes them through the real services, so each has its versions, review and approver.
"""

REQ, VEN, INT = "requesters", "vendor", "internal"

ARTICLES = [
    (
        "printer",
        "desk_agent3",
        REQ,
        "病房打印机卡纸怎么办",
        "Ward printer paper jam",
        "1. 关闭打印机电源。\n2. 打开后盖和纸盒，顺着出纸方向慢慢取出卡住的纸，不要硬拽。\n3. 检查有没有撕碎的纸片或掉落的标签。\n"
        "4. 合上后盖，开机打印测试页。仍然卡纸请报修并注明打印机资产编号。",
        "1. Switch the printer off.\n2. Open the back cover and the tray; pull the jammed paper out slowly in the paper's "
        "direction.\n3. Look for torn scraps or fallen labels.\n4. Close the cover, switch on and print a test page. "
        "If it still jams, report it with the printer's asset tag.",
    ),
    (
        "printer",
        "desk_agent3",
        REQ,
        "打印机显示脱机无法打印",
        "Printer shows offline and will not print",
        "在“设备和打印机”中右键打印机，取消勾选“脱机使用打印机”；检查网线或 USB 线是否插好；重启打印机后再试。",
        "In Devices and Printers right-click the printer and untick “Use printer offline”; check the network or USB "
        "cable; restart the printer and try again.",
    ),
    (
        "printer",
        "desk_agent6",
        REQ,
        "打印字迹发淡或有黑条",
        "Faint print or black streaks",
        "字迹发淡多为硒鼓碳粉不足：取出硒鼓左右轻摇后装回；仍不清楚请报修“更换硒鼓”。黑条多为硒鼓划伤，也需更换。",
        "Faint print usually means the toner is low: take the cartridge out, rock it gently and put it back; if it stays "
        "faint request “Replace toner”. Black streaks mean a scratched drum, which also needs replacing.",
    ),
    (
        "printer",
        "desk_agent3",
        VEN,
        "HP M404 系列反复卡纸的处理",
        "HP M404 series: repeated paper jams",
        "检查搓纸轮是否磨损（表面发亮即需更换）；分页器弹簧是否脱落；纸张受潮会加剧卡纸，病房纸盒请避免放在窗边。",
        "Check the pick-up roller for wear (a shiny surface means replace it) and the separation pad's spring; damp "
        "paper makes jams worse, so keep ward paper trays away from windows.",
    ),
    (
        "label-printer",
        "desk_agent4",
        REQ,
        "腕带打印机打印模糊",
        "Wristband printer prints blurred",
        "用酒精棉片擦拭打印头（关机、冷却后），检查腕带是否为本院规定型号；碳带起皱请重新装好碳带。",
        "Clean the print head with an alcohol wipe (switched off and cool), check that the wristbands are the hospital's "
        "type; if the ribbon is creased, reload it.",
    ),
    (
        "label-printer",
        "desk_agent4",
        REQ,
        "条码标签打印不清晰，扫码枪扫不出",
        "Barcode labels unreadable by the scanner",
        "清洁打印头；在打印机菜单中把打印浓度调高 2 档；标签纸受潮或过期请更换。",
        "Clean the print head; raise the print darkness by two steps in the printer menu; replace damp or expired "
        "labels.",
    ),
    (
        "label-printer",
        "desk_agent4",
        VEN,
        "斑马 ZD888 腕带打印机校准步骤",
        "Zebra ZD888 wristband printer calibration",
        "装好腕带后长按进纸键直到指示灯闪两次松开，打印机自动测纸长；校准后打印一张 HIS 测试腕带确认位置。",
        "With the wristbands loaded hold the feed button until the light flashes twice; the printer measures the label "
        "length. Print one HIS test wristband to check the position.",
    ),
    (
        "peripheral",
        "desk_agent6",
        REQ,
        "扫码枪没有反应",
        "Barcode scanner does not respond",
        "拔下扫码枪 USB 线等 10 秒再插上；扫描说明书上的“恢复出厂设置”条码；确认光标在 HIS 的输入框内。",
        "Unplug the scanner's USB cable for 10 seconds and plug it back; scan the “factory default” code in its manual; "
        "make sure the cursor is in the HIS input field.",
    ),
    (
        "peripheral",
        "desk_agent6",
        REQ,
        "医保卡读卡器读不出卡",
        "Insurance card reader cannot read the card",
        "确认卡片芯片朝上插到底；重新插拔读卡器；在收费系统中点“重新连接读卡器”。同一窗口多张卡都读不出请报修。",
        "Insert the card chip up and all the way in; replug the reader; press “Reconnect card reader” in the billing "
        "system. If several cards fail at one counter, report it.",
    ),
    (
        "pc",
        "desk_agent1",
        REQ,
        "电脑蓝屏或死机",
        "PC blue screen or frozen",
        "记下蓝屏上的错误代码；长按电源键 5 秒关机后重新开机；反复蓝屏请报修并附上错误代码的照片。",
        "Note the error code on the blue screen; hold the power button 5 seconds and start again; if it happens again, "
        "report it with a photo of the code.",
    ),
    (
        "pc",
        "desk_agent1",
        REQ,
        "电脑开不了机",
        "PC does not start",
        "检查电源插头和插线板开关；显示器是否通电；主机电源灯不亮请报修，亮但黑屏请检查显示器信号线。",
        "Check the plug and the power strip switch and that the monitor has power; if the PC's power light stays off, "
        "report it; if it is on but the screen is black, check the monitor cable.",
    ),
    (
        "pc",
        "desk_agent2",
        REQ,
        "电脑运行很慢",
        "PC is very slow",
        "关闭不用的程序和浏览器标签；重启电脑；查看杀毒软件是否正在全盘扫描（可以等扫描结束）。",
        "Close programs and browser tabs you do not use; restart the PC; check whether the antivirus is running a full "
        "scan (let it finish).",
    ),
    (
        "pc",
        "desk_agent5",
        REQ,
        "显示器没有信号或闪烁",
        "Monitor shows no signal or flickers",
        "按显示器的输入源按钮选择正确接口；重新插紧视频线；换一根线试试；仍闪烁请报修“显示器故障”。",
        "Choose the right input with the monitor's source button; reseat the video cable; try another cable; if it "
        "still flickers, report a monitor fault.",
    ),
    (
        "software",
        "desk_agent2",
        REQ,
        "办公软件提示未激活",
        "Office says it is not activated",
        "连接院内网络后打开任意办公软件，点“文件-账户-激活”；院外电脑需先连 VPN。",
        "On the hospital network open any Office program and choose File > Account > Activate; off site connect the "
        "VPN first.",
    ),
    (
        "software",
        "desk_agent1",
        REQ,
        "杀毒软件报毒怎么办",
        "The antivirus reports a virus",
        "不要打开可疑文件，不要插 U 盘到其他电脑；拍下提示截图并报修“病毒查杀”，工程师会远程处理。",
        "Do not open the suspicious file or use the USB stick elsewhere; take a screenshot and report “Virus removal”; an "
        "engineer will clean it remotely.",
    ),
    (
        "software",
        "desk_agent2",
        REQ,
        "输入法无法切换或不见了",
        "Input method missing or will not switch",
        "按 Ctrl+空格 切换中英文；任务栏右下角没有输入法图标时，在“设置-时间和语言-语言”中重新添加中文输入法。",
        "Press Ctrl+Space to switch Chinese/English; if the icon is gone, add the Chinese input method again under "
        "Settings > Time & Language > Language.",
    ),
    (
        "account",
        "desk_agent2",
        REQ,
        "忘记密码如何重置",
        "Forgot my password: how to reset it",
        "在登录页点“忘记密码”，用工号和手机验证码重置；连续输错 5 次会锁定 15 分钟，到时自动解锁或报修“密码重置”。",
        "On the sign-in page choose “Forgot password” and reset it with your staff number and an SMS code; five wrong "
        "tries lock the account for 15 minutes, after which it unlocks, or request a password reset.",
    ),
    (
        "account",
        "desk_agent2",
        REQ,
        "新员工如何开通账号",
        "New staff: how to get an account",
        "由科室主任在门户提交“新员工开通账号”，附工号和岗位；开通后账号和初始密码发到本人手机。",
        "The head of department submits “New staff account” on the portal with the staff number and job; the account "
        "and first password are sent to the new colleague's phone.",
    ),
    (
        "account",
        "desk_agent_en",
        VEN,
        "域账号被锁定的解锁步骤",
        "Unlocking a locked domain account",
        "在 AD 管理工具中查找账号，查看锁定来源计算机；先处理保存了旧密码的设备（手机邮箱、映射盘），再解锁。",
        "Find the account in AD tools and check the locking computer; fix the device holding the old password (phone "
        "mail, mapped drives) before unlocking.",
    ),
    (
        "email",
        "desk_agent1",
        REQ,
        "邮件发不出去或收不到",
        "Cannot send or receive e-mail",
        "检查收件人地址；邮箱容量是否已满（清理已删除邮件）；附件不能超过 20 MB。",
        "Check the address; whether the mailbox is full (empty Deleted Items); attachments must stay under 20 MB.",
    ),
    (
        "meeting",
        "desk_agent5",
        REQ,
        "投影仪不显示电脑画面",
        "Projector does not show the laptop",
        "按 Win+P 选择“复制”；确认投影仪输入源为 HDMI；重新插拔转接头。",
        "Press Win+P and choose Duplicate; set the projector's input to HDMI; replug the adapter.",
    ),
    (
        "meeting",
        "desk_agent5",
        REQ,
        "视频会议保障需要提前多久预约",
        "Video conference support: how early to book",
        "重要会议请至少提前 1 个工作日提交“视频会议保障”，写明会议室、时间和参会方。",
        "Book “Video conference support” at least one working day ahead with the room, time and the parties.",
    ),
    (
        "wifi",
        "net_agent1",
        REQ,
        "病房无线网络信号弱或断网",
        "Weak or lost Wi-Fi on the wards",
        "确认连接的是 CFPH-Staff 而不是访客网络；走廊尽头和电梯旁信号较弱；同一病区多人断网请立即报修。",
        "Check you are on CFPH-Staff, not the guest network; the ends of corridors and lifts have weak signal; if "
        "several people on one ward lose it, report it at once.",
    ),
    (
        "wifi",
        "net_agent1",
        REQ,
        "移动护理终端连不上网",
        "Mobile nursing terminal is offline",
        "在终端设置中关闭再打开 WLAN；确认已登录 CFPH-Staff；重启终端。仍不行请报修并写明病区和终端编号。",
        "Switch WLAN off and on in the terminal's settings; check CFPH-Staff is joined; restart it. If still offline, "
        "report it with the ward and the terminal number.",
    ),
    (
        "wifi",
        "net_agent3",
        VEN,
        "无线 AP 掉线排查",
        "Troubleshooting an access point that drops",
        "在无线控制器查看 AP 在线状态和 PoE 供电；检查交换机端口错误计数；同楼层多个 AP 掉线优先查汇聚交换机。",
        "Check the AP's state and PoE power on the controller and the switch port's error counters; if several APs of "
        "one floor drop, check the distribution switch first.",
    ),
    (
        "lan",
        "net_agent2",
        REQ,
        "电脑显示网络已断开",
        "PC says the network is disconnected",
        "检查网线两端是否插好（网口灯应闪烁）；换一个墙面网口试试；整间办公室都断网请报修“网络中断”。",
        "Check both ends of the cable (the port light should blink); try another wall port; if the whole office is down "
        "report a network outage.",
    ),
    (
        "lan",
        "net_agent2",
        INT,
        "核心交换机主备切换操作说明",
        "Core switch failover procedure",
        "仅限信息科和网络运维：切换前通知 HIS 应用支持，在维护窗口内执行，切换后核对 HIS、PACS 和 LIS 的连接。",
        "IT department and network operations only: tell HIS support first, run it in a maintenance window, then check "
        "HIS, PACS and LIS connectivity.",
    ),
    (
        "vpn",
        "net_agent4",
        REQ,
        "VPN 连不上",
        "VPN does not connect",
        "确认用户名为工号；检查电脑时间是否准确；证书过期会提示“证书无效”，请报修“VPN无法连接”。",
        "Your user name is your staff number; check the PC's clock; an expired certificate shows “certificate invalid”: "
        "report “VPN cannot connect”.",
    ),
    (
        "vpn",
        "net_agent4",
        REQ,
        "如何申请开通 VPN",
        "How to request VPN access",
        "在门户提交“开通VPN”，写明使用原因和期限；科室主任审批后由网络运维开通，客户端安装说明随开通短信发送。",
        "Submit “VPN access request” on the portal with the reason and period; after your head of department approves, "
        "network operations enables it and texts you the client set-up guide.",
    ),
    (
        "vpn",
        "net_agent4",
        VEN,
        "VPN 证书更新步骤",
        "Renewing VPN certificates",
        "在证书服务器签发新证书，导出为 PFX；通过远程协助导入用户电脑的个人证书存储；旧证书到期前 7 天批量提醒。",
        "Issue the new certificate, export it as PFX and import it into the user's personal store by remote support; "
        "remind users in bulk 7 days before expiry.",
    ),
    (
        "telephony",
        "net_agent2",
        REQ,
        "座机没有拨号音",
        "No dial tone on the desk phone",
        "检查电话线和话机电源；换一个话机试试；整个科室没有拨号音请立即报修。",
        "Check the phone line and power; try another handset; if the whole department has no tone, report it at once.",
    ),
    (
        "datacenter",
        "net_agent3",
        INT,
        "机房温度告警处置",
        "Server room temperature alarm",
        "确认精密空调运行状态；打开备用空调；温度超过 30℃ 通知信息科值班并准备关停非关键服务器。",
        "Check the precision air conditioning and start the standby unit; above 30 °C call the IT duty officer and "
        "prepare to shut down non-critical servers.",
    ),
    (
        "his",
        "his_agent1",
        REQ,
        "HIS 登录失败提示密码错误",
        "HIS login fails with a wrong password",
        "HIS 密码与电脑开机密码不同；注意大小写和输入法；连续 5 次错误账号会锁定，请报修“HIS无法登录”解锁。",
        "The HIS password is not your Windows password; mind capitals and the input method; five wrong tries lock the "
        "account: report “Cannot log in to HIS” to unlock it.",
    ),
    (
        "his",
        "his_agent1",
        REQ,
        "HIS 客户端打开很慢或卡住",
        "HIS client slow to open or stuck",
        "关闭其他大型程序；清理 HIS 客户端缓存（登录页“工具-清理缓存”）；同一科室都慢请报修。",
        "Close other large programs; clear the HIS client cache (Tools > Clear cache on the login page); if the whole "
        "department is slow, report it.",
    ),
    (
        "his",
        "his_agent2",
        REQ,
        "医嘱录入时提示保存失败",
        "Order entry says it cannot save",
        "截图完整提示；检查必填项（频次、用法）；如提示“药品已停用”，请联系药剂科更新药品字典。",
        "Take a screenshot of the whole message; check the required fields (frequency, route); “drug discontinued” "
        "means pharmacy must update the drug dictionary.",
    ),
    (
        "his",
        "his_agent2",
        VEN,
        "HIS 账号锁定批量解锁脚本使用说明",
        "HIS account lockout: bulk unlock",
        "在 HIS 运维后台“用户管理-锁定用户”中筛选当日锁定账号，核对工单后批量解锁，并在工单中记录账号。",
        "In the HIS admin console filter today's locked users under User management > Locked, check them against the "
        "work orders, unlock in bulk and note the accounts on the work orders.",
    ),
    (
        "emr",
        "his_agent3",
        REQ,
        "电子病历无法保存",
        "Medical record cannot be saved",
        "先把病历内容复制到记事本保存；检查网络；重新登录后粘贴保存。仍失败请报修“病历无法保存”，不要关闭窗口。",
        "Copy the record's text to Notepad first; check the network; log in again and paste it back. If it still fails "
        "report “Record cannot be saved” without closing the window.",
    ),
    (
        "emr",
        "his_agent3",
        REQ,
        "病历模板如何申请修改",
        "How to request a record template change",
        "在门户提交“病历模板修改”，附上修改前后的模板截图并经科室主任确认。",
        "Submit “Record template change” on the portal with screenshots before and after, confirmed by your head of "
        "department.",
    ),
    (
        "lis",
        "his_agent4",
        REQ,
        "检验结果没有回传到 HIS",
        "Lab results do not reach HIS",
        "确认标本已在 LIS 审核发布；在 HIS 中刷新检验报告；超过 30 分钟仍未回传请报修“检验结果未回传”。",
        "Check the sample was verified and released in LIS; refresh the lab reports in HIS; if nothing arrives within 30 "
        "minutes report “Lab results not returned”.",
    ),
    (
        "lis",
        "his_agent4",
        VEN,
        "检验仪器接口中断后的补传",
        "Resending results after an analyser interface outage",
        "恢复接口服务后，在 LIS 接口日志中找到中断期间的样本号，执行“重新接收”；逐条核对结果后再发布。",
        "After the interface service is back, find the sample numbers of the outage in the LIS interface log and run "
        "“Receive again”; check each result before releasing it.",
    ),
    (
        "pacs",
        "his_agent3",
        REQ,
        "PACS 影像调阅很慢",
        "PACS viewer is slow",
        "调阅时先选择单个序列而不是全部；关闭多余的浏览器窗口；放射科以外的电脑请使用网页版阅片。",
        "Open one series rather than all of them; close extra browser windows; outside radiology use the web viewer.",
    ),
    (
        "pacs",
        "his_agent3",
        REQ,
        "影像无法调阅提示找不到检查",
        "Images cannot be opened: study not found",
        "确认检查已在设备端完成并上传（一般需 5–10 分钟）；用检查号而不是住院号查询；仍找不到请报修“影像无法调阅”。",
        "Check the study was completed and sent by the modality (5–10 minutes); search by accession number, not by "
        "inpatient number; if still missing report “Images cannot be opened”.",
    ),
    (
        "billing",
        "his_agent1",
        REQ,
        "医保结算失败怎么办",
        "Insurance settlement fails",
        "记下提示代码；确认患者医保卡状态正常；网络异常时稍后重试。同一时间多个窗口失败请立即报修。",
        "Note the error code; check the patient's insurance card is valid; retry later after a network error. If several "
        "counters fail at once, report it immediately.",
    ),
    (
        "billing",
        "his_agent2",
        REQ,
        "发票打印错位",
        "Receipts print out of position",
        "在收费系统“打印设置”中选择正确的发票模板；针式打印机请检查纸张是否对齐起始线。",
        "Choose the right receipt template under Print settings in billing; on a dot-matrix printer align the paper with "
        "the start line.",
    ),
    (
        "pharmacy-sys",
        "his_agent2",
        VEN,
        "发药机接口异常排查",
        "Dispensing machine interface errors",
        "检查发药机中间件服务是否运行；查看接口队列是否积压；重启中间件前先通知药房暂停自动发药。",
        "Check that the dispensing middleware service runs and whether its queue is backing up; tell the pharmacy to "
        "pause automatic dispensing before restarting the middleware.",
    ),
]
