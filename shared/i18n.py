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
    "error.catalog_cell": (
        "{file}, bảng {sheet}, dòng {row}, cột {column} (“{field}”): {detail}",
        "{file}, sheet {sheet}, row {row}, column {column} (“{field}”): {detail}",
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
    "error.db_not_allowed": (
        "Tài khoản cơ sở dữ liệu của máy này không được phép làm việc này ({detail}); chưa ghi "
        "gì. Kiểm tra [database] url của máy (mỗi loại máy một tài khoản: motcua db roles).",
        "This computer's database login may not do this ({detail}); nothing was written. Check "
        "this computer's [database] url (one login per kind of computer: motcua db roles).",
    ),
    "error.db_file_unreachable": (
        "Không mở được tệp cơ sở dữ liệu {path}: {detail}. Kiểm tra thư mục còn đó và cho phép "
        "ghi (hoặc đặt --db / MOTCUA_DB_URL).",
        "Cannot open the database file {path}: {detail}. Check that its folder exists and can "
        "be written (or set --db / MOTCUA_DB_URL).",
    ),
    "error.disk_full": (
        "Ổ đĩa chứa cơ sở dữ liệu đã đầy (còn {free}): chưa ghi được gì, không mất gì. Giải "
        "phóng dung lượng trên ổ chứa {path} rồi thử lại.",
        "The disk holding the database is full ({free} left): nothing was written, nothing "
        "lost. Free some space on the disk of {path}, then try again.",
    ),
    "error.db_read_only": (
        "Tệp cơ sở dữ liệu {path} chỉ đọc được, không ghi được: chưa ghi gì. Kiểm tra quyền "
        "ghi của tệp và thư mục, và ổ đĩa không ở chế độ chỉ đọc.",
        "The database file {path} can be read but not written: nothing was written. Check the "
        "write permission of the file and its folder, and that the disk is not read-only.",
    ),
    "error.db_corrupt": (
        "Tệp cơ sở dữ liệu {path} bị hỏng ({detail}); chương trình không ghi vào đó. Khôi phục "
        "từ bản sao lưu gần nhất: motcua db restore TỆP_SAO_LƯU.",
        "The database file {path} is damaged ({detail}); the program does not write to it. "
        "Restore the latest backup: motcua db restore BACKUP_FILE.",
    ),
    # --- motcua doctor ------------------------------------------------------------------------
    "doctor.status.ok": ("ổn", "ok"),
    "doctor.status.warn": ("lưu ý", "warning"),
    "doctor.status.fail": ("LỖI", "FAILED"),
    "doctor.summary.ok": ("Máy này sẵn sàng.", "This computer is ready."),
    "doctor.summary.fail": (
        "Máy này chưa sẵn sàng: xem các dòng LỖI.",
        "This computer is not ready: see the FAILED lines.",
    ),
    "doctor.database.ok": ("Kết nối được cơ sở dữ liệu {url}.", "Database {url} reached."),
    "doctor.advice.database": (
        "Kiểm tra địa chỉ cơ sở dữ liệu (motcua config path) và máy chủ đang chạy.",
        "Check the database address (motcua config path) and that the server is running.",
    ),
    "doctor.schema.old": (
        "Cơ sở dữ liệu ở phiên bản {current}, chương trình cần {head}.",
        "The database is at schema {current}; this version needs {head}.",
    ),
    "doctor.advice.schema": ("Chạy: motcua db upgrade", "Run: motcua db upgrade"),
    "doctor.schema.ok": (
        "Cấu trúc dữ liệu mới nhất ({revision}).",
        "Schema up to date ({revision}).",
    ),
    "doctor.integrity.ok": ("Tệp cơ sở dữ liệu nguyên vẹn.", "The database file is sound."),
    "doctor.integrity.bad": (
        "Tệp cơ sở dữ liệu bị hỏng: {detail}",
        "The database file is damaged: {detail}",
    ),
    "doctor.advice.restore": (
        "Khôi phục bản sao lưu gần nhất: motcua db restore TỆP_SAO_LƯU",
        "Restore the latest backup: motcua db restore BACKUP_FILE",
    ),
    "doctor.clock.ok": ("Đồng hồ: {now} (UTC).", "Clock: {now} (UTC)."),
    "doctor.clock.server": (
        "Đồng hồ khớp với máy chủ cơ sở dữ liệu (lệch {seconds} giây).",
        "The clock agrees with the database server ({seconds} s apart).",
    ),
    "doctor.clock.skew": (
        "Đồng hồ máy này {side} máy chủ cơ sở dữ liệu {seconds} giây; chương trình dùng giờ của "
        "máy chủ.",
        "This computer's clock is {seconds} s {side} the database server's; the server's time is "
        "used.",
    ),
    "doctor.clock.behind": ("chậm hơn", "behind"),
    "doctor.clock.ahead": ("nhanh hơn", "ahead of"),
    "doctor.clock.went_back": (
        "Đồng hồ máy này chậm hơn sự kiện mới nhất trong cơ sở dữ liệu ({newest}): đồng hồ bị lùi?",
        "This computer's clock is behind the newest event in the database ({newest}): did the "
        "clock go back?",
    ),
    "doctor.advice.clock": (
        "Chỉnh giờ máy tính (bật đồng bộ giờ tự động, kiểm tra pin CMOS và múi giờ).",
        "Set this computer's time (turn on automatic time sync; check the CMOS battery and the "
        "time zone).",
    ),
    "doctor.clock.shifted": (
        "Đồng hồ được đặt bằng {variable}: {now}. Chỉ dùng khi thử nghiệm hoặc tập huấn.",
        "The clock is set by {variable}: {now}. For tests and training only.",
    ),
    "doctor.advice.shifted": (
        "Bỏ biến môi trường {variable}.",
        "Remove the {variable} environment variable.",
    ),
    "doctor.printer.ok": ("Máy in {printer} sẵn sàng.", "Printer {printer} ready."),
    "doctor.printer.reached": (
        "Kết nối được máy in {printer} (máy in không trả lời trạng thái).",
        "Printer {printer} reached (it does not report its status).",
    ),
    "doctor.printer.paper_low": (
        "Máy in {printer} sắp hết giấy.",
        "Printer {printer}: paper near its end.",
    ),
    "doctor.printer.none": (
        "Chưa cấu hình máy in (cần cho máy kiosk và quầy in phiếu).",
        "No printer configured (the kiosk and counters that print need one).",
    ),
    "doctor.advice.printer_none": (
        "Mục [printer] trong tệp cấu hình; thử bằng: motcua printer test",
        "The [printer] section of the settings file; check it with: motcua printer test",
    ),
    "doctor.advice.printer": (
        "Xem máy in (nguồn, giấy, nắp, cáp mạng), rồi: motcua printer test",
        "Look at the printer (power, paper, cover, network cable), then: motcua printer test",
    ),
    "doctor.fonts.ok": ("Phông chữ tiếng Việt đầy đủ.", "The Vietnamese fonts are there."),
    "doctor.fonts.missing": ("Thiếu phông chữ: {names}.", "Fonts missing: {names}."),
    "doctor.advice.reinstall": ("Cài lại chương trình.", "Install the program again."),
    "doctor.voice.ok": ("Giọng đọc ngoại tuyến: {path}.", "Offline voice: {path}."),
    "doctor.voice.off": ("Không đọc số (đã tắt trong [voice]).", "Spoken calls are off ([voice])."),
    "doctor.voice.missing": (
        "Không có espeak-ng: màn hình phòng chờ sẽ không đọc số.",
        "espeak-ng is not installed: the waiting-room screen will not speak the calls.",
    ),
    "doctor.advice.voice": (
        "Cài espeak-ng (Debian: apt install espeak-ng; Windows: bộ cài espeak-ng).",
        "Install espeak-ng (Debian: apt install espeak-ng; Windows: the espeak-ng installer).",
    ),
    "doctor.disk.ok": (
        "Ổ đĩa còn trống {free} (ít nhất, nơi {what}).",
        "{free} free on the disk (the least, for the {what}).",
    ),
    "doctor.disk.low": (
        "Ổ đĩa chỉ còn {free} ({path}).",
        "Only {free} free on the disk of {path}.",
    ),
    "doctor.disk.unknown": (
        "Không đọc được dung lượng ổ đĩa.",
        "The free disk space cannot be read.",
    ),
    "doctor.advice.disk": (
        "Giải phóng dung lượng, hoặc chuyển thư mục sao lưu ([backup] folder) sang ổ khác.",
        "Free some space, or move the backups ([backup] folder) to another disk.",
    ),
    "doctor.backup.ok": ("Bản sao lưu gần nhất: {file}.", "Latest backup: {file}."),
    "doctor.backup.off": (
        "Máy này không tự sao lưu ([backup]).",
        "No daily backups from this computer ([backup]).",
    ),
    "doctor.backup.none": ("Chưa có bản sao lưu nào trong {folder}.", "No backup yet in {folder}."),
    "doctor.backup.old": (
        "Bản sao lưu gần nhất ({file}) đã {days} ngày.",
        "The latest backup ({file}) is {days} days old.",
    ),
    "doctor.advice.backup": (
        "Để một chương trình MotCua chạy qua giờ sao lưu ([backup] at), hoặc: motcua db backup "
        "--daily",
        "Keep a MotCua program running past the backup time ([backup] at), or run: motcua db "
        "backup --daily",
    ),
    "doctor.logs.ok": ("Ghi được nhật ký vào {path}.", "Logs can be written to {path}."),
    "doctor.logs.bad": (
        "Không ghi được nhật ký vào {path}: {detail}.",
        "Logs cannot be written to {path}: {detail}.",
    ),
    "doctor.advice.logs": (
        "Cho phép ghi thư mục đó, hoặc đổi [logging] directory.",
        "Allow writing to that folder, or change [logging] directory.",
    ),
    "cli.roles_done": (
        "Đã tạo/cập nhật các vai trò {roles}; tài khoản đăng nhập: {logins}.",
        "Roles {roles} created or updated; logins: {logins}.",
    ),
    "cli.roles_password": ("Mật khẩu cho {name}: ", "Password for {name}: "),
    "cli.roles_short_password": (
        "{name}: mật khẩu cần ít nhất 8 ký tự",
        "{name}: the password needs at least 8 characters",
    ),
    "cli.backup_written": (
        "Đã sao lưu vào {path} ({size} byte).",
        "Backup written to {path} ({size} bytes).",
    ),
    "cli.backup_not_due": (
        "Chưa đến giờ sao lưu hằng ngày, hoặc hôm nay đã có bản sao lưu.",
        "The daily backup is not due yet, or today's is already there.",
    ),
    "cli.restore_confirm": (
        "Thay toàn bộ dữ liệu của {url} bằng bản sao lưu {path}? Dữ liệu hiện tại được lưu lại "
        "bên cạnh (SQLite). Gõ YES rồi Enter để tiếp tục:",
        "Replace all the data of {url} with the backup {path}? The current data is kept beside "
        "it (SQLite). Type YES and Enter to go on:",
    ),
    "cli.restore_cancelled": ("Đã hủy, không thay đổi gì.", "Cancelled; nothing was changed."),
    "cli.restored": (
        "Đã khôi phục {url} từ {path} (phiên bản {revision}).",
        "{url} restored from {path} (schema {revision}).",
    ),
    "error.backup_failed": (
        "Không sao lưu/khôi phục được: {detail}. Cơ sở dữ liệu vẫn như trước.",
        "The backup or restore could not be done: {detail}. The database is as it was.",
    ),
    "error.backup_tool_missing": (
        "Không tìm thấy {tool} (công cụ của PostgreSQL). Cài PostgreSQL hoặc bộ công cụ máy "
        "khách của nó trên máy này, hoặc sao lưu trên máy chủ.",
        "{tool} (a PostgreSQL tool) was not found. Install PostgreSQL or its client tools on "
        "this computer, or back up on the server.",
    ),
    "error.backup_refused": (
        "{path} không phải bản sao lưu dùng được ({detail}); không thay đổi gì.",
        "{path} is not a usable backup ({detail}); nothing was changed.",
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
    "error.offline_numbers_used_up": (
        "Mất kết nối máy chủ và đã hết số dự phòng cho dịch vụ này.",
        "The server is unreachable and this service's reserve numbers are used up.",
    ),
    "error.offline_ticket_refused": (
        "Số {number} ({service}) cấp khi mất kết nối không thuộc khối số dành cho máy này: "
        "không nhận vào hàng đợi.",
        "Number {number} ({service}) given while offline is not in a block reserved for this "
        "kiosk: not added to the queue.",
    ),
    "error.clock_setting": (
        "Đồng hồ đặt bằng {variable} không hợp lệ: {value}. Cần một thời điểm kèm múi giờ, "
        "ví dụ 2026-12-06T21:00:00+07:00.",
        "The clock set by {variable} is not valid: {value}. It needs an instant with its UTC "
        "offset, e.g. 2026-12-06T21:00:00+07:00.",
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
    "print.ticket.offline": ("CẤP KHI MẤT KẾT NỐI", "GIVEN WHILE OFFLINE"),
    "print.ticket.offline_note": (
        "Số vẫn được gọi theo thứ tự giờ lấy số.",
        "Your number is called in the order of the time it was taken.",
    ),
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
    # Open dossiers and steps, as of now (the portal's "đang giải quyết trong hạn / quá hạn").
    "dossier.progress.in_time": ("Trong hạn", "Within time"),
    "dossier.progress.due_today": ("Đến hạn hôm nay", "Due today"),
    "dossier.progress.overdue": ("Quá hạn", "Overdue"),
    # Finished dossiers and steps (result ready): final.
    "dossier.timeliness.early": ("Trước hạn", "Ahead of time"),
    "dossier.timeliness.on_time": ("Đúng hạn", "On time"),
    "dossier.timeliness.late": ("Quá hạn", "Late"),
    # --- working calendar --------------------------------------------------------------------
    "error.calendar_weekend_off": (
        "{weekday} {day} vốn là ngày nghỉ cuối tuần, không cần đánh dấu nghỉ. Nếu đó là ngày "
        "làm bù đã ghi, bỏ nó bằng lệnh: motcua calendar clear {iso}",
        "{weekday} {day} is a weekend day, off already: marking it off changes nothing. If it "
        "is a worked day you entered, remove it with: motcua calendar clear {iso}",
    ),
    "error.calendar_weekday_work": (
        "{weekday} {day} vốn là ngày làm việc; chỉ thứ Bảy, Chủ nhật mới đánh dấu làm bù được. "
        "Nếu đó là ngày nghỉ đã ghi, bỏ nó bằng lệnh: motcua calendar clear {iso}",
        "{weekday} {day} is a working day already; only a Saturday or Sunday can be marked "
        "worked. If it is a day off you entered, remove it with: motcua calendar clear {iso}",
    ),
    "error.calendar_day_unset": (
        "Lịch năm {year} không ghi gì cho ngày {day}: không có gì để bỏ.",
        "The {year} calendar holds nothing for {day}: nothing to remove.",
    ),
    "error.calendar_bad_date": (
        "“{text}” không phải là một ngày hợp lệ; viết theo dạng 2026-04-27 hoặc 27/04/2026.",
        "“{text}” is not a valid date; write it as 2026-04-27 or 27/04/2026.",
    ),
    "error.calendar_bad_time": (
        "“{text}” không phải là giờ hợp lệ; viết theo dạng GG:PP, ví dụ 15:00.",
        "“{text}” is not a valid time; write it as HH:MM, e.g. 15:00.",
    ),
    "error.calendar_bad_year": (
        "Năm {year} nằm ngoài khoảng lịch hỗ trợ (1900–2199).",
        "Year {year} is outside the supported range (1900–2199).",
    ),
    "error.calendar_bad_amount": (
        "Thời hạn “{text}” không hợp lệ: cần một số không âm, ví dụ 3 hoặc 0,5.",
        "Processing time “{text}” is not valid: give a number ≥ 0, e.g. 3 or 0.5.",
    ),
    "error.calendar_reason_long": (
        "Lý do dài quá {limit} ký tự.",
        "The reason is longer than {limit} characters.",
    ),
    "error.calendar_file": (
        "Tệp lịch {file} không dùng được: {detail}. Không có gì được nạp.",
        "The calendar file {file} cannot be used: {detail}. Nothing was imported.",
    ),
    "calendar.weekday.0": ("Thứ Hai", "Monday"),
    "calendar.weekday.1": ("Thứ Ba", "Tuesday"),
    "calendar.weekday.2": ("Thứ Tư", "Wednesday"),
    "calendar.weekday.3": ("Thứ Năm", "Thursday"),
    "calendar.weekday.4": ("Thứ Sáu", "Friday"),
    "calendar.weekday.5": ("Thứ Bảy", "Saturday"),
    "calendar.weekday.6": ("Chủ nhật", "Sunday"),
    "calendar.state.working": ("ngày làm việc", "a working day"),
    "calendar.state.off": ("ngày nghỉ", "a day off"),
    "calendar.day_set": (
        "{weekday} {day} giờ là {state}{reason}.",
        "{weekday} {day} is now {state}{reason}.",
    ),
    "calendar.year_title": ("Lịch làm việc năm {year}", "Working calendar {year}"),
    "calendar.confirmed": ("đã xác nhận", "confirmed"),
    "calendar.unconfirmed": (
        "chưa xác nhận – kiểm tra rồi chạy: motcua calendar confirm {year}",
        "not confirmed – check it, then run: motcua calendar confirm {year}",
    ),
    "calendar.days_off": (
        "Ngày nghỉ (ngoài thứ Bảy, Chủ nhật):",
        "Days off (besides Saturdays and Sundays):",
    ),
    "calendar.days_worked": (
        "Thứ Bảy, Chủ nhật làm việc:",
        "Saturdays and Sundays worked:",
    ),
    "calendar.none": ("(không có)", "(none)"),
    "calendar.statutory": (
        "(theo Bộ luật Lao động; năm này chưa có trong cơ sở dữ liệu)",
        "(by the Labour Code; this year is not in the database yet)",
    ),
    "calendar.prefilled": (
        "Đã điền sẵn {written} ngày nghỉ năm {year} theo Bộ luật Lao động; giữ nguyên {kept} "
        "ngày đã nhập tay hoặc nạp từ tệp. Kiểm tra rồi xác nhận: motcua calendar confirm {year}",
        "Pre-filled {written} days off of {year} from the Labour Code; kept {kept} days "
        "entered by hand or imported. Check them, then confirm: motcua calendar confirm {year}",
    ),
    "calendar.year_confirmed": (
        "Đã xác nhận lịch làm việc năm {year}.",
        "The {year} working calendar is confirmed.",
    ),
    "calendar.imported": (
        "Đã nạp lịch năm {year}: {off} ngày nghỉ, {work} ngày cuối tuần làm việc. Kiểm tra "
        "rồi xác nhận: motcua calendar confirm {year}",
        "Imported the {year} calendar: {off} days off, {work} weekend days worked. Check it, "
        "then confirm: motcua calendar confirm {year}",
    ),
    "calendar.due": ("Hạn trả kết quả: {weekday} {due}", "Due: {weekday} {due}"),
    # --- dossiers: receiving, lifecycle, lookup ---------------------------------------------
    "error.dossier_accept_early": (
        "Không thể tiếp nhận hồ sơ {code} trước thời điểm nộp trực tuyến.",
        "Dossier {code} cannot be accepted before it was submitted online.",
    ),
    "dossier.note.submitted_online": ("nộp trực tuyến lúc {when}", "submitted online at {when}"),
    "dossier.next.accept": (
        "Hồ sơ nộp trực tuyến đang chờ cán bộ kiểm tra và tiếp nhận. Ngày hẹn trả kết quả được "
        "tính từ khi hồ sơ được tiếp nhận.",
        "Your online dossier is waiting to be checked and accepted. The return date counts "
        "from its acceptance.",
    ),
    "dossier.cli.online_counter": (
        "Hồ sơ trực tuyến không gắn với phiếu hay quầy khi đăng ký; quầy được ghi khi tiếp "
        "nhận: motcua dossier accept MÃ --counter N",
        "An online dossier has no ticket or counter when registered; the counter is recorded "
        "when it is accepted: motcua dossier accept CODE --counter N",
    ),
    "dossier.cli.registered": (
        "Đã đăng ký hồ sơ trực tuyến {code} – mã tra cứu {secret} – chờ tiếp nhận",
        "Online dossier {code} registered – lookup code {secret} – awaiting acceptance",
    ),
    "error.dossier_invalid": (
        "Phiếu tiếp nhận chưa hợp lệ:\n{fields}",
        "The receiving form has mistakes:\n{fields}",
    ),
    "error.unknown_dossier": (
        "Không tìm thấy hồ sơ mã “{code}”.",
        "There is no dossier with code “{code}”.",
    ),
    "error.unknown_procedure": (
        "Không có thủ tục mã “{code}” đang áp dụng. Xem danh sách: motcua catalog show",
        "There is no active procedure with code “{code}”. List them with: motcua catalog show",
    ),
    "error.dossier_transition": (
        "Không thể chuyển hồ sơ {code} từ “{current}” sang “{target}”.",
        "Dossier {code} cannot go from “{current}” to “{target}”.",
    ),
    "error.dossier_return_only": (
        "Hồ sơ {code}: chỉ chuyển sang “Đã trả kết quả” khi trả kết quả cho công dân "
        "(motcua dossier return).",
        "Dossier {code}: “Result returned” is set only by handing the result over "
        "(motcua dossier return).",
    ),
    "error.dossier_step": (
        "Hồ sơ {code} không có bước luân chuyển số {position} đang mở.",
        "Dossier {code} has no open hand-over step number {position}.",
    ),
    "error.dossier_reschedule": (
        "Ngày hẹn mới phải sau ngày hẹn hiện tại ({current}).",
        "The new date must be after the current appointment ({current}).",
    ),
    "error.dossier_secret": (
        "Phiếu quét không khớp với hồ sơ này.",
        "The scanned slip does not match this dossier.",
    ),
    "error.dossier_no_agency": (
        "Trung tâm “{centre}” chưa có mã định danh cơ quan (agency_eid) trong danh mục.",
        "Centre “{centre}” has no agency e-ID (agency_eid) in its catalogue.",
    ),
    "error.lookup_refused": (
        "Mã hồ sơ hoặc mã tra cứu không đúng. Vui lòng kiểm tra lại trên giấy hẹn.",
        "The dossier code or the lookup code is not right. Please check your receipt slip.",
    ),
    "error.lookup_slow_down": (
        "Mã hồ sơ hoặc mã tra cứu không đúng. Vui lòng thử lại sau {seconds} giây.",
        "The dossier code or the lookup code is not right. Please try again in {seconds} s.",
    ),
    "dossier.invalid.required": ("Không được để trống", "Required"),
    "dossier.invalid.name_required": (
        "Cần ghi họ tên người nộp hồ sơ",
        "The applicant's name is required",
    ),
    "dossier.invalid.id_type": (
        "Loại giấy tờ phải là CCCD, CMND, hộ chiếu hoặc mã số thuế",
        "The ID type must be CCCD, CMND, passport or tax code",
    ),
    "dossier.invalid.id_type_missing": (
        "Chọn loại giấy tờ cho số đã nhập",
        "Choose the type of the ID number given",
    ),
    "dossier.invalid.cccd_shape": (
        "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số",
        "A citizen ID (CCCD) number has exactly 12 digits",
    ),
    "dossier.invalid.cccd_province": (
        "Ba số đầu của CCCD không phải mã tỉnh nơi đăng ký khai sinh",
        "The first three digits of the CCCD are not a province code",
    ),
    "dossier.invalid.cccd_year": (
        "Số thứ 4–6 của CCCD (thế kỷ, giới tính, năm sinh) không hợp lệ",
        "Digits 4–6 of the CCCD (century, sex, year of birth) are not possible",
    ),
    "dossier.invalid.cmnd_shape": (
        "Số CMND phải gồm 9 hoặc 12 chữ số",
        "An identity card (CMND) number has 9 or 12 digits",
    ),
    "dossier.invalid.passport_shape": (
        "Số hộ chiếu: một chữ cái và 7 chữ số, hoặc 8–9 chữ và số",
        "Passport number: a letter and 7 digits, or 8–9 letters and digits",
    ),
    "dossier.invalid.tax_shape": (
        "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số - 3 chữ số",
        "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits",
    ),
    "dossier.invalid.phone": (
        "Số điện thoại không đúng (di động 10 số, cố định 11 số bắt đầu bằng 02; có thể viết +84)",
        "Not a Vietnamese phone number (mobile 10 digits, landline 11 digits starting 02; "
        "+84 allowed)",
    ),
    "dossier.invalid.email": ("Địa chỉ email không đúng dạng", "Not an e-mail address"),
    "dossier.invalid.sets": ("Số bộ hồ sơ từ 1 đến 99", "Sets: from 1 to 99"),
    "dossier.invalid.count": ("Số lượng từ 0 đến 99", "A count from 0 to 99"),
    "dossier.invalid.days": (
        "Số ngày làm việc từ 0 đến 3650",
        "Working days: from 0 to 3650",
    ),
    "dossier.invalid.document_name": ("Cần ghi tên giấy tờ", "The document needs a name"),
    "dossier.invalid.post_address": (
        "Nhận kết quả qua bưu điện cần địa chỉ nhận",
        "Delivery by post needs an address",
    ),
    "dossier.invalid.delivery": (
        "Nơi nhận kết quả: tại bộ phận một cửa hoặc qua bưu điện",
        "Result delivery: at the desk or by post",
    ),
    "dossier.invalid.channel": (
        "Kênh nộp: 1 trực tiếp, 2 trực tuyến, 3 bưu chính",
        "Channel: 1 in person, 2 online, 3 post",
    ),
    "dossier.invalid.fee": ("Phí, lệ phí không được âm", "The fee cannot be negative"),
    "dossier.invalid.kind": (
        "Người nộp là cá nhân hoặc tổ chức",
        "The party is a person or an organisation",
    ),
    "dossier.invalid.too_long": ("Quá dài", "Too long"),
    "dossier.next.wait": (
        "Hồ sơ đang được giải quyết. Vui lòng đến nhận kết quả theo ngày hẹn.",
        "Your dossier is being processed. Please come back on the appointment date.",
    ),
    "dossier.next.supplement": (
        "Cần bổ sung giấy tờ. Vui lòng mang các giấy tờ còn thiếu đến bộ phận một cửa.",
        "Documents are missing. Please bring them to the one-stop desk.",
    ),
    "dossier.next.pay": (
        "Cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính.",
        "Fees or taxes are due. Please pay them.",
    ),
    "dossier.next.collect": (
        "Đã có kết quả. Mời ông/bà đến quầy trả kết quả, mang theo giấy hẹn.",
        "The result is ready. Please collect it at the desk with your receipt slip.",
    ),
    "dossier.next.none": (
        "Hồ sơ đã kết thúc, không cần làm gì thêm.",
        "This dossier is closed; nothing more to do.",
    ),
    "dossier.step.handed_over": ("Đã chuyển tiếp", "Handed on"),
    "dossier.desk": ("Bộ phận Tiếp nhận và Trả kết quả", "One-stop desk"),
    "dossier.cli.received": (
        "Đã tiếp nhận hồ sơ {code} – mã tra cứu {secret} – hẹn trả {due}",
        "Dossier {code} received – lookup code {secret} – due {due}",
    ),
    "dossier.cli.state": (
        "{code}: {status} – hẹn trả {due}",
        "{code}: {status} – due {due}",
    ),
    "dossier.cli.book_saved": (
        "Đã ghi {rows} dòng sổ theo dõi vào {path}",
        "Wrote {rows} lines of the tracking book to {path}",
    ),
    "dossier.cli.none": ("Không có hồ sơ nào.", "No dossiers."),
    "dossier.cli.unknown_user": (
        "Không có người dùng “{name}”.",
        "There is no user “{name}”.",
    ),
    "dossier.cli.bad_time": (
        "Thời điểm “{value}” không đúng dạng ISO (ví dụ 2026-04-24T14:30).",
        "“{value}” is not an ISO date and time (e.g. 2026-04-24T14:30).",
    ),
    "dossier.cli.bad_date": (
        "Ngày “{value}” không đúng (ví dụ 2026-04-24 hoặc 24/04/2026).",
        "“{value}” is not a date (e.g. 2026-04-24 or 24/04/2026).",
    ),
    "dossier.cli.step": (
        "Bước {position}: {from_unit} → {to_unit}, hạn {due}",
        "Step {position}: {from_unit} → {to_unit}, due {due}",
    ),
    "dossier.cli.lookup": (
        "{code}: {status} – hẹn trả {due} – {name}",
        "{code}: {status} – due {due} – {name}",
    ),
    # --- forms (Mẫu 01–06) -------------------------------------------------------------------
    "error.form_set": (
        "Tệp biểu mẫu {file}, mục {field}: {detail}",
        "Form set file {file}, field {field}: {detail}",
    ),
    "error.form_unknown": (
        "Bộ biểu mẫu {set} không có Mẫu {form} (có: {known})",
        "Form set {set} has no form {form} (it has: {known})",
    ),
    "error.form_not_accepted": (
        "Hồ sơ {code} nộp trực tuyến chưa được tiếp nhận: chưa in được giấy tiếp nhận và hẹn "
        "trả. Tiếp nhận hồ sơ trước: motcua dossier accept {code}",
        "Dossier {code} was submitted online and is not accepted yet: no receipt slip before "
        "that. Accept it first: motcua dossier accept {code}",
    ),
    "error.form_no_notice": (
        "Hồ sơ {code} chưa có phiếu Mẫu {form}",
        "Dossier {code} has no form {form} issued",
    ),
    "error.form_copy": (
        "Mẫu {form} không có liên “{copy}” (có: {known})",
        "Form {form} has no copy “{copy}” (it has: {known})",
    ),
    "forms.saved": ("Đã lưu Mẫu {form}: {files}", "Form {form} saved: {files}"),
    "forms.cli.no_output": (
        "Chọn ít nhất một đầu ra: --pdf, --png hoặc --thermal",
        "Choose at least one output: --pdf, --png or --thermal",
    ),
    "forms.cli.book_dates": (
        "Mẫu {form} (sổ theo dõi) cần --from và --to, không in phiếu nhiệt",
        "Form {form} (the tracking book) needs --from and --to, and has no thermal slip",
    ),
    "forms.cli.code_needed": ("Mẫu {form} cần mã hồ sơ", "Form {form} needs a dossier code"),
    "forms.cli.bad_date": (
        "Ngày “{value}” không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)",
        "The date “{value}” is not valid (dd/mm/yyyy or yyyy-mm-dd)",
    ),
    "forms.cli.which_centre": (
        "Cơ sở dữ liệu có nhiều trung tâm: chọn một bằng --centre",
        "The database holds several centres: choose one with --centre",
    ),
    # --- kiosk: dossier lookup screen --------------------------------------------------------
    "kiosk.lookup.due_after_accept": (
        "Chưa có — tính từ khi hồ sơ được tiếp nhận",
        "Not yet — counted from when the dossier is accepted",
    ),
    "kiosk.lookup.title": ("Tra cứu hồ sơ", "Track a dossier"),
    "kiosk.lookup.scan": (
        "Đưa mã QR trên giấy hẹn trả kết quả vào máy quét",
        "Hold the QR code of your appointment slip under the scanner",
    ),
    "kiosk.lookup.or_type": (
        "hoặc nhập mã hồ sơ và mã tra cứu in trên giấy hẹn",
        "or type the dossier code and the lookup code printed on the slip",
    ),
    "kiosk.lookup.code": ("Mã hồ sơ", "Dossier code"),
    "kiosk.lookup.secret": ("Mã tra cứu", "Lookup code"),
    "kiosk.lookup.touch_field": ("Chạm để nhập", "Touch to type"),
    "kiosk.lookup.search": ("TRA CỨU", "LOOK UP"),
    "kiosk.lookup.delete": ("⌫ Xóa", "⌫ Delete"),
    "kiosk.lookup.clear": ("Xóa hết", "Clear all"),
    "kiosk.lookup.next_field": ("Tiếp ▸", "Next ▸"),
    "kiosk.lookup.again": ("Tra cứu hồ sơ khác", "Look up another dossier"),
    "kiosk.lookup.searching": ("Đang tra cứu, xin chờ…", "Looking it up, one moment…"),
    "kiosk.lookup.refused": (
        "Không tra cứu được hồ sơ. Vui lòng kiểm tra lại mã hồ sơ và mã tra cứu trên giấy hẹn, "
        "hoặc hỏi nhân viên hướng dẫn.",
        "The dossier cannot be shown. Please check the dossier code and the lookup code on "
        "your slip, or ask a staff member.",
    ),
    "kiosk.lookup.slow": (
        "Đã nhập sai nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại.",
        "Too many attempts. Please wait {seconds} seconds, then try again.",
    ),
    "kiosk.lookup.unavailable": (
        "Tra cứu hồ sơ tạm thời chưa sẵn sàng. Vui lòng hỏi nhân viên hướng dẫn.",
        "Dossier lookup is not available right now. Please ask a staff member.",
    ),
    "kiosk.lookup.missing_fields": (
        "Vui lòng nhập cả mã hồ sơ và mã tra cứu.",
        "Please type both the dossier code and the lookup code.",
    ),
    "kiosk.lookup.example": ("Ví dụ: {example}", "For example: {example}"),
    "kiosk.lookup.applicant": ("Người nộp", "Applicant"),
    "kiosk.lookup.procedure": ("Thủ tục", "Procedure"),
    "kiosk.lookup.status": ("Tình trạng", "Status"),
    "kiosk.lookup.received": ("Ngày nhận", "Received"),
    "kiosk.lookup.due": ("Hẹn trả kết quả", "Result due"),
    "kiosk.lookup.timeliness": ("Tiến độ", "Progress"),
    "kiosk.lookup.next": ("Bạn cần làm gì", "What to do next"),
    "kiosk.lookup.datetime": ("{time} ngày {date}", "{date} at {time}"),
    "kiosk.lookup.missing": ("Giấy tờ cần bổ sung: {documents}", "Documents to bring: {documents}"),
    "kiosk.lookup.next.wait": (
        "Hồ sơ đang được giải quyết. Vui lòng quay lại vào ngày hẹn trả kết quả.",
        "Your dossier is being processed. Please come back on the date given.",
    ),
    "kiosk.lookup.next.supplement": (
        "Vui lòng mang giấy tờ cần bổ sung đến quầy tiếp nhận.",
        "Please bring the missing documents to the reception counter.",
    ),
    "kiosk.lookup.next.fees": (
        "Vui lòng nộp phí, lệ phí hoặc thuế theo hướng dẫn, rồi báo quầy tiếp nhận.",
        "Please pay the fees or taxes as instructed, then tell the reception counter.",
    ),
    "kiosk.lookup.next.collect": (
        "Đã có kết quả. Mời bạn mang giấy hẹn đến quầy trả kết quả.",
        "The result is ready. Please bring your slip to the result counter.",
    ),
    "kiosk.lookup.next.post": (
        "Đã có kết quả. Kết quả sẽ được gửi đến bạn qua bưu điện.",
        "The result is ready and will be sent to you by post.",
    ),
    "kiosk.lookup.next.done": (
        "Hồ sơ đã kết thúc. Bạn không cần làm gì thêm.",
        "This dossier is closed. There is nothing more to do.",
    ),
    "kiosk.lookup.next.ask": (
        "Vui lòng hỏi quầy tiếp nhận để được hướng dẫn.",
        "Please ask at the reception counter.",
    ),
    # --- kiosk: more -------------------------------------------------------------------------
    "kiosk.lookup.button": ("TRA CỨU HỒ SƠ", "TRACK A DOSSIER"),
    "kiosk.lookup.button_hint": (
        "Xem hồ sơ đã nộp đến đâu",
        "See where your dossier stands",
    ),
    "kiosk.large_text": ("A+ Chữ lớn", "A+ Larger text"),
    "kiosk.starting": ("Đang khởi động, xin chờ giây lát…", "Starting, one moment…"),
    "kiosk.unavailable.closed": ("Ngoài giờ làm việc", "Outside opening hours"),
    "kiosk.unavailable.offline": (
        "Mất kết nối: tạm không cấp số",
        "Offline: no numbers for now",
    ),
    "kiosk.offline.card": ("Vẫn lấy số được", "Numbers still given"),
    "kiosk.home.offline": (
        "Mất kết nối máy chủ · Vẫn lấy số được, số được gọi theo giờ lấy",
        "Server unreachable · Numbers still given, called by the time taken",
    ),
    "kiosk.unavailable.reopens": ("Mở lại lúc {time}", "Opens again at {time}"),
    "kiosk.unavailable.reopens_day": (
        "Mở lại {time} {weekday} {date}",
        "Opens again {weekday} {date}, {time}",
    ),
    "kiosk.unavailable.full": ("Đã hết số hôm nay", "No more numbers today"),
    "kiosk.unavailable.full_hint": (
        "Vui lòng quay lại ngày làm việc sau",
        "Please come back on the next working day",
    ),
    # --- counter: dossiers -------------------------------------------------------------------
    "counter.dossier.button": ("Hồ sơ", "Dossiers"),
    "counter.dossier.currency": (" đ", " VND"),
    "counter.dossier.button_tip": (
        "Tiếp nhận, theo dõi và trả kết quả hồ sơ ({key})",
        "Receive, follow and return dossiers ({key})",
    ),
    "counter.dossier.window.title": ("Hồ sơ — Quầy {counter}", "Dossiers — Counter {counter}"),
    "counter.dossier.tab.receive": ("Tiếp nhận hồ sơ (Ctrl+1)", "Receive a dossier (Ctrl+1)"),
    "counter.dossier.tab.list": ("Danh sách hồ sơ (Ctrl+2)", "Dossier list (Ctrl+2)"),
    "counter.dossier.tab.book": ("Sổ theo dõi hồ sơ (Ctrl+3)", "Tracking book (Ctrl+3)"),
    "counter.dossier.when": (
        "{hour} giờ {minute} phút, ngày {day}/{month}/{year}",
        "{hour}:{minute}, {day}/{month}/{year}",
    ),
    "counter.dossier.days": ("{days} ngày làm việc", "{days} working days"),
    "counter.dossier.hours": ("{hours} giờ làm việc", "{hours} working hours"),
    "counter.dossier.same_day": (
        "Trong ngày (nhận sau {cutoff} trả ngày làm việc tiếp theo)",
        "Same day (received after {cutoff}: next working day)",
    ),
    "counter.dossier.receive.title": ("Tiếp nhận hồ sơ", "Receive a dossier"),
    "counter.dossier.receive.ticket": ("Gắn với số thứ tự {number}", "Linked to ticket {number}"),
    "counter.dossier.receive.no_ticket": (
        "Không gắn với số thứ tự nào",
        "Not linked to a ticket",
    ),
    "counter.dossier.receive.keys": (
        "Ctrl+S: lưu · Tab: sang ô tiếp theo",
        "Ctrl+S: save · Tab: next field",
    ),
    "counter.dossier.section.procedure": ("Thủ tục hành chính", "Procedure"),
    "counter.dossier.section.applicant": (
        "Tổ chức, cá nhân có hồ sơ",
        "Applicant (person or organisation)",
    ),
    "counter.dossier.section.documents": ("Thành phần hồ sơ đã nhận", "Documents received"),
    "counter.dossier.section.handling": (
        "Số lượng, hình thức nộp, nhận kết quả, lệ phí",
        "Sets, channel, result, fee",
    ),
    "counter.dossier.field.procedure": (
        "Mã hoặc tên thủ tục (gõ không dấu cũng được)",
        "Procedure code or name (tone marks optional)",
    ),
    "counter.dossier.procedure_hint": (
        "Ví dụ: 1.001193 hoặc dang ky khai sinh",
        "e.g. 1.001193 or dang ky khai sinh",
    ),
    "counter.dossier.procedure_info": (
        "Thời hạn giải quyết: {duration}",
        "Processing time: {duration}",
    ),
    "counter.dossier.invalid.procedure": (
        "Chọn một thủ tục trong danh sách (gõ mã hoặc tên rồi nhấn Enter)",
        "Pick a procedure from the list (type its code or name, then Enter)",
    ),
    "counter.dossier.field.person": ("Cá nhân", "Person"),
    "counter.dossier.field.organisation": ("Tổ chức", "Organisation"),
    "counter.dossier.field.name": ("Họ và tên", "Full name"),
    "counter.dossier.field.org_name": ("Tên tổ chức", "Organisation name"),
    "counter.dossier.field.id_type": ("Loại giấy tờ", "ID document"),
    "counter.dossier.field.id_number": ("Số giấy tờ", "ID number"),
    "counter.dossier.field.address": ("Địa chỉ", "Address"),
    "counter.dossier.field.phone": ("Số điện thoại", "Phone"),
    "counter.dossier.field.email": ("Email", "E-mail"),
    "counter.dossier.field.has_submitter": (
        "Có người nộp thay (người đến nộp không phải người có hồ sơ)",
        "Submitted by someone else on the applicant's behalf",
    ),
    "counter.dossier.field.sets": ("Số bộ hồ sơ", "Sets"),
    "counter.dossier.field.channel": ("Hình thức nộp", "Channel"),
    "counter.dossier.field.fee": ("Phí, lệ phí", "Fee"),
    "counter.dossier.field.delivery": ("Nhận kết quả:", "Result:"),
    "counter.dossier.field.result_address": (
        "Địa chỉ nhận kết quả qua bưu chính",
        "Postal address for the result",
    ),
    "counter.dossier.field.note": ("Ghi chú", "Note"),
    "counter.dossier.id_hint": ("CCCD 12 số, CMND 9 số…", "CCCD 12 digits, CMND 9 digits…"),
    "counter.dossier.phone_hint": ("Ví dụ: 0912 345 678", "e.g. 0912 345 678"),
    "counter.dossier.id_type.none": ("— Không có —", "— None —"),
    "counter.dossier.id_type.cccd": ("Căn cước / CCCD", "Citizen ID (CCCD)"),
    "counter.dossier.id_type.cmnd": ("Chứng minh nhân dân", "Old ID card (CMND)"),
    "counter.dossier.id_type.passport": ("Hộ chiếu", "Passport"),
    "counter.dossier.id_type.tax": ("Mã số thuế", "Tax code"),
    "counter.dossier.channel.1": ("Trực tiếp", "In person"),
    "counter.dossier.channel.2": ("Trực tuyến", "Online"),
    "counter.dossier.channel.3": ("Qua bưu chính công ích", "Public postal service"),
    "counter.dossier.delivery.desk": ("Tại Bộ phận Một cửa", "At the one-stop desk"),
    "counter.dossier.delivery.post": ("Qua bưu chính", "By post"),
    "counter.dossier.delivery.post_to": ("Qua bưu chính: {address}", "By post: {address}"),
    "counter.dossier.doc.name": ("Tên giấy tờ", "Document"),
    "counter.dossier.doc.originals": ("Bản chính", "Originals"),
    "counter.dossier.doc.certified": ("Bản sao chứng thực", "Certified copies"),
    "counter.dossier.doc.copies": ("Bản sao/photo", "Copies"),
    "counter.dossier.doc.hint": (
        "Theo danh mục của thủ tục; sửa số lượng đã nhận",
        "From the procedure's list; adjust the counts received",
    ),
    "counter.dossier.doc.add": ("+ Thêm giấy tờ", "+ Add a document"),
    "counter.dossier.doc.remove": ("- Bỏ dòng đang chọn", "- Remove the selected row"),
    "counter.dossier.doc.row_error": ("Dòng {row}: {message}", "Row {row}: {message}"),
    "counter.dossier.doc.line": (
        "{index}. {name} — bản chính {originals}, bản chứng thực {certified}, bản sao {copies}",
        "{index}. {name} — originals {originals}, certified {certified}, copies {copies}",
    ),
    "counter.dossier.preview": (
        "Hẹn trả kết quả nếu lưu bây giờ: {when}",
        "Result due if saved now: {when}",
    ),
    "counter.dossier.preview.none": (
        "Chọn thủ tục để xem ngày hẹn trả kết quả",
        "Pick a procedure to see the due date",
    ),
    "counter.dossier.save": ("Lưu và cấp mã hồ sơ (Ctrl+S)", "Save and number (Ctrl+S)"),
    "counter.dossier.saving": ("Đang lưu…", "Saving…"),
    "counter.dossier.clear": ("Làm lại", "Clear"),
    "counter.dossier.offline": (
        "Mất kết nối cơ sở dữ liệu: hồ sơ CHƯA được lưu. Thử lại khi có kết nối.",
        "The database is unreachable: the dossier was NOT saved. Try again when it is back.",
    ),
    "counter.dossier.file_failed": (
        "Không ghi được tệp: {detail}",
        "Cannot write the file: {detail}",
    ),
    "counter.dossier.result.title": ("Đã tiếp nhận hồ sơ", "Dossier received"),
    "counter.dossier.result.code": ("Mã hồ sơ:", "Dossier code:"),
    "counter.dossier.result.secret": ("Mã tra cứu:", "Lookup code:"),
    "counter.dossier.result.due": ("Hẹn trả kết quả:", "Result due:"),
    "counter.dossier.result.details": (
        "Người có hồ sơ: {applicant}\nThủ tục: {procedure}\nNhận lúc: {received}",
        "Applicant: {applicant}\nProcedure: {procedure}\nReceived: {received}",
    ),
    "counter.dossier.result.print_a4": (
        "In giấy tiếp nhận A4, 2 liên (Ctrl+P)",
        "Print the A4 receipt, 2 copies (Ctrl+P)",
    ),
    "counter.dossier.result.save_pdf": ("Lưu PDF…", "Save PDF…"),
    "counter.dossier.result.print_slip": (
        "In phiếu hẹn, máy in nhiệt (Ctrl+T)",
        "Print the thermal slip (Ctrl+T)",
    ),
    "counter.dossier.result.open": ("Xem hồ sơ", "Open the dossier"),
    "counter.dossier.result.new": (
        "Tiếp nhận hồ sơ khác (Ctrl+N)",
        "Receive another dossier (Ctrl+N)",
    ),
    "counter.dossier.print_dialog": ("In {title}", "Print {title}"),
    "counter.dossier.printer_failed": (
        "Không mở được máy in đã chọn.",
        "Cannot open the chosen printer.",
    ),
    "counter.dossier.printing": ("Đang chuẩn bị in {title}…", "Preparing {title} for printing…"),
    "counter.dossier.printed": (
        "Đã gửi {title} tới máy in ({pages} trang).",
        "{title} sent to the printer ({pages} pages).",
    ),
    "counter.dossier.printing_slip": ("Đang in phiếu hẹn…", "Printing the slip…"),
    "counter.dossier.printed_slip": ("Đã in phiếu hẹn.", "Slip printed."),
    "counter.dossier.save_pdf_title": ("Lưu PDF", "Save PDF"),
    "counter.dossier.saved": ("Đã lưu: {path}", "Saved: {path}"),
    "counter.dossier.form_title.01": (
        "Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Form 01 Receipt and appointment",
    ),
    "counter.dossier.form_title.02": (
        "Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Form 02 Request for further documents",
    ),
    "counter.dossier.form_title.03": (
        "Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "Form 03 Refusal",
    ),
    "counter.dossier.form_title.04": (
        "Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "Form 04 Apology and new date",
    ),
    "counter.dossier.form_title.05": (
        "Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "Form 05 Processing control sheet",
    ),
    "counter.dossier.form_title.06": ("Mẫu 06 Sổ theo dõi hồ sơ", "Form 06 Tracking book"),
    "counter.dossier.list.search": ("Tìm:", "Search:"),
    "counter.dossier.list.search_hint": (
        "Mã hồ sơ, tên thủ tục hoặc tên người nộp (không dấu cũng được) — Ctrl+F",
        "Dossier code, procedure or applicant (tone marks optional) — Ctrl+F",
    ),
    "counter.dossier.list.status": ("Trạng thái:", "Status:"),
    "counter.dossier.list.all": ("Tất cả", "All"),
    "counter.dossier.list.refresh": ("Làm mới", "Refresh"),
    "counter.dossier.list.count": (
        "{count} hồ sơ (quá hạn xếp trước). Enter hoặc nhấp đúp để xem.",
        "{count} dossiers (late ones first). Enter or double-click to open.",
    ),
    "counter.dossier.list.col.code": ("Mã hồ sơ", "Code"),
    "counter.dossier.list.col.procedure": ("Thủ tục", "Procedure"),
    "counter.dossier.list.col.applicant": ("Người có hồ sơ", "Applicant"),
    "counter.dossier.list.col.received": ("Ngày nhận", "Received"),
    "counter.dossier.list.col.due": ("Hẹn trả", "Due"),
    "counter.dossier.list.col.status": ("Trạng thái", "Status"),
    "counter.dossier.list.col.timeliness": ("Tiến độ", "Timeliness"),
    "counter.dossier.list.scan": (
        "Trả kết quả — quét phiếu hẹn:",
        "Return a result — scan the slip:",
    ),
    "counter.dossier.list.scan_placeholder": (
        "Đặt con trỏ vào đây rồi quét mã QR trên phiếu (hoặc gõ mã hồ sơ, Enter)",
        "Put the cursor here and scan the slip's QR (or type the code, Enter)",
    ),
    "counter.dossier.list.scan_hint": (
        "Chỉ hồ sơ “Đã xử lý xong” mới trả được; mã tra cứu trên phiếu phải khớp.",
        "Only a dossier whose result is ready can be returned; the slip's code must match.",
    ),
    "counter.dossier.returned": (
        "Đã trả kết quả hồ sơ {code}.",
        "Result of dossier {code} returned.",
    ),
    "counter.dossier.detail.back": ("< Danh sách (Esc)", "< List (Esc)"),
    "counter.dossier.detail.status_line": ("Trạng thái: {status}", "Status: {status}"),
    "counter.dossier.detail.procedure": ("Thủ tục", "Procedure"),
    "counter.dossier.detail.applicant": ("Người có hồ sơ", "Applicant"),
    "counter.dossier.detail.submitter": ("Người nộp thay", "Submitted by"),
    "counter.dossier.detail.received": ("Nhận hồ sơ", "Received"),
    "counter.dossier.detail.due": ("Hạn giải quyết", "Legal due date"),
    "counter.dossier.detail.appointment": ("Hẹn trả kết quả", "Appointment"),
    "counter.dossier.detail.timeliness": ("Tiến độ", "Timeliness"),
    "counter.dossier.detail.delivery": ("Nhận kết quả", "Result delivery"),
    "counter.dossier.detail.fee": ("Phí, lệ phí", "Fee"),
    "counter.dossier.detail.fee_value": ("{fee} đồng", "{fee} VND"),
    "counter.dossier.detail.sets": ("Số bộ", "Sets"),
    "counter.dossier.detail.clerk": ("Người tiếp nhận", "Received by"),
    "counter.dossier.detail.clerk_value": ("{name} (quầy {counter})", "{name} (counter {counter})"),
    "counter.dossier.detail.documents": ("Thành phần hồ sơ", "Documents"),
    "counter.dossier.detail.note": ("Ghi chú", "Notes"),
    "counter.dossier.detail.steps": (
        "Quá trình luân chuyển (liên thông)",
        "Hand-over steps (inter-agency)",
    ),
    "counter.dossier.detail.step_open": ("(đang xử lý)", "(in progress)"),
    "counter.dossier.detail.no_steps": ("chưa chuyển", "none yet"),
    "counter.dossier.detail.step_text": (
        "Bước {position}: từ {source} đến {target}\nGiao {handed} · hạn {due}\n"
        "Kết quả: {result} · Tiến độ: {timeliness}",
        "Step {position}: from {source} to {target}\nHanded {handed} · due {due}\n"
        "Result: {result} · Timeliness: {timeliness}",
    ),
    "counter.dossier.detail.notices": ("Phiếu đã lập", "Notices issued"),
    "counter.dossier.detail.notice": (
        "Mẫu {form} số {number}, {when}: {reason}",
        "Form {form} no. {number}, {when}: {reason}",
    ),
    "counter.dossier.action.accept": ("Tiếp nhận hồ sơ trực tuyến", "Accept the online dossier"),
    "counter.dossier.action.hand_over": ("Chuyển xử lý", "Hand over"),
    "counter.dossier.action.step_result": ("Ghi kết quả bước", "Record a step result"),
    "counter.dossier.action.supplement": ("Yêu cầu bổ sung", "Request documents"),
    "counter.dossier.action.refuse": ("Từ chối", "Refuse"),
    "counter.dossier.action.reschedule": ("Hẹn lại ngày trả", "New return date"),
    "counter.dossier.action.mark_ready": ("Đã có kết quả", "Result ready"),
    "counter.dossier.action.return": ("Trả kết quả", "Return the result"),
    "counter.dossier.print.01": ("In Mẫu 01", "Print form 01"),
    "counter.dossier.print.slip": ("In phiếu nhiệt", "Print thermal slip"),
    "counter.dossier.print.02": ("In Mẫu 02", "Print form 02"),
    "counter.dossier.print.03": ("In Mẫu 03", "Print form 03"),
    "counter.dossier.print.04": ("In Mẫu 04", "Print form 04"),
    "counter.dossier.print.05": ("In Mẫu 05", "Print form 05"),
    "counter.dossier.dialog.intro": ("Hồ sơ {code} — {procedure}", "Dossier {code} — {procedure}"),
    "counter.dossier.dialog.to_unit": ("Chuyển đến cơ quan, đơn vị", "Hand over to (agency, unit)"),
    "counter.dossier.dialog.days": (
        "Thời hạn của bước (ngày làm việc)",
        "Time for this step (working days)",
    ),
    "counter.dossier.dialog.days_default": ("Theo hạn của hồ sơ", "The dossier's due date"),
    "counter.dossier.dialog.note": ("Ghi chú", "Note"),
    "counter.dossier.dialog.step": ("Bước đang mở", "Open step"),
    "counter.dossier.dialog.step_item": ("Bước {position}: {unit}", "Step {position}: {unit}"),
    "counter.dossier.dialog.no_open_step": ("Không có bước nào đang mở", "No open step"),
    "counter.dossier.dialog.result": ("Kết quả", "Result"),
    "counter.dossier.dialog.missing": (
        "Giấy tờ cần bổ sung (dòng có số lượng > 0)",
        "Documents to supply (rows with a count above 0)",
    ),
    "counter.dossier.dialog.missing_none": (
        "Ghi ít nhất một giấy tờ cần bổ sung",
        "List at least one document to supply",
    ),
    "counter.dossier.dialog.reason": ("Lý do", "Reason"),
    "counter.dossier.dialog.new_due": ("Ngày hẹn trả mới", "New return date"),
    "counter.dossier.dialog.after": (
        "Phải sau ngày hẹn hiện tại ({when})",
        "Must be after the current appointment ({when})",
    ),
    "counter.dossier.dialog.cancel": ("Hủy", "Cancel"),
    "counter.dossier.dialog.confirm.accept": (
        "Tiếp nhận hồ sơ nộp trực tuyến sau khi đã kiểm tra đủ giấy tờ. Thời hạn giải quyết "
        "tính từ lúc này; giấy tiếp nhận và hẹn trả (Mẫu 01) được in ngay.",
        "Accept the dossier submitted online once its documents are checked. The processing "
        "time counts from now; the receipt and appointment slip (Mẫu 01) prints at once.",
    ),
    "counter.dossier.dialog.confirm.mark_ready": (
        "Xác nhận hồ sơ đã có kết quả (Đã xử lý xong). Tiến độ của hồ sơ được chốt lúc này.",
        "Confirm the result is ready. The dossier's timeliness is fixed now.",
    ),
    "counter.dossier.dialog.confirm.return": (
        "Xác nhận đã trao kết quả cho công dân.",
        "Confirm the result was handed to the citizen.",
    ),
    "counter.dossier.done.accept": (
        "Đã tiếp nhận hồ sơ {code}; hạn trả tính từ bây giờ.",
        "Dossier {code} accepted; its due date counts from now.",
    ),
    "counter.dossier.done.hand_over": ("Đã chuyển hồ sơ {code}.", "Dossier {code} handed over."),
    "counter.dossier.done.step_result": (
        "Đã ghi kết quả bước của hồ sơ {code}.",
        "Step result of {code} recorded.",
    ),
    "counter.dossier.done.supplement": (
        "Đã lập phiếu yêu cầu bổ sung cho hồ sơ {code}.",
        "Request for documents issued for {code}.",
    ),
    "counter.dossier.done.refuse": (
        "Đã lập phiếu từ chối hồ sơ {code}.",
        "Refusal issued for {code}.",
    ),
    "counter.dossier.done.reschedule": (
        "Đã lập phiếu hẹn lại cho hồ sơ {code}.",
        "New date issued for {code}.",
    ),
    "counter.dossier.done.mark_ready": (
        "Hồ sơ {code}: đã có kết quả.",
        "Dossier {code}: result ready.",
    ),
    "counter.dossier.done.return": ("Đã trả kết quả hồ sơ {code}.", "Result of {code} returned."),
    "counter.dossier.book.from": ("Từ ngày", "From"),
    "counter.dossier.book.to": ("đến ngày", "to"),
    "counter.dossier.book.read": ("Xem sổ", "Show"),
    "counter.dossier.book.csv": ("Xuất CSV…", "Export CSV…"),
    "counter.dossier.book.pdf": ("Xuất PDF (Mẫu 06)…", "Export PDF (form 06)…"),
    "counter.dossier.book.bad_range": (
        "Ngày bắt đầu phải trước ngày kết thúc.",
        "The start date must come before the end date.",
    ),
    "counter.dossier.book.count": (
        "{count} hồ sơ nhận từ {start} đến {end}.",
        "{count} dossiers received from {start} to {end}.",
    ),
    "counter.dossier.book.col.no": ("STT", "No."),
    "counter.dossier.book.col.code": ("Mã hồ sơ", "Code"),
    "counter.dossier.book.col.procedure": ("Thủ tục", "Procedure"),
    "counter.dossier.book.col.sets": ("Số bộ", "Sets"),
    "counter.dossier.book.col.applicant": ("Tổ chức, cá nhân", "Applicant"),
    "counter.dossier.book.col.contact": ("Địa chỉ, điện thoại", "Address, phone"),
    "counter.dossier.book.col.lead": ("Cơ quan chủ trì", "Lead agency"),
    "counter.dossier.book.col.received": ("Nhận hồ sơ", "Received"),
    "counter.dossier.book.col.due": ("Hẹn trả", "Due"),
    "counter.dossier.book.col.sent": ("Chuyển đi", "Sent"),
    "counter.dossier.book.col.back": ("Nhận kết quả", "Result back"),
    "counter.dossier.book.col.returned": ("Trả kết quả", "Returned"),
    "counter.dossier.book.col.note": ("Ghi chú", "Note"),
    "counter.dossier.book.col.timeliness": ("Tiến độ", "Timeliness"),
    # --- counter: more -----------------------------------------------------------------------
    "counter.pause_reason.break": ("Nghỉ giải lao", "Break"),
    "counter.pause_reason.meeting": ("Họp, công tác", "Meeting or duty elsewhere"),
    "counter.pause_reason.dossier_work": ("Xử lý hồ sơ", "Working on dossiers"),
    "counter.pause_reason.technical": ("Sự cố kỹ thuật", "Technical problem"),
    "counter.pause_reason.support": ("Hỗ trợ quầy khác", "Helping another counter"),
    "counter.pause_reason.other": ("Lý do khác", "Other reason"),
    "counter.pause.title": ("Tạm ngưng quầy", "Pause the counter"),
    "counter.pause.text": (
        "Quầy sẽ không gọi số mới cho đến khi mở lại (F9). Số đang phục vụ vẫn ở quầy.",
        "The counter calls no new number until it is reopened (F9). The current number stays.",
    ),
    "counter.pause.reason": ("Lý do", "Reason"),
    "counter.pause.note": ("Ghi chú", "Note"),
    "counter.pause.ok": ("Tạm ngưng", "Pause"),
    "counter.note.placeholder": ("Không bắt buộc", "Optional"),
    "counter.note.hint": (
        "Ghi chú được lưu trong nhật ký: không ghi họ tên, số điện thoại, số giấy tờ của công "
        "dân (tối đa {max} ký tự).",
        "Notes are kept in the log: no citizen's name, phone or ID number (at most {max} "
        "characters).",
    ),
    "counter.transfer.note": ("Ghi chú cho quầy nhận", "Note for the next counter"),
    "counter.transfer.keys": (
        "Enter: chuyển · Esc: hủy · Tab: sang ô tiếp theo",
        "Enter: transfer · Esc: cancel · Tab: next field",
    ),
    "counter.pause.keys": (
        "Enter: tạm ngưng · Esc: hủy · Tab: sang ô tiếp theo",
        "Enter: pause · Esc: cancel · Tab: next field",
    ),
    "counter.ask.keys": (
        "Enter: hoàn thành và gọi tiếp · Esc: không gọi · Tab: chọn nút khác",
        "Enter: finish and call next · Esc: do not call · Tab: another button",
    ),
    "counter.history.title": ("Lịch sử chuyển", "Transfer history"),
    "counter.history.to_service": (
        "{time} {by}{source} → dịch vụ {target}",
        "{time} {by}{source} → service {target}",
    ),
    "counter.history.to_counter": (
        "{time} {by}{source} → quầy {target}",
        "{time} {by}{source} → counter {target}",
    ),
    "counter.history.by": ("quầy {counter}: ", "counter {counter}: "),
    "counter.history.note": ("“{note}”", "“{note}”"),
    "counter.main.paused_reason": ("QUẦY ĐANG TẠM NGƯNG — {reason}", "COUNTER PAUSED — {reason}"),
    "counter.language.switch": ("English", "Tiếng Việt"),
    "counter.language.tip": (
        "Đổi ngôn ngữ giao diện của cán bộ (máy này ghi nhớ)",
        "Switch the clerk's screen language (this PC remembers it)",
    ),
    "counter.rating.where.screen": (
        "Đánh giá hiện trên màn hình công dân: {name} (bấm để dùng hộp thoại)",
        "Rating appears on the citizen's screen: {name} (click for a dialog here)",
    ),
    "counter.rating.where.dialog": (
        "Đánh giá hiện trên màn hình này: xoay màn hình về phía công dân",
        "Rating appears on this screen: turn it toward the citizen",
    ),
    "counter.rating.where.dialog_chosen": (
        "Đánh giá hiện trên màn hình này (bấm để dùng màn hình {name})",
        "Rating appears on this screen (click to use screen {name})",
    ),
    "counter.rating.where.tip": (
        "Khi có màn hình thứ hai, phiếu đánh giá hiện toàn màn hình ở đó (bấm để chọn hộp "
        "thoại trên màn hình này thay vào đó); nếu không, hiện thành hộp thoại trên màn hình này.",
        "With a second screen attached the rating fills that screen (click to use a dialog on "
        "this screen instead); otherwise it opens as a dialog on this screen.",
    ),
    "counter.rating.keys": (
        "Phím 1–{scale}: cán bộ nhập thay",
        "Keys 1–{scale}: entered by the clerk",
    ),
    # --- reports ------------------------------------------------------------------------------
    "report.services": ("Số phiếu theo dịch vụ", "Tickets per service"),
    "report.hours": ("Số phiếu theo giờ trong ngày", "Tickets per hour of day"),
    "report.days": ("Số phiếu theo ngày", "Tickets per day"),
    "report.counters": ("Theo quầy", "Per counter"),
    "report.clerks": ("Theo cán bộ", "Per clerk"),
    "report.satisfaction": ("Mức độ hài lòng theo quầy", "Satisfaction per counter"),
    "report.dossiers": ("Hồ sơ theo thủ tục", "Dossiers per procedure"),
    "report.sectors": ("Hồ sơ theo lĩnh vực", "Dossiers per sector"),
    "report.unknown_kind": (
        "Không có báo cáo “{kind}”. Các báo cáo: {kinds}.",
        "There is no report “{kind}”. Reports: {kinds}.",
    ),
    "report.bad_range": (
        "Ngày bắt đầu ({date_from}) sau ngày kết thúc ({date_to}).",
        "The first day ({date_from}) is after the last ({date_to}).",
    ),
    "report.too_long": (
        "Một báo cáo dài tối đa 367 ngày.",
        "A report covers at most 367 days.",
    ),
    "report.period": ("Từ {date_from} đến {date_to}", "From {date_from} to {date_to}"),
    "report.total": ("Tổng cộng", "Total"),
    "report.empty": ("Không có số liệu trong khoảng ngày này.", "No figures in these days."),
    "report.written": ("Đã ghi {path}.", "Written: {path}."),
    "report.bad_format": (
        "Không ghi được “{path}”: chọn một trong {formats}.",
        "Cannot write “{path}”: choose one of {formats}.",
    ),
    "report.col.service": ("Dịch vụ", "Service"),
    "report.col.name": ("Tên", "Name"),
    "report.col.hour": ("Giờ", "Hour"),
    "report.col.day": ("Ngày", "Day"),
    "report.col.counter": ("Quầy", "Counter"),
    "report.col.clerk": ("Cán bộ", "Clerk"),
    "report.col.procedure": ("Thủ tục", "Procedure"),
    "report.col.sector": ("Lĩnh vực", "Sector"),
    "report.col.tickets": ("Số phiếu", "Tickets"),
    "report.col.served": ("Đã phục vụ", "Served"),
    "report.col.no_show": ("Vắng mặt", "No-show"),
    "report.col.cancelled": ("Đã hủy", "Cancelled"),
    "report.col.not_finished": ("Chưa xong", "Not finished"),
    "report.col.wait_mean": ("Chờ TB (phút)", "Wait mean (min)"),
    "report.col.wait_p50": ("Chờ p50 (phút)", "Wait p50 (min)"),
    "report.col.wait_p90": ("Chờ p90 (phút)", "Wait p90 (min)"),
    "report.col.service_mean": ("Phục vụ TB (phút)", "Service mean (min)"),
    "report.col.service_p50": ("Phục vụ p50 (phút)", "Service p50 (min)"),
    "report.col.service_p90": ("Phục vụ p90 (phút)", "Service p90 (min)"),
    "report.col.very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "report.col.satisfied": ("Hài lòng", "Satisfied"),
    "report.col.neutral": ("Bình thường", "Neutral"),
    "report.col.dissatisfied": ("Không hài lòng", "Dissatisfied"),
    "report.col.rated": ("Số đánh giá", "Ratings"),
    "report.col.no_rating": ("Không đánh giá", "No rating"),
    "report.col.share_satisfied": ("% hài lòng", "% satisfied"),
    "report.col.received": ("Tiếp nhận", "Received"),
    "report.col.early": ("Trước hạn", "Early"),
    "report.col.on_time": ("Đúng hạn", "On time"),
    "report.col.late": ("Quá hạn", "Late"),
    "report.col.open_in_time": ("Đang giải quyết, trong hạn", "Open, within the due date"),
    "report.col.open_overdue": ("Đang giải quyết, quá hạn", "Open, past the due date"),
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
