"""The one translation mechanism: Vietnamese first, English second.

Every text a person reads (errors, CLI output, later the apps' labels) has a key in
:data:`MESSAGES` with its Vietnamese and English forms. :func:`tr` picks the current language.
Texts are NFC-normalised here, once, so nothing downstream has to.
"""

from __future__ import annotations

import unicodedata
from contextvars import ContextVar
from typing import Final

LANGUAGES: Final = ("vi", "en")

_language: ContextVar[str] = ContextVar("motcua_language", default="vi")

# key: (Vietnamese, English). Placeholders use str.format names.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- errors: usage and catalogue -------------------------------------------------------
    "error.unknown_service": (
        "Không có dịch vụ mã “{code}”. Xem danh sách bằng lệnh: motcua catalog show",
        "There is no service with code “{code}”. List them with: motcua catalog show",
    ),
    "error.unknown_counter": (
        "Không có quầy số {number}. Xem danh sách bằng lệnh: motcua catalog show",
        "There is no counter number {number}. List them with: motcua catalog show",
    ),
    "error.unknown_priority": (
        "Không có nhóm ưu tiên “{code}”. Các nhóm hiện có: {known}",
        "There is no priority group “{code}”. Known groups: {known}",
    ),
    "error.unknown_ticket": (
        "Không tìm thấy phiếu số thứ tự có mã {ticket_id}.",
        "No ticket with id {ticket_id}.",
    ),
    "error.unknown_centre": (
        "Không có trung tâm mã “{code}” trong cơ sở dữ liệu.",
        "There is no centre with code “{code}” in the database.",
    ),
    "error.no_centre": (
        "Cơ sở dữ liệu chưa có danh mục. Hãy nạp danh mục: motcua catalog import TỆP.toml",
        "The database has no catalogue yet. Load one: motcua catalog import FILE.toml",
    ),
    "error.many_centres": (
        "Cơ sở dữ liệu có nhiều trung tâm ({codes}). Chọn một bằng tùy chọn --centre "
        "hoặc khóa centre.code trong tệp cấu hình.",
        "The database holds several centres ({codes}). Choose one with --centre "
        "or centre.code in the configuration file.",
    ),
    "error.illegal_transition": (
        "Không thể {action} phiếu {number}: phiếu đang ở trạng thái “{status}”.",
        "Cannot {action} ticket {number}: it is “{status}”.",
    ),
    "error.not_called": (
        "Phiếu {number} chưa được gọi đến quầy nào; chỉ định quầy bằng --counter N.",
        "Ticket {number} has not been called to a counter; give one with --counter N.",
    ),
    "error.counter_taken": (
        "Quầy số {number} đang do {name} làm việc (từ {since}). Người đó cần đăng xuất trước.",
        "Counter {number} is held by {name} (since {since}). They must sign out first.",
    ),
    "error.bad_login": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "Wrong user name or password.",
    ),
    "error.not_signed_in": (
        "Không có ai đăng nhập ở quầy số {number}.",
        "Nobody is signed in at counter {number}.",
    ),
    "error.rating_level": (
        "Mức đánh giá phải từ 1 đến {scale}.",
        "The rating must be from 1 to {scale}.",
    ),
    "error.rating_not_finished": (
        "Chỉ đánh giá được khi phiếu {number} đã phục vụ xong.",
        "Ticket {number} can only be rated once its service is finished.",
    ),
    "error.rating_exists": (
        "Lượt phục vụ phiếu {number} đã được đánh giá.",
        "This service of ticket {number} was already rated.",
    ),
    "rating.3.1": ("Không hài lòng", "Dissatisfied"),
    "rating.3.2": ("Hài lòng", "Satisfied"),
    "rating.3.3": ("Rất hài lòng", "Very satisfied"),
    "rating.4.1": ("Không hài lòng", "Dissatisfied"),
    "rating.4.2": ("Bình thường", "Neutral"),
    "rating.4.3": ("Hài lòng", "Satisfied"),
    "rating.4.4": ("Rất hài lòng", "Very satisfied"),
    "rating.5.1": ("Rất không hài lòng", "Very dissatisfied"),
    "rating.5.2": ("Không hài lòng", "Dissatisfied"),
    "rating.5.3": ("Bình thường", "Neutral"),
    "rating.5.4": ("Hài lòng", "Satisfied"),
    "rating.5.5": ("Rất hài lòng", "Very satisfied"),
    "cli.rated": (
        "Đã ghi đánh giá “{label}” cho phiếu {number}.",
        "Recorded “{label}” for ticket {number}.",
    ),
    "cli.signed_in": (
        "{name} đã đăng nhập ở quầy số {number}.",
        "{name} signed in at counter {number}.",
    ),
    "cli.signed_out": ("Đã đăng xuất khỏi quầy số {number}.", "Signed out of counter {number}."),
    "error.counter_paused": (
        "Quầy số {number} đang tạm dừng. Mở lại quầy trước khi gọi số.",
        "Counter {number} is paused. Resume it before calling.",
    ),
    "error.counter_already": (
        "Quầy số {number} đã ở trạng thái “{state}”.",
        "Counter {number} is already {state}.",
    ),
    "error.counter_not_serving": (
        "Quầy số {number} không phục vụ dịch vụ “{service}”.",
        "Counter {number} does not serve “{service}”.",
    ),
    "error.range_exhausted": (
        "Dịch vụ “{service}” đã phát hết số trong ngày (đến {end}). Quản lý cần mở rộng dải số "
        "trong danh mục.",
        "Service “{service}” has issued every number of the day (up to {end}). A manager must "
        "widen its number range in the catalogue.",
    ),
    "error.service_inactive": (
        "Dịch vụ “{code}” đã ngừng cấp số.",
        "Service “{code}” no longer issues tickets.",
    ),
    "error.request_id_conflict": (
        "Mã yêu cầu “{request_id}” đã được dùng cho một phiếu khác ({service}).",
        "Request id “{request_id}” was already used for another ticket ({service}).",
    ),
    "error.catalog_file": (
        "{file}: {detail}",
        "{file}: {detail}",
    ),
    "error.catalog_entry": (
        "{file}, dòng {line}, trường “{field}”: {detail}",
        "{file}, line {line}, field “{field}”: {detail}",
    ),
    "error.catalog_unreadable": (
        "Không đọc được tệp danh mục {file}: {detail}",
        "Cannot read catalogue file {file}: {detail}",
    ),
    "error.user_exists": (
        "Tên đăng nhập “{name}” đã tồn tại.",
        "User name “{name}” already exists.",
    ),
    "error.bad_role": (
        "Vai trò “{role}” không hợp lệ; chọn một trong: {known}.",
        "Role “{role}” is not valid; choose one of: {known}.",
    ),
    "error.bad_password": (
        "Mật khẩu phải có ít nhất {min} ký tự.",
        "The password must have at least {min} characters.",
    ),
    "error.bad_user_name": (
        "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới "
        "(3–64 ký tự).",
        "A user name holds only letters a–z, digits, dot, dash or underscore (3–64 characters).",
    ),
    # --- errors: printing and codes ---------------------------------------------------------
    "error.printer_not_configured": (
        "Chưa cấu hình máy in. Khai báo mục [printer] trong tệp cấu hình (xem: motcua config "
        "sample).",
        "No printer is configured. Set the [printer] section of the configuration file (see: "
        "motcua config sample).",
    ),
    "error.printer_unreachable": (
        "Không kết nối được máy in {printer}. Kiểm tra máy in đã bật và cáp mạng/USB. Phiếu vẫn "
        "được giữ, có thể in lại.",
        "Cannot reach the printer {printer}. Check that it is on and its cable is plugged in. "
        "The ticket is kept and can be printed again.",
    ),
    "error.printer_timeout": (
        "Máy in {printer} không phản hồi sau {seconds} giây. Kiểm tra máy in rồi in lại.",
        "The printer {printer} did not answer within {seconds} seconds. Check it, then print "
        "again.",
    ),
    "error.printer_paper_out": (
        "Máy in {printer} hết giấy. Vui lòng báo cán bộ thay cuộn giấy; số thứ tự của bạn vẫn "
        "được giữ.",
        "The printer {printer} is out of paper. Please tell a member of staff; your number is "
        "kept.",
    ),
    "error.printer_cover_open": (
        "Nắp máy in {printer} đang mở. Đóng nắp rồi in lại.",
        "The cover of the printer {printer} is open. Close it, then print again.",
    ),
    "error.printer_fault": (
        "Máy in {printer} báo lỗi: {detail}. Tắt bật lại máy in rồi in lại.",
        "The printer {printer} reports a fault: {detail}. Switch it off and on, then print again.",
    ),
    "error.code_malformed": (
        "Mã quét được không phải mã của hệ thống MotCua ({detail}).",
        "The scanned code is not a MotCua code ({detail}).",
    ),
    "error.code_tampered": (
        "Mã quét được đã bị sửa đổi hoặc hỏng; không dùng được.",
        "The scanned code was altered or damaged and cannot be used.",
    ),
    # --- errors: database and configuration --------------------------------------------------
    "error.db_unreachable": (
        "Không kết nối được cơ sở dữ liệu {url}: {detail}. Kiểm tra máy chủ đang chạy và "
        "địa chỉ (--db hoặc MOTCUA_DB_URL) đúng.",
        "Cannot reach the database {url}: {detail}. Check that the server is running and "
        "the address (--db or MOTCUA_DB_URL) is right.",
    ),
    "error.db_lost": (
        "Mất kết nối cơ sở dữ liệu giữa chừng; thao tác chưa được ghi, hãy thử lại. ({detail})",
        "The database connection was lost mid-way; nothing was saved, please try again. ({detail})",
    ),
    "error.db_busy": (
        "Cơ sở dữ liệu đang bận quá lâu; thao tác chưa được ghi, hãy thử lại.",
        "The database stayed busy too long; nothing was saved, please try again.",
    ),
    "error.schema_missing": (
        "Cơ sở dữ liệu {url} chưa được khởi tạo. Chạy: motcua db upgrade",
        "The database {url} has no schema yet. Run: motcua db upgrade",
    ),
    "error.schema_old": (
        "Cơ sở dữ liệu {url} dùng cấu trúc cũ ({current}). Chạy: motcua db upgrade",
        "The database {url} has an old schema ({current}). Run: motcua db upgrade",
    ),
    "error.schema_new": (
        "Cơ sở dữ liệu {url} được tạo bởi phiên bản MotCua mới hơn ({current}). "
        "Hãy cập nhật phần mềm trên máy này.",
        "The database {url} was made by a newer MotCua ({current}). Update the software on "
        "this computer.",
    ),
    "error.bad_db_url": (
        "Địa chỉ cơ sở dữ liệu “{url}” không hợp lệ. Ví dụ: sqlite:///C:/MotCua/motcua.sqlite3 "
        "hoặc postgresql://motcua@192.0.2.10/motcua",
        "The database address “{url}” is not valid. Examples: sqlite:///C:/MotCua/motcua.sqlite3 "
        "or postgresql://motcua@192.0.2.10/motcua",
    ),
    "error.config": (
        "Tệp cấu hình {file}: {detail}",
        "Configuration file {file}: {detail}",
    ),
    # --- statuses and actions (used inside messages) -----------------------------------------
    "status.waiting": ("đang chờ", "waiting"),
    "status.called": ("đã gọi", "called"),
    "status.serving": ("đang phục vụ", "being served"),
    "status.held": ("tạm giữ", "on hold"),
    "status.done": ("đã xong", "done"),
    "status.no_show": ("vắng mặt", "no-show"),
    "status.cancelled": ("đã hủy", "cancelled"),
    "action.recall": ("gọi lại", "recall"),
    "action.start": ("bắt đầu phục vụ", "start serving"),
    "action.finish": ("kết thúc", "finish"),
    "action.no_show": ("đánh dấu vắng mặt", "mark as no-show"),
    "action.hold": ("tạm giữ", "hold"),
    "action.resume": ("đưa lại vào hàng chờ", "put back in the queue"),
    "action.cancel": ("hủy", "cancel"),
    "action.transfer": ("chuyển", "transfer"),
    "counter.paused": ("tạm dừng", "paused"),
    "counter.open": ("đang mở", "open"),
    # --- command output ------------------------------------------------------------------------
    "cli.ticket": ("Số {number} – {service} – {status}", "Number {number} – {service} – {status}"),
    "cli.ticket_ahead": ("{ahead} người đang chờ trước", "{ahead} people waiting ahead"),
    "cli.ticket_counter": ("quầy số {counter}", "counter {counter}"),
    "cli.nothing_waiting": (
        "Không còn ai chờ ở các dịch vụ của quầy {counter}.",
        "Nobody is waiting for counter {counter}'s services.",
    ),
    "cli.db_upgraded": (
        "Cơ sở dữ liệu {url} đã ở phiên bản mới nhất ({revision}).",
        "Database {url} is at the latest schema ({revision}).",
    ),
    "cli.catalog_imported": (
        "Đã nạp danh mục “{centre}”: {sectors} lĩnh vực, {services} dịch vụ, {procedures} thủ tục, "
        "{counters} quầy, {groups} nhóm ưu tiên.",
        "Imported catalogue “{centre}”: {sectors} sectors, {services} services, {procedures} "
        "procedures, {counters} counters, {groups} priority groups.",
    ),
    "cli.user_added": ("Đã tạo tài khoản “{name}” ({role}).", "Created user “{name}” ({role})."),
    "cli.password_prompt": ("Mật khẩu: ", "Password: "),
    "cli.password_again": ("Nhập lại mật khẩu: ", "Password again: "),
    "cli.password_mismatch": ("Hai mật khẩu không khớp.", "The passwords differ."),
    "cli.counter_state": ("Quầy số {number}: {state}", "Counter {number}: {state}"),
    "cli.status_header_waiting": ("Đang chờ theo dịch vụ", "Waiting per service"),
    "cli.status_header_counters": ("Các quầy", "Counters"),
    "cli.status_serving": ("đang phục vụ số {number}", "serving {number}"),
    "cli.status_idle": ("trống", "idle"),
    "cli.printed": ("Đã in phiếu trên máy in {printer}.", "Printed on {printer}."),
    "cli.print_saved": (
        "Đã lưu bản in ({width}×{height} điểm, {bytes} byte): {files}",
        "Saved the print ({width}×{height} dots, {bytes} bytes): {files}",
    ),
    "cli.unexpected": (
        "Lỗi không mong đợi: {detail}. Chi tiết đã ghi vào nhật ký {log}.",
        "Unexpected error: {detail}. Details were written to the log {log}.",
    ),
    "demo.windowed": (
        "Bản trình diễn: {database}\nĐăng nhập quầy bằng tài khoản {clerks}, mật khẩu "
        "“{password}”. Đóng các cửa sổ hoặc nhấn Ctrl+C để kết thúc.",
        "Demo: {database}\nSign in at a counter as {clerks}, password “{password}”. Close the "
        "windows or press Ctrl+C to end.",
    ),
    "demo.title": ("Mô phỏng một ngày làm việc", "A simulated working day"),
    "demo.database": ("Cơ sở dữ liệu", "Database"),
    "demo.tickets": ("Phiếu đã phát", "Tickets issued"),
    "demo.served": ("Đã phục vụ", "Served"),
    "demo.no_show": ("Vắng mặt", "No-shows"),
    "demo.left": ("Còn chờ lúc đóng cửa", "Still waiting at closing"),
    "demo.wait": ("Thời gian chờ (phút)", "Waiting time (minutes)"),
    "demo.mean": ("trung bình", "mean"),
    "demo.p90": ("p90", "p90"),
    "demo.service": ("Dịch vụ", "Service"),
    "demo.all": ("Tất cả", "All"),
    "demo.counters": ("Số quầy", "Counters"),
    "demo.checks": ("Kiểm tra", "Checks"),
    "demo.checks_ok": (
        "không số trùng, không phiếu bị gọi hai lần",
        "no duplicate number, no ticket called twice",
    ),
    # --- printed tickets, dossier slips and the printer test page ---------------------------
    "print.datetime_long": (
        "{hour} giờ {minute} phút, ngày {day} tháng {month} năm {year}",
        "{hour}:{minute}, {day}/{month}/{year}",
    ),
    "print.ticket.title": ("SỐ THỨ TỰ", "Your number"),
    "print.ticket.counters": ("Quầy {numbers}", "Counters {numbers}"),
    "print.ticket.ahead": ("Số người đang chờ trước: {ahead}", "People ahead of you: {ahead}"),
    "print.ticket.wait": (
        "Thời gian chờ dự kiến: khoảng {minutes} phút",
        "Estimated wait: about {minutes} min",
    ),
    "print.ticket.wait_soon": ("Thời gian chờ dự kiến: sắp đến lượt", "Estimated wait: very soon"),
    "print.ticket.priority": ("Ưu tiên: {group}", "Priority: {group}"),
    "print.ticket.priority_note": ("Được phục vụ ưu tiên", "Priority service"),
    "print.ticket.listen": (
        "Vui lòng chú ý màn hình và loa gọi số",
        "Please watch the screen and listen for your number",
    ),
    "print.ticket.qr_hint": ("Quét mã để theo\u00a0dõi lượt của bạn", "Scan to follow your turn"),
    "print.ticket.thanks": ("Xin cảm ơn quý khách!", "Thank you!"),
    "print.slip.title": (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "DOSSIER RECEIPT AND APPOINTMENT SLIP",
    ),
    "print.slip.dossier_code": ("Mã hồ sơ:", "Dossier code:"),
    "print.slip.applicant": ("Tiếp nhận hồ sơ của:", "Dossier received from:"),
    "print.slip.procedure": ("Nội dung yêu cầu giải quyết:", "Request:"),
    "print.slip.received": ("Thời gian nhận hồ sơ:", "Received:"),
    "print.slip.due": ("Thời gian trả kết quả:", "Result due:"),
    "print.slip.collect": ("Nhận kết quả tại:", "Collect the result at:"),
    "print.slip.lookup": ("Mã tra cứu:", "Lookup code:"),
    "print.slip.qr_hint": (
        "Quét mã để tra cứu tình trạng hồ sơ",
        "Scan to check the status of your dossier",
    ),
    "print.slip.hotline": ("Đường dây nóng: {phone}", "Hotline: {phone}"),
    "print.slip.keep": (
        "Vui lòng giữ giấy này khi đến nhận kết quả",
        "Please bring this slip when you collect the result",
    ),
    "print.slip.copy": ("(Liên giao khách hàng)", "(Applicant's copy)"),
    "print.test.title": ("TRANG IN THỬ", "PRINTER TEST PAGE"),
    "print.test.gap": (
        "Hai vạch dưới đây phải cách nhau đúng {mm} mm. Nếu không, đặt printer.feed_blank = "
        "false trong tệp cấu hình.",
        "The two bars below must be exactly {mm} mm apart. If not, set printer.feed_blank = "
        "false in the configuration file.",
    ),
    "print.test.printer": ("Máy in: {printer}", "Printer: {printer}"),
    "print.test.paper": (
        "Khổ giấy {paper} mm, vùng in {dots} điểm ({mm} mm)",
        "Paper {paper} mm, printable {dots} dots ({mm} mm)",
    ),
    "print.test.cutter_yes": ("Có dao cắt giấy", "Paper cutter: yes"),
    "print.test.cutter_no": ("Không có dao cắt giấy", "Paper cutter: no"),
    "print.test.ruler": (
        "Thước: mỗi vạch 1 mm, số ghi milimét. Khung viền phải in đủ cả hai mép.",
        "Ruler: one tick per mm, numbers in millimetres. Both edges of the frame must print.",
    ),
    "print.test.vowels": ("Nguyên âm với đủ 6 thanh:", "Vowels with all 6 tones:"),
    "print.test.sample": ("Câu mẫu:", "Sample sentence:"),
    "print.test.qr": ("Mã QR mẫu:", "Sample QR code:"),
    "print.test.barcode": ("Mã vạch CODE128 mẫu:", "Sample CODE128 barcode:"),
    "print.test.time": ("In lúc: {time}", "Printed at: {time}"),
    "print.test.ok": (
        "Mọi dấu thanh rõ, khung in đủ, mã quét được: máy in đã sẵn sàng.",
        "Every tone mark clear, the frame complete, the codes scan: the printer is ready.",
    ),
    # --- voice calls (spoken sentences and speech errors) ------------------------------------
    "voice.call": (
        "Kính mời công dân có số thứ tự {number} đến quầy số {counter}",
        "Ticket number {number}, please proceed to counter {counter}.",
    ),
    "voice.error.unavailable": (
        "Không tìm thấy chương trình đọc espeak-ng nên không phát được lời gọi số. Cài đặt "
        "espeak-ng (scripts/setup.sh) hoặc tắt voice.enabled trong tệp cấu hình.",
        "The espeak-ng speech program was not found, so calls cannot be spoken. Install "
        "espeak-ng (scripts/setup.sh) or turn off voice.enabled in the configuration file.",
    ),
    "voice.error.failed": (
        "Chương trình đọc espeak-ng bị lỗi, lời gọi số không phát được: {detail}",
        "The espeak-ng speech program failed and the call was not spoken: {detail}",
    ),
    # --- the waiting-room display --------------------------------------------------------------
    "display.now_calling": ("MỜI SỐ", "Now calling"),
    "display.recall": ("GỌI LẠI", "Called again"),
    "display.to_counter": ("QUẦY {counter}", "Counter {counter}"),
    "display.arrow_counter": ("→ QUẦY {counter}", "→ Counter {counter}"),
    "display.counter": ("Quầy {counter:02d}", "Counter {counter}"),
    "display.recent": ("SỐ VỪA GỌI", "Recent calls"),
    "display.serving": ("ĐANG PHỤC VỤ", "Now serving"),
    "display.paused": ("Tạm dừng", "Paused"),
    "display.free": ("—", "—"),
    "display.no_calls": ("Chưa gọi số", "No call yet"),
    "display.disconnected": (
        "Mất kết nối – đang kết nối lại…",
        "Connection lost – reconnecting…",
    ),
    "display.weekday.0": ("Thứ Hai", "Monday"),
    "display.weekday.1": ("Thứ Ba", "Tuesday"),
    "display.weekday.2": ("Thứ Tư", "Wednesday"),
    "display.weekday.3": ("Thứ Năm", "Thursday"),
    "display.weekday.4": ("Thứ Sáu", "Friday"),
    "display.weekday.5": ("Thứ Bảy", "Saturday"),
    "display.weekday.6": ("Chủ Nhật", "Sunday"),
    "display.date": (
        "{weekday}, {day:02d}/{month:02d}/{year}",
        "{weekday}, {day:02d}/{month:02d}/{year}",
    ),
    # --- the kiosk (visitors take a number) ------------------------------------------------
    "kiosk.language.vi": ("Tiếng Việt", "Tiếng Việt"),
    "kiosk.language.en": ("English", "English"),
    "kiosk.home.title": (
        "Chạm vào dịch vụ bạn cần để lấy số thứ tự",
        "Touch the service you need to take a number",
    ),
    "kiosk.priority.button": ("ƯU TIÊN", "PRIORITY"),
    "kiosk.priority.hint": (
        "Người cao tuổi, người khuyết tật, phụ nữ có thai, người có công…",
        "Elderly, disabled, pregnant, persons with meritorious services…",
    ),
    "kiosk.priority.title": ("Bạn thuộc nhóm ưu tiên nào?", "Which priority group are you in?"),
    "kiosk.priority.services": (
        "Ưu tiên: {group} — chọn dịch vụ",
        "Priority: {group} — choose a service",
    ),
    "kiosk.back": ("← Quay lại", "← Back"),
    "kiosk.waiting.none": ("Không có ai đang chờ", "Nobody waiting"),
    "kiosk.waiting.one": ("1 người đang chờ", "1 person waiting"),
    "kiosk.waiting.many": ("{count} người đang chờ", "{count} people waiting"),
    "kiosk.wait.under5": ("chờ dưới 5 phút", "wait under 5 minutes"),
    "kiosk.wait.range": ("chờ khoảng {low}–{high} phút", "wait about {low}–{high} minutes"),
    "kiosk.unavailable": ("TẠM NGỪNG", "NOT AVAILABLE"),
    "kiosk.unavailable.no_counter": (
        "Hiện không có quầy nào mở",
        "No counter is open right now",
    ),
    "kiosk.busy": ("Đang lấy số, xin chờ một chút…", "Taking your number, one moment…"),
    "kiosk.confirm.title": ("SỐ THỨ TỰ CỦA BẠN", "YOUR NUMBER"),
    "kiosk.ahead.none": ("Không có ai chờ trước bạn", "Nobody is ahead of you"),
    "kiosk.ahead.one": ("Có 1 người chờ trước bạn", "1 person is ahead of you"),
    "kiosk.ahead.many": ("Có {count} người chờ trước bạn", "{count} people are ahead of you"),
    "kiosk.confirm.wait": ("Thời gian {wait}", "Estimated: {wait}"),
    "kiosk.confirm.counters": ("Quầy phục vụ: {numbers}", "Served at counter {numbers}"),
    "kiosk.confirm.printing": ("Đang in phiếu…", "Printing your ticket…"),
    "kiosk.confirm.printed": (
        "Mời bạn nhận phiếu ở khe bên dưới",
        "Please take your ticket from the slot below",
    ),
    "kiosk.confirm.printer_failed": (
        "Máy in đang gặp sự cố — vui lòng ghi nhớ số này hoặc chụp ảnh mã QR",
        "The printer has a problem — please remember this number or photograph the QR code",
    ),
    "kiosk.confirm.qr": ("Quét mã để theo dõi lượt", "Scan to follow your turn"),
    "kiosk.confirm.listen": (
        "Vui lòng chú ý màn hình và loa gọi số",
        "Please watch the screen and listen for your number",
    ),
    "kiosk.confirm.touch": (
        "Chạm vào màn hình để trở về trang đầu",
        "Touch the screen to go back to the start",
    ),
    "kiosk.offline.title": ("Tạm ngừng lấy số", "Ticket machine paused"),
    "kiosk.offline.body": (
        "Máy đang kết nối lại với hệ thống. Xin vui lòng chờ trong giây lát hoặc hỏi nhân viên "
        "hướng dẫn.",
        "The machine is reconnecting. Please wait a moment or ask a staff member for help.",
    ),
    "kiosk.error.title": ("Xin lỗi, đã có sự cố", "Sorry, something went wrong"),
    "kiosk.error.body": (
        "Vui lòng thử lại. Màn hình sẽ tự trở về trang đầu.",
        "Please try again. The screen will go back to the start by itself.",
    ),
    "kiosk.error.refused": ("Không lấy được số", "No number could be taken"),
    "kiosk.admin.title": ("Mã PIN kỹ thuật viên", "Technician PIN"),
    "kiosk.admin.hint": ("Nhập mã PIN rồi bấm OK", "Enter the PIN, then press OK"),
    "kiosk.admin.ok": ("OK", "OK"),
    "kiosk.admin.clear": ("Xóa", "Clear"),
    "kiosk.admin.cancel": ("Hủy", "Cancel"),
    "kiosk.admin.wrong": ("Mã PIN không đúng", "Wrong PIN"),
    "kiosk.admin.not_configured": (
        "Chưa cấu hình mã PIN quản trị (motcua config pin)",
        "No admin PIN is configured (motcua config pin)",
    ),
    "kiosk.pin.prompt": ("Mã PIN (4–12 chữ số): ", "PIN (4–12 digits): "),
    "kiosk.pin.again": ("Nhập lại mã PIN: ", "PIN again: "),
    "kiosk.pin.invalid": (
        "Mã PIN phải gồm 4 đến 12 chữ số.",
        "A PIN must be 4 to 12 digits.",
    ),
    "kiosk.pin.mismatch": ("Hai mã PIN không khớp.", "The two PINs do not match."),
    "kiosk.pin.put": (
        "Thêm dòng này vào mục [kiosk] của tệp cấu hình:",
        "Put this line in the [kiosk] section of the configuration file:",
    ),
    # --- the counter app ------------------------------------------------------------------------
    "counter.window.title": ("MotCua – Quầy", "MotCua – Counter"),
    "counter.sign_in.title": ("Đăng nhập quầy", "Counter sign-in"),
    "counter.sign_in.username": ("Tên đăng nhập", "User name"),
    "counter.sign_in.password": ("Mật khẩu", "Password"),
    "counter.sign_in.counter": ("Quầy số", "Counter number"),
    "counter.sign_in.button": ("Đăng nhập", "Sign in"),
    "counter.sign_in.busy": ("Đang đăng nhập…", "Signing in…"),
    "counter.sign_in.missing": (
        "Vui lòng nhập tên đăng nhập, mật khẩu và số quầy.",
        "Please enter the user name, the password and the counter number.",
    ),
    "counter.sign_in.hint": (
        "Máy này nhớ tên đăng nhập và số quầy (không nhớ mật khẩu). Mỗi quầy chỉ một cán bộ "
        "đăng nhập tại một thời điểm.",
        "This PC remembers the user name and the counter (never the password). One clerk per "
        "counter at a time.",
    ),
    "counter.main.who": (
        "{name} ({username}) — {counter}",
        "{name} ({username}) — {counter}",
    ),
    "counter.main.sign_out": ("Đăng xuất", "Sign out"),
    "counter.main.paused": ("QUẦY ĐANG TẠM NGƯNG", "COUNTER PAUSED"),
    "counter.main.recovered": (
        "Quầy đang phục vụ số {number} (khôi phục sau lần mở trước).",
        "The counter is serving number {number} (restored from the last session).",
    ),
    "counter.main.nobody": (
        "Hiện không có ai chờ quầy này.",
        "Nobody is waiting for this counter.",
    ),
    "counter.action.call_next": ("Gọi tiếp", "Call next"),
    "counter.action.recall": ("Gọi lại", "Recall"),
    "counter.action.start": ("Bắt đầu", "Start"),
    "counter.action.finish": ("Hoàn thành", "Finish"),
    "counter.action.no_show": ("Vắng mặt", "No-show"),
    "counter.action.hold": ("Tạm giữ", "Hold"),
    "counter.action.resume": ("Tiếp tục số tạm giữ", "Resume held"),
    "counter.action.transfer": ("Chuyển", "Transfer"),
    "counter.action.pause": ("Tạm ngưng quầy", "Pause counter"),
    "counter.action.resume_counter": ("Mở lại quầy", "Reopen counter"),
    "counter.ticket.caption": ("Số đang phục vụ", "Current number"),
    "counter.ticket.none": ("Chưa gọi số nào", "No number called"),
    "counter.ticket.priority": ("Ưu tiên: {group}", "Priority: {group}"),
    "counter.ticket.waited": (
        "Lấy số lúc {issued} · đã chờ {minutes} phút",
        "Taken at {issued} · waited {minutes} min",
    ),
    "counter.ticket.serving_for": ("phục vụ {minutes} phút", "served for {minutes} min"),
    "counter.ticket.recalls": ("đã gọi lại {count} lần", "recalled {count} times"),
    "counter.ticket.transfers": ("Đã chuyển: {steps}", "Transferred: {steps}"),
    "counter.queue.title": ("Đang chờ quầy này", "Waiting for this counter"),
    "counter.queue.priority": ("({count} ưu tiên)", "({count} priority)"),
    "counter.queue.longest": ("Chờ lâu nhất: {minutes} phút", "Longest wait: {minutes} min"),
    "counter.queue.empty": ("Không có ai đang chờ", "Nobody is waiting"),
    "counter.queue.held": ("Số tạm giữ (F10 để tiếp tục)", "Held numbers (F10 resumes)"),
    "counter.queue.held_none": ("Không có", "None"),
    "counter.figures.title": ("Hôm nay tại quầy", "Today at this counter"),
    "counter.figures.body": (
        "Đã phục vụ: {served} · TB {mean} phút/lượt · Vắng mặt: {no_shows}",
        "Served: {served} · mean {mean} min each · No-shows: {no_shows}",
    ),
    "counter.ask.title": ("Số hiện tại chưa xong", "The current number is still open"),
    "counter.ask.text": (
        "Số {number} vẫn đang ở quầy. Xử lý thế nào trước khi gọi số tiếp theo?",
        "Number {number} is still at the counter. What about it before calling the next one?",
    ),
    "counter.ask.finish": ("Hoàn thành và gọi tiếp", "Finish and call next"),
    "counter.ask.no_show": ("Vắng mặt và gọi tiếp", "No-show and call next"),
    "counter.ask.cancel": ("Không gọi", "Do not call"),
    "counter.transfer.title": ("Chuyển số {number}", "Transfer number {number}"),
    "counter.transfer.to_service": ("Sang dịch vụ", "To the service"),
    "counter.transfer.to_counter": ("Sang quầy", "To the counter"),
    "counter.transfer.counter": ("Quầy {number}", "Counter {number}"),
    "counter.transfer.placement": ("Vị trí trong hàng", "Place in the queue"),
    "counter.transfer.placement.keep": ("Theo giờ lấy số", "By the time the number was taken"),
    "counter.transfer.placement.front": ("Lên đầu hàng", "At the front"),
    "counter.transfer.placement.back": ("Cuối hàng", "At the back"),
    "counter.transfer.ok": ("Chuyển", "Transfer"),
    "counter.transfer.cancel": ("Hủy", "Cancel"),
    "counter.rating.title": ("Đánh giá mức độ hài lòng", "Rate our service"),
    "counter.rating.question": (
        "Ông/bà có hài lòng với việc phục vụ số {number}?",
        "Were you satisfied with the service for number {number}?",
    ),
    "counter.rating.reasons": (
        "Xin cho biết lý do (không bắt buộc)",
        "Please tell us why (optional)",
    ),
    "counter.rating.send": ("Gửi đánh giá", "Send"),
    "counter.rating.by_clerk": (
        "Cán bộ nhập thay công dân (sẽ được ghi nhận)",
        "Clerk entering on the citizen's behalf (recorded as such)",
    ),
    "counter.rating.countdown": ("Tự đóng sau {seconds} giây", "Closes in {seconds} s"),
    "counter.rating.none": ("không đánh giá", "no rating"),
    "counter.rating.recorded": (
        "Đã ghi nhận đánh giá số {number}: {label}",
        "Rating of number {number} recorded: {label}",
    ),
    "counter.offline": (
        "MẤT KẾT NỐI CƠ SỞ DỮ LIỆU — số đang phục vụ vẫn giữ nguyên, các nút tạm khóa; máy "
        "tự kết nối lại.",
        "DATABASE UNREACHABLE — the current number stays, the buttons are locked; the app "
        "reconnects by itself.",
    ),
    "counter.online_again": ("Đã kết nối lại cơ sở dữ liệu.", "Connected to the database again."),
    "counter.unexpected": (
        "Đã có lỗi không mong muốn; thao tác chưa được thực hiện. Vui lòng thử lại.",
        "Something unexpected went wrong; the action was not done. Please try again.",
    ),
    # --- dossier statuses and timeliness (national portal codes 1–10) ------------------------
    "dossier.status.1": ("Mới đăng ký", "Submitted"),
    "dossier.status.2": ("Được tiếp nhận", "Accepted"),
    "dossier.status.3": ("Không được tiếp nhận", "Not accepted"),
    "dossier.status.4": ("Đang xử lý", "In progress"),
    "dossier.status.5": ("Yêu cầu bổ sung giấy tờ", "Further documents requested"),
    "dossier.status.6": ("Yêu cầu thực hiện nghĩa vụ tài chính", "Fees or taxes due"),
    "dossier.status.7": ("Công dân yêu cầu rút hồ sơ", "Withdrawn at the applicant's request"),
    "dossier.status.8": ("Dừng xử lý", "Processing stopped"),
    "dossier.status.9": ("Đã xử lý xong", "Result ready"),
    "dossier.status.10": ("Đã trả kết quả", "Result returned"),
    "dossier.timeliness.early": ("Trước hạn", "Ahead of time"),
    "dossier.timeliness.on_time": ("Đúng hạn", "On time"),
    "dossier.timeliness.late": ("Quá hạn", "Late"),
    # --- working calendar --------------------------------------------------------------------
    # --- dossiers: receiving, lifecycle, lookup ---------------------------------------------
    # --- forms (Mẫu 01–06) -------------------------------------------------------------------
    # --- kiosk: dossier lookup screen --------------------------------------------------------
    # --- kiosk: more -------------------------------------------------------------------------
    # --- counter: dossiers -------------------------------------------------------------------
    # --- counter: more -----------------------------------------------------------------------
}


def set_language(language: str) -> None:
    """Select the language for this thread/context (``"vi"`` or ``"en"``)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    _language.set(language)


def current_language() -> str:
    return _language.get()


def tr(key: str, /, language: str | None = None, **params: object) -> str:
    """The text for ``key`` in ``language`` (default: the current one), NFC-normalised."""
    vi, en = MESSAGES[key]
    template = en if (language or _language.get()) == "en" else vi
    return nfc(template.format(**params) if params else template)


def nfc(text: str) -> str:
    """NFC-normalise a text: Vietnamese typed on some keyboards arrives decomposed."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Search key ignoring tone marks and case: "Đăng ký Khai sinh" -> "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())
